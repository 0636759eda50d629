// A test suite sharing one seeded server: started once before the suite's
// first test, stopped after its last. Each suite (template argument) gets a
// server of its own.
#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <string>

#include "integration/harness.hpp"

namespace peyvand::test {

template <class Suite>
class SeededSuite : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ServerProcess();
    std::string out;
    ASSERT_EQ(server_->RunCli("seed --demo", &out), 0) << out;
    server_->Start();
    admin_ = server_->client().Login("admin", server_->AdminPassword());
    ASSERT_FALSE(admin_.empty());
  }
  static void TearDownTestSuite() {
    server_->Stop();
    delete server_;
    server_ = nullptr;
  }
  static Client http() { return server_->client(); }
  static std::string LoginAs(const std::string& user) {
    return http().Login(user, server_->PasswordOf(user));
  }
  static boost::json::object Obj(const std::string& body) {
    return boost::json::parse(body).as_object();
  }

  static inline ServerProcess* server_ = nullptr;
  static inline std::string admin_;
};

}  // namespace peyvand::test
