#include "modules/people/store.hpp"

#include <algorithm>
#include <functional>
#include <unordered_map>

#include "core/strings.hpp"

#include "modules/people/rules.hpp"
#include "persian/normalize.hpp"

namespace peyvand::people::store {
namespace {

#define PEYVAND_PERSON_COLS                                                                  \
  "p.id, p.national_code, p.other_id, p.first_name, p.last_name, p.father_name, p.aliases, " \
  "p.sex, p.birth_year, p.nationality, p.registered_by_agency, p.registered_by_user, "       \
  "p.merged_into, p.created_at"

constexpr db::Query kInsert{
    "persons.insert",
    "INSERT INTO persons (province_id, national_code, other_id, first_name, last_name, father_name,"
    " aliases, sex, birth_year, nationality, first_key, last_key, registered_by_agency,"
    " registered_by_user, created_at, updated_at)"
    " VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"};
constexpr db::Query kInsertKey{
    "person_keys.insert",
    "INSERT INTO person_keys (key, person_id) VALUES (?, ?) ON CONFLICT DO NOTHING"};
constexpr db::Query kGet{"persons.get",
                         "SELECT " PEYVAND_PERSON_COLS " FROM persons p WHERE p.id = ?"};
constexpr db::Query kByCode{"persons.by_national_code",
                            "SELECT " PEYVAND_PERSON_COLS
                            " FROM persons p WHERE p.national_code = ? AND p.merged_into IS NULL"};
// The most recent persons under one blocking key: a reverse range of the
// (key, person_id) primary key, so a very common key costs no more than a rare one.
constexpr db::Query kKeyIds{
    "person_keys.ids",
    "SELECT person_id FROM person_keys WHERE key = ? ORDER BY person_id DESC LIMIT ?"};
constexpr db::Query kGetLive{"persons.get_live",
                             "SELECT " PEYVAND_PERSON_COLS
                             " FROM persons p WHERE p.id = ? AND p.merged_into IS NULL"};
constexpr db::Query kByNameKey{
    "persons.by_name_key",
    "SELECT " PEYVAND_PERSON_COLS
    " FROM persons p WHERE p.merged_into IS NULL AND p.id IN"
    " (SELECT id FROM persons WHERE last_key = ? UNION SELECT id FROM persons WHERE first_key = ?)"
    " ORDER BY p.id DESC LIMIT ?"};
constexpr db::Query kByNameKeys{
    "persons.by_name_keys", "SELECT " PEYVAND_PERSON_COLS
                            " FROM persons p WHERE p.merged_into IS NULL"
                            " AND p.first_key = ? AND p.last_key = ? ORDER BY p.id DESC LIMIT ?"};
constexpr db::Query kInsertPair{
    "person_pairs.insert",
    "INSERT INTO person_pairs (province_id, a_id, b_id, score, reasons, status, created_at)"
    " VALUES (1, ?, ?, ?, ?, 'open', ?) ON CONFLICT DO NOTHING"};

constexpr db::Query kListPairs{
    "person_pairs.list",
    "SELECT id, a_id, b_id, score, reasons, status, created_at FROM person_pairs"
    " WHERE status = ? ORDER BY score DESC, id LIMIT ? OFFSET ?"};
constexpr db::Query kCountPairs{"person_pairs.count",
                                "SELECT COUNT(*) AS n FROM person_pairs WHERE status = ?"};
constexpr db::Query kGetPair{
    "person_pairs.get",
    "SELECT id, a_id, b_id, score, reasons, status, created_at FROM person_pairs WHERE id = ?"};
constexpr db::Query kDecidePair{
    "person_pairs.decide",
    "UPDATE person_pairs SET status = ?, reviewer_id = ?, decided_at = ? WHERE id = ? AND status = 'open'"};
constexpr db::Query kReopenMerged{
    "person_pairs.undo_merge",
    "UPDATE person_pairs SET status = 'different', reviewer_id = ?, decided_at = ?"
    " WHERE status = 'same' AND (a_id = ? OR b_id = ?)"};
constexpr db::Query kSetMerged{"persons.set_merged",
                               "UPDATE persons SET merged_into = ?, updated_at = ? WHERE id = ?"};

constexpr db::Query kUpdate{
    "persons.update",
    "UPDATE persons SET national_code = ?, other_id = ?, first_name = ?, last_name = ?,"
    " father_name = ?, aliases = ?, sex = ?, birth_year = ?, nationality = ?, first_key = ?,"
    " last_key = ?, updated_at = ? WHERE id = ?"};
constexpr db::Query kLiveAfter{"persons.live_after",
                               "SELECT " PEYVAND_PERSON_COLS
                               " FROM persons p WHERE p.id > ? AND p.merged_into IS NULL"
                               " ORDER BY p.id LIMIT ?"};
constexpr db::Query kCountLiveAfter{
    "persons.count_live_after",
    "SELECT COUNT(*) AS n FROM persons WHERE id > ? AND merged_into IS NULL"};
constexpr db::Query kPairExists{
    "person_pairs.exists", "SELECT COUNT(*) AS n FROM person_pairs WHERE a_id = ? AND b_id = ?"};
constexpr db::Query kDeleteKeys{"person_keys.delete",
                                "DELETE FROM person_keys WHERE person_id = ?"};
constexpr db::Query kInsertRevision{
    "person_revisions.insert",
    "INSERT INTO person_revisions (person_id, at, user_id, agency_id, changed, previous)"
    " VALUES (?, ?, ?, ?, ?, ?)"};
constexpr db::Query kRevisions{
    "person_revisions.of_person",
    "SELECT r.at, r.user_id, r.changed, r.previous, u.display_name AS user_name,"
    " a.name AS agency_name FROM person_revisions r LEFT JOIN users u ON u.id = r.user_id"
    " LEFT JOIN agencies a ON a.id = r.agency_id WHERE r.person_id = ? ORDER BY r.id DESC"};

std::string JoinLines(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& a : v) out += a + "\n";
  return out;
}

Person FromRow(const db::Row& r) {
  Person p;
  p.id = r.Int("id");
  p.identity.national_code = r.OptText("national_code");
  p.identity.first_name = r.Text("first_name");
  p.identity.last_name = r.Text("last_name");
  p.identity.father_name = r.Text("father_name");
  p.identity.aliases = SplitNonEmpty(r.Text("aliases"), '\n');
  p.identity.sex = SexFromCode(r.Text("sex")).value_or(Sex::kUnknown);
  auto year = r.OptInt("birth_year");
  if (year) p.identity.birth_year = static_cast<int>(*year);
  p.other_id = r.Text("other_id");
  p.nationality = r.Text("nationality");
  p.registered_by_agency = r.Int("registered_by_agency");
  p.registered_by_user = r.Int("registered_by_user");
  p.merged_into = r.OptInt("merged_into");
  p.created_at = r.Int("created_at");
  return p;
}

std::vector<Person> All(const db::ResultSet& rs) {
  std::vector<Person> out;
  for (auto r : rs) out.push_back(FromRow(r));
  return out;
}

}  // namespace

