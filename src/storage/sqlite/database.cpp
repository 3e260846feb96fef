#include "storage/sqlite/database.hpp"

#include <sqlite3.h>

#include <boost/asio/post.hpp>

#include <filesystem>
#include <system_error>

#include "core/log.hpp"
#include "core/try.hpp"

namespace ferr::storage::sqlite {

core::Result<std::unique_ptr<Database>> Database::open(const std::string& path, std::size_t readers,
                                                       WalCheckpoints checkpoints) {
  std::unique_ptr<Database> db(new Database());
  db->path_ = path;
  db->checkpoint_schedule_ = CheckpointSchedule(checkpoints);
  bool in_memory = path == ":memory:";
  if (!in_memory) {
    auto parent = std::filesystem::path(path).parent_path();
    std::error_code ec;
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    if (ec)
      return core::fail(core::Error::database("cannot create directory " + parent.string() + ": " +
                                              ec.message()));
  }
  FERR_TRY(db->writer_, Connection::open(path, Connection::Mode::read_write));
  if (!in_memory) {
    for (std::size_t i = 0; i < readers; ++i) {
      FERR_TRY(auto reader, Connection::open(path, Connection::Mode::read_only));
      db->idle_readers_.push_back(reader.get());
      db->readers_.push_back(std::move(reader));
    }
    FERR_TRY(db->checkpointer_, Connection::open(path, Connection::Mode::read_write));
    // Replaces SQLite's automatic checkpoint, which would run inside the writer's commit.
    sqlite3_wal_hook(db->writer_->raw(), &Database::on_commit, db.get());
  }
  // One thread per connection: every reader busy, the writer and a checkpoint too. More would
  // only queue on the connections; fewer would leave one idle while calls wait.
  db->writer_thread_ = std::make_unique<core::BlockingPool>(1, "ferr-sqlite-w");
  if (const std::size_t others = db->readers_.size() + (db->checkpointer_ ? 1 : 0); others > 0)
    db->reader_threads_ = std::make_unique<core::BlockingPool>(others, "ferr-sqlite-r");
  return db;
}

int Database::on_commit(void* self, sqlite3* writer, const char* schema, int frames) {
  auto& db = *static_cast<Database*>(self);
  switch (db.checkpoint_schedule_.after_commit(frames, db.last_pass())) {
    case CheckpointSchedule::Action::writer:
      // Copies what the background checkpoints have not, so that the next transaction can start
      // the log over.
      sqlite3_wal_checkpoint_v2(writer, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
      db.writer_checkpoints_.fetch_add(1);
      break;
    case CheckpointSchedule::Action::background:
      // One at a time: while one runs, the frames it did not reach wait for the next.
      if (!db.checkpoint_queued_.exchange(true))
        boost::asio::post(db.reader_threads_->executor(), [&db] { db.checkpoint_in_background(); });
      break;
    case CheckpointSchedule::Action::none: break;
  }
  return SQLITE_OK;
}

void Database::checkpoint_in_background() {
  // Passive: copies what no reader still needs, never waits for readers or the writer. A
  // checkpoint the writer runs at the same moment makes this one SQLITE_BUSY, which is fine.
  int log_frames = -1;
  int copied_frames = -1;
  const int rc = sqlite3_wal_checkpoint_v2(checkpointer_->raw(), nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                           &log_frames, &copied_frames);
  if (rc != SQLITE_OK && rc != SQLITE_BUSY)
    core::log::warn("sqlite checkpoint failed", {{"detail", sqlite3_errmsg(checkpointer_->raw())}});
  if (rc == SQLITE_OK && log_frames >= 0 && copied_frames >= 0)
    last_pass_.store(static_cast<std::uint64_t>(log_frames) << 32U |
                     static_cast<std::uint32_t>(copied_frames));
  background_checkpoints_.fetch_add(1);
  checkpoint_queued_.store(false);
}

CheckpointPass Database::last_pass() const {
  const std::uint64_t packed = last_pass_.load();
  return {static_cast<int>(packed >> 32U), static_cast<int>(packed & 0xffffffffU)};
}

void Database::join_threads() {
  if (writer_thread_) writer_thread_->join();
  if (reader_threads_) reader_threads_->join();
}

Database::~Database() { join_threads(); }

Database::ReaderLease::ReaderLease(Database& d) : db(d) {
  std::unique_lock lock(db.readers_mutex_);
  db.reader_available_.wait(lock, [&] { return !db.idle_readers_.empty(); });
  connection = db.idle_readers_.back();
  db.idle_readers_.pop_back();
}

Database::ReaderLease::~ReaderLease() {
  {
    std::lock_guard lock(db.readers_mutex_);
    db.idle_readers_.push_back(connection);
  }
  db.reader_available_.notify_one();
}

}  // namespace ferr::storage::sqlite
