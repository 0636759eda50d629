// `peyvand seed --demo`: the counties and agencies of DOMAIN.md, an `admin`,
// and one user per role and agency with random passwords written to
// data/demo-logins.txt (mode 0600), the province's treatment centres and a
// few hundred synthetic persons. Idempotent: what exists is kept, and a demo
// user whose password is no longer on file gets a new one.
//
// `peyvand seed --synthetic N`: N synthetic persons and their episodes
// (app/synthetic.hpp), written in bulk, one write transaction per batch.
#include <sys/stat.h>

#include <boost/json.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <map>
#include <mutex>
#include <utility>

#include "app/app.hpp"
#include "app/seed_funding.hpp"
#include "app/synthetic.hpp"
#include "modules/accounts/crypto.hpp"
#include "modules/accounts/rules.hpp"
#include "modules/pathway/rules.hpp"
#include "persian/normalize.hpp"

namespace peyvand::app {
namespace {

constexpr std::int64_t kDemoPersons = 300;

const char* const kCounties[] = {"مشهد",
                                 "نیشابور",
                                 "سبزوار",
                                 "تربت‌حیدریه",
                                 "قوچان",
                                 "کاشمر",
                                 "تربت‌جام",
                                 "گناباد",
                                 "چناران",
                                 "طرقبه‌شاندیز",
                                 "فریمان",
                                 "سرخس",
                                 "درگز",
                                 "کلات",
                                 "خواف",
                                 "تایباد",
                                 "رشتخوار",
                                 "مه‌ولات",
                                 "بردسکن",
                                 "خلیل‌آباد",
                                 "بجستان",
                                 "جوین",
                                 "جغتای",
                                 "خوشاب",
                                 "داورزن",
                                 "زاوه",
                                 "باخرز",
                                 "صالح‌آباد",
                                 "فیروزه",
                                 "زبرخان",
                                 "کوه‌سرخ",
                                 "ششتمد",
                                 "گلبهار"};

struct DemoAgency {
  const char* code;
  const char* name;
  const char* duties;
};
const DemoAgency kAgencies[] = {
    {"police", "فرماندهی انتظامی استان (فراجا)",
     "شناسایی و جمع‌آوری با دستور قضایی؛ انتقال به "
     "غربالگری"},
    {"judiciary", "دادگستری و دادسرای استان", "دستور نگهداری، تمدید، تعلیق تبصرهٔ ۲؛ بازرسی مراکز"},
    {"welfare", "ادارهٔ کل بهزیستی استان",
     "غربالگری، متولی قانونی مراکز درمان، مددکاری، مراقبت پس از خروج"},
    {"health", "دانشگاه علوم پزشکی مشهد",
     "غربالگری پزشکی، مراقبت اچ‌آی‌وی و هپاتیت، "
     "متادون، "
     "ارجاع "
     "بیمارستانی"},
    {"dchq", "ستاد هماهنگی مبارزه با مواد مخدر استان", "هماهنگی، فضا و اعتبارات"},
    {"municipality", "شهرداری مشهد",
     "گرمخانه‌ها، پشتیبانی، مراکز شهرداری"},
    {"governorate", "استانداری خراسان رضوی", "ریاست کمیتهٔ استانی؛ پیگیری مصوبات"},
    {"prisons", "ادارهٔ کل زندان‌های استان", "سهمیهٔ ظرفیت نگهداری"},
    {"tvto", "ادارهٔ کل آموزش فنی و حرفه‌ای استان",
     "آموزش مهارت برای بهبودیافتگان"},
    {"labour", "ادارهٔ کل تعاون، کار و رفاه اجتماعی استان", "اشتغال"},
    {"relief", "کمیتهٔ امداد امام خمینی (ره) استان", "حمایت معیشتی"},
    {"redcrescent", "جمعیت هلال احمر استان", "نقش پشتیبان"},
};

// The province's treatment centres (~26 centres, ~6,000 places, as the press
// reports): welfare's Article 16 centres, the municipality's shelters and
// camp, and the prisons' units.
struct DemoFacility {
  const char* code;
  const char* name;
  const char* kind;
  const char* agency;
  const char* county;
  int male;
  int female;
};
const DemoFacility kFacilities[] = {
    {"mhd-shafa", "مرکز اقامتی درمان مادهٔ ۱۶ شفا", "treatment_centre", "welfare", "مشهد", 600, 0},
    {"mhd-omid", "مرکز اقامتی درمان مادهٔ ۱۶ امید", "treatment_centre", "welfare", "مشهد", 500, 0},
    {"mhd-noor", "مرکز اقامتی درمان مادهٔ ۱۶ نور", "treatment_centre", "welfare", "مشهد", 400, 0},
    {"mhd-mehrafarin", "مرکز مادهٔ ۱۶ بانوان مهرآفرین", "treatment_centre", "welfare", "مشهد", 0,
     250},
    {"mhd-camp", "اردوگاه ساماندهی شهرداری مشهد", "camp", "municipality", "مشهد", 900, 0},
    {"mhd-tollab", "گرمخانهٔ شهرداری کوی طلاب", "shelter", "municipality", "مشهد", 300, 50},
    {"mhd-women-shelter", "گرمخانهٔ بانوان شهرداری مشهد", "shelter", "municipality", "مشهد", 0, 120},
    {"mhd-vakilabad", "مرکز درمان و بازپروری زندان وکیل\u200cآباد", "prison_unit", "prisons",
     "مشهد", 700, 0},
    {"nsh-welfare", "مرکز مادهٔ ۱۶ نیشابور", "treatment_centre", "welfare", "نیشابور", 250, 60},
    {"nsh-prison", "واحد بازپروری زندان نیشابور", "prison_unit", "prisons", "نیشابور", 150, 0},
    {"sbz-welfare", "مرکز مادهٔ ۱۶ سبزوار", "treatment_centre", "welfare", "سبزوار", 220, 40},
    {"sbz-shelter", "گرمخانهٔ شهرداری سبزوار", "shelter", "municipality", "سبزوار", 100, 0},
    {"trh-welfare", "مرکز مادهٔ ۱۶ تربت\u200cحیدریه", "treatment_centre", "welfare",
     "تربت\u200cحیدریه", 180, 0},
    {"qch-welfare", "مرکز مادهٔ ۱۶ قوچان", "treatment_centre", "welfare", "قوچان", 120, 0},
    {"ksh-welfare", "مرکز مادهٔ ۱۶ کاشمر", "treatment_centre", "welfare", "کاشمر", 120, 0},
    {"trj-welfare", "مرکز مادهٔ ۱۶ تربت\u200cجام", "treatment_centre", "welfare", "تربت\u200cجام",
     150, 0},
    {"gnb-welfare", "مرکز مادهٔ ۱۶ گناباد", "treatment_centre", "welfare", "گناباد", 100, 0},
    {"chn-welfare", "مرکز مادهٔ ۱۶ چناران", "treatment_centre", "welfare", "چناران", 80, 0},
    {"frm-welfare", "مرکز مادهٔ ۱۶ فریمان", "treatment_centre", "welfare", "فریمان", 80, 0},
    {"srk-welfare", "مرکز مادهٔ ۱۶ سرخس", "treatment_centre", "welfare", "سرخس", 80, 0},
    {"tyb-welfare", "مرکز مادهٔ ۱۶ تایباد", "treatment_centre", "welfare", "تایباد", 100, 0},
    {"khf-welfare", "مرکز مادهٔ ۱۶ خواف", "treatment_centre", "welfare", "خواف", 80, 0},
    {"drg-welfare", "مرکز مادهٔ ۱۶ درگز", "treatment_centre", "welfare", "درگز", 60, 0},
    {"klt-welfare", "مرکز مادهٔ ۱۶ کلات", "treatment_centre", "welfare", "کلات", 50, 0},
    {"brd-welfare", "مرکز مادهٔ ۱۶ بردسکن", "treatment_centre", "welfare", "بردسکن", 60, 0},
    {"trq-camp", "اردوگاه شهرداری طرقبه\u200cشاندیز", "camp", "municipality", "طرقبه\u200cشاندیز",
     80, 0},
};

accounts::Principal SystemPrincipal() {
  accounts::Principal system;
  system.user_id = 0;
  system.username = "system";
  system.roles = {accounts::Role::kSystemAdmin};
  system.request_id = "seed";
  return system;
}

std::map<std::string, std::string> ReadLogins(const std::string& path) {
  std::map<std::string, std::string> out;
  std::ifstream in(path);
  std::string user, pass, rest;
  while (in >> user >> pass) {
    std::getline(in, rest);
    out[user] = pass;
  }
  return out;
}

// Adds the demo centres unless some centre exists; returns how many it added.
int SeedFacilities(Services& s) {
  auto system = SystemPrincipal();
  if (!s.pathway->Facilities(system).empty()) return 0;
  int added = 0;
  for (const auto& d : kFacilities) {
    auto agency = s.directory->FindAgencyByCode(d.agency);
    if (!agency) continue;
    pathway::Facility f;
    f.code = d.code;
    f.name = d.name;
    f.kind = d.kind;
    f.agency_id = agency->id;
    f.county_id = s.directory->EnsureCounty(d.county).id;
    f.capacity_male = d.male;
    f.capacity_female = d.female;
    s.pathway->SaveFacility(system, f);
    ++added;
  }
  return added;
}

constexpr db::Query kCountPersons{"synthetic.count_persons", "SELECT COUNT(*) AS n FROM persons"};

std::int64_t CountPersons(db::Database& db) {
  return db.Read([](db::Connection& c) { return c.Run(kCountPersons)[0].Int("n"); });
}

// Centres, and synthetic persons unless the database has persons already.
void SeedDemoPathway(Services& s) {
  std::cout << "facilities added: " << SeedFacilities(s) << "\n";
  SeedDemoFunding(s);
  if (CountPersons(*s.db) == 0) {
    SeedSynthetic(s, kDemoPersons, synthetic::kDefaultSeed);
  } else {
    std::cout << "persons already present: no synthetic persons added\n";
  }
}

}  // namespace

void SeedDemo(Services& s) {
  auto& dir = *s.directory;
  for (const char* c : kCounties) dir.EnsureCounty(c);
  for (const auto& a : kAgencies) {
    accounts::Agency agency;
    agency.code = a.code;
    agency.name = a.name;
    agency.duties = a.duties;
    dir.EnsureAgency(agency);
  }
  // With PostgreSQL nothing else creates the data folder.
  std::filesystem::create_directories(s.config.data_dir);
  std::string path = s.config.data_dir + "/demo-logins.txt";
  auto known = ReadLogins(path);
  struct Login {
    std::string username, password, role, agency;
  };
  std::vector<Login> logins;

  auto ensure = [&](const std::string& username, const std::string& display,
                    const std::string& agency_code, accounts::Role role, const char* role_code) {
    auto agency = dir.FindAgencyByCode(agency_code);
    std::string password;
    auto existing = dir.FindUserByName(username);
    auto it = known.find(username);
    if (existing && it != known.end()) {
      password = it->second;
    } else {
      password = accounts::RandomToken(12);
      if (existing) {
        // The password on file was lost: set a new one as the system.
        dir.ResetPassword(SystemPrincipal(), existing->id, password);
      } else {
        accounts::NewUser u;
        u.username = username;
        u.display_name = display;
        u.agency_id = agency->id;
        u.roles = {role};
        u.password = password;
        // Those who receive escalations get an address (mail only leaves with [mail] smtp_host).
        if (role == accounts::Role::kAgencyManager || role == accounts::Role::kCoordinator) {
          u.email = username + "@peyvand.example";
        }
        dir.CreateUserAsSystem(u);
      }
    }
    logins.push_back({username, password, role_code, agency->name});
  };

  ensure("admin", "مدیر سامانه", "dchq", accounts::Role::kSystemAdmin, "system_admin");
  for (const auto& a : kAgencies) {
    for (const auto& r : accounts::AllRoles()) {
      if (r.role == accounts::Role::kSystemAdmin) continue;
      std::string username = std::string(a.code) + "." + r.code;
      for (auto& ch : username) {
        if (ch == '_') ch = '-';
      }
      ensure(username, std::string(r.label) + " — " + a.name, a.code, r.role, r.code);
    }
  }
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    ::chmod(tmp.c_str(), 0600);
    for (const auto& l : logins)
      out << l.username << ' ' << l.password << ' ' << l.role << ' ' << l.agency << '\n';
  }
  ::chmod(tmp.c_str(), 0600);
  std::filesystem::rename(tmp, path);
  std::cout << "demo data ready: " << std::size(kCounties) << " counties, " << std::size(kAgencies)
            << " agencies, " << logins.size() << " users; logins in " << path << "\n";
  SeedDemoPathway(s);
}

