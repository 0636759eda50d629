#include <boost/json.hpp>

#include "core/error.hpp"
#include "core/utf8.hpp"
#include "modules/accounts/service.hpp"
#include "modules/accounts/store.hpp"

namespace peyvand::accounts {
namespace {

constexpr std::size_t kMaxTrackedIps = 100000;
constexpr const char* kBadCredentials = "نام کاربری یا گذرواژه نادرست است.";

std::string LockedMessage() {
  return "به دلیل چند تلاش ناموفق، این حساب موقتاً قفل شده است. کمی بعد دوباره تلاش کنید.";
}

}  // namespace

AuthService::AuthService(db::Database& db, audit::AuditService& audit, const Clock& clock,
                         AuthConfig config)
    : db_(db), audit_(audit), clock_(clock), config_(config) {
  // Verifying against a real hash for unknown users keeps their timing the
  // same as a wrong password, so usernames cannot be probed.
  dummy_hash_ = HashPassword(RandomToken(16), config_.hash_cost);
}

audit::Actor AuthService::ActorOf(const Principal& p) {
  audit::Actor a;
  a.user_id = p.user_id;
  a.username = p.username;
  a.agency_id = p.agency_id;
  a.request_id = p.request_id;
  a.ip = p.ip;
  return a;
}

bool AuthService::AllowAttempt(const std::string& ip) {
  std::int64_t now = clock_.NowMillis();
  std::lock_guard lock(ip_mu_);
  auto& q = ip_attempts_[ip];
  while (!q.empty() && q.front() <= now - config_.ip_window_ms) q.pop_front();
  if (static_cast<int>(q.size()) >= config_.ip_attempts) return false;
  q.push_back(now);
  if (ip_attempts_.size() > kMaxTrackedIps) {
    // Bound memory under a flood: forget addresses whose window has passed
    // first, and only if that is not enough, everyone.
    for (auto it = ip_attempts_.begin(); it != ip_attempts_.end();) {
      it = it->second.empty() || it->second.back() <= now - config_.ip_window_ms
               ? ip_attempts_.erase(it)
               : std::next(it);
    }
    if (ip_attempts_.size() > kMaxTrackedIps) ip_attempts_.clear();
  }
  return true;
}

LoginResult AuthService::Login(const std::string& username, const std::string& password,
                               bool browser, const audit::Actor& anon) {
  if (!AllowAttempt(anon.ip)) {
    Fail(
        ErrorCode::kRateLimited,
        "تعداد تلاش‌های ورود از این نشانی بیش از حد مجاز است؛ چند دقیقهٔ دیگر دوباره تلاش کنید.");
  }
  auto cred = db_.Read([&](db::Connection& c) { return store::GetCredentials(c, username); });
  std::int64_t now = clock_.NowMillis();
  audit::Actor actor = anon;
  actor.username = TruncateUtf8(username, 60);
  if (!cred || !cred->user.active || !cred->agency_active) {
    VerifyPassword(dummy_hash_, password);
    audit_.AppendAlone(actor, "auth.login_failed", "user",
                       cred ? std::to_string(cred->user.id) : "",
                       R"({"reason":"unknown_or_inactive"})");
    Fail(ErrorCode::kUnauthenticated, kBadCredentials);
  }
  actor.user_id = cred->user.id;
  actor.agency_id = cred->user.agency_id;
  if (cred->user.locked_until > now) {
    audit_.AppendAlone(actor, "auth.login_locked", "user", std::to_string(cred->user.id), "{}");
    Fail(ErrorCode::kLocked, LockedMessage());
  }
  if (!VerifyPassword(cred->password_hash, password)) {
    if (RecordFailure(actor, cred->user.id, "auth.login_failed")) {
      Fail(ErrorCode::kLocked, LockedMessage());
    }
    Fail(ErrorCode::kUnauthenticated, kBadCredentials);
  }
  LoginResult result;
  result.token = RandomToken(32);
  std::string csrf = RandomToken(24);
  result.expires_at = now + (browser ? config_.session_absolute_ms : config_.api_token_ms);
  std::int64_t session_id = db_.Write([&](db::Connection& tx) {
    if (cred->failed_logins) store::SetLoginFailures(tx, cred->user.id, 0, 0);
    auto id = store::InsertSession(tx, cred->user.id, Sha256Hex(result.token),
                                   browser ? "browser" : "api", csrf, now, result.expires_at);
    audit_.Append(tx, actor, "auth.login", "session", std::to_string(id),
                  browser ? R"({"kind":"browser"})" : R"({"kind":"api"})");
    return id;
  });
  Principal& p = result.principal;
  p.user_id = cred->user.id;
  p.username = cred->user.username;
  p.display_name = cred->user.display_name;
  p.agency_id = cred->user.agency_id;
  p.county_id = cred->user.county_id;
  p.roles = cred->user.roles;
  p.session_id = session_id;
  p.csrf_token = csrf;
  p.via_cookie = browser;
  p.request_id = anon.request_id;
  p.ip = anon.ip;
  return result;
}

void AuthService::AuditDenial(const Principal& p, const std::string& reason) {
  audit_.AppendAlone(ActorOf(p), "access.denied", "request", p.request_id,
                     boost::json::serialize(boost::json::object{{"reason", reason}}));
}

bool AuthService::RecordFailure(const audit::Actor& actor, std::int64_t user_id,
                                const char* action) {
  bool locked = false;
  db_.Write([&](db::Connection& tx) {
    // Counted in the transaction: parallel guesses each count and cannot
    // overwrite one another's increments.
    int failures = store::IncrementLoginFailures(tx, user_id);
    auto outcome = OnFailedLogin(config_.lockout, failures - 1, clock_.NowMillis());
    locked = outcome.locked_until != 0;
    if (locked) store::SetLoginFailures(tx, user_id, outcome.failures, outcome.locked_until);
    boost::json::object s{{"reason", "bad_password"}, {"locked", locked}};
    audit_.Append(tx, actor, action, "user", std::to_string(user_id), boost::json::serialize(s));
  });
  return locked;
}

std::optional<Principal> AuthService::Authenticate(const std::string& token, bool browser) {
  if (token.empty() || token.size() > 200) return std::nullopt;
  auto row = db_.Read([&](db::Connection& c) {
    return store::FindSession(c, Sha256Hex(token), browser ? "browser" : "api");
  });
  if (!row) return std::nullopt;
  std::int64_t now = clock_.NowMillis();
  if (row->expires_at <= now) return std::nullopt;
  if (browser && row->last_seen_at + config_.session_idle_ms <= now) return std::nullopt;
  if (now - row->last_seen_at >= config_.touch_every_ms) {
    db_.Write([&](db::Connection& tx) { store::TouchSession(tx, row->principal.session_id, now); });
  }
  row->principal.via_cookie = browser;
  return row->principal;
}

void AuthService::Logout(const Principal& p) {
  db_.Write([&](db::Connection& tx) {
    store::RevokeSession(tx, p.session_id, clock_.NowMillis());
    audit_.Append(tx, ActorOf(p), "auth.logout", "session", std::to_string(p.session_id), "{}");
  });
}

void AuthService::ChangePassword(const Principal& p, const std::string& current,
                                 const std::string& next) {
  auto cred = db_.Read([&](db::Connection& c) { return store::GetCredentialsById(c, p.user_id); });
  if (!cred) Fail(ErrorCode::kUnauthenticated, "برای ادامه وارد سامانه شوید.");
  // Wrong current passwords count towards the lockout: a stolen session must
  // not be a way to guess the password without limit.
  if (cred->user.locked_until > clock_.NowMillis()) Fail(ErrorCode::kLocked, LockedMessage());
  if (!VerifyPassword(cred->password_hash, current)) {
    if (RecordFailure(ActorOf(p), p.user_id, "auth.password_change_failed")) {
      Fail(ErrorCode::kLocked, LockedMessage());
    }
    Fail(ErrorCode::kInvalid, "گذرواژهٔ فعلی نادرست است.",
         {{"current_password", "گذرواژهٔ فعلی نادرست است."}});
  }
  if (auto problem = PasswordProblem(next, p.username)) {
    Fail(ErrorCode::kInvalid, *problem, {{"new_password", *problem}});
  }
  std::string hash = HashPassword(next, config_.hash_cost);
  db_.Write([&](db::Connection& tx) {
    std::int64_t now = clock_.NowMillis();
    store::SetPassword(tx, p.user_id, hash, now);
    // Every session of this user ends, this one too: sign in again with the new password.
    store::RevokeUserSessions(tx, p.user_id, now);
    audit_.Append(tx, ActorOf(p), "auth.password_change", "user", std::to_string(p.user_id), "{}");
  });
}

}  // namespace peyvand::accounts
