// HTML pages for people: search, register (with the likely matches shown
// before saving), and the record.
#pragma once

#include <string>

#include "http/router.hpp"
#include "modules/accounts/guard.hpp"
#include "modules/people/service.hpp"
#include "web/templates.hpp"

namespace peyvand::people {

void RegisterPages(http::Router& router, accounts::Guard& guard, PeopleService& people,
                   const web::Templates& templates);

// Persian labels for the evidence of a match (field and how it compared).
const char* ReasonFieldLabel(const std::string& field);
const char* ReasonResultLabel(const std::string& result);

}  // namespace peyvand::people
