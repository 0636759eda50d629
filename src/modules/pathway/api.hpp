// JSON endpoints of the pathway (/api/v1/episodes, /inbox, /referrals,
// /facilities, /stays, /complaints, /programme) and the shared JSON shapes.
#pragma once

#include <boost/json/object.hpp>

#include "http/router.hpp"
#include "modules/accounts/guard.hpp"
#include "modules/pathway/service.hpp"

namespace peyvand::pathway {

void RegisterApi(http::Router& router, accounts::Guard& guard, PathwayService& pathway);

// "2024-03-24" for a unix day.
std::string IsoDay(std::int64_t day);
// An optional date field given as ISO or Jalali; 400 naming the field otherwise.
std::optional<std::int64_t> OptionalDay(const boost::json::object& body, const char* field);
std::optional<std::int64_t> ParseDayText(const std::string& text, const char* field);

}  // namespace peyvand::pathway
