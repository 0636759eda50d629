#include "http/router.hpp"
#include "http/body.hpp"

#include <gtest/gtest.h>

namespace peyvand::http {
namespace {

Response Named(std::string name) {
  return Response::Text(std::move(name));
}

struct RouteCase {
  Method method;        // request method
  std::string path;     // request path
  Router::Match match;  // expected outcome
  std::string body;     // expected handler (its response body), when found
  std::string param;    // expected value of the "id" or "rest" parameter
};

TEST(RouterTest, MatchesTable) {
  Router r;
  r.Get("/api/v1/users/me", [](Request&) { return Named("me"); });
  r.Get("/api/v1/users/{id}", [](Request&) { return Named("user"); });
  r.Post("/api/v1/users", [](Request&) { return Named("create"); });
  r.Get("/static/{rest*}", [](Request&) { return Named("static"); });
  const RouteCase cases[] = {
      {Method::kGet, "/api/v1/users/me", Router::Match::kFound, "me", ""},
      {Method::kGet, "/api/v1/users/42", Router::Match::kFound, "user", "42"},
      {Method::kHead, "/api/v1/users/42", Router::Match::kFound, "user", "42"},
      {Method::kGet, "/api/v1/users/42/", Router::Match::kFound, "user", "42"},
      {Method::kDelete, "/api/v1/users/42", Router::Match::kMethodNotAllowed, "", ""},
      {Method::kGet, "/api/v1/users", Router::Match::kMethodNotAllowed, "", ""},
      {Method::kGet, "/api/v1/users/42/x", Router::Match::kNotFound, "", ""},
      {Method::kGet, "/static/css/app.css", Router::Match::kFound, "static", "css/app.css"},
      {Method::kGet, "/nothing", Router::Match::kNotFound, "", ""},
  };
  for (const auto& c : cases) {
    Request req;
    req.method = c.method;
    req.path = c.path;
    auto found = r.Find(req);
    EXPECT_EQ(found.match, c.match) << c.path;
    if (c.match == Router::Match::kFound) {
      EXPECT_EQ((*found.handler)(req).body, c.body) << c.path;
      if (!c.param.empty()) {
        std::string got = req.PathParam("id").empty() ? req.PathParam("rest") : req.PathParam("id");
        EXPECT_EQ(got, c.param) << c.path;
      }
    }
  }
}

TEST(RouterTest, MethodNotAllowedListsAllowed) {
  Router r;
  r.Get("/x", [](Request&) { return Named("g"); });
  r.Post("/x", [](Request&) { return Named("p"); });
  Request req;
  req.method = Method::kDelete;
  req.path = "/x";
  auto found = r.Find(req);
  EXPECT_EQ(found.allow, "GET, POST");
}

TEST(RequestTest, CookiesAndQuery) {
  Request req;
  req.target = "/a?q=%D8%B9%D9%84%DB%8C&page=2&q=second&s=a+b%2Bc";
  req.headers = {{"cookie", "a=1; peyvand_session=abc; b=2"}};
  EXPECT_EQ(req.Cookie("peyvand_session").value_or(""), "abc");
  EXPECT_FALSE(req.Cookie("missing").has_value());
  EXPECT_EQ(req.Query("q").value_or(""), "علی");
  EXPECT_EQ(req.Query("page").value_or(""), "2");
  EXPECT_FALSE(req.Query("none").has_value());
  EXPECT_EQ(req.Query("s").value_or(""), "a b+c");
}

TEST(FormTest, DecodesPercentAndPlus) {
  Request req;
  req.headers = {{"content-type", "application/x-www-form-urlencoded"}};
  req.body =
      "display_name=%D8%B2%D9%87%D8%B1%D8%A7+%DA%A9%D8%B1%DB%8C%D9%85%DB%8C&roles=a&roles=b&x=1%"
      "2B1";
  auto f = Form::Parse(req);
  EXPECT_EQ(f.GetOr("display_name"), "زهرا کریمی");
  EXPECT_EQ(f.GetAll("roles").size(), 2u);
  EXPECT_EQ(f.GetOr("x"), "1+1");
  EXPECT_FALSE(f.Get("missing").has_value());
}

}  // namespace
}  // namespace peyvand::http
