// Mustache templates (kainjow, escaped by default) loaded from web/templates.
// Every *.mustache file is a page; files named _*.mustache are also partials
// ({{> _name}}). Pages are rendered into layout.mustache.
#pragma once

#include <boost/json/object.hpp>

#include <map>
#include <memory>
#include <string>

#include "http/message.hpp"

namespace peyvand::web {

class StaticFiles;

class Templates {
 public:
  // Loads every template under dir; throws std::runtime_error if dir is missing.
  Templates(const std::string& dir, const StaticFiles* assets);
  ~Templates();

  // Renders one template with ctx (plus "assets" URLs).
  std::string Render(const std::string& name, const boost::json::object& ctx) const;
  // Renders name inside the layout; ctx["title"] names the page.
  http::Response Page(const std::string& name, boost::json::object ctx, int status = 200) const;
  // The static files the pages link (null when constructed without).
  const StaticFiles* Assets() const { return assets_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  const StaticFiles* assets_ = nullptr;
};

}  // namespace peyvand::web
