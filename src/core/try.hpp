#pragma once
/// Early return on failure, the one way the code base propagates a failed `Result`.
///
///   FERR_TRY(auto user, find(id));          // binds the value, or returns the error
///   FERR_TRY(existing, read(row));          // assigns to an existing variable
///   FERR_CHECK(write(row));                 // a Result<void> (or a value not needed)
///
/// Inside a coroutine the same spellings begin with CO_ (`FERR_CO_TRY`, `FERR_CO_CHECK`), since
/// C++ has no `return` that works in both. The expression is evaluated once; a failure's Error is
/// moved into the caller's own Result type.

#include <utility>

#include "core/error.hpp"

#define FERR_TRY_CONCAT_INNER(a, b) a##b
#define FERR_TRY_CONCAT(a, b) FERR_TRY_CONCAT_INNER(a, b)
#define FERR_TRY_TEMP FERR_TRY_CONCAT(ferr_try_, __LINE__)

// NOLINTBEGIN(bugprone-macro-parentheses): `target` is a declaration or an lvalue, not an
// expression to parenthesise.
#define FERR_TRY_IMPL(ret, temp, target, ...)                 \
  auto temp = (__VA_ARGS__);                                  \
  if (!temp) ret ::ferr::core::fail(std::move(temp.error())); \
  target = std::move(*temp)

#define FERR_CHECK_IMPL(ret, temp, ...)                         \
  do {                                                          \
    auto temp = (__VA_ARGS__);                                  \
    if (!temp) ret ::ferr::core::fail(std::move(temp.error())); \
  } while (0)
// NOLINTEND(bugprone-macro-parentheses)

/// Evaluates the Result `...`; returns its error, or puts its value into `target`.
#define FERR_TRY(target, ...) FERR_TRY_IMPL(return, FERR_TRY_TEMP, target, __VA_ARGS__)
/// Evaluates the Result `...` and returns its error; the value, if any, is dropped.
#define FERR_CHECK(...) FERR_CHECK_IMPL(return, FERR_TRY_TEMP, __VA_ARGS__)
/// FERR_TRY inside a coroutine.
#define FERR_CO_TRY(target, ...) FERR_TRY_IMPL(co_return, FERR_TRY_TEMP, target, __VA_ARGS__)
/// FERR_CHECK inside a coroutine.
#define FERR_CO_CHECK(...) FERR_CHECK_IMPL(co_return, FERR_TRY_TEMP, __VA_ARGS__)
