// HTML pages for people: search, register (with the likely matches shown
// before saving), and the record.
#pragma once

#include "http/router.hpp"
#include "modules/accounts/guard.hpp"
#include "modules/people/service.hpp"
#include "web/templates.hpp"

namespace peyvand::people {

void RegisterPages(http::Router& router, accounts::Guard& guard, PeopleService& people,
                   const web::Templates& templates);

}  // namespace peyvand::people
