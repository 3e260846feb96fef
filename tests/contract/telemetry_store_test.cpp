// The TelemetryStore contract, run on every storage backend: de-duplication of ingested events,
// opt-out checks of server events, retention with rollups, and the counts behind the statistics.

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <future>
#include <string>
#include <thread>
#include <vector>

#include "contract/contract_test.hpp"
#include "contract/race.hpp"

namespace ferr::contract {
namespace {

using namespace std::chrono_literals;
using domain::telemetry::DayCount;
using domain::telemetry::EventCount;
using domain::telemetry::EventRow;
using domain::telemetry::OptOutSubject;
using domain::telemetry::Origin;
using domain::telemetry::ServerRow;

class TelemetryStoreContract : public ContractTest {
 protected:
  void SetUp() override {
    ContractTest::SetUp();
    store_ = &backend_->telemetry();
  }

  EventRow ingested(const std::string& event, core::TimePoint at,
                    std::optional<core::Uuid> event_id = std::nullopt,
                    std::optional<std::string> org_hash = std::nullopt) {
    EventRow row;
    row.id = next_uuid();
    row.event_id = event_id;
    row.surface = "ferrflow";
    row.event = event;
    row.org_hash = std::move(org_hash);
    row.properties = R"({"command":"release"})";
    row.origin = Origin::ingest;
    row.occurred_at = at;
    row.received_at = now();
    return row;
  }
  /// An `org.created` server row of the org `org_hash` that `actor` caused: the person is linked
  /// to it by its `actor_hash` property only (what erasure and export look for).
  EventRow caused_by(const std::string& actor, core::TimePoint at, const std::string& org_hash) {
    auto row = ingested("org.created", at, std::nullopt, org_hash);
    row.origin = Origin::server;
    row.surface = "ferrlabs";
    row.key_id = "8e1199f3";
    row.properties = R"({"actor_hash":")" + actor + R"("})";
    return row;
  }
  ServerRow server(const std::string& event, OptOutSubject subject, const core::Uuid& subject_id,
                   const std::string& hash) {
    ServerRow row;
    row.row.id = next_uuid();
    row.row.surface = "ferrlabs";
    row.row.event = event;
    (subject == OptOutSubject::org ? row.row.org_hash : row.row.user_hash) = hash;
    row.row.origin = Origin::server;
    row.row.key_id = "8e1199f3";
    row.row.occurred_at = row.row.received_at = now();
    row.subject = subject;
    row.subject_id = subject_id;
    return row;
  }
  std::int64_t count_since(const std::string& event, core::TimePoint since) {
    auto counts = run(store_->counts_since(since));
    EXPECT_TRUE(counts);
    for (const auto& c : counts.value_or(std::vector<EventCount>{}))
      if (c.event == event) return c.count;
    return 0;
  }
  /// Every row of daily_counts(from, to) as "day event count orgs users".
  std::vector<std::string> day_rows(core::TimePoint from, core::TimePoint to) {
    auto counts = run(store_->daily_counts(from, to));
    EXPECT_TRUE(counts) << counts.error().log_detail;
    std::vector<std::string> rows;
    for (const auto& c : counts.value_or(std::vector<DayCount>{})) {
      rows.push_back(c.day + " " + c.event + " " + std::to_string(c.count) + " " +
                     std::to_string(c.distinct_orgs) + " " + std::to_string(c.distinct_users));
    }
    return rows;
  }
  static core::TimePoint day(int d) {
    return core::TimePoint(std::chrono::sys_days(std::chrono::year(2026) / 5 / d));
  }

