#include "modules/dashboard/report_jobs.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <stdexcept>

#include "core/error.hpp"

namespace peyvand::dashboard {
namespace {

using namespace std::chrono_literals;

// A clock the test moves by hand.
struct FakeClock {
  std::atomic<std::int64_t> ms{0};
  ReportJobs::Now Now() {
    return [this] { return std::chrono::steady_clock::time_point(std::chrono::milliseconds(ms)); };
  }
};

// Work that takes two steps, then waits until the test lets it finish.
struct Gate {
  std::promise<void> open;
  std::shared_future<void> opened = open.get_future().share();
  std::promise<void> stepped;
  ReportJobs::Work Work(std::string bytes) {
    return [this, bytes](ReportJobs::Progress& p) {
      p.Step();
      p.Step();
      stepped.set_value();
      opened.wait();
      return bytes;
    };
  }
};

ReportJobs::Work Quick(std::string bytes) {
  return [bytes](ReportJobs::Progress& p) {
    p.Step();
    return bytes;
  };
}

TEST(ReportJobsTest, ShowsProgressThenTheFileToItsOwnerOnly) {
  FakeClock clock;
  ReportJobs jobs({}, clock.Now());
  Gate gate;
  std::string id = jobs.Start(7, "گزارش", "r.pdf", 5, gate.Work("%PDF-1"));
  gate.stepped.get_future().wait();
  auto running = jobs.Get(7, id);
  ASSERT_TRUE(running);
  EXPECT_EQ(running->state, JobState::kRunning);
  EXPECT_EQ(running->done, 2);
  EXPECT_EQ(running->total, 5);
  EXPECT_FALSE(running->bytes);
  EXPECT_FALSE(jobs.Get(8, id)) << "another user's job is as good as unknown";
  EXPECT_TRUE(jobs.Exists(id));
  EXPECT_FALSE(jobs.Get(7, "no-such-job"));
  gate.open.set_value();
  auto done = jobs.Get(7, id, 10s);
  ASSERT_TRUE(done);
  EXPECT_EQ(done->state, JobState::kDone);
  EXPECT_EQ(done->done, 5) << "a finished job is complete, whatever steps it counted";
  ASSERT_TRUE(done->bytes);
  EXPECT_EQ(*done->bytes, "%PDF-1");
  EXPECT_EQ(done->file_name, "r.pdf");
}

TEST(ReportJobsTest, FailuresSayWhyOnlyWhenTheWorkSaysItForAPerson) {
  ReportJobs jobs({});
  auto mine = jobs.Start(1, "", "", 1, [](ReportJobs::Progress&) -> std::string {
    Fail(ErrorCode::kUnavailable, "قلم‌ها نیست.");
  });
  auto bug = jobs.Start(2, "", "", 1, [](ReportJobs::Progress&) -> std::string {
    throw std::runtime_error("cairo: out of memory at 0x1234");
  });
  auto a = jobs.Get(1, mine, 10s);
  auto b = jobs.Get(2, bug, 10s);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->state, JobState::kFailed);
  EXPECT_EQ(a->error, "قلم‌ها نیست.");
  EXPECT_EQ(b->state, JobState::kFailed);
  EXPECT_EQ(b->error.find("0x1234"), std::string::npos) << "no internals for the person";
  EXPECT_FALSE(b->error.empty());
}

TEST(ReportJobsTest, BoundedPerUserAndInAll) {
  FakeClock clock;
  ReportJobs::Limits limits;
  limits.max_jobs = 3;
  limits.max_active_per_user = 1;
  ReportJobs jobs(limits, clock.Now());
  Gate gate;
  std::string slow = jobs.Start(1, "", "", 3, gate.Work("a"));
  gate.stepped.get_future().wait();
  try {
    jobs.Start(1, "", "", 1, Quick("b"));
    ADD_FAILURE() << "a second job of the same user while the first runs";
  } catch (const AppError& e) {
    EXPECT_EQ(e.error().code, ErrorCode::kRateLimited);
  }
  // Other users queue behind the running job; with three kept and none finished, no more.
  std::string second = jobs.Start(2, "", "", 1, Quick("c"));
  std::string third = jobs.Start(3, "", "", 1, Quick("d"));
  try {
    jobs.Start(4, "", "", 1, Quick("e"));
    ADD_FAILURE() << "a fourth job while three are kept and none has finished";
  } catch (const AppError& e) {
    EXPECT_EQ(e.error().code, ErrorCode::kUnavailable);
  }
  gate.open.set_value();
  ASSERT_EQ(jobs.Get(3, third, 10s)->state, JobState::kDone);
  ASSERT_EQ(jobs.Get(2, second, 10s)->state, JobState::kDone);
  // Full of finished jobs: the one that finished first makes room.
  std::string fourth = jobs.Start(4, "", "", 1, Quick("e"));
  EXPECT_FALSE(jobs.Exists(slow)) << "the oldest finished job was forgotten";
  EXPECT_TRUE(jobs.Exists(second));
  EXPECT_EQ(*jobs.Get(4, fourth, 10s)->bytes, "e");
}

TEST(ReportJobsTest, FinishedJobsExpire) {
  FakeClock clock;
  ReportJobs::Limits limits;
  limits.keep = 1000ms;
  ReportJobs jobs(limits, clock.Now());
  std::string id = jobs.Start(1, "", "", 1, Quick("x"));
  ASSERT_EQ(jobs.Get(1, id, 10s)->state, JobState::kDone);
  clock.ms += 999;
  EXPECT_TRUE(jobs.Get(1, id));
  clock.ms += 1;
  EXPECT_FALSE(jobs.Get(1, id)) << "kept for `keep` after it finished, then gone";
  EXPECT_FALSE(jobs.Exists(id));
}

}  // namespace
}  // namespace peyvand::dashboard
