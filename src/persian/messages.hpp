// The persian module's user-facing messages, in one place so that wording can
// be reviewed (and later moved to a catalogue) without reading the parsers.
// Messages with numbers get them in Persian digits at the point of use.
#pragma once

#include <string_view>

namespace peyvand::persian::messages {

// Dates.
inline constexpr std::string_view kDateFormat = "تاریخ باید به شکل ۱۴۰۳/۰۱/۱۵ باشد";
inline constexpr std::string_view kDateOrIsoFormat =
    "تاریخ باید به شکل ۱۴۰۳/۰۱/۱۵ (شمسی) یا ۲۰۲۴-۰۴-۰۳ (میلادی) باشد";
inline constexpr std::string_view kJalaliYearRange = "سال باید بین ۱۳۰۰ تا ۱۵۰۰ باشد";
inline constexpr std::string_view kGregorianYearRange = "سال میلادی باید بین ۱۹۰۰ تا ۲۲۰۰ باشد";
inline constexpr std::string_view kMonthRange = "ماه باید بین ۱ تا ۱۲ باشد";
// "روز باید بین ۱ تا <n> باشد"
inline constexpr std::string_view kDayRangePrefix = "روز باید بین ۱ تا ";
inline constexpr std::string_view kDayRangeSuffix = " باشد";
// "<month> <year> فقط <n> روز دارد"
inline constexpr std::string_view kMonthHasOnly = " فقط ";
inline constexpr std::string_view kDays = " روز دارد";
inline constexpr std::string_view kNotLeapYear = " (سال کبیسه نیست)";

// National code (کد ملی).
inline constexpr std::string_view kNationalCodeNotDigits = "کد ملی فقط باید شامل رقم باشد";
inline constexpr std::string_view kNationalCodeLength = "کد ملی باید ۱۰ رقم باشد";
inline constexpr std::string_view kNationalCodeAllSame =
    "کد ملی نامعتبر است: همهٔ رقم‌ها یکسان‌اند";
inline constexpr std::string_view kNationalCodeChecksum =
    "کد ملی نامعتبر است: رقم کنترل با بقیهٔ رقم‌ها "
    "نمی‌خواند";

}  // namespace peyvand::persian::messages
