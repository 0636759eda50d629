#include "app/config.hpp"

#include <toml++/toml.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

namespace peyvand::app {
namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

std::int64_t EnvInt(const char* name, std::int64_t fallback) {
  std::string v = Env(name);
  if (v.empty()) return fallback;
  try {
    return std::stoll(v);
  } catch (...) {
    throw std::runtime_error(std::string("environment variable ") + name + " must be a number");
  }
}

template <class T>
void Read(const toml::table& t, const char* section, const char* key, T& out) {
  auto node = t[section][key];
  if (!node) return;
  if constexpr (std::is_same_v<T, std::string>) {
    auto v = node.template value<std::string>();
    if (!v)
      throw std::runtime_error(std::string("config ") + section + "." + key + " must be text");
    out = *v;
  } else if constexpr (std::is_same_v<T, bool>) {
    auto v = node.template value<bool>();
    if (!v)
      throw std::runtime_error(std::string("config ") + section + "." + key +
                               " must be true/false");
    out = *v;
  } else {
    auto v = node.template value<std::int64_t>();
    if (!v)
      throw std::runtime_error(std::string("config ") + section + "." + key + " must be a number");
    out = static_cast<T>(*v);
  }
}

}  // namespace

Config LoadConfig(const std::string& explicit_file, const std::string& data_dir_override) {
  Config c;
  if (!Env("PEYVAND_DATA_DIR").empty()) c.data_dir = Env("PEYVAND_DATA_DIR");
  if (!data_dir_override.empty()) c.data_dir = data_dir_override;
  std::string file = explicit_file.empty() ? c.data_dir + "/peyvand.toml" : explicit_file;
  if (std::filesystem::exists(file)) {
    toml::table t;
    try {
      t = toml::parse_file(file);
    } catch (const toml::parse_error& e) {
      throw std::runtime_error("cannot parse " + file + ": " + std::string(e.description()));
    }
    Read(t, "database", "url", c.database_url);
    Read(t, "database", "sqlite_readers", c.sqlite_readers);
    Read(t, "database", "pg_pool", c.pg_pool);
    Read(t, "server", "address", c.server.address);
    Read(t, "server", "port", c.server.port);
    Read(t, "server", "io_threads", c.server.io_threads);
    Read(t, "server", "worker_threads", c.server.worker_threads);
    Read(t, "server", "read_worker_threads", c.server.read_worker_threads);
    Read(t, "server", "body_limit", c.server.limits.body_limit);
    Read(t, "server", "header_limit", c.server.limits.header_limit);
    Read(t, "server", "max_connections", c.server.limits.max_connections);
    Read(t, "server", "access_log", c.server.access_log);
    Read(t, "server", "behind_tls_proxy", c.server.behind_tls_proxy);
    Read(t, "server", "web_root", c.web_root);
    std::int64_t v = 0;
    if (t["server"]["read_timeout_ms"]) {
      Read(t, "server", "read_timeout_ms", v);
      c.server.limits.read_timeout = std::chrono::milliseconds(v);
    }
    if (t["server"]["idle_timeout_ms"]) {
      Read(t, "server", "idle_timeout_ms", v);
      c.server.limits.idle_timeout = std::chrono::milliseconds(v);
    }
    Read(t, "auth", "lockout_failures", c.auth.lockout.max_failures);
    if (t["auth"]["lockout_minutes"]) {
      Read(t, "auth", "lockout_minutes", v);
      c.auth.lockout.lock_ms = v * 60000;
    }
    if (t["auth"]["session_idle_minutes"]) {
      Read(t, "auth", "session_idle_minutes", v);
      c.auth.session_idle_ms = v * 60000;
    }
    if (t["auth"]["session_absolute_hours"]) {
      Read(t, "auth", "session_absolute_hours", v);
      c.auth.session_absolute_ms = v * 3600000;
    }
    if (t["auth"]["api_token_days"]) {
      Read(t, "auth", "api_token_days", v);
      c.auth.api_token_ms = v * 86400000;
    }
    Read(t, "auth", "ip_attempts", c.auth.ip_attempts);
    if (t["auth"]["argon2_mem_kib"]) {
      Read(t, "auth", "argon2_mem_kib", v);
      c.auth.hash_cost.mem_bytes = static_cast<std::size_t>(v) * 1024;
    }
    Read(t, "auth", "argon2_ops", c.auth.hash_cost.ops);
    Read(t, "people", "review_threshold", c.people_review_threshold);
    Read(t, "people", "strong_threshold", c.people_strong_threshold);
    Read(t, "log", "debug", c.debug_log);
    Read(t, "escalation", "enabled", c.escalation.enabled);
    Read(t, "escalation", "manager_after_hours", c.escalation.manager_after_hours);
    Read(t, "escalation", "coordinator_after_hours", c.escalation.coordinator_after_hours);
    Read(t, "escalation", "interval_seconds", c.escalation.interval_seconds);
    Read(t, "mail", "smtp_host", c.mail.smtp.host);
    Read(t, "mail", "smtp_port", c.mail.smtp.port);
    Read(t, "mail", "helo", c.mail.smtp.helo);
    Read(t, "mail", "from", c.mail.from);
    Read(t, "mail", "from_name", c.mail.from_name);
    Read(t, "mail", "public_url", c.mail.public_url);
    if (t["mail"]["timeout_seconds"]) {
      Read(t, "mail", "timeout_seconds", v);
      c.mail.smtp.timeout = std::chrono::seconds(v);
    }
    if (t["mail"]["retry_seconds"]) {
      Read(t, "mail", "retry_seconds", v);
      c.mail.retry_after_ms = v * 1000;
    }
  } else if (!explicit_file.empty()) {
    throw std::runtime_error("config file not found: " + explicit_file);
  }
  if (!Env("PEYVAND_DATABASE_URL").empty()) c.database_url = Env("PEYVAND_DATABASE_URL");
  c.server.port = static_cast<std::uint16_t>(EnvInt("PEYVAND_PORT", c.server.port));
  c.auth.hash_cost.mem_bytes = static_cast<std::size_t>(
      EnvInt("PEYVAND_ARGON2_MEM_KIB",
             static_cast<std::int64_t>(c.auth.hash_cost.mem_bytes / 1024)) *
      1024);
  c.auth.ip_attempts = static_cast<int>(EnvInt("PEYVAND_LOGIN_IP_ATTEMPTS", c.auth.ip_attempts));
  if (!Env("PEYVAND_WEB_ROOT").empty()) c.web_root = Env("PEYVAND_WEB_ROOT");
  c.clock_offset_ms = EnvInt("PEYVAND_CLOCK_OFFSET_MS", c.clock_offset_ms);
  c.escalation.manager_after_hours =
      EnvInt("PEYVAND_ESCALATION_MANAGER_AFTER_HOURS", c.escalation.manager_after_hours);
  c.escalation.coordinator_after_hours =
      EnvInt("PEYVAND_ESCALATION_COORDINATOR_AFTER_HOURS", c.escalation.coordinator_after_hours);
  c.escalation.interval_seconds =
      EnvInt("PEYVAND_ESCALATION_INTERVAL_SECONDS", c.escalation.interval_seconds);
  if (!Env("PEYVAND_SMTP_HOST").empty()) c.mail.smtp.host = Env("PEYVAND_SMTP_HOST");
  c.mail.smtp.port = static_cast<std::uint16_t>(EnvInt("PEYVAND_SMTP_PORT", c.mail.smtp.port));
  if (!Env("PEYVAND_MAIL_FROM").empty()) c.mail.from = Env("PEYVAND_MAIL_FROM");
  if (!Env("PEYVAND_PUBLIC_URL").empty()) c.mail.public_url = Env("PEYVAND_PUBLIC_URL");
  c.mail.retry_after_ms = EnvInt("PEYVAND_MAIL_RETRY_SECONDS", c.mail.retry_after_ms / 1000) * 1000;
  if (c.escalation.manager_after_hours < 0 ||
      c.escalation.coordinator_after_hours <= c.escalation.manager_after_hours ||
      c.escalation.coordinator_after_hours > 24 * 3650) {
    throw std::runtime_error(
        "[escalation] needs 0 <= manager_after_hours < coordinator_after_hours <= 87600 (ten years)");
  }
  if (c.escalation.interval_seconds < 1 || c.escalation.interval_seconds > 86400) {
    throw std::runtime_error("[escalation] interval_seconds must be between 1 and 86400");
  }
  if (c.mail.retry_after_ms < 1000) {
    throw std::runtime_error("[mail] retry_seconds must be at least 1");
  }
  if (c.mail.enabled()) {
    if (!http::ValidEmailAddress(c.mail.from)) {
      throw std::runtime_error("[mail] from must be an e-mail address");
    }
    if (c.mail.public_url.rfind("http://", 0) != 0 && c.mail.public_url.rfind("https://", 0) != 0) {
      throw std::runtime_error(
          "[mail] public_url (PEYVAND_PUBLIC_URL) must be the address people open Peyvand at, "
          "https://…, so that links in e-mails work");
    }
    if (!http::ValidHostName(c.mail.smtp.helo)) {
      throw std::runtime_error("[mail] helo must be a host name");
    }
    if (c.mail.smtp.port == 0) throw std::runtime_error("[mail] smtp_port must be 1-65535");
    if (c.mail.smtp.timeout < std::chrono::seconds(1) ||
        c.mail.smtp.timeout > std::chrono::seconds(60)) {
      throw std::runtime_error("[mail] timeout_seconds must be between 1 and 60");
    }
  }
  while (!c.mail.public_url.empty() && c.mail.public_url.back() == '/')
    c.mail.public_url.pop_back();
  if (c.people_review_threshold < 1 || c.people_review_threshold > 100 ||
      c.people_strong_threshold < c.people_review_threshold || c.people_strong_threshold > 100) {
    throw std::runtime_error(
        "[people] thresholds must satisfy 1 <= review_threshold <= strong_threshold <= 100");
  }
  return c;
}

}  // namespace peyvand::app
