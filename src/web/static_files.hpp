// Static assets held in memory, each with a content hash. Pages link them as
// /static/<path>?v=<hash>; such a fingerprinted request is cached for a year
// (immutable), any other gets an ETag and revalidates.
#pragma once

#include <map>
#include <string>

#include "http/message.hpp"
#include "http/router.hpp"

namespace peyvand::web {

class StaticFiles {
 public:
  explicit StaticFiles(const std::string& dir);
  // Fingerprinted URL by a template-friendly key: "css/app.css" → "css_app_css".
  const std::map<std::string, std::string>& Urls() const { return urls_; }
  http::Response Serve(const http::Request& req) const;
  void Register(http::Router& router) const;
  // The folder they were read from (for files read by path, such as the report fonts).
  const std::string& Dir() const { return dir_; }

 private:
  struct File {
    std::string body;
    std::string etag;
    std::string hash;
    std::string content_type;
  };
  std::map<std::string, File, std::less<>> files_;
  std::map<std::string, std::string> urls_;
  std::string dir_;
};

}  // namespace peyvand::web