  domain::telemetry::TelemetryStore* store_ = nullptr;
};

TEST_P(TelemetryStoreContract, IngestedEventsAreDeduplicatedByEventId) {
  auto a = next_uuid(), b = next_uuid();
  auto first = run(store_->write_ingested(std::vector<EventRow>{
      ingested("cli.run", now(), a), ingested("cli.run", now(), b), ingested("cli.run", now(), a),
      ingested("cli.run", now()), ingested("cli.run", now())}));
  ASSERT_TRUE(first) << first.error().log_detail;
  EXPECT_EQ(*first, (std::vector<bool>{true, true, false, true, true}))
      << "a repeats inside the batch; rows without event_id are always new";
  auto second = run(store_->write_ingested(std::vector<EventRow>{
      ingested("cli.run", now(), b), ingested("cli.run", now(), next_uuid())}));
  ASSERT_TRUE(second);
  EXPECT_EQ(*second, (std::vector<bool>{false, true})) << "b is already stored";
  EXPECT_EQ(count_since("cli.run", now() - 1h), 5);
}

TEST_P(TelemetryStoreContract, ServerEventsOfOptedOutSubjectsAreNotWritten) {
  auto owner = active_user("owner@x.io");
  auto quiet = active_user("quiet@x.io");
  auto org = run(backend_->orgs().create_org(next_id<core::OrgId>(), "acme", "Acme", owner,
                                             audit(owner, "org.created", "acme")));
  ASSERT_TRUE(org);
  auto hidden = run(backend_->orgs().create_org(next_id<core::OrgId>(), "hidden", "Hidden", owner,
                                                audit(owner, "org.created", "hidden")));
  ASSERT_TRUE(hidden);
  ASSERT_TRUE(run(backend_->orgs().set_telemetry_opt_out(
      hidden->id, true, audit(owner, "telemetry.opt_out.update", ""))));
  ASSERT_TRUE(run(backend_->accounts().set_user_opt_out(quiet, true, now())));

  const std::string h(32, 'a');
  std::vector<ServerRow> batch{
      server("product.activated", OptOutSubject::org, org->id.value, h),
      server("product.activated", OptOutSubject::org, hidden->id.value, h),
      server("auth.login", OptOutSubject::user, owner.value, h),
      server("auth.login", OptOutSubject::user, quiet.value, h),
      server("auth.login", OptOutSubject::user, next_uuid(), h),  // no user_prefs row: opted in
      server("product.canceled", OptOutSubject::org, hidden->id.value, h),
  };
  auto written = run(store_->write_server_events(batch));
  ASSERT_TRUE(written) << written.error().log_detail;
  EXPECT_EQ(written->written, 3u);
  EXPECT_EQ(written->opted_out, 3u);
  EXPECT_EQ(count_since("product.activated", now() - 1h), 1);
  EXPECT_EQ(count_since("auth.login", now() - 1h), 2);
  EXPECT_EQ(count_since("product.canceled", now() - 1h), 0);

  // The flag is read at write time: opting back in applies to the next batch.
  ASSERT_TRUE(run(backend_->accounts().set_user_opt_out(quiet, false, now())));
  ASSERT_EQ(run(store_->write_server_events(std::vector<ServerRow>{batch[3]}))->written, 1u);
}

TEST_P(TelemetryStoreContract, AnEventThatOccurredWhileOptedOutIsNotRevivedByOptingBackIn) {
  // telemetry.md §3: the writer may see a queued event after its subject opted out and back in;
  // an event that occurred before the flag last changed is dropped, later ones are written.
  auto owner = active_user("owner@x.io");
  auto user = active_user("user@x.io");
  auto org = run(backend_->orgs().create_org(next_id<core::OrgId>(), "acme", "Acme", owner,
                                             audit(owner, "org.created", "acme")));
  ASSERT_TRUE(org);
  const std::string h(32, 'a');
  auto at = [&](ServerRow row, core::TimePoint occurred_at) {
    row.row.id = next_uuid();
    row.row.occurred_at = row.row.received_at = occurred_at;
    return row;
  };
  auto set_org = [&](bool out) {
    return run(backend_->orgs().set_telemetry_opt_out(
        org->id, out, audit(owner, "telemetry.opt_out.update", "")));
  };
  auto set_user = [&](bool out) {
    return run(backend_->accounts().set_user_opt_out(user, out, now()));
  };
  const auto before = now();
  ServerRow org_event = server("product.activated", OptOutSubject::org, org->id.value, h);
  ServerRow user_event = server("auth.login", OptOutSubject::user, user.value, h);

  clock_.advance(1s);
  ASSERT_TRUE(set_org(true));
  ASSERT_TRUE(set_user(true));
  clock_.advance(1s);
  const auto while_out = now();
  clock_.advance(1s);
  ASSERT_TRUE(set_org(false));
  ASSERT_TRUE(set_user(false));
  const auto opted_in = now();
  clock_.advance(1s);
  // Setting a flag to the value it has is no change: it must not drop the events of
  // `after_in`, which occurred after the real opt-in.
  const auto after_in = now();
  clock_.advance(1s);
  ASSERT_TRUE(set_org(false));
  ASSERT_TRUE(set_user(false));

  std::vector<ServerRow> batch{
      at(org_event, before),     at(user_event, before),   at(org_event, while_out),
      at(user_event, while_out), at(org_event, opted_in),  at(user_event, opted_in),
      at(org_event, after_in),   at(user_event, after_in),
  };
  auto written = run(store_->write_server_events(batch));
  ASSERT_TRUE(written) << written.error().log_detail;
  EXPECT_EQ(written->opted_out, 4u) << "before and while opted out, both subjects";
  EXPECT_EQ(written->written, 4u) << "at and after the opt-in";
  EXPECT_EQ(count_since("product.activated", before), 2);
  EXPECT_EQ(count_since("auth.login", before), 2);
  EXPECT_EQ(count_since("auth.login", opted_in), 2) << "the two written are the later ones";

  // A subject opted out now suppresses even events that occurred after its last change.
  ASSERT_TRUE(set_user(true));
  auto later = run(store_->write_server_events(std::vector<ServerRow>{at(user_event, now() + 1s)}));
  ASSERT_TRUE(later);
  EXPECT_EQ(later->written, 0u);
  EXPECT_EQ(later->opted_out, 1u);
}

TEST_P(TelemetryStoreContract, DeletingAPseudonymsRowsLeavesEveryoneElses) {
  const std::string person(32, 'a');
  const std::string someone(32, 'b');
  auto as_user = ingested("cli.run", now() - 2h);
  as_user.user_hash = person;
  auto actor = caused_by(person, now() - 1h, std::string(32, 'd'));
  auto others = ingested("cli.run", now() - 3h);
  others.user_hash = someone;
  auto mention = ingested("cli.run", now());
  mention.properties = R"({"command":")" + person + R"("})";
  ASSERT_TRUE(run(store_->write_ingested(std::vector<EventRow>{as_user, actor, others, mention})));

  auto deleted = run(store_->delete_rows_of_pseudonym(person));
  ASSERT_TRUE(deleted) << deleted.error().log_detail;
  EXPECT_EQ(*deleted, 2) << "their user rows and the org events they caused";
  EXPECT_TRUE(run(store_->rows_of_pseudonym(person)).value().empty());
  EXPECT_EQ(run(store_->rows_of_pseudonym(someone)).value().size(), 1u);
  EXPECT_EQ(run(store_->delete_rows_of_pseudonym(person)).value(), 0) << "nothing left";
  auto week = run(store_->counts_since(now() - 24h * 7)).value();
  ASSERT_EQ(week.size(), 1u);
  EXPECT_EQ(week[0].count, 2) << "another person's row and the mere mention stay";
}

TEST_P(TelemetryStoreContract, ErasureRecountsTheHoursOfTheErasedRows) {
  // One hour of logins by five people and an org event one of them caused.
  const core::TimePoint hour = day(3) + 10h;
  std::vector<EventRow> rows;
  for (char who : std::string("abcde")) {
    auto login = ingested("auth.login", hour + 1min);
    login.user_hash = std::string(32, who);
    rows.push_back(login);
  }
  rows.push_back(caused_by(std::string(32, 'a'), hour + 2min, std::string(32, 'o')));
  ASSERT_TRUE(run(store_->write_ingested(rows)));
  EXPECT_EQ(day_rows(day(3), day(4)), (std::vector<std::string>{"2026-05-03 auth.login 5 0 5",
                                                                "2026-05-03 org.created 1 1 0"}));

  ASSERT_EQ(run(store_->delete_rows_of_pseudonym(std::string(32, 'a'))).value(), 2);
  EXPECT_EQ(day_rows(day(3), day(4)), std::vector<std::string>{"2026-05-03 auth.login 4 0 4"})
      << "the count and the evidence of the hour lose the erased person's rows; an hour left "
         "with no event is not listed";
  auto week = run(store_->counts_since(hour - 24h)).value();
  ASSERT_EQ(week.size(), 1u);
  EXPECT_EQ(week[0].event, "auth.login");
  EXPECT_EQ(week[0].distinct_users, 4);
}

TEST_P(TelemetryStoreContract, HourlyCountsDecideKAnonymityOverAnyUnionOfHours) {
  auto by = [&](core::TimePoint at, char who, std::optional<core::Uuid> event_id = std::nullopt) {
    auto row = ingested("cli.run", at, event_id);
    row.user_hash = std::string(32, who);
    return row;
  };
  const auto repeated = next_uuid();
  // 10:00 a, b, c; 11:00 c, d: four people, fewer than the cap of 5, counted exactly.
  ASSERT_TRUE(run(store_->write_ingested(std::vector<EventRow>{
      by(day(3) + 10h, 'a'), by(day(3) + 10h + 1min, 'b', repeated), by(day(3) + 10h, 'c')})));
  ASSERT_TRUE(run(store_->write_ingested(std::vector<EventRow>{
      by(day(3) + 11h, 'c'), by(day(3) + 11h + 59min, 'd'), by(day(3) + 11h, 'z', repeated)})));
  EXPECT_EQ(day_rows(day(3), day(4)), std::vector<std::string>{"2026-05-03 cli.run 5 0 4"})
      << "the repeated event_id counts once and its second sender is no evidence";
  // 12:00: seven more people; a cell keeps 5 of them, which proves "at least 5" for the day.
  std::vector<EventRow> many;
  for (char who : std::string("efghijk")) many.push_back(by(day(3) + 12h, who));
  ASSERT_TRUE(run(store_->write_ingested(many)));
  EXPECT_EQ(day_rows(day(3), day(4)), std::vector<std::string>{"2026-05-03 cli.run 12 0 5"});
  // Windows are whole hours: from the start of the hour holding `since`.
  auto since = run(store_->counts_since(day(3) + 11h + 59min)).value();
  ASSERT_EQ(since.size(), 1u);
  EXPECT_EQ(since[0].count, 9) << "11:00 and 12:00";
  EXPECT_EQ(since[0].distinct_users, 5);
  since = run(store_->counts_since(day(3) + 11h)).value();
  EXPECT_EQ(since[0].count, 9);
  since = run(store_->counts_since(day(3) + 10h + 59min)).value();
  EXPECT_EQ(since[0].count, 12);

  // Two hours of three people each, none full: their union of six reads as the cap.
  std::vector<EventRow> errors;
  for (char who : std::string("abc")) errors.push_back(by(day(4) + 1h, who));
  for (char who : std::string("def")) errors.push_back(by(day(4) + 2h, who));
  for (auto& row : errors) row.event = "cli.error";
  ASSERT_TRUE(run(store_->write_ingested(errors)));
  EXPECT_EQ(day_rows(day(4), day(5)), std::vector<std::string>{"2026-05-04 cli.error 6 0 5"});
  since = run(store_->counts_since(day(4))).value();
  ASSERT_EQ(since.size(), 1u);
  EXPECT_EQ(since[0].distinct_users, 5);
}

TEST_P(TelemetryStoreContract, TheCountsAreReadFromTheHourlyCellsNotFromTheRawRows) {
  ASSERT_TRUE(run(store_->write_ingested(std::vector<EventRow>{
      ingested("cli.run", day(3) + 10h), ingested("cli.run", day(3) + 11h)})));
  // Behind the store's back: what the statistics read must not depend on the raw rows (issue 14,
  // item 15: their cost grew with them).
  backend_->force_stored_value("telemetry_events", "event", "cli.renamed");
  EXPECT_EQ(day_rows(day(3), day(4)), std::vector<std::string>{"2026-05-03 cli.run 2 0 0"});
  EXPECT_EQ(count_since("cli.run", day(3)), 2);
  EXPECT_EQ(count_since("cli.renamed", day(3)), 0);
}

TEST_P(TelemetryStoreContract, ConcurrentBatchesIntoOneHourAddUp) {
  constexpr int kThreads = 4;
  constexpr int kRows = 50;
  std::vector<std::vector<EventRow>> batches(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kRows; ++i) {
      auto row = ingested("cli.run", day(3) + 10h + std::chrono::seconds(i), next_uuid());
      row.user_hash = std::string(31, 'a') + static_cast<char>('a' + (t * kRows + i) % 26);
      batches[t].push_back(row);
    }
  }
  std::promise<void> start;
  std::shared_future<void> started = start.get_future().share();
  std::vector<core::Result<std::vector<bool>>> results(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      started.wait();
      results[t] = run(store_->write_ingested(batches[t]));
    });
  }
  start.set_value();
  for (auto& thread : threads) thread.join();
  for (const auto& result : results) ASSERT_TRUE(result) << result.error().log_detail;
  EXPECT_EQ(
      day_rows(day(3), day(4)),
      std::vector<std::string>{"2026-05-03 cli.run " + std::to_string(kThreads * kRows) + " 0 5"});
}

