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
                 core::Random& random, core::MetricsRegistry& metrics, EmitterOptions options)
    : store_(store),
      key_(key),
      key_id_(crypto::key_id(key_)),
      clock_(clock),
      random_(random),
      options_(options),
      written_(outcome_counter(metrics, "written")),
      opted_out_(outcome_counter(metrics, "opted_out")),
      dropped_(outcome_counter(metrics, "dropped_queue_full")),
      failed_(outcome_counter(metrics, "failed")) {
  metrics.gauge("telemetry_queue_depth", "Events waiting in the emitter queue", [this] {
    std::lock_guard lock(mutex_);
    return static_cast<double>(queue_.size());
  });
  writer_ = std::thread([this] { run(); });
}

Emitter::~Emitter() { drain(std::chrono::milliseconds(0)); }

void Emitter::emit(::ferr::telemetry::ServerEvent event) noexcept {
  try {
    auto now = clock_.now();
    std::lock_guard lock(mutex_);
    if (stopping_ || queue_.size() >= options_.capacity) {
      dropped_.inc();
      return;
    }
    queue_.push_back({std::move(event), now});
    ++accepted_;
    if (queue_.size() >= options_.max_batch) wake_writer_.notify_one();
  } catch (...) {
    dropped_.inc();  // out of memory: telemetry gives way, the request goes on
  }
}

void Emitter::flush() {
  std::unique_lock lock(mutex_);
  auto target = accepted_;
  wake_writer_.notify_one();
  progress_.wait(lock, [&] { return settled_ >= target; });
}

bool Emitter::drain(std::chrono::milliseconds deadline) {
  std::unique_lock lock(mutex_);
  if (!writer_.joinable()) return queue_.empty();
  stopping_ = true;
  wake_writer_.notify_one();
  bool complete = progress_.wait_for(lock, deadline, [&] { return settled_ >= accepted_; });
  if (!complete) abandon_ = true;  // give up retries: the writer stops after its current write
  lock.unlock();
  writer_.join();
  lock.lock();
  if (!queue_.empty()) {
    core::log::warn("telemetry events lost at shutdown", {{"count", queue_.size()}});
    failed_.inc(queue_.size());
    queue_.clear();
  }
  settled_ = accepted_;
  progress_.notify_all();
  return complete;
}

void Emitter::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_writer_.wait_for(lock, options_.flush_every, [&] {
      return stopping_ || queue_.size() >= options_.max_batch || settled_ < accepted_;
    });
    if (queue_.empty()) {
      if (stopping_) return;
      continue;
    }
    if (abandon_) return;
    std::vector<Queued> batch;
    auto n = std::min(queue_.size(), options_.max_batch);
    batch.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    lock.unlock();
    write(batch);
    lock.lock();
    settled_ += batch.size();
    progress_.notify_all();
  }
}

void Emitter::write(std::vector<Queued>& batch) {
  std::vector<ServerRow> rows;
  rows.reserve(batch.size());
  for (auto& queued : batch)
    rows.push_back(server_row(queued.event, key_, key_id_, core::Uuid::v7(clock_, random_),
                              queued.occurred_at));
  auto backoff = options_.first_backoff;
  for (int attempt = 1;; ++attempt) {
    auto result = store_.write_server_events(rows);
    if (result) {
      written_.inc(result->written);
      opted_out_.inc(result->opted_out);
      return;
    }
    const bool outage = result.error().code == core::ErrorCode::service_unavailable;
    // One line per failure, but an outage logs its first attempts and then every tenth only.
    if (!outage || attempt <= 3 || attempt % 10 == 0) {
      core::log::warn(
          "telemetry write failed",
          {{"count", rows.size()}, {"attempt", attempt}, {"error", result.error().log_detail}});
    }
    bool give_up = !outage && attempt >= options_.attempts;
    if (!give_up) {
      std::unique_lock lock(mutex_);
      give_up = wake_writer_.wait_for(lock, backoff, [&] { return abandon_; });
    }
    if (give_up) {
      core::log::warn("telemetry events dropped after failed writes", {{"count", rows.size()}});
      failed_.inc(rows.size());
      return;
    }
    backoff = std::min(backoff * 2, options_.max_backoff);
  }
}

}  // namespace ferr::domain::telemetry
