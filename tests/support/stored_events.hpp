#pragma once
// Reading back what telemetry stored, for the suites that check the rows themselves.

#include <optional>
#include <string>
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
};

/// The rows of `event` (every event when empty), oldest first, read from the application's
/// database (SQLite or PostgreSQL) without the code under test. Rows of one instant come in the
/// order they were written on SQLite and in id order on PostgreSQL, which keeps no insertion
/// order; there `properties` is jsonb's text, whose keys PostgreSQL re-orders: parse it.
std::vector<StoredEvent> stored_events(app::Application& app, const std::string& event = "");

/// The pseudonym of `uuid` under the test key (support/api_test.hpp), computed by `b3sum`.
std::string b3sum_pseudonym(const std::string& uuid);

}  // namespace ferr::testing
