#include "modules/audit/rules.hpp"

#include <gtest/gtest.h>

namespace peyvand::audit {
namespace {

Entry Sample() {
  Entry e;
  e.id = 7;
  e.at = 1700000000000;
  e.user_id = 3;
  e.username = "admin";
  e.agency_id = 5;
  e.action = "user.create";
  e.record_type = "user";
  e.record_id = "42";
  e.summary = R"({"after":{}})";
  e.request_id = "abc";
  e.ip = "127.0.0.1";
  e.prev_hash = kGenesisHash;
  return e;
}

TEST(AuditChainTest, HashIsStableHexSha256) {
  auto h = ChainHash(Sample());
  EXPECT_EQ(h.size(), 64u);
  EXPECT_EQ(h, ChainHash(Sample()));
}

TEST(AuditChainTest, EveryFieldIsCovered) {
  const std::string base = ChainHash(Sample());
  std::vector<std::pair<const char*, void (*)(Entry&)>> edits = {
      {"id", [](Entry& e) { e.id = 8; }},
      {"at", [](Entry& e) { e.at += 1; }},
      {"user_id", [](Entry& e) { e.user_id.reset(); }},
      {"username", [](Entry& e) { e.username = "admim"; }},
      {"agency_id", [](Entry& e) { e.agency_id = 6; }},
      {"action", [](Entry& e) { e.action = "user.update"; }},
      {"record_type", [](Entry& e) { e.record_type = "agency"; }},
      {"record_id", [](Entry& e) { e.record_id = "43"; }},
      {"summary", [](Entry& e) { e.summary = "{}"; }},
      {"request_id", [](Entry& e) { e.request_id = "abd"; }},
      {"ip", [](Entry& e) { e.ip = "127.0.0.2"; }},
      {"prev_hash", [](Entry& e) { e.prev_hash = "x"; }},
      {"province_id", [](Entry& e) { e.province_id = 2; }},
  };
  for (const auto& [name, edit] : edits) {
    Entry e = Sample();
    edit(e);
    EXPECT_NE(ChainHash(e), base) << name;
  }
}

TEST(AuditChainTest, FieldBoundariesAreUnambiguous) {
  Entry a = Sample();
  Entry b = Sample();
  a.record_type = "user";
  a.record_id = "12";
  b.record_type = "user1";
  b.record_id = "2";
  EXPECT_NE(ChainHash(a), ChainHash(b));
}

}  // namespace
}  // namespace peyvand::audit
