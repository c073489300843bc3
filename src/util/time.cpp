#include "util/time.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace nga {

Millis SystemNowMillis() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string FormatIso8601(Millis ms) {
  std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  int millis = static_cast<int>(ms % 1000);
  if (millis < 0) {  // times before 1970 round toward negative infinity
    millis += 1000;
    seconds -= 1;
  }
  std::tm tm{};
#if defined(_WIN32)
  gmtime_s(&tm, &seconds);  // Windows' thread-safe form, arguments swapped
#else
  gmtime_r(&seconds, &tm);
#endif
  char buf[64];  // roomy: g++ cannot prove the fields stay within their widths
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
  return buf;
}

namespace {

bool ReadDigits(std::string_view& s, int count, int& out) {
  if (s.size() < static_cast<size_t>(count)) return false;
  out = 0;
  for (int i = 0; i < count; ++i) {
    char c = s[i];
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  s.remove_prefix(count);
  return true;
}

bool Expect(std::string_view& s, char c) {
  if (s.empty() || s.front() != c) return false;
  s.remove_prefix(1);
  return true;
}

}  // namespace

std::optional<Millis> ParseIso8601(std::string_view s) {
  int year, month, day, hour, minute, second, millis = 0;
  if (!ReadDigits(s, 4, year) || !Expect(s, '-') || !ReadDigits(s, 2, month) || !Expect(s, '-') ||
      !ReadDigits(s, 2, day) || !Expect(s, 'T') || !ReadDigits(s, 2, hour) || !Expect(s, ':') ||
      !ReadDigits(s, 2, minute) || !Expect(s, ':') || !ReadDigits(s, 2, second)) {
    return std::nullopt;
  }
  if (!s.empty() && s.front() == '.') {
    s.remove_prefix(1);
    int digits = 0;
    int fraction = 0;
    while (!s.empty() && s.front() >= '0' && s.front() <= '9') {
      if (digits < 3) fraction = fraction * 10 + (s.front() - '0');
      ++digits;
      s.remove_prefix(1);
    }
    if (digits == 0) return std::nullopt;
    for (int i = digits; i < 3; ++i) fraction *= 10;
    millis = fraction;
  }
  int offset_minutes = 0;
  if (!s.empty() && s.front() == 'Z') {
    s.remove_prefix(1);
  } else if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
    int sign = s.front() == '-' ? -1 : 1;
    s.remove_prefix(1);
    int oh, om;
    if (!ReadDigits(s, 2, oh) || !Expect(s, ':') || !ReadDigits(s, 2, om)) return std::nullopt;
    offset_minutes = sign * (oh * 60 + om);
  } else {
    return std::nullopt;
  }
  if (!s.empty() || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 ||
      second > 60) {
    return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
#if defined(_WIN32)
  std::time_t seconds = _mkgmtime(&tm);  // Windows' name for timegm
#else
  std::time_t seconds = timegm(&tm);
#endif
  return (static_cast<Millis>(seconds) - offset_minutes * 60LL) * 1000 + millis;
}

}  // namespace nga
