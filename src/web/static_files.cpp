#include "web/static_files.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.hpp"

namespace peyvand::web {
namespace {

std::string Fnv1a(const std::string& data) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : data) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4) out[static_cast<std::size_t>(i)] = kHex[h & 15];
  return out;
}

std::string ContentType(const std::string& ext) {
  static const std::map<std::string, std::string> kTypes = {
      {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".woff2", "font/woff2"},
      {".woff", "font/woff"},
      {".ttf", "font/ttf"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".txt", "text/plain; charset=utf-8"},
      {".json", "application/json"},
  };
  auto it = kTypes.find(ext);
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

std::string Key(const std::string& path) {
  std::string k;
  for (char c : path) k += (std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
  return k;
}

}  // namespace

StaticFiles::StaticFiles(const std::string& dir) : dir_(dir) {
  namespace fs = std::filesystem;
  if (!fs::is_directory(dir)) return;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string rel = fs::relative(entry.path(), dir).generic_string();
    File f;
    f.body = ss.str();
    f.hash = Fnv1a(f.body);
    f.etag = "\"" + f.hash + "\"";
    f.content_type = ContentType(entry.path().extension().string());
    urls_[Key(rel)] = "/static/" + rel + "?v=" + f.hash;
    files_[rel] = std::move(f);
  }
}

http::Response StaticFiles::Serve(const http::Request& req) const {
  std::string rel = req.PathParam("path");
  auto it = files_.find(rel);
  if (rel.find("..") != std::string::npos || it == files_.end()) {
    Fail(ErrorCode::kNotFound, "فایل پیدا نشد.");
  }
  const File& f = it->second;
  http::Response res;
  if (auto inm = req.Header("if-none-match"); inm && *inm == f.etag) {
    res.status = 304;
    res.content_type.clear();
  } else {
    res.content_type = f.content_type;
    res.body = f.body;
  }
  res.SetHeader("ETag", f.etag);
  auto v = req.Query("v");
  res.SetHeader("Cache-Control",
                v && *v == f.hash ? "public, max-age=31536000, immutable" : "no-cache");
  return res;
}

void StaticFiles::Register(http::Router& router) const {
  router.Get("/static/{path*}", [this](http::Request& req) { return Serve(req); });
}

}  // namespace peyvand::web
