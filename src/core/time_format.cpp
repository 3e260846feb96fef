#include "core/time_format.hpp"

#include <fmt/format.h>

#include <charconv>
#include <type_traits>

namespace ferr::core {

namespace {
/// Writes `value` as `digits` decimal digits (zero-padded) at `out`.
void put_digits(char* out, unsigned value, int digits) {
  for (int i = digits - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}
}  // namespace

std::string format_rfc3339_ms(TimePoint t) {
  using namespace std::chrono;
  auto ms_total = duration_cast<milliseconds>(t.time_since_epoch());
  auto days = floor<std::chrono::days>(ms_total);
  year_month_day ymd{sys_days{days}};
  auto in_day = ms_total - days;
  auto h = duration_cast<hours>(in_day);
  auto m = duration_cast<minutes>(in_day - h);
  auto s = duration_cast<seconds>(in_day - h - m);
  auto ms = in_day - h - m - s;
  // A nanosecond clock spans the years 1677 to 2262: always four digits.
  static_assert(std::is_same_v<TimePoint::duration, std::chrono::nanoseconds>);
  const auto year = static_cast<unsigned>(static_cast<int>(ymd.year()));
  // By hand: this runs for every access-log line and every timestamp of an answer, and fmt's
  // format-string parsing cost more than the rest of the line.
  char text[] = "0000-00-00T00:00:00.000Z";
  put_digits(text, year, 4);
  put_digits(text + 5, static_cast<unsigned>(ymd.month()), 2);
  put_digits(text + 8, static_cast<unsigned>(ymd.day()), 2);
  put_digits(text + 11, static_cast<unsigned>(h.count()), 2);
  put_digits(text + 14, static_cast<unsigned>(m.count()), 2);
  put_digits(text + 17, static_cast<unsigned>(s.count()), 2);
  put_digits(text + 20, static_cast<unsigned>(ms.count()), 3);
  return std::string(text, sizeof text - 1);
}

std::string format_date(std::chrono::sys_days day) {
  std::chrono::year_month_day ymd{day};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

namespace {
bool read_int(std::string_view text, std::size_t pos, std::size_t len, int& out) {
  if (pos + len > text.size()) return false;
  for (std::size_t i = pos; i < pos + len; ++i)
    if (text[i] < '0' || text[i] > '9') return false;
  std::from_chars(text.data() + pos, text.data() + pos + len, out);
  return true;
}
}  // namespace

std::optional<TimePoint> parse_rfc3339(std::string_view text) {
  using namespace std::chrono;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (text.size() < 20) return std::nullopt;
  if (!read_int(text, 0, 4, year) || text[4] != '-' || !read_int(text, 5, 2, month) ||
      text[7] != '-' || !read_int(text, 8, 2, day) || (text[10] != 'T' && text[10] != 't') ||
      !read_int(text, 11, 2, hour) || text[13] != ':' || !read_int(text, 14, 2, minute) ||
      text[16] != ':' || !read_int(text, 17, 2, second))
    return std::nullopt;
  year_month_day ymd{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                     std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok() || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  std::size_t pos = 19;
  nanoseconds fraction{0};
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    std::size_t start = pos;
    long long value = 0;
    int digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 9) {
        value = value * 10 + (text[pos] - '0');
        ++digits;
      }
      ++pos;
    }
    if (pos == start) return std::nullopt;
    while (digits < 9) {
      value *= 10;
      ++digits;
    }
    fraction = nanoseconds{value};
  }
  if (pos >= text.size()) return std::nullopt;
  minutes offset{0};
  if (text[pos] == 'Z' || text[pos] == 'z') {
    ++pos;
  } else if (text[pos] == '+' || text[pos] == '-') {
    int oh = 0, om = 0;
    if (!read_int(text, pos + 1, 2, oh) || pos + 3 >= text.size() || text[pos + 3] != ':' ||
        !read_int(text, pos + 4, 2, om) || oh > 23 || om > 59)
      return std::nullopt;
    offset = hours{oh} + minutes{om};
    if (text[pos] == '-') offset = -offset;
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;
  auto tp = sys_days{ymd} + hours{hour} + minutes{minute} + seconds{second} + fraction - offset;
  return time_point_cast<TimePoint::duration>(tp);
}

}  // namespace ferr::core
