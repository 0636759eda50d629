// Page contexts of the funding module (views.cpp), shared by its page handlers; not part of
// the module's API.
#pragma once

#include <boost/json/object.hpp>

#include <optional>
#include <string>

#include "core/error.hpp"
#include "http/body.hpp"
#include "modules/accounts/api.hpp"
#include "modules/accounts/guard.hpp"
#include "modules/accounts/service.hpp"
#include "modules/funding/rules.hpp"
#include "modules/funding/service.hpp"

namespace peyvand::funding::views {

std::string Fa(std::int64_t n);  // Persian digits
// Stored text (canonical: ASCII digits) as shown on pages: with Persian digits.
std::string Shown(const std::string& text);
std::string Money(std::int64_t n);  // Persian digits with separators
std::string JDay(std::int64_t day);
std::string Excerpt(const std::string& s, std::size_t bytes);  // cut at a character, with "…"
const char* TaskStateLabel(TaskState state);                   // «انجام شد», …
// The resolutions list's filters: ?q=&council_id=&status=.
ResolutionQuery ParseResolutionQuery(const http::Request& req);

// {message, fields: [{text}]} with this module's field names in Persian.
boost::json::object Errors(const AppError& e);
// A sum of rials typed by a person: Persian, Arabic-Indic or ASCII digits, with or without
// thousands separators. Empty → nullopt; anything else → 400 naming the field.
std::optional<std::int64_t> TypedAmount(const http::Form& f, const char* field);
std::optional<std::int64_t> AmountText(const std::string& text, const char* field);
boost::json::object TotalsView(const StageTotals& t);
// The links of _exports.mustache: `base` is the page's address with its filters ("/x?a=1&"
// or "/x?"), `tables` the names of its tables in order.
boost::json::object ExportLinks(std::string base, const std::vector<std::string>& tables);

// The resolution page: its text, clauses with agencies, tasks and credit, the ledger (page
// `ledger_page`) and the signed copy, with the forms the viewer may use.
boost::json::object ResolutionPage(FundingService& svc, accounts::DirectoryService& dir,
                                   accounts::Guard& guard, const accounts::Principal& p,
                                   std::int64_t id, std::int64_t ledger_page);
// The resolutions list with its filters and, for managers, the new-resolution form.
boost::json::object ResolutionsPage(FundingService& svc, accounts::Guard& guard,
                                    const accounts::Principal& p, const http::Request& req);

}  // namespace peyvand::funding::views