// ---- `seed --synthetic N` ----
namespace {

// Persons per generated batch, and per write transaction. Transactions are
// large because each commit rewrites every page it touched, and rows land all
// over the time-ordered indexes (tasks_inbox, episodes_collected): at 5,000
// persons per commit the WAL received ~3x the database size.
constexpr int kBatchPersons = 5000;
constexpr std::int64_t kPersonsPerTransaction = 250'000;
constexpr std::size_t kQueuedBatches = 2;  // generated, waiting for the writer
constexpr std::int64_t kReportEvery = 50'000;
// Rows per INSERT statement. PostgreSQL: many, to save round trips. SQLite:
// one, because a multi-row INSERT inside a savepoint (every job of the
// SQLite adapter runs in one) keeps a statement journal of the pages it
// touches: with 100-row statements SQLite wrote ~15x the data to a temp file,
// and 300,000 persons took 80 s instead of 60 s.
int RowsPerInsert(db::Backend b) {
  return b == db::Backend::kPostgres ? 100 : 1;
}
// Enough page cache (on SQLite's writer connection, while seeding) to keep
// one transaction's dirty pages in memory; the default is 2 MB.
constexpr const char* kSqliteSeedCache = "PRAGMA cache_size = -4194304";  // 4 GiB
constexpr const char* kSqliteDefaultCache = "PRAGMA cache_size = -2000";

constexpr db::Query kParties{
    "synthetic.parties",
    "SELECT a.id AS agency_id, a.code, u.id AS user_id, u.username FROM agencies a"
    " JOIN users u ON u.agency_id = a.id WHERE a.province_id = 1 AND a.active = 1"
    " AND u.active = 1 ORDER BY u.id"};
constexpr db::Query kCountyRows{"synthetic.counties",
                                "SELECT id, name FROM counties WHERE province_id = 1 ORDER BY id"};
constexpr db::Query kNationalCodes{
    "synthetic.national_codes",
    "SELECT national_code FROM persons WHERE national_code IS NOT NULL"};
constexpr db::Query kMaxIds{"synthetic.max_ids",
                            "SELECT (SELECT COALESCE(MAX(id), 0) FROM persons) AS persons,"
                            " (SELECT COALESCE(MAX(id), 0) FROM episodes) AS episodes,"
                            " (SELECT COALESCE(MAX(id), 0) FROM judicial_orders) AS orders,"
                            " (SELECT COALESCE(MAX(id), 0) FROM stays) AS stays"};
// PostgreSQL identity columns do not see ids given explicitly.
constexpr db::Query kSetSequence{"synthetic.set_sequence",
                                 "SELECT setval(pg_get_serial_sequence(?, 'id'), ?)"};
constexpr db::Query kAddOccupancy{
    "synthetic.add_occupancy",
    "UPDATE facilities SET occupied_male = occupied_male + ?,"
    " occupied_female = occupied_female + ?, updated_at = ? WHERE id = ?"};

// A multi-row INSERT: `head` then `row` repeated, comma-separated. Named and
// with `?` placeholders like every other query; only the row count varies.
struct BulkQuery {
  const char* name;
  const char* head;
  const char* row;
};
constexpr BulkQuery kInsertPersons{
    "synthetic.persons",
    "INSERT INTO persons (id, province_id, national_code, other_id, first_name, last_name,"
    " father_name, aliases, sex, birth_year, nationality, first_key, last_key,"
    " registered_by_agency, registered_by_user, created_at, updated_at) VALUES ",
    "(?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"};
constexpr BulkQuery kInsertKeys{"synthetic.person_keys",
                                "INSERT INTO person_keys (key, person_id) VALUES ", "(?, ?)"};
constexpr BulkQuery kInsertPairs{
    "synthetic.person_pairs",
    "INSERT INTO person_pairs (province_id, a_id, b_id, score, reasons, status, created_at) VALUES ",
    "(1, ?, ?, ?, ?, 'open', ?)"};
constexpr BulkQuery kInsertEpisodes{
    "synthetic.episodes",
    "INSERT INTO episodes (id, programme, person_id, county_id, stage, status, opened_by_agency,"
    " opened_by_user, collected_at, place, prior_episodes, screening_outcome, close_reason,"
    " closed_at, created_at, updated_at) VALUES ",
    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"};
constexpr BulkQuery kInsertEvents{
    "synthetic.episode_events",
    "INSERT INTO episode_events (episode_id, at, agency_id, user_id, kind, stage, part, detail)"
    " VALUES ",
    "(?, ?, ?, ?, ?, ?, ?, ?)"};
constexpr BulkQuery kInsertOrders{
    "synthetic.judicial_orders",
    "INSERT INTO judicial_orders (id, episode_id, person_id, kind, reference, issued_day,"
    " start_day, months, end_day, parent_id, agency_id, user_id, created_at) VALUES ",
    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"};
constexpr BulkQuery kInsertStays{
    "synthetic.stays",
    "INSERT INTO stays (id, episode_id, person_id, facility_id, sex, order_id, admitted_day,"
    " legal_end_day, discharged_day, discharge_reason, over_capacity_reason, admitted_by,"
    " created_at, updated_at) VALUES ",
    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"};
constexpr BulkQuery kInsertTasks{
    "synthetic.tasks",
    "INSERT INTO tasks (agency_id, kind, stage, episode_id, person_id, county_id, state, due_at,"
    " outcome, done_at, done_by, created_at, updated_at) VALUES ",
    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"};
constexpr BulkQuery kInsertServices{
    "synthetic.service_events",
    "INSERT INTO service_events (episode_id, person_id, stay_id, kind, day, agency_id, user_id,"
    " note, created_at) VALUES ",
    "(?, ?, ?, ?, ?, ?, ?, ?, ?)"};

// The statement text for `rows` rows, built once and kept for the process
// (both adapters cache prepared statements by their text).
const std::string& BulkSql(const BulkQuery& q, int rows) {
  static std::mutex mu;
  static std::map<std::pair<const char*, int>, std::string> cache;
  std::lock_guard lock(mu);
  auto& sql = cache[{q.name, rows}];
  if (sql.empty()) {
    sql = q.head;
    for (int i = 0; i < rows; ++i) sql.append(i ? ", " : "").append(q.row);
  }
  return sql;
}

class BulkInsert {
 public:
  BulkInsert(db::Connection& c, const BulkQuery& q)
      : c_(c),
        q_(q),
        rows_per_insert_(RowsPerInsert(c.backend())),
        full_sql_(BulkSql(q, rows_per_insert_)) {}
  BulkInsert(const BulkInsert&) = delete;
  BulkInsert& operator=(const BulkInsert&) = delete;

  template <class... V>
  void Row(V&&... values) {
    (params_.emplace_back(std::forward<V>(values)), ...);
    if (++rows_ == rows_per_insert_) Flush();
  }
  void Flush() {
    if (rows_ == 0) return;
    const std::string& sql = rows_ == rows_per_insert_ ? full_sql_ : BulkSql(q_, rows_);
    c_.Exec(db::Query{q_.name, sql.c_str()}, params_);
    params_.clear();
    rows_ = 0;
  }

 private:
  db::Connection& c_;
  const BulkQuery& q_;
  int rows_per_insert_;
  const std::string& full_sql_;
  db::Params params_;
  int rows_ = 0;
};

db::Value Text(const char* s) {
  return s ? db::Value(s) : db::Value();
}

std::string JoinAliases(const std::vector<std::string>& aliases) {
  std::string out;
  for (const auto& a : aliases) out += a + "\n";  // as people::store::InsertPerson
  return out;
}

void InsertPeople(db::Connection& tx, const synthetic::Batch& b) {
  BulkInsert persons(tx, kInsertPersons);
  for (const auto& p : b.persons) {
    const auto& id = p.identity;
    std::optional<std::int64_t> year;
    if (id.birth_year) year = *id.birth_year;
    persons.Row(p.id, id.national_code, p.other_id, id.first_name, id.last_name, id.father_name,
                JoinAliases(id.aliases), people::SexCode(id.sex), year, p.nationality, p.first_key,
                p.last_key, p.registered_by.agency, p.registered_by.user, p.created_at,
                p.created_at);
  }
  persons.Flush();
  BulkInsert keys(tx, kInsertKeys);
  for (const auto& k : b.keys) keys.Row(k.key, k.person_id);
  keys.Flush();
  BulkInsert pairs(tx, kInsertPairs);
  for (const auto& p : b.pairs) pairs.Row(p.a_id, p.b_id, p.score, p.reasons, p.created_at);
  pairs.Flush();
}

void InsertEpisodes(db::Connection& tx, const synthetic::Batch& b) {
  BulkInsert episodes(tx, kInsertEpisodes);
  for (const auto& e : b.episodes) {
    episodes.Row(e.id, pathway::kProgramme, e.person_id, e.county_id, e.stage,
                 e.open ? "open" : "closed", e.opened_by.agency, e.opened_by.user, e.collected_at,
                 e.place, e.prior_episodes, Text(e.screening_outcome), Text(e.close_reason),
                 e.closed_at, e.collected_at, e.updated_at);
  }
  episodes.Flush();
  BulkInsert events(tx, kInsertEvents);
  for (const auto& e : b.events) {
    events.Row(e.episode_id, e.at, e.agency_id, e.user_id, e.kind, e.stage, e.part, e.detail);
  }
  events.Flush();
}

void InsertStays(db::Connection& tx, const synthetic::Batch& b) {
  BulkInsert orders(tx, kInsertOrders);
  for (const auto& [o, user] : b.orders) {
    orders.Row(o.id, o.episode_id, o.person_id, pathway::OrderKindCode(o.kind), o.reference,
               o.issued_day, o.start_day, o.months, o.end_day, o.parent_id, o.agency_id, user,
               o.created_at);
  }
  orders.Flush();
  BulkInsert stays(tx, kInsertStays);
  for (const auto& row : b.stays) {
    const auto& s = row.stay;
    stays.Row(s.id, s.episode_id, s.person_id, s.facility_id, s.sex, s.order_id, s.admitted_day,
              s.legal_end_day, s.discharged_day, s.discharge_reason, s.over_capacity_reason,
              row.admitted_by, row.created_at, row.updated_at);
  }
  stays.Flush();
}

void InsertWork(db::Connection& tx, const synthetic::Batch& b) {
  BulkInsert tasks(tx, kInsertTasks);
  for (const auto& t : b.tasks) {
    tasks.Row(t.agency_id, t.kind, t.stage, t.episode_id, t.person_id, t.county_id, t.state,
              t.due_at, t.outcome, t.done_at, t.done_by, t.created_at, t.updated_at);
  }
  tasks.Flush();
  BulkInsert services(tx, kInsertServices);
  for (const auto& s : b.services) {
    services.Row(s.episode_id, s.person_id, s.stay_id, s.kind, s.day, s.by.agency, s.by.user,
                 s.note, s.created_at);
  }
  services.Flush();
}

synthetic::Ids MaxIds(db::Connection& c) {
  auto rs = c.Run(kMaxIds);
  return {rs[0].Int("persons"), rs[0].Int("episodes"), rs[0].Int("orders"), rs[0].Int("stays")};
}

// One batch in one transaction, consistent on its own: facility counters
// move with the open stays the batch adds.
void WriteBatch(db::Connection& tx, const synthetic::Batch& b,
                const std::vector<std::int64_t>& facility_ids, std::int64_t now) {
  synthetic::Ids last = MaxIds(tx);
  if (!(last == synthetic::Ids{b.first.person - 1, b.first.episode - 1, b.first.order - 1,
                               b.first.stay - 1})) {
    throw std::runtime_error("the database changed while seeding (another writer?); stopped");
  }
  InsertPeople(tx, b);
  InsertEpisodes(tx, b);
  InsertStays(tx, b);
  InsertWork(tx, b);
  for (std::size_t i = 0; i < b.beds_taken.size(); ++i) {
    const auto& taken = b.beds_taken[i];
    if (taken[0] || taken[1]) tx.Exec(kAddOccupancy, {taken[0], taken[1], now, facility_ids[i]});
  }
  if (tx.backend() == db::Backend::kPostgres) {
    last = MaxIds(tx);
    const std::pair<const char*, std::int64_t> tables[] = {{"persons", last.person},
                                                           {"episodes", last.episode},
                                                           {"judicial_orders", last.order},
                                                           {"stays", last.stay}};
    for (const auto& [table, max] : tables)
      if (max > 0) tx.Run(kSetSequence, {table, max});
  }
}

// Agencies with at least one active user; the `<code>.operator` demo user acts for its agency.
std::map<std::int64_t, std::pair<std::string, synthetic::Party>> LoadParties(db::Connection& c) {
  std::map<std::int64_t, std::pair<std::string, synthetic::Party>> out;
  for (auto r : c.Run(kParties)) {
    std::string code = r.Text("code");
    bool operator_user = r.Text("username") == code + ".operator";
    auto [it, added] = out.try_emplace(r.Int("agency_id"), code, synthetic::Party{});
    if (added || operator_user) it->second.second = {r.Int("agency_id"), r.Int("user_id")};
  }
  return out;
}

synthetic::World LoadWorld(Services& s, std::int64_t persons) {
  synthetic::World w;
  w.now = s.clock.NowMillis();
  w.programme = s.pathway->GetProgramme();
  w.thresholds = {s.config.people_review_threshold, s.config.people_strong_threshold};
  w.planned_persons = persons;
  std::map<std::int64_t, std::pair<std::string, synthetic::Party>> parties;
  s.db->Read([&](db::Connection& c) {
    parties = LoadParties(c);
    for (auto r : c.Run(kCountyRows)) w.counties.push_back({r.Int("id"), r.Text("name")});
    for (auto r : c.Run(kNationalCodes)) w.taken_codes.insert(r.Text("national_code"));
    auto last = MaxIds(c);
    w.next = {last.person + 1, last.episode + 1, last.order + 1, last.stay + 1};
  });
  for (const auto& [id, entry] : parties) w.parties[entry.first] = entry.second;
  for (const auto& f : s.pathway->Facilities(SystemPrincipal())) {
    if (!f.active) continue;
    auto it = parties.find(f.agency_id);
    w.facilities.push_back({f, it == parties.end() ? 0 : it->second.second.user});
  }
  return w;
}

std::string Thousands(std::int64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

void PrintSummary(const synthetic::Tally& t, const std::vector<synthetic::Beds>& beds,
                  double seconds) {
  auto& o = std::cout;
  o << "synthetic data: " << Thousands(t.persons) << " person records (" << Thousands(t.duplicates)
    << " second records of a person) in " << static_cast<int>(seconds) << " s, "
    << Thousands(t.rows) << " rows ("
    << Thousands(static_cast<std::int64_t>(static_cast<double>(t.rows) / std::max(seconds, 0.001)))
    << " rows/s)\n";
  o << "  national code: " << Thousands(t.with_code) << " with, "
    << Thousands(t.persons - t.with_code) << " without\n";
  o << "  episodes: " << Thousands(t.episodes) << " (" << Thousands(t.open_episodes)
    << " open); admitted " << Thousands(t.admitted) << "; note-2 orders " << Thousands(t.note2)
    << "; extensions " << Thousands(t.extensions) << "; jobs " << Thousands(t.jobs) << "\n";
  o << "  screening outcomes:";
  for (const auto& [code, n] : t.outcomes) o << " " << code << " " << Thousands(n) << ";";
  o << "\n  open stays: " << Thousands(t.open_stays) << " (" << Thousands(t.past_legal_end)
    << " past their legal end)\n  open tasks:";
  for (const auto& [kind, n] : t.open_tasks) o << " " << kind << " " << Thousands(n) << ";";
  o << " overdue " << Thousands(t.overdue_tasks)
    << "\n  open review pairs: " << Thousands(t.open_pairs) << "\n";
  int capacity = 0, occupied = 0, over = 0;
  for (const auto& b : beds) {
    const auto& f = b.facility;
    capacity += f.capacity_male + f.capacity_female;
    occupied += f.occupied_male + f.occupied_female;
    if (f.occupied_male > f.capacity_male || f.occupied_female > f.capacity_female) ++over;
  }
  o << "  beds: " << Thousands(occupied) << " of " << Thousands(capacity) << " occupied in "
    << beds.size() << " facilities (" << over << " over capacity)\n";
}

void AuditSeeding(Services& s, db::Connection& tx, const synthetic::Tally& t,
                  std::int64_t requested, std::uint64_t seed, const synthetic::Ids& first) {
  audit::Actor system;
  system.username = "system";
  system.request_id = "cli";
  boost::json::object summary{{"requested", requested},
                              {"seed", seed},
                              {"person_records", t.persons},
                              {"first_person_id", first.person},
                              {"with_national_code", t.with_code},
                              {"episodes", t.episodes},
                              {"admitted", t.admitted},
                              {"open_stays", t.open_stays},
                              {"open_pairs", t.open_pairs},
                              {"rows", t.rows}};
  s.audit->Append(tx, system, "seed.synthetic", "person", "", boost::json::serialize(summary));
}

// Batches from the generator (the calling thread) to the writer (a thread of
// its own): bounded, so memory stays flat at any N, and two cores work at once.
class BatchQueue {
 public:
  // False once stopped (the writer failed): the batch is dropped.
  bool Push(std::shared_ptr<synthetic::Batch> b) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return q_.size() < kQueuedBatches || stopped_; });
    if (stopped_) return false;
    q_.push_back(std::move(b));
    cv_.notify_all();
    return true;
  }
  // nullptr once the generator is done and everything was taken. Throws if
  // the generator failed, so that the open transaction rolls back.
  std::shared_ptr<synthetic::Batch> Pop() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return !q_.empty() || closed_ || stopped_; });
    if (stopped_) throw std::runtime_error("seeding stopped");
    if (q_.empty()) return nullptr;
    auto b = std::move(q_.front());
    q_.pop_front();
    cv_.notify_all();
    return b;
  }
  void Close() { Set(closed_); }
  void Stop() { Set(stopped_); }

