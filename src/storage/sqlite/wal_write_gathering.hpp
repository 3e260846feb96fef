#pragma once
/// A SQLite VFS that writes each commit's WAL frames with one write(2) instead of two per frame.
///
/// SQLite appends a frame to the log as two writes, its 24-byte header and then its page, so a
/// group commit of a dozen pages makes two dozen system calls; on a paravirtualised host each
/// costs more than copying the page. This VFS forwards everything to the platform's default VFS
/// and, for WAL files only, gathers contiguous writes in memory and hands them over in one write
/// when the commit frame's page arrives (its header carries the database's size, which only a
/// commit frame does), before any read, sync, truncation or size query of the log, when a write
/// is not contiguous, and past a bound. The bytes, their order and their offsets are SQLite's;
/// only the number of calls changes. Durability does not change either: the commit frame is on
/// the file before SQLite publishes the commit in the WAL index, so no reader or checkpointer
/// can see a frame that is not yet written, and a failed write fails the commit as before.

#include <cstdint>

namespace ferr::storage::sqlite {

/// The VFS's name for sqlite3_open_v2, registered (not as the default) on the first call.
const char* wal_write_gathering_vfs();

/// Process-wide counts of WAL writes SQLite asked for and of writes made to the files.
struct WalWriteCounts {
  std::uint64_t asked = 0;
  std::uint64_t written = 0;
};
WalWriteCounts wal_write_counts();

}  // namespace ferr::storage::sqlite
