#pragma once
// Reading back what telemetry stored, for the suites that check the rows themselves.

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/application.hpp"

namespace ferr::testing {

/// One row of telemetry_events, as text.
struct StoredEvent {
  std::string id, surface, event;
  std::optional<std::string> event_id, org_hash, user_hash, key_id;
  std::string properties, origin;
  int schema_version = 0;
  long long occurred_at = 0, received_at = 0;  ///< Unix ms
  bool properties_as_jsonb = false;            ///< read from PostgreSQL: see properties_are
};

/// The rows of `event` (every event when empty), oldest first and rows of one instant in the
/// order they were written, read from the application's database (SQLite or PostgreSQL) without
/// the code under test.
std::vector<StoredEvent> stored_events(app::Application& app, const std::string& event = "");

/// One row of telemetry_daily, as text and numbers.
struct StoredDay {
  std::string day, surface, event;  ///< day: YYYY-MM-DD
  long long count = 0, orgs = 0, users = 0;
  bool operator==(const StoredDay&) const = default;
};

/// The daily rollups, by day then event, read like stored_events.
std::vector<StoredDay> stored_days(app::Application& app);

/// Whether `row` holds the properties `expected` (a JSON object's text): the very text on SQLite,
/// which stores what it was given; the same object on PostgreSQL, whose jsonb keeps the object
/// and not its text (keys re-ordered, spaces added).
::testing::AssertionResult properties_are(const StoredEvent& row, std::string_view expected);

/// The pseudonym of `uuid` under the test key (support/api_test.hpp), computed by `b3sum`.
std::string b3sum_pseudonym(const std::string& uuid);

}  // namespace ferr::testing
