#include "core/log.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>

#include "core/json_escape.hpp"
#include "core/log_sink.hpp"
#include "core/time_format.hpp"

namespace ferr::core::log {
namespace {

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
  // stderr's sink writes on a thread of its own: warnings at once, the rest at least every
  // second (log_sink.hpp).
  if (!sink) sink = std::make_shared<BackgroundFdSink>(STDERR_FILENO);
  auto logger = std::make_shared<spdlog::logger>("ferrlabs", std::move(sink));
  logger->set_pattern("%v");
  logger->set_level(to_spdlog(level));
  spdlog::set_default_logger(logger);
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
