#include "storage/sqlite/database.hpp"

#include <filesystem>
#include <system_error>

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
  auto writer = Connection::open(path, Connection::Mode::read_write);
  if (!writer) return core::fail(writer.error());
  db->writer_ = std::move(*writer);
  if (in_memory) return db;
  for (std::size_t i = 0; i < readers; ++i) {
    auto reader = Connection::open(path, Connection::Mode::read_only);
    if (!reader) return core::fail(reader.error());
    db->idle_readers_.push_back(reader->get());
    db->readers_.push_back(std::move(*reader));
  }
  return db;
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
