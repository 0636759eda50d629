// Escalation of overdue tasks (issue 4, part 3). A task still open `manager_after_hours` after
// its due time is reported to its agency's managers; still open `coordinator_after_hours` after
// it, to the provincial coordinators. Each task takes each step once (tasks.escalation, migration
// 0013; a new due time starts again). One run of the scan gives each person one notification,
// however many tasks it moved: at a million persons there are hundreds of thousands of overdue
// tasks, and a notice per task would drown the people who must act on them.
//
// The scan reads only tasks that still have a step to take (partial index tasks_escalation) in
// batches of kBatch, each batch one write transaction holding the steps taken, the additions to
// the run's notifications and the queued e-mails, so a crash never loses or repeats a notice.
#pragma once

#include <cstdint>
#include <functional>

#include "core/clock.hpp"
#include "db/database.hpp"
#include "modules/accounts/service.hpp"
#include "modules/audit/service.hpp"
#include "modules/notifications/service.hpp"

namespace peyvand::accountability {

struct EscalationConfig {
  bool enabled = true;  // whether `serve` runs the scan (`peyvand escalate` always does)
  std::int64_t manager_after_hours = 24;
  std::int64_t coordinator_after_hours = 72;
  std::int64_t interval_seconds = 60;
};

struct EscalationRun {
  std::int64_t run_id = 0;  // 0: nothing was due, no run was recorded
  std::int64_t manager_tasks = 0;
  std::int64_t coordinator_tasks = 0;
  std::int64_t notifications = 0;  // new notifications (one per person)
};

class EscalationService {
 public:
  static constexpr std::int64_t kBatch = 2000;

  EscalationService(db::Database& db, audit::AuditService& audit, const Clock& clock,
                    accounts::DirectoryService& directory,
                    notifications::NotificationService& notices, EscalationConfig config)
      : db_(db),
        audit_(audit),
        clock_(clock),
        directory_(directory),
        notices_(notices),
        config_(config) {}

  // One scan. Safe to run again at any time: a task is never reported twice for a step.
  EscalationRun Run();
  // Marks runs that a stopped process left half-way as finished (their batches are complete),
  // so their e-mails go out. Called when the worker starts.
  std::int64_t FinishInterrupted();
  const EscalationConfig& config() const { return config_; }

 private:
  db::Database& db_;
  audit::AuditService& audit_;
  const Clock& clock_;
  accounts::DirectoryService& directory_;
  notifications::NotificationService& notices_;
  EscalationConfig config_;
};

}  // namespace peyvand::accountability
