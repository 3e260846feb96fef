#pragma once
/// Writing a whole buffer to a file descriptor.

#include <string_view>

namespace ferr::core {

/// Writes all of `bytes` to `fd`, retrying short writes and interrupted calls. Returns 0, or the
/// errno of the write that failed (EIO for one that wrote nothing), after which the rest is not
/// written.
int write_all(int fd, std::string_view bytes) noexcept;

}  // namespace ferr::core