TEST_P(TelemetryStoreContract, RowsOfAPseudonymAreItsUserRowsAndTheOrgEventsItCaused) {
  const std::string person(32, 'a');
  const std::string someone(32, 'b');
  auto as_user = ingested("cli.run", now() - 2h, next_uuid(), std::string(32, 'c'));
  as_user.user_hash = person;
  auto actor = caused_by(person, now() - 1h, std::string(32, 'd'));
  auto others = ingested("cli.run", now() - 3h);
  others.user_hash = someone;
  auto others_actor = caused_by(someone, now() - 1h, std::string(32, 'd'));
  auto mention = ingested("cli.run", now());
  mention.properties = R"({"command":")" + person + R"("})";  // not a link: another property
  ASSERT_TRUE(run(store_->write_ingested(
      std::vector<EventRow>{actor, others, as_user, others_actor, mention})));

  auto rows = run(store_->rows_of_pseudonym(person));
  ASSERT_TRUE(rows) << rows.error().log_detail;
  ASSERT_EQ(rows->size(), 2u) << "none of another person's, nothing merely mentioning it";
  const EventRow& first = (*rows)[0];
  EXPECT_EQ(first.id, as_user.id) << "by occurred_at";
  EXPECT_EQ(first.event_id, as_user.event_id);
  EXPECT_EQ(first.user_hash, person);
  EXPECT_EQ(first.org_hash, as_user.org_hash);
  EXPECT_EQ(first.surface, "ferrflow");
  EXPECT_EQ(first.origin, Origin::ingest);
  EXPECT_EQ(first.occurred_at, as_user.occurred_at);
  EXPECT_EQ(first.received_at, as_user.received_at);
  const EventRow& second = (*rows)[1];
  EXPECT_EQ(second.id, actor.id);
  EXPECT_EQ(second.event, "org.created");
  EXPECT_EQ(second.origin, Origin::server);
  EXPECT_EQ(second.key_id, "8e1199f3");
  EXPECT_FALSE(second.event_id);
  EXPECT_EQ(second.properties.find(person) != std::string::npos, true);
  EXPECT_TRUE(run(store_->rows_of_pseudonym(std::string(32, 'e'))).value().empty());
}

