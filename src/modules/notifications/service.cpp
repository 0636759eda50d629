#include "modules/notifications/service.hpp"

#include <boost/json.hpp>

#include <algorithm>

#include "core/error.hpp"
#include "persian/digits.hpp"

namespace peyvand::notifications {
namespace {

using boost::json::array;
using boost::json::object;
using db::Query;

#define NOTIFICATION_COLS \
  "n.id, n.user_id, n.kind, n.run_id, n.task_count, n.data, n.link, n.created_at, n.read_at"
constexpr Query kFindInRun{"notifications.find_in_run",
                           "SELECT " NOTIFICATION_COLS
                           " FROM notifications n"
                           " WHERE n.run_id = ? AND n.user_id = ? AND n.kind = ?"};
constexpr Query kInsert{
    "notifications.insert",
    "INSERT INTO notifications (user_id, kind, run_id, task_count, data, link, created_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id"};
constexpr Query kUpdateCounts{"notifications.update_counts",
                              "UPDATE notifications SET task_count = ?, data = ? WHERE id = ?"};
constexpr Query kQueueEmail{
    "email_outbox.insert",
    "INSERT INTO email_outbox (notification_id, to_address, state, attempts, next_attempt_at,"
    " created_at) VALUES (?, ?, 'pending', 0, ?, ?)"};
#define LIST_WHERE " WHERE n.user_id = ? AND (CAST(? AS BIGINT) = 0 OR n.read_at IS NULL)"
constexpr Query kList{"notifications.list",
                      "SELECT " NOTIFICATION_COLS " FROM notifications n" LIST_WHERE
                      " ORDER BY n.id DESC LIMIT ? OFFSET ?"};
constexpr Query kCount{"notifications.count",
                       "SELECT COUNT(*) AS n FROM notifications n" LIST_WHERE};
constexpr Query kUnread{
    "notifications.unread",
    "SELECT COUNT(*) AS n FROM notifications WHERE user_id = ? AND read_at IS NULL"};
constexpr Query kGet{"notifications.get",
                     "SELECT " NOTIFICATION_COLS " FROM notifications n WHERE n.id = ?"};
constexpr Query kMarkRead{
    "notifications.mark_read",
    "UPDATE notifications SET read_at = ? WHERE id = ? AND user_id = ? AND read_at IS NULL"};
constexpr Query kMarkAllRead{
    "notifications.mark_all_read",
    "UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL"};
// Due e-mails whose run has finished (a run still adding to its notifications is not sent yet).
constexpr Query kDueEmails{
    "email_outbox.due",
    "SELECT o.id AS outbox_id, o.to_address, o.attempts, u.display_name, u.active AS user_active,"
    " u.email AS user_email, " NOTIFICATION_COLS
    " FROM email_outbox o JOIN notifications n ON n.id = o.notification_id"
    " JOIN users u ON u.id = n.user_id LEFT JOIN escalation_runs r ON r.id = n.run_id"
    " WHERE o.state = 'pending' AND o.next_attempt_at <= ?"
    " AND (n.run_id IS NULL OR r.finished_at IS NOT NULL)"
    " ORDER BY o.next_attempt_at, o.id LIMIT ?"};
// A sender takes an e-mail for a while before it talks to the relay, so two senders (a server and
// `peyvand escalate`, or two nodes) never send the same one.
constexpr Query kClaim{"email_outbox.claim",
                       "UPDATE email_outbox SET next_attempt_at = ?"
                       " WHERE id = ? AND state = 'pending' AND next_attempt_at <= ?"};
// Longer than a whole conversation can take (ten steps of at most 60 s, config.cpp).
constexpr std::int64_t kClaimMs = 30 * 60 * 1000;
// Both only while the claim is still this sender's (next_attempt_at as the claim set it).
constexpr Query kSent{"email_outbox.sent",
                      "UPDATE email_outbox SET state = 'sent', attempts = attempts + 1,"
                      " sent_at = ?, last_error = '' WHERE id = ? AND state = 'pending'"
                      " AND next_attempt_at = ?"};
constexpr Query kRetry{"email_outbox.retry",
                       "UPDATE email_outbox SET state = ?, attempts = attempts + 1,"
                       " next_attempt_at = ?, last_error = ? WHERE id = ? AND state = 'pending'"
                       " AND next_attempt_at = ?"};
constexpr Query kOutboxCounts{"email_outbox.counts",
                              "SELECT state, COUNT(*) AS n FROM email_outbox GROUP BY state"};

constexpr const char* kNotFound = "اعلان مورد نظر پیدا نشد.";

std::vector<AgencyCount> AgenciesFrom(const boost::json::value& v) {
  std::vector<AgencyCount> out;
  if (!v.is_array()) return out;
  for (const auto& a : v.as_array()) {
    const auto& o = a.as_object();
    out.push_back({o.at("id").to_number<std::int64_t>(), std::string(o.at("name").as_string()),
                   o.at("n").to_number<std::int64_t>()});
  }
  return out;
}

std::string DataJson(std::int64_t hours, const std::vector<AgencyCount>& agencies) {
  array list;
  for (const auto& a : agencies) {
    list.push_back(object{{"id", a.agency_id}, {"name", a.name}, {"n", a.n}});
  }
  return boost::json::serialize(object{{"hours", hours}, {"agencies", list}});
}

Notification From(const db::Row& r) {
  Notification n;
  n.id = r.Int("id");
  n.user_id = r.Int("user_id");
  n.kind = r.Text("kind");
  n.run_id = r.OptInt("run_id");
  n.task_count = r.Int("task_count");
  n.link = r.Text("link");
  n.created_at = r.Int("created_at");
  n.read_at = r.OptInt("read_at");
  boost::system::error_code ec;
  auto data = boost::json::parse(r.Text("data"), ec);
  if (!ec && data.is_object()) {
    const auto& o = data.as_object();
    if (auto* h = o.if_contains("hours")) n.hours = h->to_number<std::int64_t>();
    if (auto* a = o.if_contains("agencies")) n.agencies = AgenciesFrom(*a);
  }
  return n;
}

std::string HostOf(const std::string& address) {
  auto at = address.find('@');
  return at == std::string::npos ? "localhost" : address.substr(at + 1);
}

}  // namespace

Text Render(const Notification& n) {
  using persian::FormatNumber;
  std::string past = n.hours > 0 ? "بیش از " + FormatNumber(n.hours) + " ساعت از موعد قانونی گذشته"
                                 : "از موعد قانونی گذشته";
  std::string list;
  for (const auto& a : n.agencies) {
    if (!list.empty()) list += "، ";
    list += a.name + " " + FormatNumber(a.n);
  }
  Text t;
  if (n.kind == kEscalationManager) {
    std::string agency = n.agencies.size() == 1 ? n.agencies[0].name : "دستگاه";
    t.title = "وظایف معوق در کارتابل " + agency;
    t.body =
        FormatNumber(n.task_count) + " وظیفه در کارتابل " + agency + " " + past +
        " و هنوز انجام نشده است. لطفاً انجام آن‌ها را پیگیری کنید.";
    if (n.agencies.size() > 1) t.body += " (" + list + ")";
  } else if (n.kind == kEscalationCoordinator) {
    t.title = "گزارش وظایف معوق دستگاه‌ها به هماهنگ‌کننده";
    t.body =
        FormatNumber(n.task_count) + " وظیفه " + past + " و هنوز انجام نشده است: " + list + ".";
  } else {
    t.title = "اعلان";
    t.body = "";
  }
  return t;
}

bool NotificationService::AddToRun(db::Connection& tx, std::int64_t run_id, const Recipient& to,
                                   const std::string& kind, std::int64_t hours,
                                   const std::vector<AgencyCount>& counts,
                                   const std::string& link) {
  std::int64_t added = 0;
  for (const auto& c : counts) added += c.n;
  if (added == 0) return false;
  auto found = tx.Run(kFindInRun, {run_id, to.user_id, kind});
  if (!found.empty()) {
    Notification n = From(found[0]);
    for (const auto& c : counts) {
      auto it = std::find_if(n.agencies.begin(), n.agencies.end(),
                             [&](const AgencyCount& a) { return a.agency_id == c.agency_id; });
      if (it == n.agencies.end()) {
        n.agencies.push_back(c);
      } else {
        it->n += c.n;
      }
    }
    tx.Exec(kUpdateCounts, {n.task_count + added, DataJson(hours, n.agencies), n.id});
    return false;
  }
  std::int64_t now = clock_.NowMillis();
  std::int64_t id =
      tx.Run(kInsert, {to.user_id, kind, run_id, added, DataJson(hours, counts), link, now})[0].Int(
          "id");
  if (mail_.enabled() && !to.email.empty()) {
    tx.Exec(kQueueEmail, {id, to.email, now, now});
  }
  return true;
}

NotificationService::Page NotificationService::List(const accounts::Principal& p, bool unread_only,
                                                    std::int64_t limit, std::int64_t offset) {
  return db_.Read([&](db::Connection& c) {
    Page page;
    std::int64_t flag = unread_only ? 1 : 0;
    for (auto r : c.Run(kList, {p.user_id, flag, limit, offset})) page.items.push_back(From(r));
    page.unread = c.Run(kUnread, {p.user_id})[0].Int("n");
    page.total = unread_only ? page.unread : c.Run(kCount, {p.user_id, flag})[0].Int("n");
    return page;
  });
}

std::int64_t NotificationService::Unread(const accounts::Principal& p) {
  return db_.Read([&](db::Connection& c) { return c.Run(kUnread, {p.user_id})[0].Int("n"); });
}

Notification NotificationService::Get(const accounts::Principal& p, std::int64_t id) {
  auto rows = db_.Read([&](db::Connection& c) { return c.Run(kGet, {id}); });
  if (rows.empty() || rows[0].Int("user_id") != p.user_id) Fail(ErrorCode::kNotFound, kNotFound);
  return From(rows[0]);
}

Notification NotificationService::MarkRead(const accounts::Principal& p, std::int64_t id) {
  return db_.Write([&](db::Connection& tx) {
    auto rows = tx.Run(kGet, {id});
    if (rows.empty() || rows[0].Int("user_id") != p.user_id) {
      Fail(ErrorCode::kNotFound, kNotFound);
    }
    Notification n = From(rows[0]);
    if (!n.read_at) {
      n.read_at = clock_.NowMillis();
      tx.Exec(kMarkRead, {*n.read_at, id, p.user_id});
    }
    return n;
  });
}

std::int64_t NotificationService::MarkAllRead(const accounts::Principal& p) {
  return db_.Write([&](db::Connection& tx) {
    return tx.Exec(kMarkAllRead, {clock_.NowMillis(), p.user_id});
  });
}

http::MailMessage NotificationService::Compose(const Delivery& d) const {
  Text text = Render(d.notification);
  http::MailMessage m;
  m.from = mail_.from;
  m.from_name = mail_.from_name;
  m.to = d.to;
  m.subject = "پیوند: " + text.title;
  m.text = d.display_name + " گرامی،\n\n" + text.body + "\n\n";
  if (!d.notification.link.empty()) {
    m.text += "مشاهده: " + mail_.public_url + d.notification.link + "\n";
  }
  m.text +=
      "همهٔ اعلان‌ها: " + mail_.public_url + "/notifications\n\n" +
      "این پیام را سامانهٔ پیوند به‌طور خودکار فرستاده است؛ به آن پاسخ ندهید.\n";
  m.message_id = "<peyvand-" + std::to_string(d.id) + "@" + HostOf(mail_.from) + ">";
  m.date_ms = clock_.NowMillis();
  return m;
}

int NotificationService::SendDue(int limit) {
  if (!mail_.enabled()) return 0;
  std::vector<Delivery> due = db_.Read([&](db::Connection& c) {
    std::vector<Delivery> out;
    for (auto r : c.Run(kDueEmails, {clock_.NowMillis(), static_cast<std::int64_t>(limit)})) {
      Delivery d;
      d.id = r.Int("outbox_id");
      d.to = r.Text("to_address");
      d.attempts = r.Int("attempts");
      d.display_name = r.Text("display_name");
      // Deactivated since, or the address changed: this e-mail is not sent (status "failed").
      d.stale = r.Int("user_active") == 0 || r.Text("user_email") != d.to;
      d.notification = From(r);
      out.push_back(std::move(d));
    }
    return out;
  });
  int sent = 0;
  for (const auto& d : due) {
    std::int64_t claimed_at = clock_.NowMillis();
    std::int64_t claim = claimed_at + kClaimMs;
    bool mine = db_.Write([&](db::Connection& tx) {
      return tx.Exec(kClaim, {claim, d.id, claimed_at}) == 1;
    });
    if (!mine) continue;
    http::SmtpResult result;
    if (d.stale) {
      result.permanent = true;
      result.error = "the recipient was deactivated or changed their address";
    } else {
      result = http::SendMail(mail_.smtp, Compose(d));
    }
    std::int64_t now = clock_.NowMillis();
    db_.Write([&](db::Connection& tx) {
      if (result.ok) {
        tx.Exec(kSent, {now, d.id, claim});
        return;
      }
      bool give_up = result.permanent || d.attempts + 1 >= kMaxAttempts;
      std::int64_t delay = mail_.retry_after_ms;
      for (std::int64_t i = 0; i < d.attempts && delay < kMaxRetryDelayMs; ++i) delay *= 2;
      delay = std::min(delay, kMaxRetryDelayMs);
      tx.Exec(kRetry, {std::string(give_up ? "failed" : "pending"), now + delay,
                       result.error.substr(0, 500), d.id, claim});
    });
    if (result.ok) ++sent;
  }
  return sent;
}

int NotificationService::SendAllDue() {
  int sent = 0;
  for (int n; (n = SendDue()) > 0;) sent += n;
  return sent;
}

std::map<std::string, std::int64_t> NotificationService::OutboxCounts() {
  return db_.Read([](db::Connection& c) {
    std::map<std::string, std::int64_t> out{{"pending", 0}, {"sent", 0}, {"failed", 0}};
    for (auto r : c.Run(kOutboxCounts)) out[r.Text("state")] = r.Int("n");
    return out;
  });
}

}  // namespace peyvand::notifications
