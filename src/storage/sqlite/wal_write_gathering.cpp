#include "storage/sqlite/wal_write_gathering.hpp"

#include <sqlite3.h>

#include <atomic>
#include <cstddef>
#include <new>
#include <vector>

namespace ferr::storage::sqlite {
namespace {

constexpr const char* kName = "ferr-wal-gather";
/// The most bytes gathered into one write: about thirty frames of 4 KiB. The unix VFS takes at
/// most 128 KiB - 1 per write (it masks the length with 0x1ffff), and a larger commit simply
/// makes several writes.
constexpr std::size_t kMaxGathered = std::size_t{120} << 10;
/// A WAL file starts with a 32-byte header; each frame with a 24-byte header whose bytes 4 to 7
/// hold, in a commit frame only, the database's size in pages (zero in every other frame).
constexpr sqlite3_int64 kWalHeaderBytes = 32;
constexpr int kFrameHeaderBytes = 24;

std::atomic<std::uint64_t> g_asked{0};
std::atomic<std::uint64_t> g_written{0};

/// A WAL file: ours first (SQLite hands out `sqlite3_file*`), the default VFS's file after it.
struct WalFile {
  sqlite3_file base;
  sqlite3_file* real;
  std::vector<char>* gathered;  ///< bytes not yet written, for offset `gathered_at`
  sqlite3_int64 gathered_at;
  bool commit_page_next;  ///< the last write was a commit frame's header
};

constexpr std::size_t real_offset() {
  return (sizeof(WalFile) + alignof(std::max_align_t) - 1) / alignof(std::max_align_t) *
         alignof(std::max_align_t);
}

sqlite3_vfs* real_vfs(sqlite3_vfs* ours) { return static_cast<sqlite3_vfs*>(ours->pAppData); }
WalFile& wal(sqlite3_file* f) { return *reinterpret_cast<WalFile*>(f); }
const sqlite3_io_methods& real_methods(WalFile& f) { return *f.real->pMethods; }

bool is_commit_frame_header(const void* data, int amount, sqlite3_int64 offset) {
  if (amount != kFrameHeaderBytes || offset < kWalHeaderBytes) return false;
  const auto* bytes = static_cast<const unsigned char*>(data);
  return (bytes[4] | bytes[5] | bytes[6] | bytes[7]) != 0;
}

int flush(WalFile& f) {
  if (f.gathered->empty()) return SQLITE_OK;
  g_written.fetch_add(1, std::memory_order_relaxed);
  const int rc = real_methods(f).xWrite(f.real, f.gathered->data(),
                                        static_cast<int>(f.gathered->size()), f.gathered_at);
  f.gathered->clear();
  return rc;
}

int wal_close(sqlite3_file* file) {
  WalFile& f = wal(file);
  const int flushed = flush(f);
  const int closed = real_methods(f).xClose(f.real);
  delete f.gathered;
  f.gathered = nullptr;
  return flushed != SQLITE_OK ? flushed : closed;
}

int wal_read(sqlite3_file* file, void* out, int amount, sqlite3_int64 offset) {
  WalFile& f = wal(file);
  if (int rc = flush(f); rc != SQLITE_OK) return rc;
  return real_methods(f).xRead(f.real, out, amount, offset);
}

int wal_write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  WalFile& f = wal(file);
  g_asked.fetch_add(1, std::memory_order_relaxed);
  const bool commit_page = f.commit_page_next;
  f.commit_page_next = is_commit_frame_header(data, amount, offset);
  std::vector<char>& gathered = *f.gathered;
  const auto size = static_cast<std::size_t>(amount);
  if (!gathered.empty() && (offset != f.gathered_at + static_cast<sqlite3_int64>(gathered.size()) ||
                            gathered.size() + size > kMaxGathered)) {
    if (int rc = flush(f); rc != SQLITE_OK) return rc;
  }
  if (gathered.empty()) f.gathered_at = offset;
  const auto* bytes = static_cast<const char*>(data);
  try {
    gathered.insert(gathered.end(), bytes, bytes + size);
  } catch (const std::bad_alloc&) {
    return SQLITE_IOERR_NOMEM;  // nothing may unwind through SQLite; the transaction fails
  }
  // The commit goes out whole before SQLite publishes it, and its error is the commit's.
  if (commit_page || gathered.size() >= kMaxGathered) return flush(f);
  return SQLITE_OK;
}

int wal_truncate(sqlite3_file* file, sqlite3_int64 size) {
  WalFile& f = wal(file);
  if (int rc = flush(f); rc != SQLITE_OK) return rc;
  return real_methods(f).xTruncate(f.real, size);
}

int wal_sync(sqlite3_file* file, int flags) {
  WalFile& f = wal(file);
  if (int rc = flush(f); rc != SQLITE_OK) return rc;
  return real_methods(f).xSync(f.real, flags);
}

int wal_file_size(sqlite3_file* file, sqlite3_int64* size) {
  WalFile& f = wal(file);
  if (int rc = flush(f); rc != SQLITE_OK) return rc;
  return real_methods(f).xFileSize(f.real, size);
}

int wal_lock(sqlite3_file* file, int level) {
  return real_methods(wal(file)).xLock(wal(file).real, level);
}
int wal_unlock(sqlite3_file* file, int level) {
  return real_methods(wal(file)).xUnlock(wal(file).real, level);
}
int wal_check_reserved_lock(sqlite3_file* file, int* out) {
  return real_methods(wal(file)).xCheckReservedLock(wal(file).real, out);
}
int wal_file_control(sqlite3_file* file, int op, void* arg) {
  return real_methods(wal(file)).xFileControl(wal(file).real, op, arg);
}
int wal_sector_size(sqlite3_file* file) {
  return real_methods(wal(file)).xSectorSize(wal(file).real);
}
int wal_device_characteristics(sqlite3_file* file) {
  return real_methods(wal(file)).xDeviceCharacteristics(wal(file).real);
}

// Version 1: SQLite maps neither a WAL file nor its shared memory through the WAL's own handle
// (the WAL index belongs to the database file, which is not wrapped).
const sqlite3_io_methods kWalMethods = {
    1,
    wal_close,
    wal_read,
    wal_write,
    wal_truncate,
    wal_sync,
    wal_file_size,
    wal_lock,
    wal_unlock,
    wal_check_reserved_lock,
    wal_file_control,
    wal_sector_size,
    wal_device_characteristics,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
};

int vfs_open(sqlite3_vfs* vfs, sqlite3_filename name, sqlite3_file* file, int flags,
             int* out_flags) {
  sqlite3_vfs* real = real_vfs(vfs);
  // Every other file is the default VFS's own, methods included: nothing in between.
  if ((flags & SQLITE_OPEN_WAL) == 0) return real->xOpen(real, name, file, flags, out_flags);
  auto* f = new (file) WalFile{};
  f->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + real_offset());
  const int rc = real->xOpen(real, name, f->real, flags, out_flags);
  if (rc != SQLITE_OK) {
    // SQLite calls xClose only on a file whose pMethods is set.
    if (f->real->pMethods) f->real->pMethods->xClose(f->real);
    f->base.pMethods = nullptr;
    return rc;
  }
  f->gathered = new (std::nothrow) std::vector<char>();
  if (!f->gathered) {
    f->real->pMethods->xClose(f->real);
    f->base.pMethods = nullptr;
    return SQLITE_NOMEM;
  }
  f->base.pMethods = &kWalMethods;
  return SQLITE_OK;
}

