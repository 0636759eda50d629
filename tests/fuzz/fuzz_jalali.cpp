// Fuzz target for the date parsers, which read untrusted form and query
// input. Beyond "no crash": an accepted date is a real date in the supported
// range, formatting it and parsing the result gives it back, and the two
// parsers agree with each other and with the calendar arithmetic.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "persian/jalali.hpp"

namespace {

void Check(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "property violated: %s\n", what);
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace peyvand;
  using namespace peyvand::persian;
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  const Result<JalaliDate> date = ParseJalali(input);
  if (date.ok()) {
    const JalaliDate d = date.value();
    Check(IsValidJalali(d), "accepted date is valid");
    for (bool persian_digits : {true, false}) {
      const Result<JalaliDate> again = ParseJalali(FormatJalali(d, persian_digits));
      Check(again.ok() && again.value() == d, "FormatJalali -> ParseJalali round-trips");
    }
    Check(ToJalali(ToGregorian(d)) == d, "Gregorian round-trip");
    const Result<std::int64_t> day = ParseDateToUnixDay(input);
    Check(day.ok() && day.value() == DaysFromJalali(d), "ParseDateToUnixDay agrees");
    Check(!FormatJalaliLong(d).empty(), "long form");
  } else {
    Check(date.error().code == ErrorCode::kInvalid, "rejection is kInvalid");
    Check(!date.error().message.empty(), "rejection carries a message");
  }

  const Result<std::int64_t> day = ParseDateToUnixDay(input);
  if (day.ok()) {
    const CivilDate civil = CivilFromDays(day.value());
    Check(civil.year >= 1278 && civil.year <= kMaxSupportedGregorianYear + 1,
          "day is within the supported years");
    Check(DaysFromCivil(civil) == day.value(), "civil round-trip");
    const JalaliDate jalali = JalaliFromDays(day.value());
    Check(DaysFromJalali(jalali) == day.value(), "Jalali round-trip");
  } else {
    Check(day.error().code == ErrorCode::kInvalid, "rejection is kInvalid");
    Check(!day.error().message.empty(), "rejection carries a message");
  }

  // Any 8 bytes are a possible (corrupt) stored timestamp.
  if (size >= sizeof(std::int64_t)) {
    std::int64_t seconds = 0;
    std::memcpy(&seconds, data, sizeof seconds);
    Check(!FormatJalaliDateTime(seconds).empty(), "timestamp formats");
    const JalaliDate at = JalaliFromUnixSeconds(seconds);
    Check(at.month >= 1 && at.month <= 12 && at.day >= 1 && at.day <= 31, "timestamp date");
  }
  return 0;
}