std::int64_t InsertPerson(db::Connection& c, const Person& p, std::int64_t now) {
  std::string aliases = JoinLines(p.identity.aliases);
  std::optional<std::int64_t> year;
  if (p.identity.birth_year) year = *p.identity.birth_year;
  return c
      .Run(kInsert,
           {p.identity.national_code, p.other_id, p.identity.first_name, p.identity.last_name,
            p.identity.father_name, aliases, SexCode(p.identity.sex), year, p.nationality,
            persian::MatchKey(p.identity.first_name), persian::MatchKey(p.identity.last_name),
            p.registered_by_agency, p.registered_by_user, now, now})[0]
      .Int("id");
}

void InsertKeys(db::Connection& c, std::int64_t person_id, const std::vector<std::string>& keys) {
  for (const auto& k : keys) c.Exec(kInsertKey, {k, person_id});
}

std::optional<Person> GetPerson(db::Connection& c, std::int64_t id) {
  auto rs = c.Run(kGet, {id});
  if (rs.empty()) return std::nullopt;
  return FromRow(rs[0]);
}

std::optional<Person> FindByNationalCode(db::Connection& c, const std::string& code) {
  auto rs = c.Run(kByCode, {code});
  if (rs.empty()) return std::nullopt;
  return FromRow(rs[0]);
}

std::vector<Person> FindByKeys(db::Connection& c, const std::vector<std::string>& keys,
                               std::int64_t per_key, std::int64_t limit) {
  // Persons sharing more keys first (a true match usually shares several), then the newest.
  std::unordered_map<std::int64_t, int> shared;
  for (const auto& key : keys) {
    for (auto r : c.Run(kKeyIds, {key, per_key})) shared[r.Int("person_id")]++;
  }
  std::vector<std::pair<int, std::int64_t>> ranked;
  ranked.reserve(shared.size());
  for (const auto& [id, n] : shared) ranked.emplace_back(n, id);
  std::sort(ranked.begin(), ranked.end(), std::greater<>());
  if (ranked.size() > static_cast<std::size_t>(limit))
    ranked.resize(static_cast<std::size_t>(limit));
  std::vector<Person> out;
  out.reserve(ranked.size());
  for (const auto& [n, id] : ranked) {
    auto rs = c.Run(kGetLive, {id});
    if (!rs.empty()) out.push_back(FromRow(rs[0]));
  }
  return out;
}