TEST_P(TelemetryStoreContract, TextIsStoredAsGivenWhateverItHolds) {
  const std::string person(32, 'f');
  auto row = ingested("cli.run", now(), next_uuid());
  row.user_hash = person;
  row.key_id = "key \"quoted\" \\ é";
  row.properties =
      R"({"command":"a \"quoted\" \\ back\/slash","note":"tab\tnew\nline \u0001 é ✓ 😀","n":-15,"f":0.5,"on":true,"none":null})";
  ASSERT_TRUE(run(store_->write_ingested(std::vector<EventRow>{row})));

  auto rows = run(store_->rows_of_pseudonym(person));
  ASSERT_TRUE(rows) << rows.error().log_detail;
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].key_id, row.key_id);
  // The same JSON value (PostgreSQL's jsonb spells it its own way: spaces, key order).
  EXPECT_EQ(boost::json::parse((*rows)[0].properties), boost::json::parse(row.properties))
      << (*rows)[0].properties;
}

TEST_P(TelemetryStoreContract, ExpiryRollsUpWholeDaysThenDeletesThem) {
  ASSERT_TRUE(run(store_->write_ingested(std::vector<EventRow>{
      ingested("cli.run", day(3) + 1h, std::nullopt, std::string(32, 'a')),
      ingested("cli.run", day(3) + 23h, std::nullopt, std::string(32, 'b')),
      ingested("cli.run", day(3) + 2h, std::nullopt, std::string(32, 'a')),
      ingested("cli.error", day(4) + 5h), ingested("cli.run", day(5) + 1h)})));
  auto nothing = run(store_->expire_before(day(3)));
  ASSERT_TRUE(nothing);
  EXPECT_EQ(nothing->rows_deleted, 0u);
  EXPECT_EQ(nothing->days_rolled_up, 0u);

  auto two_days = run(store_->expire_before(day(5)));
  ASSERT_TRUE(two_days) << two_days.error().log_detail;
  EXPECT_EQ(two_days->rows_deleted, 4u);
  EXPECT_EQ(two_days->days_rolled_up, 2u);
  EXPECT_EQ(count_since("cli.run", day(1)), 1) << "only day 5's row is still raw";

  auto counts = run(store_->daily_counts(day(1), day(6)));
  ASSERT_TRUE(counts);
  auto text = [](const DayCount& c) {
    return c.day + " " + c.event + " " + std::to_string(c.count) + " " +
           std::to_string(c.distinct_orgs) + " " + std::to_string(c.distinct_users);
  };
  std::vector<std::string> rows;
  for (const auto& c : *counts) rows.push_back(text(c));
  EXPECT_EQ(rows,
            (std::vector<std::string>{"2026-05-03 cli.run 3 2 0", "2026-05-04 cli.error 1 0 0",
                                      "2026-05-05 cli.run 1 0 0"}))
      << "rolled-up days and raw days read alike";
  EXPECT_EQ(run(store_->expire_before(day(5)))->rows_deleted, 0u);
}

