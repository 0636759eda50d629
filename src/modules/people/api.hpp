// JSON endpoints for people (/api/v1/persons…).
#pragma once

#include "http/router.hpp"
#include "modules/accounts/guard.hpp"
#include "modules/people/service.hpp"

namespace peyvand::people {

void RegisterApi(http::Router& router, accounts::Guard& guard, PeopleService& people);

}  // namespace peyvand::people
