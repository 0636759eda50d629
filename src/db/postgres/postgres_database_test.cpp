#include "db/postgres/postgres_database.hpp"

#include <gtest/gtest.h>

namespace peyvand::db {
namespace {

TEST(PostgresPlaceholderTest, RewritesOnlyRealPlaceholders) {
  struct Case {
    std::string in;   // SQL with ? placeholders
    std::string out;  // expected SQL
    int count;        // expected parameter count
  };
  const Case cases[] = {
      {"SELECT 1", "SELECT 1", 0},
      {"SELECT ? , ?", "SELECT $1 , $2", 2},
      {"SELECT '?' , ?", "SELECT '?' , $1", 1},
      {"SELECT 'it''s ?' , ?", "SELECT 'it''s ?' , $1", 1},
      {"SELECT \"q?\" FROM t WHERE a = ?", "SELECT \"q?\" FROM t WHERE a = $1", 1},
      {"SELECT ? -- what?\n, ?", "SELECT $1 -- what?\n, $2", 2},
      {"SELECT /* ? */ ?", "SELECT /* ? */ $1", 1},
      {"WHERE (CAST(? AS BIGINT) IS NULL OR x = ?)", "WHERE (CAST($1 AS BIGINT) IS NULL OR x = $2)",
       2},
  };
  for (const auto& c : cases) {
    int n = -1;
    EXPECT_EQ(RewritePlaceholders(c.in, &n), c.out) << c.in;
    EXPECT_EQ(n, c.count) << c.in;
  }
}

TEST(PostgresOpenTest, BadUrlFailsFast) {
  EXPECT_THROW(OpenPostgres({"postgresql://nobody@127.0.0.1:1/none?connect_timeout=2", 2}),
               DatabaseError);
}

}  // namespace
}  // namespace peyvand::db
