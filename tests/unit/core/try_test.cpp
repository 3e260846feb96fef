// FERR_TRY and FERR_CHECK, and their coroutine twins: the value flows on, the error returns.

#include "core/try.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "core/task.hpp"

namespace ferr::core {
namespace {

Result<int> number(bool ok, int* evaluations = nullptr) {
  if (evaluations != nullptr) ++*evaluations;
  if (!ok) return fail(Error::database("no number"));
  return 7;
}

Result<void> step(bool ok) {
  if (!ok) return fail(Error::make(ErrorCode::org_not_found, "no step"));
  return {};
}

// --- plain functions ---------------------------------------------------------------------------

Result<std::string> declares(bool ok, int& evaluations, bool& went_on) {
  FERR_TRY(auto n, number(ok, &evaluations));
  went_on = true;
  return std::to_string(n + 1);
}

Result<int> assigns(bool ok) {
  int existing = 1;
  FERR_TRY(existing, number(ok));
  return existing * 2;
}

Result<int> checks(bool ok, bool& went_on) {
  FERR_CHECK(step(ok));
  FERR_CHECK(number(true));  // a value nobody needs is dropped
  went_on = true;
  return 3;
}

TEST(FerrTry, BindsTheValueAndGoesOn) {
  int evaluations = 0;
  bool went_on = false;
  auto out = declares(true, evaluations, went_on);
  ASSERT_TRUE(out);
  EXPECT_EQ(*out, "8");
  EXPECT_TRUE(went_on);
  EXPECT_EQ(evaluations, 1) << "the expression is evaluated once";
}

TEST(FerrTry, ReturnsTheErrorIntoTheCallersResultType) {
  int evaluations = 0;
  bool went_on = false;
  auto out = declares(false, evaluations, went_on);
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().code, ErrorCode::internal_database);
  EXPECT_EQ(out.error().log_detail, "no number");
  EXPECT_FALSE(went_on);
  EXPECT_EQ(evaluations, 1);
}

TEST(FerrTry, AssignsToAnExistingVariable) {
  EXPECT_EQ(assigns(true).value(), 14);
  auto failed = assigns(false);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().log_detail, "no number");
}

TEST(FerrCheck, GoesOnOrReturnsTheError) {
  bool went_on = false;
  EXPECT_EQ(checks(true, went_on).value(), 3);
  EXPECT_TRUE(went_on);
  went_on = false;
  auto failed = checks(false, went_on);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, ErrorCode::org_not_found);
  EXPECT_EQ(failed.error().message, "no step");
  EXPECT_FALSE(went_on);
}

TEST(FerrTry, SeveralInOneFunctionStayApart) {
  // The temporaries are named after their line, so uses on different lines never clash.
  auto twice = [](bool first, bool second) -> Result<int> {
    FERR_TRY(int a, number(first));
    FERR_TRY(int b, number(second));
    return a + b;
  };
  EXPECT_EQ(twice(true, true).value(), 14);
  EXPECT_FALSE(twice(true, false));
  EXPECT_FALSE(twice(false, true));
}

// --- coroutines --------------------------------------------------------------------------------

Task<Result<int>> async_number(bool ok) { co_return number(ok); }
Task<Result<void>> async_step(bool ok) { co_return step(ok); }

Task<Result<std::string>> co_declares(bool ok, bool& went_on) {
  FERR_CO_TRY(auto n, co_await async_number(ok));
  went_on = true;
  co_return std::to_string(n);
}

Task<Result<int>> co_assigns(bool ok) {
  int existing = 1;
  FERR_CO_TRY(existing, co_await async_number(ok));
  co_return existing + 100;
}

Task<Result<int>> co_checks(bool ok, bool& went_on) {
  FERR_CO_CHECK(co_await async_step(ok));
  FERR_CO_CHECK(co_await async_number(true));
  went_on = true;
  co_return 5;
}

TEST(FerrCoTry, BindsTheValueOrReturnsTheError) {
  bool went_on = false;
  EXPECT_EQ(run_to_completion(co_declares(true, went_on)).value(), "7");
  EXPECT_TRUE(went_on);
  went_on = false;
  auto failed = run_to_completion(co_declares(false, went_on));
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().log_detail, "no number");
  EXPECT_FALSE(went_on);
}

TEST(FerrCoTry, AssignsToAnExistingVariable) {
  EXPECT_EQ(run_to_completion(co_assigns(true)).value(), 107);
  auto failed = run_to_completion(co_assigns(false));
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, ErrorCode::internal_database);
}

TEST(FerrCoCheck, GoesOnOrReturnsTheError) {
  bool went_on = false;
  EXPECT_EQ(run_to_completion(co_checks(true, went_on)).value(), 5);
  EXPECT_TRUE(went_on);
  went_on = false;
  auto failed = run_to_completion(co_checks(false, went_on));
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, ErrorCode::org_not_found);
  EXPECT_FALSE(went_on);
}

}  // namespace
}  // namespace ferr::core
