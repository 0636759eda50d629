// The funding module's use cases: council resolutions and their clauses (each clause a task in
// every responsible agency's queue), their signed copies, and the append-only credit ledger.
// Each change authorises, runs in one write transaction and appends its audit entry there.
//
// Who may do what (rules.hpp: MayManage, MayRecord): every signed-in user reads (there is no
// personal data here); coordinators and system admins create and edit resolutions and clauses,
// withdraw clauses, upload signed copies and record every stage; an agency manager records
// commitments and payments on their own agency's shares. A reversal needs the right of the
// stage it reverses. Denials are audited (access.denied) and answered 403.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "db/database.hpp"
#include "modules/accounts/model.hpp"
#include "modules/audit/service.hpp"
#include "modules/funding/model.hpp"
#include "modules/funding/store.hpp"
#include "modules/pathway/model.hpp"
#include "modules/pathway/service.hpp"

namespace peyvand::funding {

struct ResolutionQuery {
  std::string text;  // searched in the number and the title
  std::optional<std::int64_t> council_id;
  std::string status;  // "" = any
};

struct ResolutionPage {
  std::vector<Resolution> items;
  std::int64_t total = 0;
};

struct ClauseView {
  Clause clause;
  std::vector<pathway::Task> tasks;  // one per responsible agency
};

struct ResolutionView {
  Resolution resolution;
  std::vector<ClauseView> clauses;
  std::vector<Document> documents;  // newest first; the first is the current signed copy
};

struct EntryPage {
  std::vector<CreditEntry> items;
  std::int64_t total = 0;
};

struct UnfundedCount {
  std::int64_t clauses = 0;
  std::int64_t gap = 0;  // rials, summed over those clauses
};

struct AgencyFunding {
  store::AgencyRow agency;
  StageTotals totals;
  std::vector<AgencyShare> shares;
  std::int64_t share_count = 0;
};

struct DocumentFile {
  Document document;
  std::string bytes;
};

class FundingService {
 public:
  // `data_dir` holds the signed copies, under documents/.
  FundingService(db::Database& db, audit::AuditService& audit, const Clock& clock,
                 pathway::PathwayService& pathway, std::string data_dir);

  std::vector<Council> Councils();
  std::int64_t Today() const;  // unix day, Iran time

  // Resolutions and clauses.
  ResolutionPage ListResolutions(const accounts::Principal& p, const ResolutionQuery& q,
                                 std::int64_t limit, std::int64_t offset);
  Resolution CreateResolution(const accounts::Principal& p, NewResolution in);
  Resolution UpdateResolution(const accounts::Principal& p, std::int64_t id, ResolutionPatch in);
  ResolutionView GetResolution(const accounts::Principal& p, std::int64_t id);
  // Adds the clause, one share and one task per responsible agency, and a `needed` entry for
  // each agency whose cost is above zero.
  Clause AddClause(const accounts::Principal& p, std::int64_t resolution_id, NewClause in);
  // Withdraws a clause with a reason; its open tasks are cancelled, its ledger stays.
  void WithdrawClause(const accounts::Principal& p, std::int64_t clause_id,
                      const std::string& reason);
  std::int64_t ResolutionOfClause(std::int64_t clause_id);

  // The ledger.
  CreditEntry Record(const accounts::Principal& p, NewEntry in);
  CreditEntry Reverse(const accounts::Principal& p, std::int64_t entry_id, const std::string& note);
  EntryPage Ledger(const store::EntryFilter& f, std::int64_t limit, std::int64_t offset);
  // Whether the principal may record at `stage` on a share of `agency_id` (for pages).
  static bool MayRecordAt(const accounts::Principal& p, Stage stage, std::int64_t agency_id);
  static bool MayManage(const accounts::Principal& p);

  // Aggregates, also read by the coordinator's dashboard.
  std::vector<UnfundedClause> Unfunded(const UnfundedFilter& f, std::int64_t limit,
                                       std::int64_t offset);
  UnfundedCount CountUnfunded(const UnfundedFilter& f);
  // Shares of resolutions dated in [from_day, to_day] (either end open), summed per agency.
  std::vector<std::pair<std::int64_t /*agency_id*/, StageTotals>> TotalsByAgency(
      std::optional<std::int64_t> from_day, std::optional<std::int64_t> to_day);
  AgencyFunding AgencyFundingOf(std::int64_t agency_id, std::int64_t limit, std::int64_t offset);

  // Signed copies (documents.cpp). The file is written and made durable before the
  // transaction that records it; a download re-checks its SHA-256.
  Document UploadDocument(const accounts::Principal& p, std::int64_t resolution_id,
                          const std::string& file_name, const std::string& content_type,
                          std::string_view bytes);
  DocumentFile ReadDocument(std::int64_t resolution_id);

 private:
  void RequireManage(const accounts::Principal& p, const char* what);
  void Deny(const accounts::Principal& p, const std::string& type, std::int64_t id,
            const std::string& reason);
  // Appends one entry to the ledger and moves its share's totals, inside `tx`.
  CreditEntry Append(db::Connection& tx, const accounts::Principal& p, CreditEntry e);

  db::Database& db_;
  audit::AuditService& audit_;
  const Clock& clock_;
  pathway::PathwayService& pathway_;
  std::string data_dir_;
};

}  // namespace peyvand::funding
