#include "modules/funding/rules.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "core/utf8.hpp"
#include "persian/digits.hpp"
#include "persian/jalali.hpp"

namespace peyvand::funding {
namespace {

constexpr const char* kInvalidInput = "برخی از مقادیر ورودی نامعتبر است.";

[[noreturn]] void FieldFail(const char* field, std::string message) {
  Fail(ErrorCode::kInvalid, kInvalidInput, {{field, std::move(message)}});
}

void CheckText(const char* field, const std::string& v, std::size_t min, std::size_t max) {
  std::size_t n = CountCodePoints(v);
  if (n < min)
    FieldFail(field, min <= 1 ? "این مقدار الزامی است."
                              : "این مقدار کوتاه‌تر از حد لازم است.");
  if (n > max) FieldFail(field, "این مقدار بیش از حد طولانی است.");
}

std::string Rials(std::int64_t n) {
  return persian::FormatNumber(n) + " ریال";
}

Error Refused(std::string message) {
  return Error{ErrorCode::kRefused, std::move(message), {}};
}

}  // namespace

const char* StageCode(Stage s) {
  switch (s) {
    case Stage::kNeeded: return "needed";
    case Stage::kApproved: return "approved";
    case Stage::kAllocated: return "allocated";
    case Stage::kNotified: return "notified";
    case Stage::kCommitted: return "committed";
    case Stage::kPaid: return "paid";
  }
  return "needed";
}

std::optional<Stage> StageFromCode(std::string_view code) {
  for (Stage s : kStages) {
    if (code == StageCode(s)) return s;
  }
  return std::nullopt;
}

const char* StageLabel(Stage s) {
  switch (s) {
    case Stage::kNeeded: return "اعتبار مورد نیاز";
    case Stage::kApproved: return "اعتبار مصوب";
    case Stage::kAllocated: return "تخصیص";
    case Stage::kNotified: return "ابلاغ";
    case Stage::kCommitted: return "تعهد";
    case Stage::kPaid: return "پرداخت";
  }
  return "";
}

std::int64_t Get(const StageTotals& t, Stage s) {
  switch (s) {
    case Stage::kNeeded: return t.needed;
    case Stage::kApproved: return t.approved;
    case Stage::kAllocated: return t.allocated;
    case Stage::kNotified: return t.notified;
    case Stage::kCommitted: return t.committed;
    case Stage::kPaid: return t.paid;
  }
  return 0;
}

std::int64_t& At(StageTotals& t, Stage s) {
  switch (s) {
    case Stage::kNeeded: return t.needed;
    case Stage::kApproved: return t.approved;
    case Stage::kAllocated: return t.allocated;
    case Stage::kNotified: return t.notified;
    case Stage::kCommitted: return t.committed;
    case Stage::kPaid: return t.paid;
  }
  return t.needed;
}

bool Consistent(const StageTotals& t) {
  return 0 <= t.paid && t.paid <= t.committed && t.committed <= t.notified &&
         t.notified <= t.allocated && t.allocated <= t.approved && t.approved <= t.needed;
}

std::optional<Error> CheckNewAmount(std::optional<std::int64_t> amount) {
  if (!amount) {
    return Error{
        ErrorCode::kInvalid, kInvalidInput, {{"amount_rials", "مبلغ را به ریال بنویسید."}}};
  }
  if (*amount <= 0) {
    return Error{ErrorCode::kInvalid,
                 kInvalidInput,
                 {{"amount_rials",
                   "مبلغ باید عددی مثبت به ریال باشد؛ برای اصلاح، ثبت نادرست را برگردانید."}}};
  }
  if (*amount > kMaxAmountRials) {
    return Error{ErrorCode::kInvalid,
                 kInvalidInput,
                 {{"amount_rials", "مبلغ از سقف " + Rials(kMaxAmountRials) + " بیشتر است."}}};
  }
  return std::nullopt;
}

Result<StageTotals> ApplyEntry(const StageTotals& before, Stage stage, std::int64_t delta) {
  StageTotals after = before;
  std::int64_t& v = At(after, stage);
  if (__builtin_add_overflow(v, delta, &v) || v > kMaxAmountRials * 1000) {
    return Refused("جمع مبلغ‌های " + std::string(StageLabel(stage)) +
                   " این سهم از سقف مجاز بیشتر می‌شود.");
  }
  const int i = static_cast<int>(stage);
  const char* label = StageLabel(stage);
  if (delta > 0 && i > 0) {
    // Raising a stage: it may not pass the stage before it.
    Stage above = kStages[i - 1];
    if (Get(after, stage) > Get(after, above)) {
      return Refused("ثبت ممکن نیست: " + std::string(label) + " این سهم با این ثبت به " +
                     Rials(Get(after, stage)) + " می‌رسد و از " + StageLabel(above) +
                     " (" + Rials(Get(after, above)) + ") بیشتر می‌شود؛ نخست " +
                     StageLabel(above) + " را افزایش دهید.");
    }
  }
  if (delta < 0) {
    // Lowering a stage (a reversal): it may not go below zero or below the stage after it.
    if (Get(after, stage) < 0) {
      return Refused("برگرداندن ممکن نیست: " + std::string(label) +
                     " این سهم منفی می‌شود.");
    }
    if (i + 1 < static_cast<int>(std::size(kStages))) {
      Stage below = kStages[i + 1];
      if (Get(after, below) > Get(after, stage)) {
        return Refused("برگرداندن این " + std::string(label) + " ممکن نیست: " + label +
                       " این سهم به " + Rials(Get(after, stage)) + " می‌رسد و از " +
                       StageLabel(below) + " (" + Rials(Get(after, below)) +
                       ") کمتر می‌شود؛ نخست " + StageLabel(below) +
                       " را برگردانید.");
      }
    }
  }
  if (!Consistent(after)) {
    // Only reachable from totals that were already inconsistent (the database refuses those).
    return Refused(
        "مبلغ‌های این سهم با هم سازگار نیستند؛ با مدیر سامانه تماس بگیرید.");
  }
  return after;
}

std::optional<Error> CheckReversal(const CreditEntry& original) {
  if (original.reverses_entry_id) {
    return Refused(
        "این ثبت خود برگشت ثبت دیگری است و برگرداندنی نیست؛ اگر لازم است، مبلغ را دوباره ثبت "
        "کنید.");
  }
  if (original.reversed_by) {
    return Refused(
        "این ثبت پیش‌تر برگردانده شده است (ثبت شمارهٔ " +
        persian::ToPersianDigits(std::to_string(*original.reversed_by)) +
        ")؛ هر ثبت تنها یک بار برگردانده می‌شود.");
  }
  if (original.amount <= 0) return Refused("این ثبت برگرداندنی نیست.");
  return std::nullopt;
}

bool MayManage(const accounts::RoleSet& roles) {
  return roles.HasAny({accounts::Role::kCoordinator, accounts::Role::kSystemAdmin});
}

bool MayRecord(const accounts::RoleSet& roles, std::int64_t principal_agency, Stage stage,
               std::int64_t share_agency) {
  if (MayManage(roles)) return true;
  bool spending = stage == Stage::kCommitted || stage == Stage::kPaid;
  return spending && roles.Has(accounts::Role::kAgencyManager) && principal_agency > 0 &&
         principal_agency == share_agency;
}

const char* StatusLabel(std::string_view status) {
  if (status == "active") return "در حال اجرا";
  if (status == "completed") return "اجرا شده";
  if (status == "cancelled") return "لغو شده";
  return "";
}

bool IsStatus(std::string_view status) {
  return std::any_of(std::begin(kStatuses), std::end(kStatuses),
                     [&](const char* s) { return status == s; });
}

void CheckResolution(const NewResolution& in, std::int64_t today) {
  if (in.council.empty()) FieldFail("council", "شورا را برگزینید.");
  CheckText("number", in.number, 1, 40);
  if (!in.day) FieldFail("date", "تاریخ جلسه را بنویسید (مانند ۱۴۰۵/۰۹/۱۰).");
  if (*in.day > today)
    FieldFail("date", "تاریخ جلسه نمی‌تواند پس از امروز باشد.");
  CheckText("title", in.title, 3, 300);
  CheckText("text", in.body, 0, 20000);
}

void CheckPatch(const ResolutionPatch& in) {
  if (in.title) CheckText("title", *in.title, 3, 300);
  if (in.body) CheckText("text", *in.body, 0, 20000);
  if (in.status && !IsStatus(*in.status)) {
    FieldFail("status", "وضعیت باید یکی از در حال اجرا، اجرا شده یا لغو شده باشد.");
  }
}

void CheckClause(const NewClause& in, std::int64_t resolution_day) {
  if (in.seq && (*in.seq < 1 || *in.seq > kMaxClauseSeq)) {
    FieldFail("seq", "شمارهٔ بند باید بین ۱ تا ۹۹۹ باشد.");
  }
  CheckText("text", in.body, 3, 4000);
  CheckText("expected_output", in.expected_output, 0, 2000);
  if (!in.deadline_day) FieldFail("deadline", "مهلت انجام بند را بنویسید (مانند ۱۴۰۵/۱۲/۱۵).");
  if (*in.deadline_day < resolution_day) {
    FieldFail("deadline", "مهلت نمی‌تواند پیش از تاریخ مصوبه (" +
                              persian::FormatJalali(persian::JalaliFromDays(resolution_day)) +
                              ") باشد.");
  }
  if (in.shares.empty())
    FieldFail("agencies", "دست‌کم یک دستگاه مسئول برگزینید.");
  if (in.shares.size() > kMaxSharesPerClause)
    FieldFail("agencies", "دستگاه‌های مسئول بیش از حد است.");
  for (std::size_t i = 0; i < in.shares.size(); ++i) {
    const auto& s = in.shares[i];
    if (s.agency_id <= 0) FieldFail("agencies", "دستگاه مسئول نامعتبر است.");
    if (s.cost < 0 || s.cost > kMaxAmountRials) {
      FieldFail("cost_rials",
                "اعتبار مورد نیاز باید عددی از صفر تا " + Rials(kMaxAmountRials) + " باشد.");
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (in.shares[j].agency_id == s.agency_id) {
        FieldFail("agencies",
                  "هر دستگاه تنها یک بار در یک بند می‌آید.");
      }
    }
  }
}

TaskState ClauseTaskState(std::string_view state, std::int64_t due_at, std::int64_t now) {
  if (state == "done") return TaskState::kDone;
  if (state == "new" || state == "open")
    return due_at < now ? TaskState::kOverdue : TaskState::kOpen;
  return TaskState::kClosed;
}

std::optional<Error> CheckDocument(std::string_view declared_type, std::string_view bytes) {
  if (bytes.empty()) {
    return Error{
        ErrorCode::kInvalid, kInvalidInput, {{"file", "فایل خالی است یا انتخاب نشده است."}}};
  }
  if (bytes.size() > kMaxDocumentBytes) {
    return Error{ErrorCode::kTooLarge,
                 "حجم فایل بیش از ۱۰ مگابایت است.",
                 {{"file", "حجم فایل بیش از ۱۰ مگابایت است."}}};
  }
  if (declared_type != "application/pdf" || bytes.substr(0, 5) != "%PDF-") {
    return Error{
        ErrorCode::kInvalid, kInvalidInput, {{"file", "فایل باید PDF باشد (نسخهٔ امضاشدهٔ مصوبه)."}}};
  }
  return std::nullopt;
}

std::string CleanFileName(std::string_view name) {
  auto slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  std::string out;
  for (char c : name) {
    if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f && c != '"') out.push_back(c);
  }
  if (!IsValidUtf8(out)) out.clear();
  out = TruncateUtf8(out, 200);
  while (!out.empty() && (out.back() == ' ' || out.back() == '.')) out.pop_back();
  while (!out.empty() && (out.front() == ' ' || out.front() == '.')) out.erase(out.begin());
  return out.empty() ? "resolution.pdf" : out;
}

std::string AttachmentHeader(std::string_view file_name, std::string_view ascii_fallback) {
  std::string encoded;
  for (unsigned char c : file_name) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      encoded.push_back(static_cast<char>(c));
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      encoded += buf;
    }
  }
  return "attachment; filename=\"" + std::string(ascii_fallback) + "\"; filename*=UTF-8''" +
         encoded;
}

}  // namespace peyvand::funding
