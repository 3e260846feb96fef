#include "domain/telemetry/emitter.hpp"

#include <algorithm>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

#include "core/json_escape.hpp"
#include "core/log.hpp"
#include "domain/telemetry/outcomes.hpp"

namespace ferr::domain::telemetry {

ServerRow server_row(const ::ferr::telemetry::ServerEvent& event, const crypto::TelemetryKey& key,
                     const std::string& key_id, const core::Uuid& id, core::TimePoint occurred_at) {
  const auto& definition = event.definition();
  ServerRow out;
  EventRow& row = out.row;
  row.id = id;
  row.surface = std::string(::ferr::telemetry::surface_name(definition.surface));
  row.event = std::string(definition.name);
  if (event.org_id()) row.org_hash = crypto::pseudonym(key, *event.org_id());
  if (event.user_id()) row.user_hash = crypto::pseudonym(key, *event.user_id());
  // Built in a local string: GCC 12 at -O3 misreports appends to a member as overlapping
  // copies (-Wrestrict, GCC bug 105329).
  std::string properties(1, '{');
  for (const auto& property : event.properties()) {
    if (properties.size() > 1) properties += ',';
    core::append_json_string(properties, property.name);
    properties += ':';
    std::visit(
        [&](const auto& value) {
          using V = std::decay_t<decltype(value)>;
          if constexpr (std::is_same_v<V, std::string>) {
            core::append_json_string(properties, value);
          } else if constexpr (std::is_same_v<V, bool>) {
            properties += value ? "true" : "false";
          } else if constexpr (std::is_same_v<V, core::Uuid>) {
            core::append_json_string(properties, crypto::pseudonym(key, value));
          } else if constexpr (std::is_same_v<V, std::monostate>) {
            properties += "null";
          } else {
            properties += std::to_string(value);
          }
        },
        property.value);
  }
  properties += '}';
  row.properties = std::move(properties);
  row.schema_version = 1;
  row.origin = Origin::server;
  row.key_id = key_id;
  row.occurred_at = occurred_at;
  row.received_at = occurred_at;
  // Org events answer to the org's flag, user events to the user's (§3).
  if (definition.subject == ::ferr::telemetry::Subject::user && event.user_id()) {
    out.subject = OptOutSubject::user;
    out.subject_id = *event.user_id();
  } else {
    out.subject = OptOutSubject::org;
    out.subject_id = event.org_id().value_or(core::Uuid{});
  }
  return out;
}

Emitter::Emitter(TelemetryStore& store, crypto::TelemetryKey key, const core::Clock& clock,
                 core::Random& random, core::MetricsRegistry& metrics, EmitterOptions options,
                 core::Executor executor)
    : store_(store),
      key_(key),
      key_id_(crypto::key_id(key_)),
      clock_(clock),
      random_(random),
      options_(options),
      written_(outcome_counter(metrics, "written")),
      opted_out_(outcome_counter(metrics, "opted_out")),
      dropped_(outcome_counter(metrics, "dropped_queue_full")),
      failed_(outcome_counter(metrics, "failed")),
      wakeup_(executor) {
  metrics.gauge("telemetry_queue_depth", "Events waiting in the emitter queue", [this] {
    std::lock_guard lock(mutex_);
    return static_cast<double>(queue_.size());
  });
  core::spawn_detached(executor, run());
}

Emitter::~Emitter() { drain(std::chrono::milliseconds(0)); }

void Emitter::emit(::ferr::telemetry::ServerEvent event) noexcept {
  try {
    auto now = clock_.now();
    bool full_batch = false;
    {
      std::lock_guard lock(mutex_);
      if (stopping_ || queue_.size() >= options_.capacity) {
        dropped_.inc();
        return;
      }
      queue_.push_back({std::move(event), now});
      ++accepted_;
      full_batch = queue_.size() == options_.max_batch;
    }
    if (full_batch) wakeup_.notify();
  } catch (...) {
    dropped_.inc();  // out of memory: telemetry gives way, the request goes on
  }
}

void Emitter::flush() {
  std::unique_lock lock(mutex_);
  auto target = accepted_;
  wakeup_.notify();
  progress_.wait(lock, [&] { return settled_ >= target || !running_; });
}

bool Emitter::drain(std::chrono::milliseconds deadline) {
  std::unique_lock lock(mutex_);
  if (!stopping_) {
    stopping_ = true;
    wakeup_.notify();
  }
  bool complete = progress_.wait_for(lock, deadline, [&] { return settled_ >= accepted_; });
  if (!complete) {
    abandon_ = true;  // give up retries: the writer stops after its current write
    wakeup_.notify();
  }
  // The writer finishes its current write (bounded by the store's own timeouts) and returns;
  // the bound here only matters if its loop was stopped under it, which shutdown never does.
  if (!progress_.wait_for(lock, std::max(deadline, std::chrono::milliseconds(1000)) * 10,
                          [&] { return !running_; }))
    core::log::warn("telemetry writer did not stop in time");
  if (!queue_.empty()) {
    core::log::warn("telemetry events lost at shutdown", {{"count", queue_.size()}});
    failed_.inc(queue_.size());
    queue_.clear();
  }
  settled_ = accepted_;
  progress_.notify_all();
  return complete;
}

bool Emitter::abandoned() {
  std::lock_guard lock(mutex_);
  return abandon_;
}

core::Task<void> Emitter::run() {
  for (;;) {
    std::vector<Queued> batch;
    {
      std::lock_guard lock(mutex_);
      if (queue_.empty() || abandon_) {
        if (stopping_) break;
      } else {
        auto n = std::min(queue_.size(), options_.max_batch);
        batch.reserve(n);
        for (std::size_t i = 0; i < n; ++i) {
          batch.push_back(std::move(queue_.front()));
          queue_.pop_front();
        }
      }
    }
    if (batch.empty()) {
      // Nothing queued: sleep until a flush interval passes or someone wakes us.
      co_await wakeup_.sleep_for(options_.flush_every);
      continue;
    }
    co_await write(batch);
    {
      // Notified under the lock: a waiter in drain() may destroy the emitter as soon as it can
      // take the lock.
      std::lock_guard lock(mutex_);
      settled_ += batch.size();
      progress_.notify_all();
    }
    // Events that arrived during the write are written at once, not a flush interval later;
    // under load the writer thus runs back to back, one transaction per batch.
  }
  std::lock_guard lock(mutex_);
  running_ = false;
  progress_.notify_all();
}

core::Task<void> Emitter::back_off(std::chrono::milliseconds duration) {
  auto until = std::chrono::steady_clock::now() + duration;
  for (auto now = std::chrono::steady_clock::now(); now < until && !abandoned();
       now = std::chrono::steady_clock::now())
    co_await wakeup_.sleep_for(until - now);
}

core::Task<void> Emitter::write(std::vector<Queued>& batch) {
  std::vector<ServerRow> rows;
  rows.reserve(batch.size());
  for (auto& queued : batch)
    rows.push_back(server_row(queued.event, key_, key_id_, core::Uuid::v7(clock_, random_),
                              queued.occurred_at));
  auto backoff = options_.first_backoff;
  for (int attempt = 1;; ++attempt) {
    auto result = co_await store_.write_server_events(rows);
    if (result) {
      written_.inc(result->written);
      opted_out_.inc(result->opted_out);
      co_return;
    }
    const bool outage = result.error().code == core::ErrorCode::service_unavailable;
    // One line per failure, but an outage logs its first attempts and then every tenth only.
    if (!outage || attempt <= 3 || attempt % 10 == 0) {
      core::log::warn(
          "telemetry write failed",
          {{"count", rows.size()}, {"attempt", attempt}, {"error", result.error().log_detail}});
    }
    bool give_up = (!outage && attempt >= options_.attempts) || abandoned();
    if (!give_up) {
      co_await back_off(backoff);
      give_up = abandoned();
    }
    if (give_up) {
      core::log::warn("telemetry events dropped after failed writes", {{"count", rows.size()}});
      failed_.inc(rows.size());
      co_return;
    }
    backoff = std::min(backoff * 2, options_.max_backoff);
  }
}

}  // namespace ferr::domain::telemetry
