// JSON endpoints (/api/v1/...) and HTML pages for accounts.
#pragma once

#include <boost/json/object.hpp>

#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "http/router.hpp"
#include "modules/accounts/guard.hpp"
#include "modules/accounts/service.hpp"
#include "web/templates.hpp"

namespace peyvand::accounts {

void RegisterApi(http::Router& router, Guard& guard, AuthService& auth, DirectoryService& dir);
void RegisterPages(http::Router& router, Guard& guard, AuthService& auth, DirectoryService& dir,
                   const web::Templates& templates);

boost::json::object UserJson(const User& u);
boost::json::object AgencyJson(const Agency& a);

// ?page=&per_page= with bounds; page is 1-based.
struct Paging {
  std::int64_t page = 1;
  std::int64_t per_page = 50;
  std::int64_t offset() const { return (page - 1) * per_page; }
};
Paging ParsePaging(const http::Request& req);
boost::json::object PagingJson(const Paging& p, std::int64_t total);
// The pages' pager partial (_pager.mustache): page i of n, links that keep `params`.
boost::json::object PageLinks(const Paging& p, std::int64_t total,
                              std::vector<std::pair<std::string, std::string>> params,
                              const std::string& path);
// {message, fields: [{text}]} for the errors partial of a re-rendered form.
boost::json::object ErrorsJson(const AppError& e);

}  // namespace peyvand::accounts
