#pragma once
/// The per-account login lock of api.md.

#include <chrono>

namespace ferr::domain::accounts {

/// The lock after `failures` consecutive failed logins: none below 5, 60 s from 5, 5 min from
/// 10, 1 h from 20.
std::chrono::seconds login_lock_for(int failures);

}  // namespace ferr::domain::accounts
