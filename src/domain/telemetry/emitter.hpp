#pragma once
/// The server-side emitter (telemetry.md §3). Handlers hand events to a bounded in-memory queue
/// and return at once; one writer coroutine, on the executor it is given (the application's
/// background loop), drains the queue in batches — one transaction each, at least every
/// `flush_every` — computing the pseudonyms and checking the opt-out flags as it writes. A full
/// queue drops the event; a failing store is retried a bounded number of times, then the batch is
/// counted as failed. Nothing here ever reaches a handler's response.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <vector>

#include "core/clock.hpp"
#include "core/metrics.hpp"
#include "core/random.hpp"
#include "core/task.hpp"
#include "core/wakeup.hpp"
#include "crypto/keyed_hash.hpp"
#include "domain/telemetry/telemetry_store.hpp"
#include "telemetry/server_event.hpp"

namespace ferr::domain::telemetry {

struct EmitterOptions {
  std::size_t capacity = 65536;                 ///< FERRLABS_TELEMETRY_QUEUE
  std::chrono::milliseconds flush_every{250};   ///< longest an event waits in the queue
  std::size_t max_batch = 2048;                 ///< rows per transaction
  int attempts = 4;                             ///< writes of one batch before giving up
  std::chrono::milliseconds first_backoff{50};  ///< doubled after each failed attempt
  std::chrono::milliseconds max_backoff{2000};  ///< the doubling stops here
  // A failure that is an outage (`service_unavailable`: the database is down or restarting)
  // does not count against `attempts`: the batch is retried until the database is back, while
  // the queue keeps accepting events up to `capacity` (drain() still bounds the wait).
};

/// Converts a built event into the row the store writes: pseudonyms under `key`, `key_id`,
/// properties as a JSON object, origin `server`.
ServerRow server_row(const ::ferr::telemetry::ServerEvent& event, const crypto::TelemetryKey& key,
                     const std::string& key_id, const core::Uuid& id, core::TimePoint occurred_at);

class Emitter {
 public:
  /// Starts the writer coroutine on `executor`, which must run on one thread at a time and keep
  /// running until drain() returns.
  Emitter(TelemetryStore& store, crypto::TelemetryKey key, const core::Clock& clock,
          core::Random& random, core::MetricsRegistry& metrics, EmitterOptions options,
          core::Executor executor);
  ~Emitter();
  Emitter(const Emitter&) = delete;
  Emitter& operator=(const Emitter&) = delete;

  /// Queues `event`; never blocks and never throws. When the queue is full (or the emitter has
  /// stopped) the event is dropped and counted `dropped_queue_full`.
  void emit(::ferr::telemetry::ServerEvent event) noexcept;
  /// Waits until every event queued before the call has been written (or has failed). Blocks:
  /// for tests and tools, never from an event loop; handlers never wait for telemetry.
  void flush();
  /// Stops accepting events and writes what is queued, waiting at most `deadline` (blocks; at
  /// shutdown). True when nothing was left behind.
  bool drain(std::chrono::milliseconds deadline);
  /// The key pseudonyms are computed under.
  const crypto::TelemetryKey& key() const { return key_; }
  /// The key id stored with every row (8 hex characters).
  const std::string& key_id() const { return key_id_; }

 private:
  struct Queued {
    ::ferr::telemetry::ServerEvent event;
    core::TimePoint occurred_at;
  };

  core::Task<void> run();
  core::Task<void> write(std::vector<Queued>& batch);
  /// Sleeps `duration` unless the drain gives up on retries meanwhile.
  core::Task<void> back_off(std::chrono::milliseconds duration);
  bool abandoned();

  TelemetryStore& store_;
  crypto::TelemetryKey key_;
  std::string key_id_;
  const core::Clock& clock_;
  core::Random& random_;
  EmitterOptions options_;

  core::Counter& written_;
  core::Counter& opted_out_;
  core::Counter& dropped_;
  core::Counter& failed_;

  std::mutex mutex_;
  std::condition_variable wake_writer_;
  std::condition_variable progress_;
  std::deque<Queued> queue_;
  std::uint64_t accepted_ = 0;  ///< events ever queued
  std::uint64_t settled_ = 0;   ///< events written, suppressed or failed
  bool stopping_ = false;
  bool abandon_ = false;  ///< the drain deadline passed: stop retrying
  bool running_ = true;   ///< the writer coroutine has not finished
  core::Wakeup wakeup_;   ///< wakes the writer: a full batch, a flush, a drain
};

}  // namespace ferr::domain::telemetry
