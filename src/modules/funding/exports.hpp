// The funding pages' tables as files (?format=csv&table=N or ?format=xlsx, see web/export.hpp):
// the resolutions list, a resolution's clauses and ledger, the unfunded clauses, and one
// agency's funding. Each holds every row the page's filters select (not only the page shown),
// up to kMaxRows; amounts are numbers in rials, dates Jalali.
#pragma once

#include <vector>

#include "modules/accounts/model.hpp"
#include "modules/funding/service.hpp"
#include "web/export.hpp"

namespace peyvand::funding::exports {

inline constexpr std::int64_t kMaxRows = 10'000;

web::Table Resolutions(FundingService& svc, const accounts::Principal& p, const ResolutionQuery& q);
// The clauses, one row per responsible agency with its six stages, gap and task; the ledger.
std::vector<web::Table> Resolution(FundingService& svc, const accounts::Principal& p,
                                   std::int64_t id);
web::Table Unfunded(FundingService& svc, const UnfundedFilter& f);
// The agency's totals by stage; its shares.
std::vector<web::Table> Agency(FundingService& svc, std::int64_t agency_id);

}  // namespace peyvand::funding::exports
