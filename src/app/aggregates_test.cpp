// The scorecard aggregates against a recount, on a real SQLite file with every migration: a few
// thousand random task inserts, state changes, due-time moves, reassignments and deletes (the
// kinds of write every code path makes), after which the triggers' figures must equal a GROUP BY
// over the tasks. The same triggers on PostgreSQL are checked through `stats verify` in the
// integration suites.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "app/app.hpp"
#include "modules/accountability/store.hpp"

namespace peyvand::app {
namespace {

constexpr db::Query kInsert{
    "test.insert_task",
    "INSERT INTO tasks (agency_id, kind, state, due_at, done_at, county_id, created_at,"
    " updated_at) VALUES (?, 'transfer', ?, ?, ?, ?, 0, 0) RETURNING id"};
constexpr db::Query kDone{"test.done",
                          "UPDATE tasks SET state = 'done', done_at = due_at + ?, updated_at = 1"
                          " WHERE id = ? AND state IN ('new', 'open')"};
constexpr db::Query kMove{"test.move", "UPDATE tasks SET due_at = due_at + ? WHERE id = ?"};
constexpr db::Query kReassign{"test.reassign",
                              "UPDATE tasks SET agency_id = ?, county_id = ? WHERE id = ?"};
constexpr db::Query kOutcome{"test.outcome", "UPDATE tasks SET outcome = 'x' WHERE id = ?"};
constexpr db::Query kCancel{"test.cancel", "UPDATE tasks SET state = 'cancelled' WHERE id = ?"};
constexpr db::Query kDelete{"test.delete", "DELETE FROM tasks WHERE id = ?"};

TEST(AggregatesTest, RandomTaskChangesMatchARecount) {
  auto dir = std::filesystem::temp_directory_path() / ("peyvand-agg-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  Config config;
  config.data_dir = dir.string();
  auto db = OpenDatabase(config);
  RunMigrations(*db);
  std::mt19937_64 rng(7);
  auto pick = [&](std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
  };
  constexpr std::int64_t kDay = 86400000;
  const std::int64_t now = 1764000000000;
  std::vector<std::int64_t> ids;
  db->Write([&](db::Connection& c) {
    const char* states[] = {"new", "open", "done", "done", "cancelled", "rejected"};
    for (int i = 0; i < 2000; ++i) {
      std::string state = states[pick(0, 5)];
      std::int64_t due = now + pick(-40, 40) * kDay + pick(0, kDay - 1);
      db::Value done = state == "done" ? db::Value(due + pick(-5, 300) * 3600000) : db::Value();
      db::Value county = pick(0, 3) == 0 ? db::Value() : db::Value(pick(1, 3));
      ids.push_back(c.Run(kInsert, {pick(1, 4), state, due, done, county})[0].Int("id"));
    }
  });
  EXPECT_TRUE(db->Read([](db::Connection& c) {
                  return accountability::store::VerifyAggregates(c);
                }).empty())
      << "after inserts";
  db->Write([&](db::Connection& c) {
    for (int i = 0; i < 4000; ++i) {
      std::int64_t id =
          ids[static_cast<std::size_t>(pick(0, static_cast<std::int64_t>(ids.size()) - 1))];
      switch (pick(0, 5)) {
        case 0: c.Exec(kDone, {pick(-3, 200) * 3600000, id}); break;
        case 1: c.Exec(kMove, {pick(-3, 3) * kDay, id}); break;
        case 2:
          c.Exec(kReassign, {pick(1, 4), pick(0, 1) ? db::Value(pick(1, 2)) : db::Value(), id});
          break;
        case 3: c.Exec(kOutcome, {id}); break;
        case 4: c.Exec(kCancel, {id}); break;
        default: c.Exec(kDelete, {id});
      }
    }
  });
  auto differences =
      db->Read([](db::Connection& c) { return accountability::store::VerifyAggregates(c); });
  EXPECT_TRUE(differences.empty()) << differences.front();
  // The check itself can fail: damage one aggregate row and it is reported.
  db->Write([](db::Connection& c) {
    c.ExecScript(
        "UPDATE task_day_stats SET late_n = late_n + 1"
        " WHERE due_day = (SELECT MIN(due_day) FROM task_day_stats)");
  });
  EXPECT_FALSE(db->Read([](db::Connection& c) {
                   return accountability::store::VerifyAggregates(c);
                 }).empty());
  db->Close();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace peyvand::app
