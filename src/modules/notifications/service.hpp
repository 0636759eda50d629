// Notifications for signed-in users and their e-mail outbox.
//
// Writers (the escalation scan) add to a run's notification of a user inside their own write
// transaction, so a notification exists exactly when the change it reports does; the first time
// a user appears in a run, an e-mail is queued for them if they have an address and mail is on.
// The outbox is sent by SendDue (a background worker in `serve`): the message is composed when it
// is sent, from the notification as it then is, and only once its run has finished, so a run
// that escalates thousands of tasks in many batches sends one e-mail per user with the total.
// An e-mail is retried with growing delays until the relay accepts it; it is given up ("failed")
// only after kMaxAttempts or a permanent (5xx) refusal, and the outbox counts are in /metrics.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "db/database.hpp"
#include "http/smtp.hpp"
#include "modules/accounts/model.hpp"
#include "modules/notifications/model.hpp"

namespace peyvand::notifications {

struct MailConfig {
  http::SmtpOptions smtp;  // smtp.host "" → e-mail is off (in-app notifications only)
  std::string from = "peyvand@localhost";
  std::string from_name = "سامانهٔ پیوند";
  std::string public_url;  // e.g. "https://peyvand.example.ir"; links in e-mails start with it
  std::int64_t retry_after_ms = 60'000;  // first retry; doubles up to kMaxRetryDelayMs
  bool enabled() const { return !smtp.host.empty(); }
};

class NotificationService {
 public:
  static constexpr int kMaxAttempts = 12;
  static constexpr std::int64_t kMaxRetryDelayMs = 6 * 3600 * 1000;

  NotificationService(db::Database& db, const Clock& clock, MailConfig mail)
      : db_(db), clock_(clock), mail_(std::move(mail)) {}

  // Inside a write transaction: adds `counts` (tasks by agency) to the user's notification of
  // this run and kind, creating it the first time (with its e-mail, if any). Returns true when
  // the notification is new.
  bool AddToRun(db::Connection& tx, std::int64_t run_id, const Recipient& to,
                const std::string& kind, std::int64_t hours, const std::vector<AgencyCount>& counts,
                const std::string& link);

  struct Page {
    std::vector<Notification> items;
    std::int64_t total = 0;
    std::int64_t unread = 0;
  };
  Page List(const accounts::Principal& p, bool unread_only, std::int64_t limit,
            std::int64_t offset);
  std::int64_t Unread(const accounts::Principal& p);
  // The user's own notifications only: another user's id is "not found".
  Notification Get(const accounts::Principal& p, std::int64_t id);
  Notification MarkRead(const accounts::Principal& p, std::int64_t id);
  std::int64_t MarkAllRead(const accounts::Principal& p);

  // Sends what is due in the outbox (at most `limit`); returns how many the relay accepted.
  int SendDue(int limit = 50);
  // SendDue until nothing more is accepted (a backlog after an outage goes out in one go).
  int SendAllDue();
  std::map<std::string, std::int64_t> OutboxCounts();  // by state
  const MailConfig& mail() const { return mail_; }
  // The e-mail a delivery becomes (also for tests and the documentation).
  http::MailMessage Compose(const Delivery& d) const;

 private:
  db::Database& db_;
  const Clock& clock_;
  MailConfig mail_;
};

}  // namespace peyvand::notifications
