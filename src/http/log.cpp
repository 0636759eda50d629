#include "http/log.hpp"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <boost/json.hpp>

namespace peyvand::http {
namespace {

std::shared_ptr<spdlog::logger>& Logger() {
  static std::shared_ptr<spdlog::logger> logger = [] {
    auto l = spdlog::stdout_logger_mt("peyvand");
    l->set_pattern(R"({"ts":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l",%v})",
                   spdlog::pattern_time_type::utc);
    return l;
  }();
  return logger;
}

std::string Body(std::string_view msg, const LogFields& fields) {
  boost::json::object o;
  o["msg"] = msg;
  for (const auto& [k, v] : fields) o[k] = v;
  std::string s = boost::json::serialize(o);
  // Drop the outer braces: the pattern supplies them around ts and level.
  return s.substr(1, s.size() - 2);
}

}  // namespace

void ConfigureLog(const std::string& target, bool debug) {
  std::shared_ptr<spdlog::logger> l;
  if (target.empty() || target == "-") {
    l = Logger();
  } else {
    spdlog::drop("peyvand-file");
    l = spdlog::basic_logger_mt("peyvand-file", target);
    l->set_pattern(R"({"ts":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l",%v})",
                   spdlog::pattern_time_type::utc);
    Logger() = l;
  }
  l->set_level(debug ? spdlog::level::debug : spdlog::level::info);
  l->flush_on(spdlog::level::warn);
  spdlog::flush_every(std::chrono::seconds(1));
}

void LogInfo(std::string_view msg, const LogFields& fields) {
  Logger()->info(Body(msg, fields));
}
void LogWarn(std::string_view msg, const LogFields& fields) {
  Logger()->warn(Body(msg, fields));
}
void LogError(std::string_view msg, const LogFields& fields) {
  Logger()->error(Body(msg, fields));
}

}  // namespace peyvand::http
