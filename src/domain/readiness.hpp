#pragma once
/// Whether the service can do useful work right now (used by `GET /readyz`).

#include "core/error.hpp"
#include "core/task.hpp"

namespace ferr::domain {

/// A probe of the storage: the database answers and its schema is current.
class ReadinessCheck {
 public:
  virtual ~ReadinessCheck() = default;
  /// Succeeds when ready; the error says why not (for the log).
  virtual core::Task<core::Result<void>> check() = 0;
};

}  // namespace ferr::domain
