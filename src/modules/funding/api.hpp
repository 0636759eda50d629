// JSON endpoints of the funding module under /api/v1: councils, resolutions and clauses, the
// credit ledger, the unfunded list and totals by agency, and signed copies (multipart upload,
// PDF download). The shared JSON shapes are exposed for the pages' tests and the dashboard.
#pragma once

#include <boost/json/object.hpp>

#include <string>

#include "http/multipart.hpp"
#include "http/router.hpp"
#include "modules/accounts/guard.hpp"
#include "modules/funding/rules.hpp"
#include "modules/funding/service.hpp"

namespace peyvand::funding {

// Signed copies may be up to 10 MiB; the body adds the multipart framing and small fields.
inline constexpr std::size_t kUploadBodyLimit = kMaxDocumentBytes + 64 * 1024;

void RegisterApi(http::Router& router, accounts::Guard& guard, FundingService& funding);

boost::json::object TotalsJson(const StageTotals& t);
boost::json::object EntryJson(const CreditEntry& e);

// The part named "file" of a multipart upload, checked and stored; shared with the page.
Document StoreUpload(FundingService& funding, const accounts::Principal& p,
                     std::int64_t resolution_id, const http::MultipartForm& form);
// The latest signed copy as a PDF attachment.
http::Response DocumentResponse(FundingService& funding, std::int64_t resolution_id);

}  // namespace peyvand::funding
