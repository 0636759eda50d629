#include "modules/funding/rules.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "persian/jalali.hpp"

namespace peyvand::funding {
namespace {

using accounts::Role;
using accounts::RoleSet;

StageTotals T(std::int64_t needed, std::int64_t approved, std::int64_t allocated,
              std::int64_t notified, std::int64_t committed, std::int64_t paid) {
  return StageTotals{needed, approved, allocated, notified, committed, paid};
}

TEST(FundingRules, StageCodesRoundTrip) {
  for (Stage s : kStages) {
    EXPECT_EQ(StageFromCode(StageCode(s)), s);
    EXPECT_STRNE(StageLabel(s), "");
  }
  EXPECT_EQ(StageFromCode("spent"), std::nullopt);
  EXPECT_EQ(StageFromCode(""), std::nullopt);
  EXPECT_EQ(StageFromCode("Paid"), std::nullopt);  // codes are exact
}

TEST(FundingRules, NewAmounts) {
  struct Case {
    std::optional<std::int64_t> amount;  // as given
    bool ok;                             // accepted for a new entry
  } cases[] = {
      {std::nullopt, false},         // missing
      {0, false},                    // nothing
      {-1, false},                   // negative: corrections are reversals
      {1, true},                     // one rial
      {5'000'000'000, true},         // five billion rials
      {kMaxAmountRials, true},       // the ceiling
      {kMaxAmountRials + 1, false},  // above it
      {INT64_MIN, false},            // extreme
  };
  for (const auto& c : cases) {
    auto err = CheckNewAmount(c.amount);
    EXPECT_EQ(!err.has_value(), c.ok) << (c.amount ? *c.amount : -999);
    if (err) {
      EXPECT_EQ(err->code, ErrorCode::kInvalid);
      ASSERT_EQ(err->fields.size(), 1u);
      EXPECT_EQ(err->fields[0].field, "amount_rials");
    }
  }
}

// The ledger's invariant after each entry: 0 ≤ paid ≤ committed ≤ notified ≤ allocated ≤
// approved ≤ needed, with reversals as negative deltas.
TEST(FundingRules, LedgerInvariants) {
  struct Case {
    const char* comment;  // what the row shows
    StageTotals before;   // the share's totals before the entry
    Stage stage;          // the entry's stage
    std::int64_t delta;   // its amount (negative: a reversal)
    bool ok;              // accepted
    const char* blocker;  // for a refusal: a stage label the message must name ("" = any)
  } cases[] = {
      {"need on an empty share", T(0, 0, 0, 0, 0, 0), Stage::kNeeded, 100, true, ""},
      {"approve within need", T(100, 0, 0, 0, 0, 0), Stage::kApproved, 100, true, ""},
      {"approve beyond need", T(100, 0, 0, 0, 0, 0), Stage::kApproved, 101, false,
       "اعتبار مورد نیاز"},
      {"allocate without approval", T(100, 0, 0, 0, 0, 0), Stage::kAllocated, 1, false,
       "اعتبار مصوب"},
      {"allocate within approval", T(100, 80, 0, 0, 0, 0), Stage::kAllocated, 80, true, ""},
      {"over-allocate", T(100, 80, 50, 0, 0, 0), Stage::kAllocated, 31, false, "اعتبار مصوب"},
      {"notify within allocation", T(100, 80, 50, 0, 0, 0), Stage::kNotified, 50, true, ""},
      {"commit beyond notification", T(100, 80, 50, 40, 0, 0), Stage::kCommitted, 41, false,
       "ابلاغ"},
      {"pay exactly the commitment", T(100, 80, 50, 40, 30, 0), Stage::kPaid, 30, true, ""},
      {"pay beyond commitment", T(100, 80, 50, 40, 30, 30), Stage::kPaid, 1, false, "تعهد"},
      {"reverse an allocation not yet notified", T(100, 80, 50, 0, 0, 0), Stage::kAllocated, -50,
       true, ""},
      {"reverse an allocation already notified", T(100, 80, 50, 40, 0, 0), Stage::kAllocated, -50,
       false, "ابلاغ"},
      {"reverse part of an allocation above notification", T(100, 80, 50, 40, 0, 0),
       Stage::kAllocated, -10, true, ""},
      {"reverse the need under an approval", T(100, 80, 0, 0, 0, 0), Stage::kNeeded, -100, false,
       "اعتبار مصوب"},
      {"reverse a payment", T(100, 80, 50, 40, 30, 30), Stage::kPaid, -30, true, ""},
      {"reverse below zero", T(100, 0, 0, 0, 0, 0), Stage::kNeeded, -101, false, ""},
      {"reverse a commitment already paid", T(100, 80, 50, 40, 30, 30), Stage::kCommitted, -30,
       false, "پرداخت"},
      {"raise the need with everything downstream", T(100, 100, 100, 100, 100, 100), Stage::kNeeded,
       5, true, ""},
      {"sum overflows", T(INT64_MAX - 1, 0, 0, 0, 0, 0), Stage::kNeeded, 10, false, ""},
  };
  for (const auto& c : cases) {
    auto r = ApplyEntry(c.before, c.stage, c.delta);
    EXPECT_EQ(r.ok(), c.ok) << c.comment;
    if (r.ok()) {
      EXPECT_TRUE(Consistent(*r)) << c.comment;
      StageTotals expected = c.before;
      At(expected, c.stage) += c.delta;
      EXPECT_EQ(*r, expected) << c.comment;
    } else {
      EXPECT_EQ(r.error().code, ErrorCode::kRefused) << c.comment;
      EXPECT_NE(r.error().message.find(c.blocker), std::string::npos)
          << c.comment << ": " << r.error().message;
    }
  }
}

TEST(FundingRules, RefusalTellsWhatToReverseFirst) {
  auto r = ApplyEntry(T(100, 80, 50, 40, 0, 0), Stage::kAllocated, -50);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("نخست ابلاغ را برگردانید"), std::string::npos)
      << r.error().message;
  // Amounts in the message are Persian digits with separators and the unit.
  EXPECT_NE(r.error().message.find("۴۰ ریال"), std::string::npos) << r.error().message;
  auto over = ApplyEntry(T(2'000'000, 1'500'000, 0, 0, 0, 0), Stage::kAllocated, 1'600'000);
  ASSERT_FALSE(over.ok());
  EXPECT_NE(over.error().message.find("۱٬۶۰۰٬۰۰۰ ریال"), std::string::npos) << over.error().message;
  EXPECT_NE(over.error().message.find("نخست اعتبار مصوب را افزایش دهید"), std::string::npos);
}

// A whole life of one share, entry by entry, checking the invariant after each.
TEST(FundingRules, LedgerSequence) {
  struct Step {
    Stage stage;         // the entry's stage
    std::int64_t delta;  // its amount
    bool ok;             // accepted
  } steps[] = {
      {Stage::kNeeded, 1000, true},     {Stage::kApproved, 800, true},
      {Stage::kAllocated, 600, true},   {Stage::kNotified, 600, true},
      {Stage::kAllocated, -600, false},  // notified first
      {Stage::kNotified, -600, true},   {Stage::kAllocated, -600, true},
      {Stage::kAllocated, 500, true},   {Stage::kNotified, 500, true},
      {Stage::kCommitted, 400, true},   {Stage::kPaid, 450, false},
      {Stage::kPaid, 400, true},        {Stage::kCommitted, -400, false},
  };
  StageTotals t;
  for (std::size_t i = 0; i < std::size(steps); ++i) {
    auto r = ApplyEntry(t, steps[i].stage, steps[i].delta);
    ASSERT_EQ(r.ok(), steps[i].ok) << "step " << i;
    if (r.ok()) t = *r;
    EXPECT_TRUE(Consistent(t)) << "step " << i;
  }
  EXPECT_EQ(t, T(1000, 800, 500, 500, 400, 400));
  EXPECT_EQ(Gap(t), 500);
}

TEST(FundingRules, Reversals) {
  struct Case {
    const char* comment;                      // what the row shows
    std::int64_t amount;                      // the original's amount
    std::optional<std::int64_t> reverses;     // the original is itself a reversal of …
    std::optional<std::int64_t> reversed_by;  // the original was already reversed by …
    bool ok;                                  // may be reversed
  } cases[] = {
      {"a plain entry", 500, std::nullopt, std::nullopt, true},
      {"already reversed", 500, std::nullopt, 9, false},
      {"a reversal", -500, 3, std::nullopt, false},
      {"a reversal that was (somehow) reversed", -500, 3, 9, false},
  };
  for (const auto& c : cases) {
    CreditEntry e;
    e.id = 4;
    e.amount = c.amount;
    e.reverses_entry_id = c.reverses;
    e.reversed_by = c.reversed_by;
    auto err = CheckReversal(e);
    EXPECT_EQ(!err.has_value(), c.ok) << c.comment;
    if (err) {
      EXPECT_EQ(err->code, ErrorCode::kRefused) << c.comment;
    }
  }
}

TEST(FundingRules, WhoMayRecord) {
  const RoleSet coordinator{Role::kCoordinator}, admin{Role::kSystemAdmin},
      manager{Role::kAgencyManager}, op{Role::kOperator}, auditor{Role::kAuditor};
  struct Case {
    RoleSet roles;        // the principal's roles
    std::int64_t agency;  // the principal's agency
    Stage stage;          // the entry's stage
    std::int64_t share;   // the agency that owns the share
    bool may;             // allowed
  } cases[] = {
      {coordinator, 1, Stage::kNeeded, 7, true}, {coordinator, 1, Stage::kAllocated, 7, true},
      {coordinator, 1, Stage::kPaid, 7, true},   {admin, 1, Stage::kNotified, 7, true},
      {manager, 7, Stage::kPaid, 7, true},       {manager, 7, Stage::kCommitted, 7, true},
      {manager, 7, Stage::kAllocated, 7, false},  // allocation is the coordinator's
      {manager, 7, Stage::kNeeded, 7, false},    {manager, 8, Stage::kPaid, 7, false},
      {manager, 8, Stage::kCommitted, 7, false},  // another agency's share
      {op, 7, Stage::kPaid, 7, false},            // operators do not spend
      {auditor, 7, Stage::kPaid, 7, false},      {RoleSet{}, 7, Stage::kPaid, 7, false},
  };
  for (std::size_t i = 0; i < std::size(cases); ++i) {
    const auto& c = cases[i];
    EXPECT_EQ(MayRecord(c.roles, c.agency, c.stage, c.share), c.may) << "row " << i;
  }
  EXPECT_TRUE(MayManage(coordinator));
  EXPECT_TRUE(MayManage(admin));
  EXPECT_FALSE(MayManage(manager));
}

TEST(FundingRules, ResolutionAndClauseInput) {
  const std::int64_t today = persian::DaysFromJalali({1405, 9, 20});
  auto fails_on = [](auto&& fn) -> std::string {
    try {
      fn();
    } catch (const AppError& e) {
      EXPECT_EQ(e.error().code, ErrorCode::kInvalid);
      return e.error().fields.empty() ? "?" : e.error().fields[0].field;
    }
    return "";
  };
  NewResolution ok{"drug_control_council", "۱۴۰۵/۳۲۱", today - 10, "گسترش ظرفیت درمان", ""};
  struct Case {
    const char* comment;  // what changes from `ok`
    NewResolution in;     // the input
    const char* field;    // the field refused; "" = accepted
  } cases[] = {
      {"valid", ok, ""},
      {"no council", {"", ok.number, ok.day, ok.title, ""}, "council"},
      {"no number", {ok.council, "", ok.day, ok.title, ""}, "number"},
      {"no date", {ok.council, ok.number, std::nullopt, ok.title, ""}, "date"},
      {"tomorrow", {ok.council, ok.number, today + 1, ok.title, ""}, "date"},
      {"today", {ok.council, ok.number, today, ok.title, ""}, ""},
      {"title too short", {ok.council, ok.number, ok.day, "ab", ""}, "title"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(fails_on([&] { CheckResolution(c.in, today); }), c.field) << c.comment;
  }

  const std::int64_t day = today - 10;
  auto clause = [&](std::vector<ShareInput> shares, std::optional<std::int64_t> deadline,
                    std::optional<int> seq = std::nullopt) {
    NewClause n;
    n.seq = seq;
    n.body = "افزایش ظرفیت مراکز مادهٔ ۱۶";
    n.deadline_day = deadline;
    n.shares = std::move(shares);
    return n;
  };
  struct ClauseCase {
    const char* comment;  // what the row shows
    NewClause in;         // the input
    const char* field;    // the field refused; "" = accepted
  } clauses[] = {
      {"two agencies", clause({{3, 1000}, {4, 0}}, day + 30), ""},
      {"no agency", clause({}, day + 30), "agencies"},
      {"the same agency twice", clause({{3, 1}, {3, 2}}, day + 30), "agencies"},
      {"negative cost", clause({{3, -1}}, day + 30), "cost_rials"},
      {"cost above the ceiling", clause({{3, kMaxAmountRials + 1}}, day + 30), "cost_rials"},
      {"deadline before the session", clause({{3, 1}}, day - 1), "deadline"},
      {"no deadline", clause({{3, 1}}, std::nullopt), "deadline"},
      {"seq 0", clause({{3, 1}}, day, 0), "seq"},
      {"seq 1000", clause({{3, 1}}, day, 1000), "seq"},
  };
  for (const auto& c : clauses) {
    EXPECT_EQ(fails_on([&] { CheckClause(c.in, day); }), c.field) << c.comment;
  }
  EXPECT_EQ(fails_on([] { CheckPatch({std::nullopt, std::nullopt, "paused"}); }), "status");
  EXPECT_EQ(fails_on([] { CheckPatch({std::nullopt, std::nullopt, "completed"}); }), "");
}

TEST(FundingRules, TaskStates) {
  struct Case {
    const char* state;  // the task's state
    std::int64_t due;   // its due time
    TaskState want;     // at now = 1000
  } cases[] = {
      {"done", 10, TaskState::kDone},        {"new", 999, TaskState::kOverdue},
      {"open", 1000, TaskState::kOpen},      {"new", 5000, TaskState::kOpen},
      {"cancelled", 10, TaskState::kClosed}, {"rejected", 10, TaskState::kClosed},
  };
  for (const auto& c : cases) EXPECT_EQ(ClauseTaskState(c.state, c.due, 1000), c.want) << c.state;
}

TEST(FundingRules, Documents) {
  const std::string pdf = "%PDF-1.7\n...";
  struct Case {
    const char* comment;  // what the upload is
    const char* type;     // declared Content-Type of the part
    std::string bytes;    // its content
    bool ok;              // accepted
    ErrorCode code;       // for a refusal
  } cases[] = {
      {"a small PDF", "application/pdf", pdf, true, ErrorCode::kInvalid},
      {"empty", "application/pdf", "", false, ErrorCode::kInvalid},
      {"PDF bytes declared as text", "text/plain", pdf, false, ErrorCode::kInvalid},
      {"declared PDF, bytes are not", "application/pdf", "<html>", false, ErrorCode::kInvalid},
      {"magic cut short", "application/pdf", "%PDF", false, ErrorCode::kInvalid},
      {"exactly the limit", "application/pdf",
       pdf + std::string(kMaxDocumentBytes - pdf.size(), 'x'), true, ErrorCode::kInvalid},
      {"one byte over", "application/pdf",
       pdf + std::string(kMaxDocumentBytes - pdf.size() + 1, 'x'), false, ErrorCode::kTooLarge},
  };
  for (const auto& c : cases) {
    auto err = CheckDocument(c.type, c.bytes);
    EXPECT_EQ(!err.has_value(), c.ok) << c.comment;
    if (err) {
      EXPECT_EQ(err->code, c.code) << c.comment;
    }
  }
  struct Name {
    const char* given;  // the uploaded file name
    const char* clean;  // what is kept
  } names[] = {
      {"مصوبه ۳۲۱.pdf", "مصوبه ۳۲۱.pdf"}, {"C:\\scans\\a.pdf", "a.pdf"},
      {"../../etc/passwd", "passwd"},     {"", "resolution.pdf"},
      {"a\"b\r\n.pdf", "ab.pdf"},         {"\xc3(", "resolution.pdf"},
  };
  for (const auto& n : names) EXPECT_EQ(CleanFileName(n.given), n.clean) << n.given;
  EXPECT_EQ(AttachmentHeader("م.pdf", "resolution-3.pdf"),
            "attachment; filename=\"resolution-3.pdf\"; filename*=UTF-8''%D9%85.pdf");
}

}  // namespace
}  // namespace peyvand::funding
