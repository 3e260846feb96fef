#pragma once
/// Structured logging: one JSON object per line on stderr.
///
/// Call sites pass a message and typed fields; this module owns the formatting, so every line
/// is valid JSON whatever the values hold. Never pass a secret, a token or an IP address.

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

namespace spdlog::sinks {
class sink;
}

namespace ferr::core::log {

enum class Level { trace, debug, info, warn, error, off };

/// Parses `trace|debug|info|warn|error|off`.
bool parse_level(std::string_view text, Level& out);

/// One key/value pair of a log line.
struct Field {
  using Value = std::variant<std::string_view, std::int64_t, double, bool>;
  std::string_view key;
  Value value;

  // Key, then value, as every log line reads: {"route", route}.
  // NOLINTNEXTLINE(bugprone-easily-swappable-parameters)
  Field(std::string_view k, std::string_view v) : key(k), value(v) {}
  Field(std::string_view k, const char* v) : key(k), value(std::string_view(v)) {}
  Field(std::string_view k, const std::string& v) : key(k), value(std::string_view(v)) {}
  Field(std::string_view k, bool v) : key(k), value(v) {}
  Field(std::string_view k, double v) : key(k), value(v) {}
  template <typename I,
            typename = std::enable_if_t<std::is_integral_v<I> && !std::is_same_v<I, bool>>>
  Field(std::string_view k, I v) : key(k), value(static_cast<std::int64_t>(v)) {}
};

/// Installs the process logger: buffered stderr by default, or the given sink (tests).
void init(Level level, std::shared_ptr<spdlog::sinks::sink> sink = nullptr);
/// Flushes and releases the logger (call once at exit).
void shutdown();
/// Writes buffered lines now (e.g. after the "listening" line that scripts wait for).
void flush();
/// Whether a line at `level` would be written.
bool enabled(Level level);
/// Writes one line.
void write(Level level, std::string_view message, std::initializer_list<Field> fields = {});
/// Formats one line without writing it (exposed for tests).
std::string format_line(Level level, std::string_view message, std::initializer_list<Field> fields);

inline void debug(std::string_view m, std::initializer_list<Field> f = {}) {
  write(Level::debug, m, f);
}
inline void info(std::string_view m, std::initializer_list<Field> f = {}) {
  write(Level::info, m, f);
}
inline void warn(std::string_view m, std::initializer_list<Field> f = {}) {
  write(Level::warn, m, f);
}
inline void error(std::string_view m, std::initializer_list<Field> f = {}) {
  write(Level::error, m, f);
}

}  // namespace ferr::core::log
