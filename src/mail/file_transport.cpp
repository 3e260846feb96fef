#include "mail/file_transport.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <string_view>
#include <system_error>

#include "core/hex.hpp"
#include "core/random.hpp"
#include "core/write_all.hpp"
#include "mail/message_format.hpp"

namespace ferr::mail {
namespace {

// Shared by every transport of the process: two of them writing into one directory in the
// same millisecond still get ordered, distinct names.
std::atomic<std::uint64_t> g_counter{0};

core::Result<void> make_dir(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return core::fail(core::Error::internal("mail directory: " + ec.message()));
  if (!std::filesystem::is_directory(dir, ec))
    return core::fail(core::Error::internal("mail directory: not a directory"));
  return {};
}

std::string file_name() {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::system_clock::now().time_since_epoch())
                .count();
  std::uint64_t n = g_counter.fetch_add(1, std::memory_order_relaxed) % 100'000'000;
  std::array<std::uint8_t, 8> random{};
  core::SodiumRandom().fill(random);
  // Fixed widths keep the lexical order of names equal to the order of writing.
  return fmt::format("{:013}-{:08}-{}.eml", ms, n, core::to_hex(random));
}

core::Error errno_error(std::string_view what, int err) {
  return core::Error::internal(fmt::format("{}: {}", what, std::generic_category().message(err)));
}

core::Result<void> write_file(const std::filesystem::path& path, std::string_view content) {
  // 0600: the files hold verification codes and reset tokens.
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return core::fail(errno_error("mail file", errno));
  if (const int err = core::write_all(fd, content); err != 0) {
    ::close(fd);
    return core::fail(errno_error("mail file", err));
  }
  if (::close(fd) != 0) return core::fail(errno_error("mail file", errno));
  return {};
}

}  // namespace

core::Result<std::unique_ptr<FileTransport>> FileTransport::create(std::filesystem::path dir,
                                                                   std::string from) {
  auto address = sender_address(from);
  if (!address) return core::fail(address.error());
  if (dir.empty()) return core::fail(core::Error::validation("dir", "the directory is empty"));
  if (auto made = make_dir(dir); !made) return core::fail(made.error());
  return std::unique_ptr<FileTransport>(
      new FileTransport(std::move(dir), std::move(from), std::move(*address)));
}

core::Result<void> FileTransport::deliver(const domain::MailMessage& message) {
  auto text = format_message(message, from_,
                             {std::chrono::system_clock::now(), new_message_id(from_address_)});
  if (!text) return core::fail(text.error());
  // Again on each message: a developer may have emptied the directory with `rm -r`.
  if (auto made = make_dir(dir_); !made) return made;

  std::string name = file_name();
  // A leading dot and no `.eml` suffix: readers that list `*.eml` skip it until the rename.
  std::filesystem::path temp = dir_ / ("." + name + ".tmp");
  if (auto written = write_file(temp, *text); !written) {
    ::unlink(temp.c_str());
    return written;
  }
  std::error_code ec;
  std::filesystem::rename(temp, dir_ / name, ec);
  if (ec) {
    ::unlink(temp.c_str());
    return core::fail(core::Error::internal("mail file rename: " + ec.message()));
  }
  return {};
}

}  // namespace ferr::mail
