#pragma once
/// When the SQLite writer's commit hook asks for a WAL checkpoint, decided from frame counts
/// alone, so the rule is tested without threads or timing.
///
/// SQLite starts the log over (writes from its first frame again) only when a write transaction
/// begins while every frame of it has been copied into the database file. Under steady load a
/// checkpoint running beside the writer never catches up with it, so the log only grows; and
/// queueing a checkpoint after every commit past a threshold, as the first version did, kept
/// one running all the time, copying a few frames with two fsyncs each pass (2 460 `fdatasync`
/// in 5 s of the single-envelope load). The cycle now:
///
/// - **filling**: a background checkpoint per `background_after_frames` new frames;
/// - **closing**, from half of `writer_after_frames`: background passes back to back, each
///   shorter than the one before, until at most `writer_remainder` frames are left uncopied;
///   then the writer copies those itself, in its commit, and its next transaction starts the
///   log over. The writer waits for a few dozen frames, not for a thousand.
/// - **bound**: past `writer_after_frames` (the passes cannot catch up, or a long read holds the
///   log) the writer checkpoints after every commit, as SQLite's automatic checkpoint does.

namespace ferr::storage::sqlite {

/// The thresholds, in WAL frames (one 4 KiB page and a 24-byte header each).
struct WalCheckpoints {
  /// A background checkpoint per this many new frames (SQLite's own automatic threshold).
  int background_after_frames = 1000;
  /// The bound on the log's length; closing starts at half of it.
  int writer_after_frames = 8000;
};

/// What the latest background checkpoint saw: the log's length and how much of it was copied.
struct CheckpointPass {
  int log_frames = 0;
  int copied_frames = 0;
};

class CheckpointSchedule {
 public:
  enum class Action { none, background, writer };

  /// Frames the writer copies itself when closing the log (about five commits under load).
  static constexpr int writer_remainder = 64;

  explicit CheckpointSchedule(WalCheckpoints thresholds)
      : thresholds_(thresholds), next_background_at_(thresholds.background_after_frames) {}

  /// What to do once a commit has left `frames` frames in the log, `last_pass` being the latest
  /// background checkpoint's outcome (a `background` answer is dropped while one runs).
  Action after_commit(int frames, CheckpointPass last_pass);

 private:
  WalCheckpoints thresholds_;
  int next_background_at_;
  int last_frames_ = 0;
};

}  // namespace ferr::storage::sqlite
