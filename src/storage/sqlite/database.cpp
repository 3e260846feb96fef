#include "storage/sqlite/database.hpp"

#include <filesystem>
#include <system_error>

#include "core/try.hpp"

namespace ferr::storage::sqlite {

core::Result<std::unique_ptr<Database>> Database::open(const std::string& path,
                                                       std::size_t readers) {
  std::unique_ptr<Database> db(new Database());
  db->path_ = path;
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
  }
  // One thread per connection: every reader busy and the writer too. More would only queue
  // on the connections; fewer would leave one idle while calls wait.
  db->pool_ = std::make_unique<core::BlockingPool>(db->readers_.size() + 1);
  return db;
}

Database::~Database() {
  if (pool_) pool_->join();
}

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