std::vector<Person> FindByNameKey(db::Connection& c, const std::string& key, std::int64_t limit) {
  return All(c.Run(kByNameKey, {key, key, limit}));
}

std::vector<Person> FindByNameKeys(db::Connection& c, const std::string& first_key,
                                   const std::string& last_key, std::int64_t limit) {
  return All(c.Run(kByNameKeys, {first_key, last_key, limit}));
}

void InsertPair(db::Connection& c, std::int64_t a, std::int64_t b, int score,
                const std::string& reasons, std::int64_t now) {
  c.Exec(kInsertPair, {std::min(a, b), std::max(a, b), score, reasons, now});
}

static Pair PairFrom(db::Connection& c, const db::Row& r) {
  Pair p;
  p.id = r.Int("id");
  p.a = *GetPerson(c, r.Int("a_id"));
  p.b = *GetPerson(c, r.Int("b_id"));
  p.score = static_cast<int>(r.Int("score"));
  p.reasons = r.Text("reasons");
  p.status = r.Text("status");
  p.created_at = r.Int("created_at");
  return p;
}

std::vector<Pair> ListPairs(db::Connection& c, const std::string& status, std::int64_t limit,
                            std::int64_t offset) {
  auto rs = c.Run(kListPairs, {status, limit, offset});
  std::vector<Pair> out;
  for (auto r : rs) out.push_back(PairFrom(c, r));
  return out;
}

std::int64_t CountPairs(db::Connection& c, const std::string& status) {
  return c.Run(kCountPairs, {status})[0].Int("n");
}

std::optional<Pair> GetPair(db::Connection& c, std::int64_t id) {
  auto rs = c.Run(kGetPair, {id});
  if (rs.empty()) return std::nullopt;
  return PairFrom(c, rs[0]);
}

bool DecidePair(db::Connection& c, std::int64_t id, const std::string& status,
                std::int64_t reviewer, std::int64_t now) {
  return c.Exec(kDecidePair, {status, reviewer, now, id}) == 1;
}

void ReopenMergedPair(db::Connection& c, std::int64_t person_id, std::int64_t reviewer,
                      std::int64_t now) {
  c.Exec(kReopenMerged, {reviewer, now, person_id, person_id});
}

void SetMergedInto(db::Connection& c, std::int64_t person_id, std::optional<std::int64_t> into,
                   std::int64_t now) {
  c.Exec(kSetMerged, {into, now, person_id});
}

void UpdatePerson(db::Connection& c, const Person& p, std::int64_t now) {
  std::optional<std::int64_t> year;
  if (p.identity.birth_year) year = *p.identity.birth_year;
  c.Exec(kUpdate,
         {p.identity.national_code, p.other_id, p.identity.first_name, p.identity.last_name,
          p.identity.father_name, JoinLines(p.identity.aliases), SexCode(p.identity.sex), year,
          p.nationality, persian::MatchKey(p.identity.first_name),
          persian::MatchKey(p.identity.last_name), now, p.id});
}

void ReplaceKeys(db::Connection& c, std::int64_t person_id, const std::vector<std::string>& keys) {
  c.Exec(kDeleteKeys, {person_id});
  InsertKeys(c, person_id, keys);
}

void InsertRevision(db::Connection& c, std::int64_t person_id, std::int64_t user,
                    std::int64_t agency, const std::string& changed, const std::string& previous,
                    std::int64_t now) {
  c.Exec(kInsertRevision, {person_id, now, user, agency, changed, previous});
}

std::vector<Revision> Revisions(db::Connection& c, std::int64_t person_id) {
  std::vector<Revision> out;
  for (auto r : c.Run(kRevisions, {person_id})) {
    out.push_back({r.Int("at"), r.Int("user_id"), r.Text("user_name"), r.Text("agency_name"),
                   r.Text("changed"), r.Text("previous")});
  }
  return out;
}

std::vector<Person> LivePersonsAfter(db::Connection& c, std::int64_t after_id, std::int64_t limit) {
  return All(c.Run(kLiveAfter, {after_id, limit}));
}

std::int64_t CountLivePersonsAfter(db::Connection& c, std::int64_t after_id) {
  return c.Run(kCountLiveAfter, {after_id})[0].Int("n");
}

bool PairExists(db::Connection& c, std::int64_t a, std::int64_t b) {
  return c.Run(kPairExists, {std::min(a, b), std::max(a, b)})[0].Int("n") > 0;
}

}  // namespace peyvand::people::store
