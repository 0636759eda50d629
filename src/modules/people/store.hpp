// SQL for persons, their blocking keys and the review queue of possible duplicates.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "modules/people/model.hpp"

namespace peyvand::people::store {

std::int64_t InsertPerson(db::Connection& c, const Person& p, std::int64_t now);
void InsertKeys(db::Connection& c, std::int64_t person_id, const std::vector<std::string>& keys);
std::optional<Person> GetPerson(db::Connection& c, std::int64_t id);
std::optional<Person> FindByNationalCode(db::Connection& c, const std::string& code);
// Live (not merged) persons sharing any of the keys, at most `limit`.
std::vector<Person> FindByKeys(db::Connection& c, const std::vector<std::string>& keys,
                               std::int64_t limit);
// Live persons whose first or last name key equals `key`, newest first.
std::vector<Person> FindByNameKey(db::Connection& c, const std::string& key, std::int64_t limit);
std::vector<Person> FindByNameKeys(db::Connection& c, const std::string& first_key,
                                   const std::string& last_key, std::int64_t limit);
void InsertPair(db::Connection& c, std::int64_t a, std::int64_t b, int score,
                const std::string& reasons, std::int64_t now);

}  // namespace peyvand::people::store
