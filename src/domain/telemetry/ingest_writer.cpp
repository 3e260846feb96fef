#include "domain/telemetry/ingest_writer.hpp"

#include <utility>

namespace ferr::domain::telemetry {

IngestWriter::IngestWriter(TelemetryStore& store, std::size_t max_rows_per_commit)
    : store_(store), max_rows_(max_rows_per_commit) {
  writer_ = std::thread([this] { run(); });
}

IngestWriter::~IngestWriter() { stop(); }

void IngestWriter::submit(std::vector<EventRow> rows, Done done) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      pending_.push_back({std::move(rows), std::move(done)});
      // Under load the writer is busy committing and will find this submission when it looks
      // again: waking it only when it sleeps spares a futex call per request.
      if (writer_sleeping_) wake_.notify_one();
      return;
    }
  }
  core::Error closed{core::ErrorCode::service_unavailable, "the server is shutting down"};
  closed.retry_after_seconds = 1;
  done(core::fail(std::move(closed)));
}

void IngestWriter::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    wake_.notify_one();
  }
  if (writer_.joinable()) writer_.join();
}

void IngestWriter::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    writer_sleeping_ = true;
    wake_.wait(lock, [&] { return stopping_ || !pending_.empty(); });
    writer_sleeping_ = false;
    if (pending_.empty()) return;  // stopping, and everything submitted is written
    // Take whole submissions up to the row budget (always at least one).
    std::vector<Submission> group;
    std::size_t rows = 0;
    std::size_t taken = 0;
    while (taken < pending_.size() &&
           (taken == 0 || rows + pending_[taken].rows.size() <= max_rows_)) {
      rows += pending_[taken].rows.size();
      ++taken;
    }
    group.assign(std::make_move_iterator(pending_.begin()),
                 std::make_move_iterator(pending_.begin() + static_cast<std::ptrdiff_t>(taken)));
    pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(taken));
    lock.unlock();

    std::vector<EventRow> all;
    all.reserve(rows);
    for (auto& s : group)
      for (auto& row : s.rows) all.push_back(std::move(row));
    auto inserted = store_.write_ingested(all);
    std::size_t offset = 0;
    for (auto& s : group) {
      auto n = s.rows.size();
      if (inserted) {
        s.done(std::vector<bool>(inserted->begin() + static_cast<std::ptrdiff_t>(offset),
                                 inserted->begin() + static_cast<std::ptrdiff_t>(offset + n)));
      } else {
        s.done(core::fail(inserted.error()));
      }
      offset += n;
    }
    lock.lock();
  }
}

}  // namespace ferr::domain::telemetry
