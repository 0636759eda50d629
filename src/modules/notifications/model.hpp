// In-app notifications and the e-mails that carry them. The first kinds are the escalations of
// overdue tasks (issue 4, part 3): one notification per user per escalation run, holding how many
// tasks of which agencies passed the delay; more tasks found later in the same run add to it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace peyvand::notifications {

inline constexpr const char* kEscalationManager = "escalation.manager";
inline constexpr const char* kEscalationCoordinator = "escalation.coordinator";

struct AgencyCount {
  std::int64_t agency_id = 0;
  std::string name;
  std::int64_t n = 0;
};

struct Notification {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string kind;
  std::optional<std::int64_t> run_id;
  std::int64_t task_count = 0;
  std::int64_t hours = 0;  // the delay that was passed
  std::vector<AgencyCount> agencies;
  std::string link;  // a path in Peyvand
  std::int64_t created_at = 0;
  std::optional<std::int64_t> read_at;
};

// Who a notification is for, as the escalation found them.
struct Recipient {
  std::int64_t user_id = 0;
  std::string email;  // "" → in-app only
};

// What a person reads: a title and one paragraph, in Persian.
struct Text {
  std::string title;
  std::string body;
};
Text Render(const Notification& n);

// An e-mail waiting in the outbox, with what it is about.
struct Delivery {
  std::int64_t id = 0;
  std::string to;
  std::int64_t attempts = 0;
  std::string display_name;  // of the recipient
  bool stale = false;        // the recipient was deactivated or changed address since
  Notification notification;
};

}  // namespace peyvand::notifications
