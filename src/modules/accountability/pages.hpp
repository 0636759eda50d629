// Scorecard pages (/scorecards, /scorecards/agencies/{id}, /scorecards/tasks) and their JSON
// API (/api/v1/scorecards…).
#pragma once

#include "http/router.hpp"
#include "modules/accountability/service.hpp"
#include "modules/accounts/guard.hpp"
#include "web/templates.hpp"

namespace peyvand::accountability {

void RegisterPages(http::Router& router, accounts::Guard& guard, ScorecardService& scorecards,
                   accounts::DirectoryService& directory, const web::Templates& templates);
void RegisterApi(http::Router& router, accounts::Guard& guard, ScorecardService& scorecards);

// The period and county of a request: ?from=1405/07&to=1405/08&county=3; by default the last
// whole Jalali month before `today`. 400 naming the field when malformed.
Filter ParseFilter(const http::Request& req, std::int64_t today);

}  // namespace peyvand::accountability
