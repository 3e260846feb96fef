#include "storage/sqlite/checkpoint_schedule.hpp"

namespace ferr::storage::sqlite {

CheckpointSchedule::Action CheckpointSchedule::after_commit(int frames, CheckpointPass last_pass) {
  // Fewer frames than after the previous commit: the log started over.
  if (frames < last_frames_) next_background_at_ = thresholds_.background_after_frames;
  last_frames_ = frames;
  if (frames >= thresholds_.writer_after_frames) return Action::writer;

  if (frames >= thresholds_.writer_after_frames / 2) {
    // A pass that saw a longer log than this one ran before the log started over: it copied
    // none of this log. (One that saw a shorter older log can overstate the copy by its length,
    // which only makes the writer's part larger, and the bound still holds.)
    const int copied = last_pass.log_frames <= frames ? last_pass.copied_frames : 0;
    return frames - copied <= writer_remainder ? Action::writer : Action::background;
  }

  if (frames < next_background_at_) return Action::none;
  next_background_at_ = frames + thresholds_.background_after_frames;
  return Action::background;
}

}  // namespace ferr::storage::sqlite
