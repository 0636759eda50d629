#include "modules/dashboard/report_jobs.hpp"

#include <algorithm>
#include <atomic>

#include "core/error.hpp"
#include "modules/accounts/crypto.hpp"

namespace peyvand::dashboard {

struct ReportJobs::Job : Progress {
  std::string id;
  std::int64_t user_id = 0;
  std::string label;
  std::string file_name;
  int total = 0;
  Work work;
  // Written by the worker; read under ReportJobs::mu_ (state, bytes, error, finished_at) or
  // at any time (done).
  JobState state = JobState::kQueued;
  std::atomic<int> done{0};
  std::shared_ptr<const std::string> bytes;
  std::string error;
  std::chrono::steady_clock::time_point finished_at{};
  std::uint64_t finish_order = 0;  // 1 for the first job to finish, 2 for the next, …

  void Step() override {
    int d = done.load();
    if (d < total) done.store(d + 1);
  }
  bool Finished() const { return state == JobState::kDone || state == JobState::kFailed; }
  JobView View() const { return {id, state, done.load(), total, file_name, label, bytes, error}; }
};

ReportJobs::ReportJobs(Limits limits, Now now) : limits_(limits), now_(std::move(now)) {}

ReportJobs::~ReportJobs() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  work_cv_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void ReportJobs::Purge() {
  auto now = now_();
  std::erase_if(jobs_, [&](const auto& e) {
    return e.second->Finished() && now - e.second->finished_at >= limits_.keep;
  });
}

std::string ReportJobs::Start(std::int64_t user_id, std::string label, std::string file_name,
                              int total, Work work) {
  auto job = std::make_shared<Job>();
  job->id = accounts::RandomToken(16);
  job->user_id = user_id;
  job->label = std::move(label);
  job->file_name = std::move(file_name);
  job->total = total;
  job->work = std::move(work);
  {
    std::lock_guard lock(mu_);
    Purge();
    std::size_t active = 0;
    for (const auto& [id, j] : jobs_) active += j->user_id == user_id && !j->Finished() ? 1 : 0;
    if (active >= limits_.max_active_per_user) {
      Fail(
          ErrorCode::kRateLimited,
          "گزارش‌های پیشین شما هنوز در دست ساخت است؛ پس از پایان آن‌ها دوباره بخواهید.");
    }
    if (jobs_.size() >= limits_.max_jobs) {
      // Make room by forgetting the job that finished first.
      auto oldest = jobs_.end();
      for (auto it = jobs_.begin(); it != jobs_.end(); ++it) {
        if (it->second->Finished() &&
            (oldest == jobs_.end() || it->second->finish_order < oldest->second->finish_order)) {
          oldest = it;
        }
      }
      if (oldest == jobs_.end()) {
        Fail(
            ErrorCode::kUnavailable,
            "گزارش‌های بسیاری در صف ساخت است؛ چند دقیقهٔ دیگر دوباره بخواهید.");
      }
      jobs_.erase(oldest);
    }
    jobs_[job->id] = job;
    queue_.push_back(job);
    if (!worker_.joinable()) worker_ = std::thread([this] { Run(); });
  }
  work_cv_.notify_one();
  return job->id;
}

std::optional<JobView> ReportJobs::Get(std::int64_t user_id, const std::string& id,
                                       std::chrono::milliseconds wait) {
  std::unique_lock lock(mu_);
  Purge();
  auto it = jobs_.find(id);
  if (it == jobs_.end() || it->second->user_id != user_id) return std::nullopt;
  std::shared_ptr<Job> job = it->second;
  done_cv_.wait_for(lock, wait, [&] { return job->Finished(); });
  return job->View();
}

bool ReportJobs::Exists(const std::string& id) {
  std::lock_guard lock(mu_);
  return jobs_.contains(id);
}

void ReportJobs::Run() {
  for (;;) {
    std::shared_ptr<Job> job;
    {
      std::unique_lock lock(mu_);
      work_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      job = queue_.front();
      queue_.pop_front();
      job->state = JobState::kRunning;
    }
    std::shared_ptr<const std::string> bytes;
    std::string error;
    try {
      bytes = std::make_shared<const std::string>(job->work(*job));
    } catch (const AppError& e) {
      error = e.error().message;
    } catch (const std::exception&) {
      error = "ساخت گزارش ناکام ماند؛ دوباره بکوشید یا با پشتیبانی سامانه تماس بگیرید.";
    }
    {
      std::lock_guard lock(mu_);
      job->work = nullptr;  // releases what the work held
      job->bytes = std::move(bytes);
      job->error = std::move(error);
      job->state = job->error.empty() ? JobState::kDone : JobState::kFailed;
      if (job->state == JobState::kDone) job->done.store(job->total);
      job->finished_at = now_();
      job->finish_order = ++finished_;
    }
    done_cv_.notify_all();
  }
}

}  // namespace peyvand::dashboard
