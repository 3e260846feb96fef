#pragma once
// A fixture for the organization suites: one org `acme` with an owner, an admin, a member and a
// viewer, plus two users outside it (`outsider`, `extra`).

#include <map>
#include <string>

#include "support/api_test.hpp"

namespace ferr::testing {

class OrgFixture : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    populate();
  }

  /// Creates the users, the org and its members on the running server.
  void populate() {
    for (const std::string who : {"owner", "admin", "member", "viewer", "outsider", "extra"}) {
      auto tokens = active_user(who + "@example.com");
      auth_[who] = bearer(std::string(tokens["access_token"].as_string()));
      id_[who] = std::string(tokens["user"].as_object()["id"].as_string());
    }
    auto created = call("POST", "/v1/orgs", R"({"slug":"acme","name":"Acme"})", auth_["owner"]);
    EXPECT_EQ(created.status, 201) << created.body;
    for (const std::string role : {"admin", "member", "viewer"}) {
      auto added =
          call("POST", "/v1/orgs/acme/members",
               R"({"email":")" + role + R"(@example.com","role":")" + role + "\"}", auth_["owner"]);
      EXPECT_EQ(added.status, 201) << added.body;
    }
  }

  int status(const std::string& who, const std::string& method, const std::string& path,
             const std::string& body = "") {
    return call(method, path, body, who == "anonymous" ? "" : auth_[who]).status;
  }

  std::map<std::string, std::string> auth_;
  std::map<std::string, std::string> id_;
};

}  // namespace ferr::testing
