#pragma once
// Helpers shared by the mail tests: capturing the log, reading files, decoding RFC 2047 words.

#include <spdlog/sinks/ostream_sink.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "core/log.hpp"
#include "support/temp_dir.hpp"

namespace ferr::mail::test {

// Installs a logger writing into memory for the life of the object. The log is process-wide:
// whatever logs (a mailer's worker thread) must be gone before this is destroyed.
class LogCapture {
 public:
  LogCapture() { core::log::init(core::log::Level::debug, std::make_shared<sink_t>(stream_)); }
  ~LogCapture() { core::log::shutdown(); }
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;

  // Every line written so far.
  std::vector<std::string> lines() {
    core::log::flush();
    std::vector<std::string> out;
    std::istringstream in(stream_.str());
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
  }
  // Everything written so far, as one string.
  std::string text() {
    core::log::flush();
    return stream_.str();
  }

 private:
  using sink_t = spdlog::sinks::ostream_sink_mt;
  std::ostringstream stream_;
};

// The whole content of a file, bytes as they are.
inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

// A fresh empty directory of its own, removed by the destructor.
using TempDir = ferr::testing::TempDir;

// Decodes standard base64 (test input only: no validation beyond what the tests need).
inline std::string decode_base64(std::string_view text) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : text) {
    int v = value(c);
    if (v < 0) break;
    buffer = (buffer << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xff));
    }
  }
  return out;
}

}  // namespace ferr::mail::test