TEST_P(TelemetryStoreContract, DailyCountsCoverHalfOpenDayRanges) {
  ASSERT_TRUE(run(store_->write_ingested(std::vector<EventRow>{ingested("cli.run", day(4) + 1h),
                                                               ingested("cli.run", day(5)),
                                                               ingested("cli.run", day(6))})));
  auto counts = run(store_->daily_counts(day(5), day(6)));
  ASSERT_TRUE(counts);
  ASSERT_EQ(counts->size(), 1u);
  EXPECT_EQ((*counts)[0].day, "2026-05-05");
  EXPECT_EQ(count_since("cli.run", day(5)), 2) << "since is inclusive";
}

TEST_P(TelemetryStoreContract, ConcurrentWritesOfOneEventIdStoreItOnce) {
  constexpr int kRounds = 5;
  for (int round = 0; round < kRounds; ++round) {
    // Each batch also carries a row of its own, so both calls write something.
    auto shared = next_uuid();
    const std::vector<EventRow> batches[2] = {
        {ingested("cli.race", now(), next_uuid()), ingested("cli.race", now(), shared)},
        {ingested("cli.race", now(), shared), ingested("cli.race", now(), next_uuid())}};
    std::promise<void> start;
    std::shared_future<void> started = start.get_future().share();
    core::Result<std::vector<bool>> results[2];
    std::vector<std::thread> threads;
    for (int t = 0; t < 2; ++t) {
      threads.emplace_back([&, t] {
        started.wait();
        results[t] = run(store_->write_ingested(batches[t]));
      });
    }
    start.set_value();
    for (auto& thread : threads) thread.join();
    ASSERT_TRUE(results[0]) << results[0].error().log_detail;
    ASSERT_TRUE(results[1]) << results[1].error().log_detail;
    ASSERT_EQ(results[0]->size(), 2u);
    ASSERT_EQ(results[1]->size(), 2u);
    EXPECT_TRUE((*results[0])[0]);
    EXPECT_TRUE((*results[1])[1]);
    EXPECT_EQ(static_cast<int>((*results[0])[1]) + static_cast<int>((*results[1])[0]), 1)
        << "exactly one of the two writes of the shared event_id is stored, round " << round;
  }
  EXPECT_EQ(count_since("cli.race", now() - 1h), 3 * kRounds);
}

