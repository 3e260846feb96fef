#include "core/log.hpp"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <mutex>

#include "core/json_escape.hpp"
#include "core/time_format.hpp"

namespace ferr::core::log {
namespace {

// Lines are buffered and written in large chunks: a write(2) per request would cost more than
// the request itself on the hot routes. Warnings and errors are flushed at once, the rest at
// least every second (spdlog::flush_every) and at exit.
class BufferedStderrSink final : public spdlog::sinks::base_sink<std::mutex> {
 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    buffer_.append(msg.payload.data(), msg.payload.size());
    buffer_.push_back('\n');
    if (buffer_.size() >= kFlushThreshold) flush_();
  }
  void flush_() override {
    std::size_t written = 0;
    while (written < buffer_.size()) {
      ssize_t n = ::write(STDERR_FILENO, buffer_.data() + written, buffer_.size() - written);
      if (n <= 0) break;  // stderr closed or broken: drop rather than block the server
      written += static_cast<std::size_t>(n);
    }
    buffer_.clear();
  }

 private:
  static constexpr std::size_t kFlushThreshold = std::size_t{32} << 10;  // 32 KiB
  std::string buffer_;
};

std::shared_ptr<spdlog::logger> g_logger;
std::atomic<Level> g_level{Level::info};

spdlog::level::level_enum to_spdlog(Level level) {
  switch (level) {
    case Level::trace: return spdlog::level::trace;
    case Level::debug: return spdlog::level::debug;
    case Level::info: return spdlog::level::info;
    case Level::warn: return spdlog::level::warn;
    case Level::error: return spdlog::level::err;
    case Level::off: return spdlog::level::off;
  }
  return spdlog::level::info;
}

std::string_view level_name(Level level) {
  switch (level) {
    case Level::trace: return "trace";
    case Level::debug: return "debug";
    case Level::info: return "info";
    case Level::warn: return "warn";
    case Level::error: return "error";
    case Level::off: return "off";
  }
  return "info";
}

}  // namespace

bool parse_level(std::string_view text, Level& out) {
  for (Level l : {Level::trace, Level::debug, Level::info, Level::warn, Level::error, Level::off}) {
    if (text == level_name(l)) {
      out = l;
      return true;
    }
  }
  return false;
}

void init(Level level, std::shared_ptr<spdlog::sinks::sink> sink) {
  if (!sink) sink = std::make_shared<BufferedStderrSink>();
  auto logger = std::make_shared<spdlog::logger>("ferrlabs", std::move(sink));
  logger->set_pattern("%v");
  logger->set_level(to_spdlog(level));
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(logger);
  // spdlog 1.10 flushes periodically in whole seconds only; warnings flush at once (flush_on).
  spdlog::flush_every(std::chrono::seconds(1));
  g_logger = std::move(logger);
  g_level = level;
}

void shutdown() {
  if (g_logger) g_logger->flush();
  spdlog::shutdown();
  g_logger.reset();
}

void flush() {
  if (g_logger) g_logger->flush();
}

bool enabled(Level level) { return g_logger && level >= g_level.load(std::memory_order_relaxed); }

std::string format_line(Level level, std::string_view message,
                        std::initializer_list<Field> fields) {
  std::string line;
  line.reserve(160);
  line += "{\"ts\":\"";
  line += format_rfc3339_ms(std::chrono::system_clock::now());
  line += "\",\"level\":\"";
  line += level_name(level);
  line += "\",\"msg\":";
  append_json_string(line, message);
  for (const Field& f : fields) {
    line.push_back(',');
    append_json_string(line, f.key);
    line.push_back(':');
    std::visit(
        [&line](const auto& v) {
          using V = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<V, std::string_view>) {
            append_json_string(line, v);
          } else if constexpr (std::is_same_v<V, bool>) {
            line += v ? "true" : "false";
          } else if constexpr (std::is_same_v<V, double>) {
            // JSON has no NaN or infinity: `nan`/`inf` would break the line.
            if (!std::isfinite(v)) {
              line += "null";
              return;
            }
            // The shortest text that reads back as the same double.
            char text[32];
            auto [end, ec] = std::to_chars(text, text + sizeof text, v);
            line.append(text, end);
          } else {
            line += std::to_string(v);
          }
        },
        f.value);
  }
  line.push_back('}');
  return line;
}

void write(Level level, std::string_view message, std::initializer_list<Field> fields) {
  if (!enabled(level)) return;
  std::string line = format_line(level, message, fields);
  g_logger->log(to_spdlog(level), std::string_view(line));
}

}  // namespace ferr::core::log
