// JSON endpoints for people (/api/v1/persons…).
#pragma once

#include <boost/json/object.hpp>

#include "http/router.hpp"
#include "modules/accounts/guard.hpp"
#include "modules/people/service.hpp"

namespace peyvand::people {

void RegisterApi(http::Router& router, accounts::Guard& guard, PeopleService& people);

// Shared with the pathway API (a collection may register a person).
NewPerson ParseNewPerson(const boost::json::object& body);
boost::json::object PersonJson(const Person& p);

}  // namespace peyvand::people
