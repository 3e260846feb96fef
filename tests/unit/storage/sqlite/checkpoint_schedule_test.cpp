#include "storage/sqlite/checkpoint_schedule.hpp"

#include <gtest/gtest.h>

namespace ferr::storage::sqlite {
namespace {

using Action = CheckpointSchedule::Action;

// Thresholds as shipped: a background pass per 1 000 new frames, closing from 4 000, bound 8 000.
const WalCheckpoints shipped{};
const CheckpointPass none_yet{};

TEST(CheckpointSchedule, FillingAsksForOneBackgroundPassPerThousandNewFrames) {
  CheckpointSchedule schedule(shipped);
  EXPECT_EQ(schedule.after_commit(12, none_yet), Action::none);
  EXPECT_EQ(schedule.after_commit(999, none_yet), Action::none);
  EXPECT_EQ(schedule.after_commit(1004, none_yet), Action::background);
  // The first version asked again after every commit past the threshold: a pass per commit
  // under load, two fsyncs each.
  EXPECT_EQ(schedule.after_commit(1016, {1004, 1004}), Action::none);
  EXPECT_EQ(schedule.after_commit(2003, {1004, 1004}), Action::none);
  EXPECT_EQ(schedule.after_commit(2004, {1004, 1004}), Action::background);
  EXPECT_EQ(schedule.after_commit(3010, {2004, 2004}), Action::background);
}

TEST(CheckpointSchedule, ClosingRunsPassesBackToBackThenTheWriterCopiesTheRest) {
  CheckpointSchedule schedule(shipped);
  EXPECT_EQ(schedule.after_commit(3999, {3000, 3000}), Action::background);
  // From half the bound, while more than 64 frames are left uncopied: another pass at once.
  EXPECT_EQ(schedule.after_commit(4010, {3000, 3000}), Action::background);
  EXPECT_EQ(schedule.after_commit(4022, {3000, 3000}), Action::background);
  EXPECT_EQ(schedule.after_commit(4100, {4010, 4010}), Action::background);
  // 64 frames or fewer left: the writer copies them, so its next transaction restarts the log.
  EXPECT_EQ(schedule.after_commit(4164, {4100, 4100}), Action::writer);
}

TEST(CheckpointSchedule, ALogThatStartedOverIsFillingAgain) {
  CheckpointSchedule schedule(shipped);
  EXPECT_EQ(schedule.after_commit(4150, {4100, 4100}), Action::writer);
  // The next commit finds a short log: the previous one was copied and started over.
  EXPECT_EQ(schedule.after_commit(12, {4100, 4100}), Action::none);
  EXPECT_EQ(schedule.after_commit(998, {4100, 4100}), Action::none);
  EXPECT_EQ(schedule.after_commit(1001, {4100, 4100}), Action::background);
}

TEST(CheckpointSchedule, APassOverTheLongerLogBeforeARestartCopiedNoneOfThisOne) {
  CheckpointSchedule schedule({.background_after_frames = 100000, .writer_after_frames = 8000});
  // The only pass on record saw 7 000 frames, more than this log holds: it ran on the previous
  // log, so all 4 050 frames here are uncopied and closing goes on with passes.
  EXPECT_EQ(schedule.after_commit(4050, {7000, 7000}), Action::background);
  EXPECT_EQ(schedule.after_commit(4060, {4050, 4050}), Action::writer);
}

TEST(CheckpointSchedule, PastTheBoundTheWriterCheckpointsAfterEveryCommit) {
  CheckpointSchedule schedule(shipped);
  // The passes could not catch up (a long read holds the log, or the disk is slow): whatever
  // they copied, the writer bounds the log itself, as SQLite's automatic checkpoint does.
  EXPECT_EQ(schedule.after_commit(8000, {4000, 4000}), Action::writer);
  EXPECT_EQ(schedule.after_commit(8012, {4000, 4000}), Action::writer);
  EXPECT_EQ(schedule.after_commit(9000, none_yet), Action::writer);
}

}  // namespace
}  // namespace ferr::storage::sqlite
