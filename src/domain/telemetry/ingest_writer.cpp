#include "domain/telemetry/ingest_writer.hpp"

#include <algorithm>
#include <chrono>
#include <exception>
#include <iterator>
#include <string>
#include <utility>

#include "core/log.hpp"

namespace ferr::domain::telemetry {

namespace {

core::Error shutting_down() {
  core::Error closed{core::ErrorCode::service_unavailable, "the server is shutting down"};
  closed.retry_after_seconds = 1;
  return closed;
}

}  // namespace

IngestWriter::IngestWriter(TelemetryStore& store, GroupCommits groups)
    : store_(store), max_rows_(groups.max_rows) {
  for (std::size_t i = 0; i < std::max<std::size_t>(groups.lanes, 1); ++i)
    lanes_.push_back(std::make_unique<Lane>());
}

core::Task<core::Result<std::vector<bool>>> IngestWriter::write(std::vector<EventRow> rows) {
  Lane& lane = *lanes_[next_lane_.fetch_add(1, std::memory_order_relaxed) % lanes_.size()];
  auto self = std::make_shared<Waiter>();
  self->rows = std::move(rows);
  bool leader = false;
  {
    std::lock_guard lock(lane.mutex);
    if (lane.stopping) co_return core::fail(shutting_down());
    lane.pending.push_back(self);
    // With no leader the queue was empty: this request heads it and leads.
    leader = !lane.leading;
    lane.leading = true;
  }
  if (!leader) {
    auto outcome = co_await self->done.wait();
    if (outcome) co_return std::move(*outcome);
    // Handed the lead: this request now heads the queue.
  }
  co_return co_await lead(lane, self);
}

core::Task<core::Result<std::vector<bool>>> IngestWriter::lead(
    Lane& lane, const std::shared_ptr<Waiter>& self) {
  // Whole requests up to the row budget (always at least this one).
  std::vector<std::shared_ptr<Waiter>> group;
  std::size_t rows = 0;
  {
    std::lock_guard lock(lane.mutex);
    while (!lane.pending.empty() &&
           (group.empty() || rows + lane.pending.front()->rows.size() <= max_rows_)) {
      rows += lane.pending.front()->rows.size();
      group.push_back(std::move(lane.pending.front()));
      lane.pending.pop_front();
    }
  }
  std::vector<EventRow> all;
  all.reserve(rows);
  for (auto& waiter : group)
    for (auto& row : waiter->rows) all.push_back(std::move(row));

  // Every member of the group must hear back, whatever happens to the commit.
  core::Result<std::vector<bool>> inserted =
      core::fail(core::Error::internal("group commit threw"));
  try {
    inserted = co_await store_.write_ingested(all);
  } catch (const std::exception& e) {
    inserted = core::fail(core::Error::internal(std::string("group commit threw: ") + e.what()));
  }

  if (inserted && inserted->size() != all.size())
    inserted = core::fail(core::Error::internal("group commit: the store answered for " +
                                                std::to_string(inserted->size()) + " of " +
                                                std::to_string(all.size()) + " rows"));
  std::optional<core::Result<std::vector<bool>>> mine;
  std::size_t offset = 0;
  for (auto& waiter : group) {
    auto n = waiter->rows.size();
    core::Result<std::vector<bool>> outcome =
        inserted ? core::Result<std::vector<bool>>(std::vector<bool>(
                       inserted->begin() + static_cast<std::ptrdiff_t>(offset),
                       inserted->begin() + static_cast<std::ptrdiff_t>(offset + n)))
                 : core::fail(inserted.error());
    offset += n;
    if (waiter == self) {
      mine = std::move(outcome);
    } else {
      waiter->done.set(std::move(outcome));
    }
  }
  // Requests that arrived during the commit: the first of them leads the next one.
  std::shared_ptr<Waiter> next;
  {
    std::lock_guard lock(lane.mutex);
    if (lane.pending.empty()) {
      lane.leading = false;
      lane.idle.notify_all();  // under the lock: stop() may return, and the writer go, right after
    } else {
      next = lane.pending.front();
    }
  }
  if (next) next->done.set(std::nullopt);
  co_return std::move(*mine);
}

void IngestWriter::stop() {
  for (auto& lane : lanes_) {
    std::unique_lock lock(lane->mutex);
    lane->stopping = true;
    // Every request was answered before the server stopped, so no commit should be running; the
    // bound only matters if a request was cut off with the lead (a drain past its grace period).
    if (!lane->idle.wait_for(lock, std::chrono::seconds(10), [&] { return !lane->leading; }))
      core::log::warn("ingestion group commit did not finish before shutdown");
  }
}

}  // namespace ferr::domain::telemetry
