#pragma once
/// The release version, from CMake's project() version.

#include <string_view>

namespace ferr::app {

inline constexpr std::string_view kVersion = FERR_VERSION;

}  // namespace ferr::app
