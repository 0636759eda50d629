#include "modules/funding/store.hpp"

#include "modules/funding/rules.hpp"

namespace peyvand::funding::store {
namespace {

using db::Query;

// ---- directory ----
constexpr Query kCouncils{"councils.list",
                          "SELECT id, code, name FROM councils WHERE province_id = 1"
                          " ORDER BY seq, id"};
constexpr Query kCouncilByCode{
    "councils.by_code", "SELECT id, code, name FROM councils WHERE province_id = 1 AND code = ?"};
constexpr Query kAgency{"funding.agency", "SELECT id, name, active FROM agencies WHERE id = ?"};

// ---- resolutions ----
#define RES_COLS                                                                     \
  "r.id, r.council_id, co.code AS council_code, co.name AS council_name, r.number, " \
  "r.resolved_day, r.title, r.body, r.status, r.created_by, r.created_at, r.updated_at"
#define RES_FROM " FROM resolutions r JOIN councils co ON co.id = r.council_id"
#define RES_FILTER                                                  \
  " WHERE (CAST(? AS BIGINT) = 0 OR r.council_id = ?) AND (? = '' OR r.status = ?)" \
  " AND (? = '' OR r.search_key LIKE ? ESCAPE '\\')"
#define ACTIVE_SHARES                                                     \
  " FROM clause_shares s JOIN resolution_clauses c ON c.id = s.clause_id" \
  " WHERE c.resolution_id = r.id AND c.status = 'active'"
constexpr Query kInsertResolution{
    "resolutions.insert",
    "INSERT INTO resolutions (province_id, council_id, number, resolved_day, title, body, status,"
    " search_key, created_by, created_at, updated_at)"
    " VALUES (1, ?, ?, ?, ?, ?, 'active', ?, ?, ?, ?) RETURNING id"};
constexpr Query kGetResolution{"resolutions.get", "SELECT " RES_COLS RES_FROM " WHERE r.id = ?"};
constexpr Query kListResolutions{
    "resolutions.list", "SELECT " RES_COLS
                        ", (SELECT COUNT(*) FROM resolution_clauses c WHERE c.resolution_id = r.id"
                        "   AND c.status = 'active') AS clause_count,"
                        " (SELECT COALESCE(CAST(SUM(s.needed_rials) AS BIGINT), 0)" ACTIVE_SHARES
                        ") AS needed,"
                        " (SELECT COALESCE(CAST(SUM(s.allocated_rials) AS BIGINT), 0)" ACTIVE_SHARES
                        ") AS allocated" RES_FROM RES_FILTER
                        " ORDER BY r.resolved_day DESC, r.id DESC LIMIT ? OFFSET ?"};
constexpr Query kCountResolutions{"resolutions.count", "SELECT COUNT(*) AS n" RES_FROM RES_FILTER};
constexpr Query kUpdateResolution{
    "resolutions.update",
    "UPDATE resolutions SET title = ?, body = ?, status = ?, search_key = ?, updated_at = ?"
    " WHERE id = ?"};

// ---- clauses and shares ----
#define CLAUSE_COLS                                                                        \
  "id, resolution_id, seq, body, expected_output, deadline_day, status, withdraw_reason, " \
  "withdrawn_at, created_at"
#define SHARE_COLS                                                                      \
  "s.clause_id, s.agency_id, a.name AS agency_name, s.needed_rials, s.approved_rials, " \
  "s.allocated_rials, s.notified_rials, s.committed_rials, s.paid_rials, s.entries"
constexpr Query kInsertClause{
    "resolution_clauses.insert",
    "INSERT INTO resolution_clauses (province_id, resolution_id, seq, body, expected_output,"
    " deadline_day, status, created_by, created_at, updated_at)"
    " VALUES (1, ?, ?, ?, ?, ?, 'active', ?, ?, ?) RETURNING id"};
constexpr Query kGetClause{"resolution_clauses.get",
                           "SELECT " CLAUSE_COLS " FROM resolution_clauses WHERE id = ?"};
constexpr Query kClausesOf{"resolution_clauses.of_resolution",
                           "SELECT " CLAUSE_COLS
                           " FROM resolution_clauses WHERE resolution_id = ? ORDER BY seq, id"};
constexpr Query kSharesOfResolution{
    "clause_shares.of_resolution",
    "SELECT " SHARE_COLS
    " FROM clause_shares s JOIN resolution_clauses c ON c.id = s.clause_id"
    " JOIN agencies a ON a.id = s.agency_id WHERE c.resolution_id = ?"
    " ORDER BY s.clause_id, s.agency_id"};
constexpr Query kSharesOfClause{"clause_shares.of_clause",
                                "SELECT " SHARE_COLS
                                " FROM clause_shares s JOIN agencies a ON a.id = s.agency_id"
                                " WHERE s.clause_id = ? ORDER BY s.agency_id"};
constexpr Query kNextSeq{
    "resolution_clauses.next_seq",
    "SELECT COALESCE(MAX(seq), 0) + 1 AS n FROM resolution_clauses WHERE resolution_id = ?"};
constexpr Query kSeqTaken{
    "resolution_clauses.seq_taken",
    "SELECT COUNT(*) AS n FROM resolution_clauses WHERE resolution_id = ? AND seq = ?"};
constexpr Query kWithdraw{
    "resolution_clauses.withdraw",
    "UPDATE resolution_clauses SET status = 'withdrawn', withdraw_reason = ?, withdrawn_by = ?,"
    " withdrawn_at = ?, updated_at = ? WHERE id = ? AND status = 'active'"};
constexpr Query kInsertShare{
    "clause_shares.insert",
    "INSERT INTO clause_shares (province_id, clause_id, agency_id, updated_at) VALUES (1, ?, ?, ?)"};
// The UPDATE takes the share's row lock first, so the totals it returns are the latest
// committed ones even under READ COMMITTED, and a concurrent entry on the share waits.
constexpr Query kLockShare{
    "clause_shares.lock",
    "UPDATE clause_shares SET entries = entries + 1, updated_at = ?"
    " WHERE clause_id = ? AND agency_id = ?"
    " RETURNING needed_rials, approved_rials, allocated_rials, notified_rials, committed_rials,"
    " paid_rials"};
constexpr Query kSetShareTotals{
    "clause_shares.set_totals",
    "UPDATE clause_shares SET needed_rials = ?, approved_rials = ?, allocated_rials = ?,"
    " notified_rials = ?, committed_rials = ?, paid_rials = ? WHERE clause_id = ? AND agency_id = ?"};

// ---- ledger ----
#define ENTRY_COLS                                                                         \
  "e.id, e.clause_id, e.agency_id, e.stage, e.amount_rials, e.reverses_entry_id, e.note, " \
  "e.created_by, e.created_at, a.name AS agency_name, u.display_name AS user_name, "       \
  "c.seq AS clause_seq, c.resolution_id, "                                                 \
  "(SELECT x.id FROM credit_entries x WHERE x.reverses_entry_id = e.id) AS reversed_by"
#define ENTRY_FROM                                                         \
  " FROM credit_entries e JOIN resolution_clauses c ON c.id = e.clause_id" \
  " LEFT JOIN agencies a ON a.id = e.agency_id LEFT JOIN users u ON u.id = e.created_by"
#define ENTRY_FILTER \
  " WHERE (CAST(? AS BIGINT) = 0 OR c.resolution_id = ?) AND (CAST(? AS BIGINT) = 0 OR e.clause_id = ?) AND (CAST(? AS BIGINT) = 0 OR e.agency_id = ?)"
constexpr Query kInsertEntry{
    "credit_entries.insert",
    "INSERT INTO credit_entries (province_id, clause_id, agency_id, stage, amount_rials,"
    " reverses_entry_id, note, created_by, created_at) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?)"
    " RETURNING id"};
constexpr Query kGetEntry{"credit_entries.get", "SELECT " ENTRY_COLS ENTRY_FROM " WHERE e.id = ?"};
constexpr Query kEntries{"credit_entries.list", "SELECT " ENTRY_COLS ENTRY_FROM ENTRY_FILTER
                                                " ORDER BY e.id DESC LIMIT ? OFFSET ?"};
constexpr Query kCountEntries{"credit_entries.count",
                              "SELECT COUNT(*) AS n" ENTRY_FROM ENTRY_FILTER};

// ---- documents ----
#define DOC_COLS                                                                        \
  "d.id, d.resolution_id, d.path, d.sha256, d.size_bytes, d.file_name, d.uploaded_by, " \
  "d.uploaded_at, u.display_name AS uploader_name"
#define DOC_FROM " FROM resolution_documents d LEFT JOIN users u ON u.id = d.uploaded_by"
constexpr Query kInsertDocument{
    "resolution_documents.insert",
    "INSERT INTO resolution_documents (province_id, resolution_id, path, sha256, size_bytes,"
    " file_name, uploaded_by, uploaded_at) VALUES (1, ?, ?, ?, ?, ?, ?, ?) RETURNING id"};
constexpr Query kLatestDocument{"resolution_documents.latest",
                                "SELECT " DOC_COLS DOC_FROM
                                " WHERE d.resolution_id = ? ORDER BY d.id DESC LIMIT 1"};
constexpr Query kDocumentsOf{"resolution_documents.of_resolution",
                             "SELECT " DOC_COLS DOC_FROM
                             " WHERE d.resolution_id = ? ORDER BY d.id DESC LIMIT 50"};

// ---- aggregates ----
#define UNFUNDED_FROM                                                                      \
  " FROM clause_shares s JOIN resolution_clauses c ON c.id = s.clause_id"                  \
  " JOIN resolutions r ON r.id = c.resolution_id JOIN councils co ON co.id = r.council_id" \
  " WHERE c.status = 'active' AND r.status <> 'cancelled' AND (CAST(? AS BIGINT) = 0 OR r.council_id = ?)" \
  " AND (CAST(? AS BIGINT) = 0 OR s.agency_id = ?)"
#define GAP_SUM "SUM(s.needed_rials - s.allocated_rials)"
constexpr Query kUnfunded{
    "funding.unfunded",
    "SELECT c.id AS clause_id, c.seq, c.body, c.deadline_day, r.id AS resolution_id, r.number,"
    " r.title, r.resolved_day, co.name AS council_name,"
    " CAST(SUM(s.needed_rials) AS BIGINT) AS needed,"
    " CAST(SUM(s.allocated_rials) AS BIGINT) AS allocated, CAST(" GAP_SUM
    " AS BIGINT) AS gap" UNFUNDED_FROM
    " GROUP BY c.id, c.seq, c.body, c.deadline_day, r.id, r.number, r.title, r.resolved_day,"
    " co.name HAVING " GAP_SUM " > 0 ORDER BY gap DESC, c.id LIMIT ? OFFSET ?"};
constexpr Query kCountUnfunded{
    "funding.count_unfunded",
    "SELECT COUNT(*) AS n, COALESCE(CAST(SUM(x.gap) AS BIGINT), 0) AS gap FROM"
    " (SELECT " GAP_SUM " AS gap" UNFUNDED_FROM " GROUP BY c.id HAVING " GAP_SUM " > 0) AS x"};
#define SUM_STAGES                                              \
  "CAST(SUM(s.needed_rials) AS BIGINT) AS needed_rials,"        \
  " CAST(SUM(s.approved_rials) AS BIGINT) AS approved_rials,"   \
  " CAST(SUM(s.allocated_rials) AS BIGINT) AS allocated_rials," \
  " CAST(SUM(s.notified_rials) AS BIGINT) AS notified_rials,"   \
  " CAST(SUM(s.committed_rials) AS BIGINT) AS committed_rials," \
  " CAST(SUM(s.paid_rials) AS BIGINT) AS paid_rials"
constexpr Query kTotalsByAgency{
    "funding.totals_by_agency",
    "SELECT s.agency_id, " SUM_STAGES
    " FROM clause_shares s JOIN resolution_clauses c ON c.id = s.clause_id"
    " JOIN resolutions r ON r.id = c.resolution_id"
    " WHERE r.resolved_day >= ? AND r.resolved_day <= ? GROUP BY s.agency_id ORDER BY s.agency_id"};
constexpr Query kSharesOfAgency{
    "clause_shares.of_agency",
    "SELECT " SHARE_COLS
    ", c.seq, c.body, c.status AS clause_status, c.deadline_day, r.id AS resolution_id,"
    " r.number, r.title, co.name AS council_name"
    " FROM clause_shares s JOIN agencies a ON a.id = s.agency_id"
    " JOIN resolution_clauses c ON c.id = s.clause_id JOIN resolutions r ON r.id = c.resolution_id"
    " JOIN councils co ON co.id = r.council_id WHERE s.agency_id = ?"
    " ORDER BY s.needed_rials - s.allocated_rials DESC, s.clause_id LIMIT ? OFFSET ?"};
constexpr Query kCountSharesOfAgency{"clause_shares.count_of_agency",
                                     "SELECT COUNT(*) AS n FROM clause_shares WHERE agency_id = ?"};

Council CouncilFrom(const db::Row& r) {
  return Council{r.Int("id"), r.Text("code"), r.Text("name")};
}

Resolution ResolutionFrom(const db::Row& r) {
  Resolution x;
  x.id = r.Int("id");
  x.council_id = r.Int("council_id");
  x.council_code = r.Text("council_code");
  x.council_name = r.Text("council_name");
  x.number = r.Text("number");
  x.day = r.Int("resolved_day");
  x.title = r.Text("title");
  x.body = r.Text("body");
  x.status = r.Text("status");
  x.created_by = r.Int("created_by");
  x.created_at = r.Int("created_at");
  x.updated_at = r.Int("updated_at");
  return x;
}

Clause ClauseFrom(const db::Row& r) {
  Clause c;
  c.id = r.Int("id");
  c.resolution_id = r.Int("resolution_id");
  c.seq = static_cast<int>(r.Int("seq"));
  c.body = r.Text("body");
  c.expected_output = r.Text("expected_output");
  c.deadline_day = r.Int("deadline_day");
  c.status = r.Text("status");
  c.withdraw_reason = r.Text("withdraw_reason");
  c.withdrawn_at = r.OptInt("withdrawn_at");
  c.created_at = r.Int("created_at");
  return c;
}

StageTotals TotalsFrom(const db::Row& r) {
  return StageTotals{r.Int("needed_rials"),   r.Int("approved_rials"),  r.Int("allocated_rials"),
                     r.Int("notified_rials"), r.Int("committed_rials"), r.Int("paid_rials")};
}

Share ShareFrom(const db::Row& r) {
  Share s;
  s.clause_id = r.Int("clause_id");
  s.agency_id = r.Int("agency_id");
  s.agency_name = r.Text("agency_name");
  s.totals = TotalsFrom(r);
  s.entries = r.Int("entries");
  return s;
}

CreditEntry EntryFrom(const db::Row& r) {
  CreditEntry e;
  e.id = r.Int("id");
  e.clause_id = r.Int("clause_id");
  e.agency_id = r.Int("agency_id");
  e.stage = StageFromCode(r.Text("stage")).value_or(Stage::kNeeded);
  e.amount = r.Int("amount_rials");
  e.reverses_entry_id = r.OptInt("reverses_entry_id");
  e.reversed_by = r.OptInt("reversed_by");
  e.note = r.Text("note");
  e.created_by = r.Int("created_by");
  e.created_at = r.Int("created_at");
  e.agency_name = r.Text("agency_name");
  e.user_name = r.Text("user_name");
  e.clause_seq = static_cast<int>(r.Int("clause_seq"));
  e.resolution_id = r.Int("resolution_id");
  return e;
}

Document DocumentFrom(const db::Row& r) {
  Document d;
  d.id = r.Int("id");
  d.resolution_id = r.Int("resolution_id");
  d.path = r.Text("path");
  d.sha256 = r.Text("sha256");
  d.size = r.Int("size_bytes");
  d.file_name = r.Text("file_name");
  d.uploaded_by = r.Int("uploaded_by");
  d.uploaded_at = r.Int("uploaded_at");
  d.uploader_name = r.Text("uploader_name");
  return d;
}

// LIKE pattern for a substring, with the LIKE wildcards of the text escaped.
std::string ContainsPattern(const std::string& key) {
  std::string out = "%";
  for (char ch : key) {
    if (ch == '%' || ch == '_' || ch == '\\') out.push_back('\\');
    out.push_back(ch);
  }
  return out + "%";
}

db::Params ResolutionParams(const ResolutionFilter& f) {
  return {f.council_id, f.council_id, f.status,
          f.status,     f.query_key,  ContainsPattern(f.query_key)};
}

db::Params EntryParams(const EntryFilter& f) {
  return {f.resolution_id, f.resolution_id, f.clause_id, f.clause_id, f.agency_id, f.agency_id};
}

db::Params UnfundedParams(const UnfundedFilter& f) {
  std::int64_t council = f.council_id.value_or(0), agency = f.agency_id.value_or(0);
  return {council, council, agency, agency};
}

}  // namespace

std::vector<Council> Councils(db::Connection& c) {
  std::vector<Council> out;
  for (const auto& r : c.Run(kCouncils)) out.push_back(CouncilFrom(r));
  return out;
}

std::optional<Council> CouncilByCode(db::Connection& c, const std::string& code) {
  auto rs = c.Run(kCouncilByCode, {code});
  if (rs.empty()) return std::nullopt;
  return CouncilFrom(rs[0]);
}

std::optional<AgencyRow> Agency(db::Connection& c, std::int64_t id) {
  auto rs = c.Run(kAgency, {id});
  if (rs.empty()) return std::nullopt;
  return AgencyRow{rs[0].Int("id"), rs[0].Text("name"), rs[0].Int("active") != 0};
}

std::int64_t InsertResolution(db::Connection& c, const Resolution& r, const std::string& search_key,
                              std::int64_t now) {
  return c
      .Run(kInsertResolution,
           {r.council_id, r.number, r.day, r.title, r.body, search_key, r.created_by, now, now})[0]
      .Int("id");
}

std::optional<Resolution> GetResolution(db::Connection& c, std::int64_t id) {
  auto rs = c.Run(kGetResolution, {id});
  if (rs.empty()) return std::nullopt;
  return ResolutionFrom(rs[0]);
}

std::vector<Resolution> ListResolutions(db::Connection& c, const ResolutionFilter& f,
                                        std::int64_t limit, std::int64_t offset) {
  auto params = ResolutionParams(f);
  params.emplace_back(limit);
  params.emplace_back(offset);
  std::vector<Resolution> out;
  for (const auto& r : c.Run(kListResolutions, params)) {
    auto x = ResolutionFrom(r);
    x.clause_count = r.Int("clause_count");
    x.needed = r.Int("needed");
    x.allocated = r.Int("allocated");
    out.push_back(std::move(x));
  }
  return out;
}

std::int64_t CountResolutions(db::Connection& c, const ResolutionFilter& f) {
  return c.Run(kCountResolutions, ResolutionParams(f))[0].Int("n");
}

void UpdateResolution(db::Connection& c, const Resolution& r, const std::string& search_key,
                      std::int64_t now) {
  c.Exec(kUpdateResolution, {r.title, r.body, r.status, search_key, now, r.id});
}

std::int64_t InsertClause(db::Connection& c, const Clause& cl, std::int64_t user,
                          std::int64_t now) {
  return c
      .Run(kInsertClause, {cl.resolution_id, cl.seq, cl.body, cl.expected_output, cl.deadline_day,
                           user, now, now})[0]
      .Int("id");
}

std::optional<Clause> GetClause(db::Connection& c, std::int64_t id) {
  auto rs = c.Run(kGetClause, {id});
  if (rs.empty()) return std::nullopt;
  Clause cl = ClauseFrom(rs[0]);
  for (const auto& r : c.Run(kSharesOfClause, {id})) cl.shares.push_back(ShareFrom(r));
  return cl;
}

std::vector<Clause> ClausesOf(db::Connection& c, std::int64_t resolution_id) {
  std::vector<Clause> out;
  for (const auto& r : c.Run(kClausesOf, {resolution_id})) out.push_back(ClauseFrom(r));
  for (const auto& r : c.Run(kSharesOfResolution, {resolution_id})) {
    Share s = ShareFrom(r);
    for (auto& cl : out) {
      if (cl.id == s.clause_id) cl.shares.push_back(s);
    }
  }
  return out;
}

int NextSeq(db::Connection& c, std::int64_t resolution_id) {
  return static_cast<int>(c.Run(kNextSeq, {resolution_id})[0].Int("n"));
}

bool SeqTaken(db::Connection& c, std::int64_t resolution_id, int seq) {
  return c.Run(kSeqTaken, {resolution_id, seq})[0].Int("n") > 0;
}

bool WithdrawClause(db::Connection& c, std::int64_t id, const std::string& reason,
                    std::int64_t user, std::int64_t now) {
  return c.Exec(kWithdraw, {reason, user, now, now, id}) == 1;
}

void InsertShare(db::Connection& c, std::int64_t clause_id, std::int64_t agency_id,
                 std::int64_t now) {
  c.Exec(kInsertShare, {clause_id, agency_id, now});
}

std::optional<StageTotals> LockShare(db::Connection& c, std::int64_t clause_id,
                                     std::int64_t agency_id, std::int64_t now) {
  auto rs = c.Run(kLockShare, {now, clause_id, agency_id});
  if (rs.empty()) return std::nullopt;
  return TotalsFrom(rs[0]);
}

void SetShareTotals(db::Connection& c, std::int64_t clause_id, std::int64_t agency_id,
                    const StageTotals& t) {
  c.Exec(kSetShareTotals, {t.needed, t.approved, t.allocated, t.notified, t.committed, t.paid,
                           clause_id, agency_id});
}

std::int64_t InsertEntry(db::Connection& c, const CreditEntry& e, std::int64_t now) {
  return c
      .Run(kInsertEntry, {e.clause_id, e.agency_id, StageCode(e.stage), e.amount,
                          e.reverses_entry_id, e.note, e.created_by, now})[0]
      .Int("id");
}

std::optional<CreditEntry> GetEntry(db::Connection& c, std::int64_t id) {
  auto rs = c.Run(kGetEntry, {id});
  if (rs.empty()) return std::nullopt;
  return EntryFrom(rs[0]);
}

std::vector<CreditEntry> Entries(db::Connection& c, const EntryFilter& f, std::int64_t limit,
                                 std::int64_t offset) {
  auto params = EntryParams(f);
  params.emplace_back(limit);
  params.emplace_back(offset);
  std::vector<CreditEntry> out;
  for (const auto& r : c.Run(kEntries, params)) out.push_back(EntryFrom(r));
  return out;
}

std::int64_t CountEntries(db::Connection& c, const EntryFilter& f) {
  return c.Run(kCountEntries, EntryParams(f))[0].Int("n");
}

std::int64_t InsertDocument(db::Connection& c, const Document& d) {
  return c
      .Run(kInsertDocument, {d.resolution_id, d.path, d.sha256, d.size, d.file_name, d.uploaded_by,
                             d.uploaded_at})[0]
      .Int("id");
}

std::optional<Document> LatestDocument(db::Connection& c, std::int64_t resolution_id) {
  auto rs = c.Run(kLatestDocument, {resolution_id});
  if (rs.empty()) return std::nullopt;
  return DocumentFrom(rs[0]);
}

std::vector<Document> DocumentsOf(db::Connection& c, std::int64_t resolution_id) {
  std::vector<Document> out;
  for (const auto& r : c.Run(kDocumentsOf, {resolution_id})) out.push_back(DocumentFrom(r));
  return out;
}

std::vector<UnfundedClause> Unfunded(db::Connection& c, const UnfundedFilter& f, std::int64_t limit,
                                     std::int64_t offset) {
  auto params = UnfundedParams(f);
  params.emplace_back(limit);
  params.emplace_back(offset);
  std::vector<UnfundedClause> out;
  for (const auto& r : c.Run(kUnfunded, params)) {
    UnfundedClause u;
    u.clause_id = r.Int("clause_id");
    u.seq = static_cast<int>(r.Int("seq"));
    u.body = r.Text("body");
    u.deadline_day = r.Int("deadline_day");
    u.resolution_id = r.Int("resolution_id");
    u.number = r.Text("number");
    u.title = r.Text("title");
    u.resolution_day = r.Int("resolved_day");
    u.council_name = r.Text("council_name");
    u.needed = r.Int("needed");
    u.allocated = r.Int("allocated");
    u.gap = r.Int("gap");
    out.push_back(std::move(u));
  }
  return out;
}

std::pair<std::int64_t, std::int64_t> CountUnfunded(db::Connection& c, const UnfundedFilter& f) {
  auto rs = c.Run(kCountUnfunded, UnfundedParams(f));
  return {rs[0].Int("n"), rs[0].Int("gap")};
}

std::vector<std::pair<std::int64_t, StageTotals>> TotalsByAgency(db::Connection& c,
                                                                 std::int64_t from_day,
                                                                 std::int64_t to_day) {
  std::vector<std::pair<std::int64_t, StageTotals>> out;
  for (const auto& r : c.Run(kTotalsByAgency, {from_day, to_day})) {
    out.emplace_back(r.Int("agency_id"), TotalsFrom(r));
  }
  return out;
}

std::vector<AgencyShare> SharesOfAgency(db::Connection& c, std::int64_t agency_id,
                                        std::int64_t limit, std::int64_t offset) {
  std::vector<AgencyShare> out;
  for (const auto& r : c.Run(kSharesOfAgency, {agency_id, limit, offset})) {
    AgencyShare a;
    a.share = ShareFrom(r);
    a.clause_seq = static_cast<int>(r.Int("seq"));
    a.clause_body = r.Text("body");
    a.clause_status = r.Text("clause_status");
    a.deadline_day = r.Int("deadline_day");
    a.resolution_id = r.Int("resolution_id");
    a.number = r.Text("number");
    a.title = r.Text("title");
    a.council_name = r.Text("council_name");
    out.push_back(std::move(a));
  }
  return out;
}

std::int64_t CountSharesOfAgency(db::Connection& c, std::int64_t agency_id) {
  return c.Run(kCountSharesOfAgency, {agency_id})[0].Int("n");
}

}  // namespace peyvand::funding::store
