// SQL for the funding module: councils, resolutions, clauses and their shares, the credit
// ledger, signed documents, and the aggregates (unfunded clauses, totals by agency).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "db/database.hpp"
#include "modules/funding/model.hpp"

namespace peyvand::funding::store {

std::vector<Council> Councils(db::Connection& c);
std::optional<Council> CouncilByCode(db::Connection& c, const std::string& code);

struct AgencyRow {
  std::int64_t id = 0;
  std::string name;
  bool active = false;
};
std::optional<AgencyRow> Agency(db::Connection& c, std::int64_t id);

// Resolutions.
struct ResolutionFilter {
  std::string query_key;        // persian::MatchKey of the search text; "" = any
  std::int64_t council_id = 0;  // 0 = any
  std::string status;           // "" = any
};
std::int64_t InsertResolution(db::Connection& c, const Resolution& r, const std::string& search_key,
                              std::int64_t now);
std::optional<Resolution> GetResolution(db::Connection& c, std::int64_t id);
std::vector<Resolution> ListResolutions(db::Connection& c, const ResolutionFilter& f,
                                        std::int64_t limit, std::int64_t offset);
std::int64_t CountResolutions(db::Connection& c, const ResolutionFilter& f);
void UpdateResolution(db::Connection& c, const Resolution& r, const std::string& search_key,
                      std::int64_t now);

// Clauses and shares.
std::int64_t InsertClause(db::Connection& c, const Clause& cl, std::int64_t user, std::int64_t now);
std::optional<Clause> GetClause(db::Connection& c, std::int64_t id);
std::vector<Clause> ClausesOf(db::Connection& c, std::int64_t resolution_id);  // with shares
int NextSeq(db::Connection& c, std::int64_t resolution_id);
bool SeqTaken(db::Connection& c, std::int64_t resolution_id, int seq);
bool WithdrawClause(db::Connection& c, std::int64_t id, const std::string& reason,
                    std::int64_t user, std::int64_t now);
void InsertShare(db::Connection& c, std::int64_t clause_id, std::int64_t agency_id,
                 std::int64_t now);
// Claims the share for one entry (on PostgreSQL, a row lock until commit, so entries on the
// same share are serialised) and returns its totals as they now are; nullopt: no such share.
std::optional<StageTotals> LockShare(db::Connection& c, std::int64_t clause_id,
                                     std::int64_t agency_id, std::int64_t now);
void SetShareTotals(db::Connection& c, std::int64_t clause_id, std::int64_t agency_id,
                    const StageTotals& t);

// The ledger (append-only).
std::int64_t InsertEntry(db::Connection& c, const CreditEntry& e, std::int64_t now);
std::optional<CreditEntry> GetEntry(db::Connection& c, std::int64_t id);
struct EntryFilter {
  std::int64_t resolution_id = 0;  // 0 = any
  std::int64_t clause_id = 0;
  std::int64_t agency_id = 0;
};
std::vector<CreditEntry> Entries(db::Connection& c, const EntryFilter& f, std::int64_t limit,
                                 std::int64_t offset);
std::int64_t CountEntries(db::Connection& c, const EntryFilter& f);

// Documents.
std::int64_t InsertDocument(db::Connection& c, const Document& d);
std::optional<Document> LatestDocument(db::Connection& c, std::int64_t resolution_id);
std::vector<Document> DocumentsOf(db::Connection& c, std::int64_t resolution_id);

// Aggregates. Unfunded: active clauses of resolutions not cancelled whose need exceeds their
// allocation, biggest gap first.
std::vector<UnfundedClause> Unfunded(db::Connection& c, const UnfundedFilter& f, std::int64_t limit,
                                     std::int64_t offset);
std::pair<std::int64_t, std::int64_t> CountUnfunded(db::Connection& c,
                                                    const UnfundedFilter& f);  // {count, gap}
// Every share of resolutions dated from_day..to_day (inclusive), summed per agency.
std::vector<std::pair<std::int64_t, StageTotals>> TotalsByAgency(db::Connection& c,
                                                                 std::int64_t from_day,
                                                                 std::int64_t to_day);
std::vector<AgencyShare> SharesOfAgency(db::Connection& c, std::int64_t agency_id,
                                        std::int64_t limit, std::int64_t offset);
std::int64_t CountSharesOfAgency(db::Connection& c, std::int64_t agency_id);

}  // namespace peyvand::funding::store