int vfs_delete(sqlite3_vfs* vfs, const char* name, int sync_dir) {
  return real_vfs(vfs)->xDelete(real_vfs(vfs), name, sync_dir);
}
int vfs_access(sqlite3_vfs* vfs, const char* name, int flags, int* out) {
  return real_vfs(vfs)->xAccess(real_vfs(vfs), name, flags, out);
}
int vfs_full_pathname(sqlite3_vfs* vfs, const char* name, int size, char* out) {
  return real_vfs(vfs)->xFullPathname(real_vfs(vfs), name, size, out);
}
void* vfs_dl_open(sqlite3_vfs* vfs, const char* name) {
  return real_vfs(vfs)->xDlOpen(real_vfs(vfs), name);
}
void vfs_dl_error(sqlite3_vfs* vfs, int size, char* out) {
  real_vfs(vfs)->xDlError(real_vfs(vfs), size, out);
}
void (*vfs_dl_sym(sqlite3_vfs* vfs, void* handle, const char* symbol))(void) {
  return real_vfs(vfs)->xDlSym(real_vfs(vfs), handle, symbol);
}
void vfs_dl_close(sqlite3_vfs* vfs, void* handle) {
  real_vfs(vfs)->xDlClose(real_vfs(vfs), handle);
}
int vfs_randomness(sqlite3_vfs* vfs, int size, char* out) {
  return real_vfs(vfs)->xRandomness(real_vfs(vfs), size, out);
}
int vfs_sleep(sqlite3_vfs* vfs, int microseconds) {
  return real_vfs(vfs)->xSleep(real_vfs(vfs), microseconds);
}
int vfs_current_time(sqlite3_vfs* vfs, double* out) {
  return real_vfs(vfs)->xCurrentTime(real_vfs(vfs), out);
}
int vfs_last_error(sqlite3_vfs* vfs, int size, char* out) {
  return real_vfs(vfs)->xGetLastError(real_vfs(vfs), size, out);
}
int vfs_current_time_int64(sqlite3_vfs* vfs, sqlite3_int64* out) {
  return real_vfs(vfs)->xCurrentTimeInt64(real_vfs(vfs), out);
}

sqlite3_vfs make_vfs() {
  sqlite3_vfs* real = sqlite3_vfs_find(nullptr);
  sqlite3_vfs v{};
  v.iVersion = 2;  // version 3 adds only the system-call overrides SQLite's own tests use
  v.szOsFile = static_cast<int>(real_offset()) + real->szOsFile;
  v.mxPathname = real->mxPathname;
  v.zName = kName;
  v.pAppData = real;
  v.xOpen = vfs_open;
  v.xDelete = vfs_delete;
  v.xAccess = vfs_access;
  v.xFullPathname = vfs_full_pathname;
  v.xDlOpen = vfs_dl_open;
  v.xDlError = vfs_dl_error;
  v.xDlSym = vfs_dl_sym;
  v.xDlClose = vfs_dl_close;
  v.xRandomness = vfs_randomness;
  v.xSleep = vfs_sleep;
  v.xCurrentTime = vfs_current_time;
  v.xGetLastError = vfs_last_error;
  v.xCurrentTimeInt64 = vfs_current_time_int64;
  return v;
}

}  // namespace

const char* wal_write_gathering_vfs() {
  // SQLite keeps the pointer: the VFS lives as long as the process, registered once.
  static sqlite3_vfs vfs = make_vfs();
  static const int registered = sqlite3_vfs_register(&vfs, 0);
  (void)registered;
  return kName;
}

WalWriteCounts wal_write_counts() {
  return {g_asked.load(std::memory_order_relaxed), g_written.load(std::memory_order_relaxed)};
}

}  // namespace ferr::storage::sqlite
