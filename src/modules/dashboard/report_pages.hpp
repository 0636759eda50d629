// The monthly report's routes (report.hpp), registered with the dashboard's pages:
//   POST /dashboard/report            form (month, county, agency, wait): the PDF if it is ready
//                                     within `wait` ms (default 1000), else its progress — an
//                                     htmx fragment that polls, or a page that refreshes
//   GET  /dashboard/report/{id}       the progress (fragment for htmx, page otherwise)
//   GET  /dashboard/report/{id}/pdf   the file, to the user who asked for it only
//   POST /api/v1/dashboard/report     JSON {month, county_id, agency_id, wait_ms}: the job
//   GET  /api/v1/dashboard/report/{id}
// Only those who see the dashboard (DashboardService::MaySee). Every report asked for is
// audited (report.monthly); asking for another user's job is audited (access.denied) and
// answered 404, like an unknown one.
#pragma once

#include "http/router.hpp"
#include "modules/accountability/service.hpp"
#include "modules/accounts/guard.hpp"
#include "modules/dashboard/service.hpp"
#include "web/templates.hpp"

namespace peyvand::dashboard {

void RegisterReport(http::Router& router, accounts::Guard& guard, DashboardService& dashboard,
                    accountability::ScorecardService& scorecards,
                    accounts::DirectoryService& directory, const web::Templates& templates);

}  // namespace peyvand::dashboard
