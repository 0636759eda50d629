#include "db/sqlite/sqlite_database.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>

namespace peyvand::db {
namespace {

constexpr Query kCreate{"t.create",
                        "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE, n REAL)"};
constexpr Query kInsert{"t.insert", "INSERT INTO t (name, n) VALUES (?, ?) RETURNING id"};
constexpr Query kCount{"t.count", "SELECT COUNT(*) AS c FROM t"};
constexpr Query kByName{"t.by_name", "SELECT id, name, n FROM t WHERE name = ?"};

class SqliteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("peyvand-sqlite-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = OpenSqlite({(dir_ / "t.db").string(), 4, 1000, 5000});
    db_->Write([](Connection& c) { c.Exec(kCreate); });
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::int64_t Count() {
    return db_->Read([](Connection& c) { return c.Run(kCount)[0].Int("c"); });
  }

  std::filesystem::path dir_;
  std::unique_ptr<Database> db_;
};

TEST_F(SqliteTest, ValuesRoundTrip) {
  db_->Write([](Connection& c) { c.Run(kInsert, {"ی‌ک", 1.5}); });
  auto rs = db_->Read([](Connection& c) { return c.Run(kByName, {"ی‌ک"}); });
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs[0].Text("name"), "ی‌ک");
  EXPECT_DOUBLE_EQ(rs[0]["n"].AsDouble(), 1.5);
  EXPECT_FALSE(rs[0].OptInt("id") == std::nullopt);
}

TEST_F(SqliteTest, FailedJobRollsBackAloneInsideABatch) {
  // Many concurrent writers; every third one throws after inserting. Their
  // rows must vanish while every other writer's rows stay.
  constexpr int kThreads = 16;
  constexpr int kPerThread = 30;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        bool fail = (i % 3) == 0;
        try {
          db_->Write([&](Connection& c) {
            c.Run(kInsert, {"r" + std::to_string(t) + "-" + std::to_string(i), 0.0});
            if (fail) throw std::runtime_error("boom");
          });
          EXPECT_FALSE(fail);
        } catch (const std::runtime_error& e) {
          EXPECT_TRUE(fail);
          EXPECT_STREQ(e.what(), "boom");
          failures++;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), kThreads * 10);
  EXPECT_EQ(Count(), kThreads * (kPerThread - 10));
  auto stats = db_->Stats();
  EXPECT_EQ(stats.committed_jobs, kThreads * kPerThread + 1);  // +1: CREATE TABLE
  EXPECT_LE(stats.commits, stats.committed_jobs);
}

TEST_F(SqliteTest, UniqueViolationIsTyped) {
  db_->Write([](Connection& c) { c.Run(kInsert, {"a", 0.0}); });
  EXPECT_THROW(db_->Write([](Connection& c) { c.Run(kInsert, {"a", 0.0}); }), UniqueViolation);
  EXPECT_EQ(Count(), 1);
}

TEST_F(SqliteTest, DurableAcrossReopen) {
  db_->Write([](Connection& c) { c.Run(kInsert, {"kept", 0.0}); });
  db_.reset();
  db_ = OpenSqlite({(dir_ / "t.db").string(), 2, 10, 5000});
  EXPECT_EQ(Count(), 1);
}

TEST_F(SqliteTest, WriteSoonIsDurableOnceWaitedAndReportsItsFailure) {
  // Queued writes: the caller goes on, then waits; a failing one rolls back alone and its
  // waiter rethrows, the others commit.
  std::vector<Database::Pending> pending;
  for (int i = 0; i < 20; ++i) {
    pending.push_back(db_->WriteSoon([i](Connection& c) {
      c.Run(kInsert, {"soon-" + std::to_string(i), 0.0});
      if (i == 7) throw std::runtime_error("boom");
    }));
  }
  int failures = 0;
  for (int i = 0; i < 20; ++i) {
    try {
      pending[i]();
    } catch (const std::runtime_error& e) {
      EXPECT_EQ(i, 7);
      EXPECT_STREQ(e.what(), "boom");
      ++failures;
    }
  }
  EXPECT_EQ(failures, 1);
  EXPECT_EQ(Count(), 19);
  // Waited-for writes survive closing and reopening the file.
  db_.reset();
  db_ = OpenSqlite({(dir_ / "t.db").string(), 2, 10, 5000});
  EXPECT_EQ(Count(), 19);
}

TEST_F(SqliteTest, WriteSoonNeverWaitedStillCommitsAndFreesItsJob) {
  // A waiter dropped without being called (an error path) must not leak or lose the write;
  // closing drains the queue (LeakSanitizer checks the job is freed).
  db_->WriteSoon([](Connection& c) { c.Run(kInsert, {"dropped", 0.0}); });
  db_.reset();
  db_ = OpenSqlite({(dir_ / "t.db").string(), 2, 10, 5000});
  EXPECT_EQ(Count(), 1);
}

TEST_F(SqliteTest, ReadersCannotWrite) {
  EXPECT_THROW(db_->Read([](Connection& c) { c.Run(kInsert, {"x", 0.0}); }), DatabaseError);
  EXPECT_EQ(Count(), 0);
}

}  // namespace
}  // namespace peyvand::db
