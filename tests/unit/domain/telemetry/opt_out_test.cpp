// The opt-out rule of server events (telemetry.md §3): an event that occurs while its subject is
// opted out is never stored, whenever its batch is written.

#include "domain/telemetry/opt_out.hpp"

#include <gtest/gtest.h>

namespace ferr::domain::telemetry {
namespace {

using namespace std::chrono_literals;

const core::TimePoint t0{std::chrono::hours(24 * 20000)};

core::Uuid uuid(int n) {
  return *core::Uuid::parse("0190f5c2-7b1a-7cde-8f00-" + std::to_string(100000000000 + n));
}

ServerRow row(OptOutSubject subject, int subject_id, core::TimePoint occurred_at) {
  ServerRow r;
  r.subject = subject;
  r.subject_id = uuid(subject_id);
  r.row.occurred_at = occurred_at;
  return r;
}

TEST(OptOutRule, AFlagNeverChangedDecidesAlone) {
  EXPECT_FALSE(suppressed_by_opt_out({}, t0));
  EXPECT_TRUE(suppressed_by_opt_out({true, std::nullopt}, t0));
}

TEST(OptOutRule, OptedOutNowSuppressesWhenEverTheEventOccurred) {
  EXPECT_TRUE(suppressed_by_opt_out({true, t0}, t0 - 1h)) << "queued before the opt-out";
  EXPECT_TRUE(suppressed_by_opt_out({true, t0}, t0 + 1h));
}

TEST(OptOutRule, OptingBackInDoesNotReviveAnEventThatOccurredBefore) {
  const OptOutState back_in{false, t0};
  EXPECT_TRUE(suppressed_by_opt_out(back_in, t0 - 1ms));
  EXPECT_FALSE(suppressed_by_opt_out(back_in, t0)) << "the very millisecond of the opt-in";
  EXPECT_FALSE(suppressed_by_opt_out(back_in, t0 + 1ms));
}

TEST(OptOutRule, RowsToStoreAppliesEachRowsOwnSubjectInBatchOrder) {
  const std::vector<ServerRow> batch{
      row(OptOutSubject::org, 1, t0),        // opted out
      row(OptOutSubject::user, 1, t0),       // same uuid, but a user: no stored row
      row(OptOutSubject::user, 2, t0 - 1s),  // occurred before the user's opt-in
      row(OptOutSubject::user, 2, t0 + 1s),  // after it
      row(OptOutSubject::org, 1, t0 + 1s),
  };
  const OptOutStates states{{{OptOutSubject::org, uuid(1)}, {true, t0}},
                            {{OptOutSubject::user, uuid(2)}, {false, t0}}};
  EXPECT_EQ(rows_to_store(batch, states), (std::vector<std::size_t>{1, 3}));
  EXPECT_EQ(subjects_of(batch), (std::vector<OptOutKey>{{OptOutSubject::org, uuid(1)},
                                                        {OptOutSubject::user, uuid(1)},
                                                        {OptOutSubject::user, uuid(2)}}));
}

}  // namespace
}  // namespace ferr::domain::telemetry
