// HTML pages of the funding module: the resolutions list and a resolution's page (clauses,
// their agencies' tasks, the credit table per share, the ledger with reversals, the signed
// copy), clauses without funding («مصوبات بدون پشتوانهٔ مالی») and one agency's funding.
#pragma once

#include "http/router.hpp"
#include "modules/accounts/guard.hpp"
#include "modules/accounts/service.hpp"
#include "modules/funding/service.hpp"
#include "web/templates.hpp"

namespace peyvand::funding {

void RegisterPages(http::Router& router, accounts::Guard& guard, FundingService& funding,
                   accounts::DirectoryService& directory, const web::Templates& templates);

}  // namespace peyvand::funding