TEST_P(TelemetryStoreContract, ConcurrentBatchesSharingIdsInOtherOrdersBothSucceed) {
  // Issue 14, item 12: two batches holding the same ids, one's first chunk (256 rows on
  // PostgreSQL) being the other's second, used to lock them in opposite orders and deadlock.
  constexpr int kRounds = 8;
  constexpr int kHalf = 256;
  for (int round = 0; round < kRounds; ++round) {
    std::vector<EventRow> halves[2];
    for (auto& half : halves)
      for (int i = 0; i < kHalf; ++i) half.push_back(ingested("cli.order", now(), next_uuid()));
    std::vector<EventRow> batches[2];
    for (int b = 0; b < 2; ++b) {
      for (const auto* half : {&halves[b], &halves[1 - b]}) {
        for (EventRow row : *half) {
          row.id = next_uuid();
          batches[b].push_back(std::move(row));
        }
      }
    }
    auto results = race(2, [&](int b) { return run(store_->write_ingested(batches[b])); });
    std::size_t written = 0;
    for (const auto& result : results) {
      ASSERT_TRUE(result) << "round " << round << ": " << result.error().log_detail;
      ASSERT_EQ(result->size(), 2u * kHalf);
      for (bool w : *result) written += w ? 1 : 0;
    }
    EXPECT_EQ(written, 2u * kHalf) << "each shared event_id stored once, round " << round;
  }
  EXPECT_EQ(count_since("cli.order", now() - 1h), 2 * kHalf * kRounds);
}

TEST_P(TelemetryStoreContract, LargeBatchesDeduplicateAcrossTheWholeBatch) {
  // More rows than one statement takes (256 on PostgreSQL): repeats in a later chunk of the same
  // batch are duplicates too.
  std::vector<EventRow> rows;
  for (int i = 0; i < 600; ++i) rows.push_back(ingested("cli.bulk", now(), next_uuid()));
  std::vector<bool> expected(rows.size(), true);
  rows[300].event_id = rows[10].event_id;  // second chunk repeats the first
  expected[300] = false;
  rows[520].event_id = rows[255].event_id;  // third chunk repeats the first chunk's last row
  expected[520] = false;
  rows[590].event_id = rows[560].event_id;  // within the third chunk
  expected[590] = false;
  rows[599].event_id = std::nullopt;  // no event_id: always new
  auto written = run(store_->write_ingested(rows));
  ASSERT_TRUE(written) << written.error().log_detail;
  EXPECT_EQ(*written, expected);
  EXPECT_EQ(count_since("cli.bulk", now() - 1h), 597);

  // Retries of stored events carry new row ids (the server makes one per received event).
  std::vector<EventRow> retries{rows[10], rows[300], rows[599]};
  for (auto& retry : retries) retry.id = next_uuid();
  auto again = run(store_->write_ingested(retries));
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, (std::vector<bool>{false, false, true}));
}