 private:
  void Set(bool& flag) {
    std::lock_guard lock(mu_);
    flag = true;
    cv_.notify_all();
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::shared_ptr<synthetic::Batch>> q_;
  bool closed_ = false;
  bool stopped_ = false;
};

// Counts what the writer has written (and what it has committed) and prints
// a line every kReportEvery persons.
class Progress {
 public:
  explicit Progress(std::int64_t planned) : planned_(planned) {}
  void Begin() {
    pending_ = {};
    pending_persons_ = 0;
  }
  void Written(const synthetic::Batch& b) {
    pending_persons_ += b.tally.persons - b.tally.duplicates;
    pending_.Add(b.tally);
    std::int64_t persons = persons_ + pending_persons_;
    if (persons >= next_report_ || persons == planned_) {
      next_report_ = persons + kReportEvery;
      double secs = Seconds(start_);
      std::int64_t rows = committed_.rows + pending_.rows;
      std::fprintf(stderr, "synthetic: %s / %s persons, %s rows, %.0f rows/s, %.0f s\n",
                   Thousands(persons).c_str(), Thousands(planned_).c_str(), Thousands(rows).c_str(),
                   static_cast<double>(rows) / std::max(secs, 0.001), secs);
    }
  }
  void Commit() {
    persons_ += pending_persons_;
    committed_.Add(pending_);
    Begin();
  }
  std::int64_t PersonsPending() const { return pending_persons_; }
  const synthetic::Tally& committed() const { return committed_; }
  double Elapsed() const { return Seconds(start_); }

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::int64_t planned_;
  std::int64_t persons_ = 0;
  std::int64_t pending_persons_ = 0;
  std::int64_t next_report_ = kReportEvery;
  synthetic::Tally committed_;
  synthetic::Tally pending_;
};

// The writer: transactions of up to kPersonsPerTransaction persons. Batches
// are dropped once written (kept, a transaction's would hold gigabytes), so a
// transaction the database wants retried (PostgreSQL, on a serialization
// failure) stops the run instead; what was committed before stays.
void WriteAll(Services& s, BatchQueue& queue, const std::vector<std::int64_t>& facility_ids,
              Progress& progress) {
  bool sqlite = s.db->backend() == db::Backend::kSqlite;
  for (bool more = true; more;) {
    bool started = false;
    s.db->Write([&](db::Connection& tx) {
      if (std::exchange(started, true)) {
        throw std::runtime_error("the database retried a seeding transaction; run seed again");
      }
      if (sqlite) tx.ExecScript(kSqliteSeedCache);
      progress.Begin();
      while (progress.PersonsPending() < kPersonsPerTransaction) {
        auto b = queue.Pop();
        if (!b) {
          more = false;
          break;
        }
        WriteBatch(tx, *b, facility_ids, s.clock.NowMillis());
        progress.Written(*b);
      }
    });
    progress.Commit();
  }
}

}  // namespace

