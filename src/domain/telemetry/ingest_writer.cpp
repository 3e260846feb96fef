#include "domain/telemetry/ingest_writer.hpp"

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

IngestWriter::IngestWriter(TelemetryStore& store, std::size_t max_rows_per_commit)
    : store_(store), max_rows_(max_rows_per_commit) {}

core::Task<core::Result<std::vector<bool>>> IngestWriter::write(std::vector<EventRow> rows) {
  auto self = std::make_shared<Waiter>();
  self->rows = std::move(rows);
  bool leader = false;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) co_return core::fail(shutting_down());
    pending_.push_back(self);
    // With no leader the queue was empty: this request heads it and leads.
    leader = !leading_;
    leading_ = true;
  }
  if (!leader) {
    auto outcome = co_await self->done.wait();
    if (outcome) co_return std::move(*outcome);
    // Handed the lead: this request now heads the queue.
  }
  co_return co_await lead(self);
}

core::Task<core::Result<std::vector<bool>>> IngestWriter::lead(
    const std::shared_ptr<Waiter>& self) {
  // Whole requests up to the row budget (always at least this one).
  std::vector<std::shared_ptr<Waiter>> group;
  std::size_t rows = 0;
  {
    std::lock_guard lock(mutex_);
    while (!pending_.empty() &&
           (group.empty() || rows + pending_.front()->rows.size() <= max_rows_)) {
      rows += pending_.front()->rows.size();
      group.push_back(std::move(pending_.front()));
      pending_.pop_front();
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
    std::lock_guard lock(mutex_);
    if (pending_.empty()) {
      leading_ = false;
      idle_.notify_all();  // under the lock: stop() may return, and the writer go, right after
    } else {
      next = pending_.front();
    }
  }
  if (next) next->done.set(std::nullopt);
  co_return std::move(*mine);
}

void IngestWriter::stop() {
  std::unique_lock lock(mutex_);
  stopping_ = true;
  // Every request was answered before the server stopped, so no commit should be running; the
  // bound only matters if a request was cut off with the lead (a drain past its grace period).
  if (!idle_.wait_for(lock, std::chrono::seconds(10), [&] { return !leading_; }))
    core::log::warn("ingestion group commit did not finish before shutdown");
}

}  // namespace ferr::domain::telemetry