TEST_P(TelemetryStoreContract, EveryRowOfABatchIsStoredAsGivenWhateverTheBatchSize) {
  // SQLite inserts rows without an event_id several at a time (statements of 64, 32, …, 1
  // rows): each size around those steps, every row read back field by field.
  for (int size : {1, 3, 63, 64, 65, 127, 200}) {
    const std::string person(32, static_cast<char>('a' + size % 26));
    std::vector<EventRow> rows;
    for (int i = 0; i < size; ++i) {
      auto row = ingested("cli.size" + std::to_string(size), now() - 5h + std::chrono::seconds(i));
      row.user_hash = person;
      row.org_hash = i % 2 == 0 ? std::optional(std::string(32, '0' + i % 10)) : std::nullopt;
      row.properties = R"({"n":)" + std::to_string(i) + "}";
      row.schema_version = 1 + i % 3;
      if (i % 5 == 0) {
        row.origin = Origin::server;
        row.key_id = "8e1199f3";
      }
      rows.push_back(row);
    }
    auto written = run(store_->write_ingested(rows));
    ASSERT_TRUE(written) << written.error().log_detail;
    EXPECT_EQ(*written, std::vector<bool>(rows.size(), true)) << size;

    auto stored = run(store_->rows_of_pseudonym(person));
    ASSERT_TRUE(stored) << stored.error().log_detail;
    ASSERT_EQ(stored->size(), rows.size()) << size;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const EventRow& got = (*stored)[i];  // by occurred_at: in the order written
      const EventRow& want = rows[i];
      EXPECT_EQ(got.id, want.id) << size << " row " << i;
      EXPECT_FALSE(got.event_id);
      EXPECT_EQ(got.event, want.event);
      EXPECT_EQ(got.org_hash, want.org_hash) << size << " row " << i;
      EXPECT_EQ(boost::json::parse(got.properties), boost::json::parse(want.properties))
          << size << " row " << i;
      EXPECT_EQ(got.schema_version, want.schema_version);
      EXPECT_EQ(got.origin, want.origin);
      EXPECT_EQ(got.key_id, want.key_id);
      EXPECT_EQ(got.occurred_at, want.occurred_at);
      EXPECT_EQ(got.received_at, want.received_at);
    }
    EXPECT_EQ(count_since("cli.size" + std::to_string(size), now() - 6h), size);
  }
}

TEST_P(TelemetryStoreContract, EachOutcomeIsTheOneOfItsRowAmongRowsWithAndWithoutEventIds) {
  auto stored_before = ingested("cli.mixed", now(), next_uuid());
  ASSERT_TRUE(run(store_->write_ingested(std::vector<EventRow>{stored_before})));
  // 70 rows: every seventh carries an event_id; row 35 repeats one stored before, row 63 repeats
  // row 14 of this batch. The others have none and are always new.
  std::vector<EventRow> rows;
  std::vector<bool> expected;
  for (int i = 0; i < 70; ++i) {
    rows.push_back(
        ingested("cli.mixed", now(), i % 7 == 0 ? std::optional(next_uuid()) : std::nullopt));
    expected.push_back(true);
  }
  rows[35].event_id = stored_before.event_id;
  expected[35] = false;
  rows[63].event_id = rows[14].event_id;
  expected[63] = false;
  auto written = run(store_->write_ingested(rows));
  ASSERT_TRUE(written) << written.error().log_detail;
  EXPECT_EQ(*written, expected);
  EXPECT_EQ(count_since("cli.mixed", now() - 1h), 1 + 68);
}

