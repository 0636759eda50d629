// Pure identity-resolution rules: name keys, blocking keys for candidate
// search, and an explainable pairwise score. No I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "modules/people/model.hpp"

namespace peyvand::people {

// The consonant skeleton of a name's match key: long vowels and their
// carriers (ا آ و ی ه ء) dropped, so common spelling variants of the same name
// (اسماعیل / اسمعیل, موسوی / موسوى) share it. Empty for empty input.
std::string Skeleton(std::string_view name);

// Edit distance between two UTF-8 strings, counted in code points, capped:
// returns cap + 1 as soon as the distance exceeds cap (cheap for typos).
int BoundedEditDistance(std::string_view a, std::string_view b, int cap);

// Keys under which a person is indexed and looked up. Any shared key makes two
// records candidates; the score then decides. Includes the national code, and
// name-based keys that survive a typo or a spelling variant in one name.
std::vector<std::string> BlockingKeys(const Identity& id);

MatchScore Score(const Identity& a, const Identity& b);
// "male", "female", "unknown" → Sex; anything else → nullopt.
std::optional<Sex> SexFromCode(std::string_view code);
MatchBand Band(int score, const Thresholds& t);

}  // namespace peyvand::people
