#include "web/templates.hpp"

#include <kainjow/mustache.hpp>

#include <boost/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <unordered_map>

#include "web/static_files.hpp"

namespace peyvand::web {
namespace mst = kainjow::mustache;

namespace {

mst::data ToData(const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::object: {
      mst::data d{mst::data::type::object};
      for (const auto& [k, val] : v.as_object()) d.set(std::string(k), ToData(val));
      return d;
    }
    case boost::json::kind::array: {
      mst::data d{mst::data::type::list};
      for (const auto& e : v.as_array()) d.push_back(ToData(e));
      return d;
    }
    case boost::json::kind::string: return mst::data{std::string(v.as_string())};
    case boost::json::kind::bool_: return mst::data{v.as_bool()};
    case boost::json::kind::int64: return mst::data{std::to_string(v.as_int64())};
    case boost::json::kind::uint64: return mst::data{std::to_string(v.as_uint64())};
    case boost::json::kind::double_: return mst::data{std::to_string(v.as_double())};
    case boost::json::kind::null: return mst::data{false};
  }
  return mst::data{false};
}

}  // namespace

struct Templates::Impl {
  std::map<std::string, std::string> sources;
  const StaticFiles* assets = nullptr;
  boost::json::object asset_urls;
  mst::data asset_data{mst::data::type::object};  // asset_urls, converted once

  std::string Render(const std::string& name, const boost::json::object& ctx) const {
    auto it = sources.find(name);
    if (it == sources.end()) throw std::runtime_error("no template " + name);
    // Parsed templates are cached per thread: kainjow's render is not const.
    thread_local std::unordered_map<const Impl*, std::unordered_map<std::string, mst::mustache>>
        cache;
    auto& mine = cache[this];
    auto found = mine.find(name);
    if (found == mine.end()) found = mine.emplace(name, mst::mustache(it->second)).first;
    mst::data data = ToData(ctx);
    data.set("assets", asset_data);
    // Only files named _*.mustache are partials, so a partial can never shadow
    // a page value of the same name (mustache looks both up in one context).
    for (const auto& [pname, psrc] : sources) {
      if (pname.empty() || pname[0] != '_') continue;
      const std::string* src = &psrc;
      data.set(pname, mst::partial([src] { return *src; }));
    }
    std::string out = found->second.render(data);
    if (!found->second.is_valid()) {
      throw std::runtime_error("template " + name + ": " + found->second.error_message());
    }
    return out;
  }
};

Templates::Templates(const std::string& dir, const StaticFiles* assets)
    : impl_(std::make_unique<Impl>()) {
  namespace fs = std::filesystem;
  if (!fs::is_directory(dir)) throw std::runtime_error("template folder not found: " + dir);
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".mustache") continue;
    std::ifstream in(entry.path());
    std::stringstream ss;
    ss << in.rdbuf();
    std::string name = fs::relative(entry.path(), dir).replace_extension().generic_string();
    impl_->sources[name] = ss.str();
  }
  impl_->assets = assets;
  if (assets) {
    for (const auto& [key, url] : assets->Urls()) impl_->asset_urls[key] = url;
  }
  impl_->asset_data = ToData(impl_->asset_urls);
}

Templates::~Templates() = default;

std::string Templates::Render(const std::string& name, const boost::json::object& ctx) const {
  return impl_->Render(name, ctx);
}

http::Response Templates::Page(const std::string& name, boost::json::object ctx, int status) const {
  std::string content = impl_->Render(name, ctx);
  // The layout needs only the page frame, not the page's own (often large) data.
  boost::json::object frame;
  for (const char* key : {"title", "signed_in", "csrf", "user", "agency_name", "nav"}) {
    if (auto it = ctx.find(key); it != ctx.end()) frame[key] = it->value();
  }
  frame["content"] = std::move(content);
  return http::Response::Html(impl_->Render("layout", frame), status);
}

}  // namespace peyvand::web
