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
// Live (not merged) persons sharing any of the keys: of the `per_key` newest
// under each key, the `limit` sharing most keys (then the newest). Index
// ranges only, bounded whatever the key's frequency.
std::vector<Person> FindByKeys(db::Connection& c, const std::vector<std::string>& keys,
                               std::int64_t per_key, std::int64_t limit);
// Live persons whose first or last name key equals `key`, newest first.
std::vector<Person> FindByNameKey(db::Connection& c, const std::string& key, std::int64_t limit);
std::vector<Person> FindByNameKeys(db::Connection& c, const std::string& first_key,
                                   const std::string& last_key, std::int64_t limit);
void InsertPair(db::Connection& c, std::int64_t a, std::int64_t b, int score,
                const std::string& reasons, std::int64_t now);

std::vector<Pair> ListPairs(db::Connection& c, const std::string& status, std::int64_t limit,
                            std::int64_t offset);
std::int64_t CountPairs(db::Connection& c, const std::string& status);
std::optional<Pair> GetPair(db::Connection& c, std::int64_t id);
// Only an open pair can be decided; returns false if it was not open.
bool DecidePair(db::Connection& c, std::int64_t id, const std::string& status,
                std::int64_t reviewer, std::int64_t now);
// The decision on the pair that merged `person_id` becomes "different".
void ReopenMergedPair(db::Connection& c, std::int64_t person_id, std::int64_t reviewer,
                      std::int64_t now);
// Editing: the new identifying fields and keys, and the values they replaced.
void UpdatePerson(db::Connection& c, const Person& p, std::int64_t now);
void ReplaceKeys(db::Connection& c, std::int64_t person_id, const std::vector<std::string>& keys);
void InsertRevision(db::Connection& c, std::int64_t person_id, std::int64_t user,
                    std::int64_t agency, const std::string& changed, const std::string& previous,
                    std::int64_t now);
std::vector<Revision> Revisions(db::Connection& c, std::int64_t person_id);
// Live persons with id > after_id, in id order, at most `limit`; and how many there are.
std::vector<Person> LivePersonsAfter(db::Connection& c, std::int64_t after_id, std::int64_t limit);
std::int64_t CountLivePersonsAfter(db::Connection& c, std::int64_t after_id);
// Whether a pair of these two records exists (open or decided).
bool PairExists(db::Connection& c, std::int64_t a, std::int64_t b);
void SetMergedInto(db::Connection& c, std::int64_t person_id, std::optional<std::int64_t> into,
                   std::int64_t now);

}  // namespace peyvand::people::store
