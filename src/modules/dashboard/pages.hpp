// The coordinator's dashboard page (/dashboard; its panel alone for htmx requests), and the
// panel on the coordinator's home page.
#pragma once

#include "http/router.hpp"
#include "modules/accounts/guard.hpp"
#include "modules/dashboard/service.hpp"
#include "web/templates.hpp"

namespace peyvand::dashboard {

void RegisterPages(http::Router& router, accounts::Guard& guard, DashboardService& dashboard,
                   accountability::ScorecardService& scorecards,
                   accounts::DirectoryService& directory, const web::Templates& templates);

// The public transparency page (/transparency, GET /api/v1/public/figures): aggregate figures
// only, no sign-in; every count of persons under 5 withheld (suppression.hpp).
void RegisterPublic(http::Router& router, pathway::PathwayService& pathway,
                    accountability::ScorecardService& scorecards, funding::FundingService& funding,
                    accounts::DirectoryService& directory, const web::Templates& templates);

}  // namespace peyvand::dashboard
