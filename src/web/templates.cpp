#include "web/templates.hpp"

#include <boost/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "web/mustache.hpp"
#include "web/static_files.hpp"

namespace peyvand::web {

struct Templates::Impl {
  // Compiled once at start-up; rendering only reads them, so threads share them freely.
  std::map<std::string, Mustache, std::less<>> compiled;
  boost::json::object assets_frame;  // {"assets": {key: fingerprinted url}}
  Mustache::PartialLookup partials;

  const Mustache& Find(const std::string& name) const {
    auto it = compiled.find(name);
    if (it == compiled.end()) throw std::runtime_error("no template " + name);
    return it->second;
  }

  void RenderInto(std::string& out, const std::string& name,
                  std::vector<const boost::json::object*> frames) const {
    frames.insert(frames.begin(), &assets_frame);
    Find(name).Render(out, frames, partials);
  }
};

Templates::Templates(const std::string& dir, const StaticFiles* assets)
    : impl_(std::make_unique<Impl>()), assets_(assets) {
  namespace fs = std::filesystem;
  if (!fs::is_directory(dir)) throw std::runtime_error("template folder not found: " + dir);
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".mustache") continue;
    std::ifstream in(entry.path());
    std::stringstream ss;
    ss << in.rdbuf();
    std::string name = fs::relative(entry.path(), dir).replace_extension().generic_string();
    try {
      impl_->compiled.emplace(name, Mustache(ss.str()));
    } catch (const std::runtime_error& e) {
      throw std::runtime_error("template " + name + ": " + e.what());
    }
  }
  boost::json::object urls;
  if (assets) {
    for (const auto& [key, url] : assets->Urls()) urls[key] = url;
  }
  impl_->assets_frame["assets"] = std::move(urls);
  // Only files named _*.mustache are partials, so a partial can never shadow a page value of
  // the same name.
  const Impl* impl = impl_.get();
  impl_->partials = [impl](std::string_view pname) -> const Mustache* {
    if (pname.empty() || pname.front() != '_') return nullptr;
    auto it = impl->compiled.find(pname);
    return it == impl->compiled.end() ? nullptr : &it->second;
  };
}

Templates::~Templates() = default;

std::string Templates::Render(const std::string& name, const boost::json::object& ctx) const {
  std::string out;
  out.reserve(8192);
  impl_->RenderInto(out, name, {&ctx});
  return out;
}

http::Response Templates::Page(const std::string& name, boost::json::object ctx, int status) const {
  std::string page;
  page.reserve(16384);
  impl_->RenderInto(page, name, {&ctx});
  // The layout reads the page frame (title, user, nav, csrf …) from the page's own context.
  boost::json::object content;
  content["content"] = std::move(page);
  std::string out;
  out.reserve(content.at("content").get_string().size() + 4096);
  impl_->RenderInto(out, "layout", {&ctx, &content});
  return http::Response::Html(std::move(out), status);
}

}  // namespace peyvand::web
