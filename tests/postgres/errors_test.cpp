#include "storage/postgres/errors.hpp"

#include <gtest/gtest.h>

namespace ferr::storage::postgres {
namespace {

core::Error with_detail(std::string detail) {
  core::Error e = core::Error::database("");
  e.log_detail = std::move(detail);
  return e;
}

TEST(PostgresErrors, ReadsTheSqlstateAndConstraintBack) {
  auto e = with_detail(
      "postgres SQLSTATE 23505 [constraint orgs_slug_key] query: duplicate key value violates");
  EXPECT_EQ(sqlstate_of(e), "23505");
  EXPECT_EQ(constraint_of(e), "orgs_slug_key");
  EXPECT_TRUE(is_unique_violation(e));
  EXPECT_TRUE(is_constraint_violation(e));
}

TEST(PostgresErrors, SurvivesContextPrependedByCallers) {
  auto e = with_detail("migration 2 (x): postgres SQLSTATE 23503 [constraint fk] query: nope");
  EXPECT_EQ(sqlstate_of(e), "23503");
  EXPECT_FALSE(is_unique_violation(e));
  EXPECT_TRUE(is_constraint_violation(e));
}

TEST(PostgresErrors, OtherErrorsHaveNoSqlstate) {
  auto e = with_detail("postgres connect: connection refused");
  EXPECT_EQ(sqlstate_of(e), std::nullopt);
  EXPECT_EQ(constraint_of(e), std::nullopt);
  EXPECT_FALSE(is_constraint_violation(e));
  EXPECT_EQ(sqlstate_of(with_detail("SQLSTATE 12")), std::nullopt);  // truncated
}

TEST(PostgresErrors, AnOutageAsksTheClientToRetry) {
  core::Error e = unavailable("postgres: gone");
  EXPECT_EQ(e.code, core::ErrorCode::service_unavailable);
  EXPECT_EQ(e.retry_after_seconds, 1);
  EXPECT_EQ(e.log_detail, "postgres: gone");
  EXPECT_EQ(e.message.find("postgres"), std::string::npos);  // nothing internal for the client
}

}  // namespace
}  // namespace ferr::storage::postgres