void SeedSynthetic(Services& s, std::int64_t persons, std::uint64_t seed) {
  Progress progress(persons);
  SeedFacilities(s);
  synthetic::Generator gen(LoadWorld(s, persons), seed);
  const auto first = gen.world().next;
  std::vector<std::int64_t> facility_ids;
  for (const auto& b : gen.world().facilities) facility_ids.push_back(b.facility.id);
  BatchQueue queue;
  auto writer = std::async(std::launch::async, [&] {
    try {
      WriteAll(s, queue, facility_ids, progress);
    } catch (...) {
      queue.Stop();
      throw;
    }
  });
  try {
    for (std::int64_t generated = 0; generated < persons; generated += kBatchPersons) {
      int n = static_cast<int>(std::min<std::int64_t>(kBatchPersons, persons - generated));
      if (!queue.Push(std::make_shared<synthetic::Batch>(gen.Next(n)))) break;
    }
  } catch (...) {
    queue.Stop();
    writer.wait();
    throw;
  }
  queue.Close();
  writer.get();  // rethrows the writer's error
  s.db->Write([&](db::Connection& tx) {
    AuditSeeding(s, tx, progress.committed(), persons, seed, first);
    if (s.db->backend() == db::Backend::kSqlite) tx.ExecScript(kSqliteDefaultCache);
  });
  PrintSummary(progress.committed(), gen.world().facilities, progress.Elapsed());
}

}  // namespace peyvand::app
