#include "support/b3sum.hpp"

#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace ferr::testing {

namespace {

/// A temporary file, removed when it goes out of scope.
class TempFile {
 public:
  explicit TempFile(std::string_view content) {
    path_ = (std::filesystem::temp_directory_path() / "ferr_b3sum_XXXXXX").string();
    int fd = ::mkstemp(path_.data());
    if (fd < 0) return;
    ok_ = ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size());
    ::close(fd);
  }
  ~TempFile() { std::remove(path_.c_str()); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }
  bool ok() const { return ok_; }

 private:
  std::string path_;
  bool ok_ = false;
};

}  // namespace

std::optional<std::string> b3sum_keyed(const std::array<std::uint8_t, 32>& key,
                                       std::string_view message) {
  // Writing to a b3sum that could not start must fail the caller, not kill it with SIGPIPE.
  std::signal(SIGPIPE, SIG_IGN);
  TempFile input(message);
  TempFile output("");
  if (!input.ok() || !output.ok()) return std::nullopt;
  std::string command = "b3sum --keyed --no-names '" + input.path() + "' > '" + output.path() + "'";
  FILE* pipe = ::popen(command.c_str(), "w");
  if (pipe == nullptr) return std::nullopt;
  std::fwrite(key.data(), 1, key.size(), pipe);
  if (::pclose(pipe) != 0) return std::nullopt;
  std::ifstream in(output.path());
  std::string hex((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  while (!hex.empty() && (hex.back() == '\n' || hex.back() == ' ')) hex.pop_back();
  if (hex.size() != 64) return std::nullopt;
  return hex;
}

}  // namespace ferr::testing
