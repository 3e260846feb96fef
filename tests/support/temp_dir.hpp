#pragma once
/// A fresh directory of its own under the system temp directory, removed with everything in it at
/// scope end. mkdtemp makes the name unique on this machine — not only within this process — so a
/// directory another run left behind (a crashed test, an earlier CI job whose process had the same
/// pid) can never be mistaken for this one.

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>

namespace ferr::testing {

class TempDir {
 public:
  explicit TempDir(std::string_view tag = "test") {
    std::string pattern =
        (std::filesystem::temp_directory_path() / ("ferr-" + std::string(tag) + "-XXXXXX"))
            .string();
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed for " + pattern);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  /// `name` inside the directory, as a string (for Database::open and the like).
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace ferr::testing
