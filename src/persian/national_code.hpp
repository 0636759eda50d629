// Iranian national code (کد ملی): 10 digits, the last a check digit (see
// DOMAIN.md). The code is optional for clients; callers decide whether an
// empty field is allowed before calling these.
#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace peyvand::persian {

// Returns the code as 10 ASCII digits. Accepts ASCII, Persian and
// Arabic-Indic digits; spaces (including NBSP and ZWNJ) and '-' separators
// are ignored; 8- or 9-digit input is left-padded with zeros (leading zeros
// are often lost in spreadsheets). Rejects, with distinct Persian messages,
// other characters, a wrong length, ten equal digits and a wrong check digit.
Result<std::string> NormalizeNationalCode(std::string_view input);

bool IsValidNationalCode(std::string_view input);

}  // namespace peyvand::persian