TEST_P(TelemetryStoreContract, CountsReadPartlyRolledUpRows) {
  const std::string a(32, 'a'), b(32, 'b'), c(32, 'c'), d(32, 'd');
  ASSERT_TRUE(run(store_->write_ingested(std::vector<EventRow>{
      ingested("cli.run", day(2) + 1h, std::nullopt, a),
      ingested("cli.run", day(3) + 2h, std::nullopt, b), ingested("cli.error", day(3) + 3h),
      ingested("cli.run", day(4) + 1h, std::nullopt, a),
      ingested("cli.run", day(4) + 2h, std::nullopt, c), ingested("cli.run", day(5) + 1h)})));
  auto expired = run(store_->expire_before(day(4)));
  ASSERT_TRUE(expired) << expired.error().log_detail;
  EXPECT_EQ(expired->days_rolled_up, 2u);
  EXPECT_EQ(expired->rows_deleted, 3u);

  // A late row of a rolled-up day: raw and rollup of that day are read together.
  ASSERT_TRUE(run(store_->write_ingested(
      std::vector<EventRow>{ingested("cli.run", day(3) + 5h, std::nullopt, d)})));
  EXPECT_EQ(day_rows(day(1), day(6)),
            (std::vector<std::string>{"2026-05-02 cli.run 1 1 0", "2026-05-03 cli.error 1 0 0",
                                      "2026-05-03 cli.run 2 2 0", "2026-05-04 cli.run 2 2 0",
                                      "2026-05-05 cli.run 1 0 0"}));
  EXPECT_EQ(day_rows(day(3), day(5)),
            (std::vector<std::string>{"2026-05-03 cli.error 1 0 0", "2026-05-03 cli.run 2 2 0",
                                      "2026-05-04 cli.run 2 2 0"}));
  EXPECT_EQ(count_since("cli.run", day(1)), 4) << "counts_since reads raw rows only";
  EXPECT_EQ(count_since("cli.error", day(1)), 0);
  EXPECT_EQ(count_since("cli.run", day(4)), 3);

  // Expiring the late row adds its count to the day's rollup; distinct counts keep the larger.
  auto late = run(store_->expire_before(day(4)));
  ASSERT_TRUE(late) << late.error().log_detail;
  EXPECT_EQ(late->days_rolled_up, 1u);
  EXPECT_EQ(late->rows_deleted, 1u);
  EXPECT_EQ(day_rows(day(3), day(4)),
            (std::vector<std::string>{"2026-05-03 cli.error 1 0 0", "2026-05-03 cli.run 2 1 0"}));
}

TEST_P(TelemetryStoreContract, ExpiringTwiceChangesNothingMore) {
  ASSERT_TRUE(run(store_->write_ingested(
      std::vector<EventRow>{ingested("cli.run", day(3) + 1h, std::nullopt, std::string(32, 'a')),
                            ingested("cli.run", day(4) + 1h), ingested("cli.run", day(5) + 1h)})));
  auto first = run(store_->expire_before(day(5)));
  ASSERT_TRUE(first) << first.error().log_detail;
  EXPECT_EQ(first->days_rolled_up, 2u);
  EXPECT_EQ(first->rows_deleted, 2u);
  auto counts = day_rows(day(1), day(6));
  EXPECT_EQ(counts,
            (std::vector<std::string>{"2026-05-03 cli.run 1 1 0", "2026-05-04 cli.run 1 0 0",
                                      "2026-05-05 cli.run 1 0 0"}));

  auto second = run(store_->expire_before(day(5)));
  ASSERT_TRUE(second) << second.error().log_detail;
  EXPECT_EQ(second->days_rolled_up, 0u);
  EXPECT_EQ(second->rows_deleted, 0u);
  EXPECT_EQ(day_rows(day(1), day(6)), counts) << "nothing rolled up twice";
}

TEST_P(TelemetryStoreContract, ConcurrentExpiriesRollEachDayUpOnce) {
  ASSERT_TRUE(run(store_->write_ingested(
      std::vector<EventRow>{ingested("cli.run", day(2) + 1h), ingested("cli.run", day(3) + 1h),
                            ingested("cli.run", day(3) + 2h), ingested("cli.run", day(4) + 1h)})));
  std::promise<void> start;
  std::shared_future<void> started = start.get_future().share();
  core::Result<domain::telemetry::Expiry> results[2];
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      started.wait();
      results[t] = run(store_->expire_before(day(5)));
    });
  }
  start.set_value();
  for (auto& thread : threads) thread.join();
  ASSERT_TRUE(results[0]) << results[0].error().log_detail;
  ASSERT_TRUE(results[1]) << results[1].error().log_detail;
  EXPECT_EQ(results[0]->rows_deleted + results[1]->rows_deleted, 4u);
  EXPECT_EQ(results[0]->days_rolled_up + results[1]->days_rolled_up, 3u);
  EXPECT_EQ(day_rows(day(1), day(6)),
            (std::vector<std::string>{"2026-05-02 cli.run 1 0 0", "2026-05-03 cli.run 2 0 0",
                                      "2026-05-04 cli.run 1 0 0"}));
}

INSTANTIATE_TEST_SUITE_P(Backends, TelemetryStoreContract, ::testing::ValuesIn(backends()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace ferr::contract
