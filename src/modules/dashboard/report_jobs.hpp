// Reports made in the background: a request queues the work and waits a little; a report that
// takes longer is fetched later by its id, with its progress (steps done of the total) in the
// meantime. Jobs are kept in memory, per user — another user's id is the same as an unknown
// one — with a bounded number of them and an expiry after they finish. One worker thread runs
// them one at a time (a report is CPU-bound and the machine has few cores; pango is used from
// that thread only), started on the first job.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace peyvand::dashboard {

enum class JobState { kQueued, kRunning, kDone, kFailed };

struct JobView {
  std::string id;
  JobState state = JobState::kQueued;
  int done = 0;
  int total = 0;
  std::string file_name;
  std::string label;                         // what is being made, for the progress line
  std::shared_ptr<const std::string> bytes;  // when done
  std::string error;                         // when failed: for the person who asked
};

class ReportJobs {
 public:
  struct Limits {
    std::size_t max_jobs = 32;                       // in memory at once, finished ones included
    std::size_t max_active_per_user = 2;             // queued or running
    std::chrono::milliseconds keep{15 * 60 * 1000};  // a finished job, after it finished
  };
  // Calls the work makes as it goes; `total` was given to Start.
  class Progress {
   public:
    virtual ~Progress() = default;
    virtual void Step() = 0;
  };
  // Returns the file. An AppError's message is shown to the person; any other exception is
  // reported as a failure without its details.
  using Work = std::function<std::string(Progress&)>;
  using Now = std::function<std::chrono::steady_clock::time_point()>;

  explicit ReportJobs(Limits limits, Now now = std::chrono::steady_clock::now);
  ~ReportJobs();  // lets the running job finish, drops the queued ones
  ReportJobs(const ReportJobs&) = delete;
  ReportJobs& operator=(const ReportJobs&) = delete;

  // Queues the work for the user and returns the job's id. Throws AppError: rate_limited when
  // the user already has max_active_per_user jobs waiting or running, unavailable when
  // max_jobs are kept and none of them has finished.
  std::string Start(std::int64_t user_id, std::string label, std::string file_name, int total,
                    Work work);
  // The user's job, waiting up to `wait` for it to finish; nullopt when there is no such job
  // of this user (unknown, expired, or someone else's).
  std::optional<JobView> Get(std::int64_t user_id, const std::string& id,
                             std::chrono::milliseconds wait = std::chrono::milliseconds(0));
  // Whether a job with this id exists for anyone (to audit a probe of another's job).
  bool Exists(const std::string& id);

 private:
  struct Job;
  void Run();
  void Purge();  // with mu_ held

  Limits limits_;
  Now now_;
  std::mutex mu_;
  std::condition_variable work_cv_;  // a job was queued, or stopping
  std::condition_variable done_cv_;  // a job finished
  std::map<std::string, std::shared_ptr<Job>> jobs_;
  std::deque<std::shared_ptr<Job>> queue_;
  bool stopping_ = false;
  std::uint64_t finished_ = 0;
  std::thread worker_;
};

}  // namespace peyvand::dashboard
