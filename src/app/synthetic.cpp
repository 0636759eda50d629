#include "app/synthetic.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <unordered_map>

#include "modules/pathway/rules.hpp"
#include "modules/people/rules.hpp"
#include "persian/digits.hpp"
#include "persian/jalali.hpp"
#include "persian/normalize.hpp"
#include "persian/utf8.hpp"

namespace peyvand::app::synthetic {

// ---- random numbers ----

Rng::Rng(std::uint64_t seed) {
  for (auto& s : s_) {
    seed += 0x9E3779B97F4A7C15ULL;
    std::uint64_t z = seed;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    s = z ^ (z >> 31);
  }
}

std::uint64_t Rng::Next() {
  auto rotl = [](std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); };
  std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
  std::uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

std::int64_t Rng::Uniform(std::int64_t lo, std::int64_t hi) {
  if (hi <= lo) return lo;
  auto span = static_cast<std::uint64_t>(hi - lo) + 1;
  return lo + static_cast<std::int64_t>(Next() % span);
}

double Rng::Real() {
  return static_cast<double>(Next() >> 11) * 0x1.0p-53;
}

// ---- national codes and spellings ----

std::string NationalCodeFor(std::uint64_t n) {
  constexpr std::uint64_t kSpace = 1'000'000'000;
  // 3^18 is coprime to 10^9, so n -> n * kMultiplier (mod 10^9) is a bijection.
  constexpr std::uint64_t kMultiplier = 387'420'489;
  constexpr std::uint64_t kOffset = 123'456'789;
  std::uint64_t body = ((n % kSpace) * kMultiplier + kOffset) % kSpace;
  std::string code(10, '0');
  int sum = 0;
  for (int i = 8; i >= 0; --i) {
    code[static_cast<std::size_t>(i)] = static_cast<char>('0' + body % 10);
    sum += static_cast<int>(body % 10) * (10 - i);
    body /= 10;
  }
  int r = sum % 11;
  code[9] = static_cast<char>('0' + (r < 2 ? r : 11 - r));
  if (code.find_first_not_of(code[0]) == std::string::npos) return "";
  return code;
}

namespace {

constexpr char32_t kZwnj = 0x200C;

std::vector<char32_t> CodePoints(std::string_view s) {
  std::vector<char32_t> out;
  for (std::size_t pos = 0; pos < s.size();) out.push_back(persian::DecodeNext(s, pos));
  return out;
}

std::string Utf8(const std::vector<char32_t>& cps) {
  std::string out;
  for (char32_t c : cps) persian::AppendUtf8(out, c);
  return out;
}

// Letters people confuse when typing a name they only heard.
constexpr std::pair<char32_t, char32_t> kConfusable[] = {
    {U'ز', U'ذ'}, {U'ذ', U'ز'}, {U'ض', U'ز'}, {U'ظ', U'ز'}, {U'س', U'ص'}, {U'ص', U'س'},
    {U'ث', U'س'}, {U'ت', U'ط'}, {U'ط', U'ت'}, {U'ح', U'ه'}, {U'ق', U'غ'}, {U'غ', U'ق'}};

char32_t Confusable(char32_t c) {
  for (const auto& [from, to] : kConfusable)
    if (from == c) return to;
  return 0;
}

bool IsLetter(char32_t c) {
  return c != kZwnj && c != U' ';
}

// One slip of the keyboard or the ear: a confused letter, a dropped long
// vowel (اسماعیل → اسمعیل), a doubled letter or two swapped letters.
std::string Typo(std::string_view name, Rng& rng) {
  auto cps = CodePoints(name);
  if (cps.size() < 2) return std::string(name);
  std::vector<std::size_t> spots;
  int how = static_cast<int>(rng.Uniform(0, 3));
  for (std::size_t i = 0; i < cps.size(); ++i) {
    bool vowel = i > 0 && (cps[i] == U'ا' || cps[i] == U'و' || cps[i] == U'ی');
    if ((how == 0 && Confusable(cps[i])) || (how == 1 && vowel)) spots.push_back(i);
    if (how == 3 && i + 1 < cps.size() && IsLetter(cps[i]) && IsLetter(cps[i + 1]) &&
        cps[i] != cps[i + 1]) {
      spots.push_back(i);
    }
  }
  if (spots.empty()) how = 2;
  std::size_t at =
      spots.empty()
          ? static_cast<std::size_t>(rng.Uniform(0, static_cast<std::int64_t>(cps.size()) - 1))
          : spots[static_cast<std::size_t>(
                rng.Uniform(0, static_cast<std::int64_t>(spots.size()) - 1))];
  switch (how) {
    case 0: cps[at] = Confusable(cps[at]); break;
    case 1: cps.erase(cps.begin() + static_cast<std::ptrdiff_t>(at)); break;
    case 3: std::swap(cps[at], cps[at + 1]); break;
    default:
      if (IsLetter(cps[at])) cps.insert(cps.begin() + static_cast<std::ptrdiff_t>(at), cps[at]);
  }
  return Utf8(cps);
}

std::string ReplaceAll(std::string s, std::string_view from, std::string_view to) {
  for (std::size_t pos = s.find(from); pos != std::string::npos;
       pos = s.find(from, pos + to.size())) {
    s.replace(pos, from.size(), to);
  }
  return s;
}

}  // namespace

std::string Respell(std::string_view name, Spelling how, Rng& rng) {
  std::string s(name);
  switch (how) {
    case Spelling::kAsIs: return s;
    case Spelling::kArabicLetters: return ReplaceAll(ReplaceAll(s, "ی", "ي"), "ک", "ك");
    case Spelling::kNoZwnj: return ReplaceAll(s, "\u200C", "");
    case Spelling::kZwnjAsSpace: return ReplaceAll(s, "\u200C", " ");
    case Spelling::kTypo: return Typo(s, rng);
  }
  return s;
}

int Capacity(const pathway::Facility& f, int sex) {
  return sex == kFemale ? f.capacity_female : f.capacity_male;
}
int Occupied(const pathway::Facility& f, int sex) {
  return sex == kFemale ? f.occupied_female : f.occupied_male;
}

void Tally::Add(const Tally& o) {
  persons += o.persons;
  with_code += o.with_code;
  duplicates += o.duplicates;
  open_pairs += o.open_pairs;
  episodes += o.episodes;
  open_episodes += o.open_episodes;
  admitted += o.admitted;
  open_stays += o.open_stays;
  past_legal_end += o.past_legal_end;
  note2 += o.note2;
  extensions += o.extensions;
  jobs += o.jobs;
  overdue_tasks += o.overdue_tasks;
  rows += o.rows;
  for (const auto& [k, v] : o.outcomes) outcomes[k] += v;
  for (const auto& [k, v] : o.open_tasks) open_tasks[k] += v;
}

namespace {

// ---- names and places ----
// Lists run from the most to the least common; Pick() favours the front.
// "\u200C" (zero-width non-joiner) marks the joint of a compound name.
// clang-format off
const char* const kMaleNames[] = {
    "محمد", "علی", "حسین", "رضا", "حسن", "مهدی", "احمد", "محمد\u200Cرضا", "علی\u200Cرضا",
    "محمد\u200Cحسین", "امیر", "جواد", "مجید", "سعید", "حمید", "مصطفی", "مرتضی", "ابراهیم",
    "اسماعیل", "عباس", "قاسم", "یوسف", "غلام\u200Cرضا", "غلام\u200Cحسین", "علی\u200Cاکبر",
    "علی\u200Cاصغر", "محسن", "ناصر", "جعفر", "کاظم", "صادق", "باقر", "هادی", "وحید", "مسعود",
    "مهران", "بهروز", "فرهاد", "رحیم", "کریم", "اکبر", "اصغر", "نادر", "ایوب", "موسی", "یاسر",
    "امین", "میثم", "حامد", "سجاد", "محمد\u200Cعلی", "محمد\u200Cمهدی", "امیر\u200Cحسین",
    "ابوالفضل", "رمضان", "نوروز", "خداداد", "ولی\u200Cالله", "حبیب\u200Cالله", "عبدالله",
    "اسدالله", "شهرام", "بهرام", "داوود", "سلمان", "مختار", "تقی", "هاشم", "روح\u200Cالله",
    "نعمت\u200Cالله", "یعقوب", "سید\u200Cمحمد"};
// clang-format on
const char* const kAfghanNames[] = {"گل\u200Cمحمد",  "نور\u200Cمحمد",  "عبدالرحیم",
                                    "عبدالقادر",     "شیر\u200Cآقا",   "جمعه\u200Cخان",
                                    "غلام\u200Cسخی", "نجیب\u200Cالله", "ذبیح\u200Cالله",
                                    "عزیزالله",      "رحمت\u200Cالله", "خان\u200Cمحمد",
                                    "محمد\u200Cنبی", "عبدالواحد",      "حیات\u200Cالله",
                                    "سخی\u200Cداد",  "علی\u200Cاحمد",  "محمد"};
const char* const kFemaleNames[] = {
    "فاطمه",          "زهرا",         "مریم",  "معصومه", "زینب",  "سمیه",  "اعظم",
    "طاهره",          "سکینه",        "رقیه",  "لیلا",   "مهری",  "پروین", "نرگس",
    "شهناز",          "فرشته",        "راضیه", "سمانه",  "الهام", "مینا",  "اکرم",
    "صغری",           "کبری",         "خدیجه", "حمیده",  "ناهید", "منیژه", "زهره",
    "ام\u200Cالبنین", "گل\u200Cبانو", "شیرین", "مرضیه",  "فریبا"};
// Surnames are built from roots and suffixes (حسین → حسینی، حسین‌زاده،
// حسین‌پور …), as most Iranian surnames are, then come whole ones.
const char* const kSurnameRoots[] = {
    "محمد", "حسین",    "احمد",  "رضا",  "علی",  "کریم",   "رحیم",  "جعفر",  "قاسم",  "عباس",
    "هاشم", "ابراهیم", "یوسف",  "صادق", "باقر", "کاظم",   "اکبر",  "اصغر",  "نور",   "امیر",
    "حسن",  "تقی",     "مهدی",  "قلی",  "ملک",  "خداداد", "بهرام", "رستم",  "فرهاد", "جمشید",
    "خسرو", "صفر",     "رمضان", "رجب",  "جهان", "کامران", "ولی",   "زمان",  "سلطان", "حبیب",
    "شریف", "کمال",    "جلال",  "غلام", "اسد",  "نظر",    "فتح",   "یزدان", "نصر",   "قربان",
    "حیدر", "مراد",    "عزیز",  "نجف",  "طاهر", "میرزا",  "بابا",  "خدا",   "موسی",  "عیسی"};
const char* const kSurnameSuffixes[] = {"ی",  "زاده", "پور", "نژاد", "نیا",
                                        "فر", "دوست", "وند", "لو"};
const char* const kWholeSurnames[] = {
    "موسوی",         "سادات",        "نیشابوری", "سبزواری", "قوچانی",  "مشهدی",   "خراسانی",
    "تربتی",         "کاشمری",       "گنابادی",  "فریمانی", "سرخسی",   "درگزی",   "کلاتی",
    "خوافی",         "تایبادی",      "بردسکنی",  "چنارانی", "جامی",    "بجستانی", "جوینی",
    "دهقان",         "کشاورز",       "آهنگر",    "نجار",    "زرگر",    "کوهی",    "برزگر",
    "شاکری",         "علوی",         "خسروی",    "بیگی",    "زارعی",   "سلیمانی", "توکلی",
    "فیروزی",        "طالبی",        "رنجبر",    "عطار",    "خیاط",    "صباغ",    "چوپان",
    "یزدی",          "کرمانی",       "هراتی",    "کابلی",   "سیستانی", "ملایی",   "آخوندی",
    "شیرازی",        "تهرانی",       "اصفهانی",  "قمی",     "رشیدی",   "مقدم",    "نیک\u200Cنام",
    "پاک\u200Cنژاد", "خوش\u200Cنیت", "امینی",    "پارسا",   "فاضلی",   "مختاری",  "وکیلی",
    "صالحی",         "مومنی",        "اسلامی",   "انصاری",  "رحمانی",  "سعیدی",   "مجیدی",
    "حمیدی",         "جوادی",        "مسعودی"};
const char* const kNicknames[] = {
    "ممد",  "ممدرضا",      "حسنی", "علی\u200Cآقا",  "رضا\u200Cآقا",  "داداش",
    "کاکا", "مش\u200Cحسن", "حاجی", "اصغر\u200Cآقا", "جواد\u200Cآقا", "بابا\u200Cعلی"};
const char* const kMashhadPlaces[] = {"پارک ملت",
                                      "میدان شهدا",
                                      "زیر پل چهارراه شهدا",
                                      "حاشیهٔ بزرگراه آسیایی",
                                      "پایانهٔ مسافربری امام رضا",
                                      "بازار رضا",
                                      "کوی طلاب",
                                      "خیابان امام رضا",
                                      "پارک کوهسنگی",
                                      "ایستگاه راه\u200Cآهن",
                                      "محلهٔ سیدی",
                                      "گلشهر",
                                      "التیمور",
                                      "میدان ۱۷ شهریور",
                                      "بلوار توس",
                                      "پارک وحدت",
                                      "خیابان نواب صفوی",
                                      "میدان فردوسی",
                                      "شهرک شهید رجایی",
                                      "پل خیام"};
const char* const kTownPlaces[] = {"مرکز شهر ", "پایانهٔ مسافربری ", "پارک شهر ", "حاشیهٔ شهر "};

struct CountyWeight {
  const char* name;
  double weight;
};
// Where collections happen: mostly the provincial capital.
const CountyWeight kCountyWeights[] = {
    {"مشهد", 55},  {"نیشابور", 6}, {"سبزوار", 5},        {"تربت\u200Cحیدریه", 4},
    {"قوچان", 3},  {"کاشمر", 3},   {"تربت\u200Cجام", 3}, {"گناباد", 2},
    {"چناران", 2}, {"فریمان", 2},  {"تایباد", 2},        {"طرقبه\u200Cشاندیز", 2},
    {"سرخس", 1.5}, {"خواف", 1.5},  {"درگز", 1},          {"کلات", 1},
    {"بردسکن", 1}};
constexpr double kOtherCountyWeight = 0.5;

struct Weighted {
  const char* code;
  int weight;
};
// Screening outcomes of Iranian nationals; Afghan nationals are mostly
// `foreign_national` (kForeignShare).
const Weighted kOutcomes[] = {{"admit_art16", 52},        {"admit_note2", 8},
                              {"exclude_wound", 7},       {"exclude_infectious", 5},
                              {"exclude_psychiatric", 7}, {"exclude_age", 3},
                              {"refer_hospital", 8},      {"not_user", 10}};
const Weighted kServiceKinds[] = {{"medical", 25},     {"hiv_hcv", 15},  {"methadone", 20},
                                  {"social_work", 20}, {"training", 12}, {"livelihood", 8}};
const char* const kServiceNotes[][3] = {
    {"ویزیت پزشک عمومی", "درمان زخم", "معاینهٔ بدو ورود"},
    {"آزمایش اچ\u200Cآی\u200Cوی و هپاتیت سی", "ارجاع به مرکز مشاورهٔ بیماری\u200Cهای رفتاری",
     "آزمایش هپاتیت بی"},
    {"آغاز درمان نگهدارنده", "تنظیم دوز متادون", "ادامهٔ درمان نگهدارنده"},
    {"جلسهٔ مددکاری با خانواده", "تشکیل پروندهٔ مددکاری", "پیگیری مدارک هویتی"},
    {"دورهٔ آموزش مهارت", "کارگاه مهارت\u200Cهای زندگی", "آموزش رایانه"},
    {"بستهٔ حمایتی", "معرفی به کمیتهٔ امداد", "کمک هزینهٔ ایاب و ذهاب"}};
const char* const kEarlyReasons[] = {"ترک مرکز با رضایت شخصی", "ترخیص با نظر پزشک مرکز",
                                     "تحویل به خانواده با تعهد"};
const char* const kContactOutcomes[] = {"تماس تلفنی؛ در حال پرهیز", "تماس تلفنی؛ لغزش گزارش شد",
                                        "بازدید از منزل", "مراجعه به مرکز گذری",
                                        "تماس ناموفق؛ شماره در دسترس نیست"};
const char* const kJobs[] = {"کارگر ساختمانی", "کارگاه تولیدی", "خدمات شهری شهرداری",
                             "نانوایی",        "کارواش",        "باغداری",
                             "فروشگاه"};
const char* const kJobFollowups[] = {"معرفی به کارفرما؛ نتیجه\u200Cای حاصل نشد",
                                     "معرفی به دورهٔ آموزش فنی و حرفه\u200Cای", "متقاضی کار نیست"};
constexpr const char* kNormalDischarge = "پایان دورهٔ درمان";
constexpr const char* kNote2Discharge = "پایان درمان داوطلبانه (تبصرهٔ ۲)";
constexpr const char* kLateDischarge = "ترخیص پس از پیگیری بازرسی دادسرا";
constexpr const char* kOverCapacity = "کمبود ظرفیت در مراکز دیگر؛ پذیرش به دستور دادستان";

// ---- shares (the realism knobs) ----
constexpr double kFemaleShare = 0.10;
constexpr double kAfghanShare = 0.07;
constexpr double kForeignShare = 0.85;    // of Afghan nationals' screenings
constexpr double kCodeShare = 0.78;       // of Iranian first records: ~2/3 of all records
constexpr double kDuplicateShare = 0.05;  // of people collected more than once
constexpr double kUnknownBirthYearShare = 0.05;
constexpr int kFirstBirthYear = 1340;  // Jalali
constexpr int kLastBirthYear = 1385;
constexpr double kAliasShare = 0.04;
constexpr double kExtensionShare = 0.15;      // of placements
constexpr double kLateDischargeShare = 0.07;  // discharged after the legal end
constexpr double kEarlyDischargeShare = 0.28;
constexpr double kPlaceArabicShare = 0.08;               // place text pasted with Arabic letters
constexpr int kEpisodeWeights[] = {22, 27, 24, 16, 11};  // 1..5 collections
constexpr int kMaxEpisodes = 5;
constexpr int kFreshDays = 3;
constexpr int kWindowDays = 730;
constexpr int kHoldWindowDays = 90;  // held past the legal end: legal end within this window
constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();
constexpr std::size_t kNone = static_cast<std::size_t>(-1);
constexpr std::int64_t kMinute = 60'000;
constexpr std::int64_t kHour = pathway::kHourMillis;
constexpr std::int64_t kDay = pathway::kDayMillis;

template <class T, std::size_t N>
const T& Pick(const T (&list)[N], Rng& rng, double skew = 1.0) {
  double u = std::pow(rng.Real(), skew);
  return list[std::min(N - 1, static_cast<std::size_t>(u * static_cast<double>(N)))];
}

// An index into `list`, each entry drawn in proportion to weight(entry).
template <class T, std::size_t N, class W>
std::size_t PickIndex(const T (&list)[N], Rng& rng, W weight) {
  double total = 0;
  for (const auto& x : list) total += weight(x);
  double r = rng.Real() * total;
  for (std::size_t i = 0; i < N; ++i) {
    r -= weight(list[i]);
    if (r < 0) return i;
  }
  return N - 1;
}

template <std::size_t N>
std::size_t PickWeighted(const Weighted (&list)[N], Rng& rng) {
  return PickIndex(list, rng, [](const Weighted& w) { return w.weight; });
}

char32_t LastCodePoint(std::string_view s) {
  auto cps = CodePoints(s);
  return cps.empty() ? 0 : cps.back();
}

// Letters that never join the next one: a suffix after them needs no ZWNJ.
bool JoinsForward(char32_t c) {
  const std::u32string_view kRightJoining = U"اآدذرزژو";
  return kRightJoining.find(c) == std::u32string_view::npos;
}

// "" when the combination is not a surname (علی + ی).
std::string Attach(const std::string& root, std::string_view suffix) {
  char32_t last = LastCodePoint(root);
  if (suffix == "ی") {
    if (last == U'ی') return "";
    return root + (last == U'ا' || last == U'و' ? "یی" : "ی");
  }
  return root + (JoinsForward(last) ? "\u200C" : "") + std::string(suffix);
}

std::vector<std::string> BuildSurnames() {
  std::vector<std::string> out;
  for (const char* suffix : kSurnameSuffixes) {
    for (const char* root : kSurnameRoots) {
      std::string s = Attach(root, suffix);
      if (!s.empty()) out.push_back(s);
    }
    // The common "-ی" forms first, then whole surnames, then the other suffixes.
    if (std::string_view(suffix) == "ی")
      out.insert(out.end(), std::begin(kWholeSurnames), std::end(kWholeSurnames));
  }
  return out;
}

std::string Fa(std::int64_t n) {
  return persian::ToPersianDigits(std::to_string(n));
}
std::string Jalali(std::int64_t day) {
  return persian::FormatJalali(persian::JalaliFromDays(day));
}

// Instants of an Iran calendar day (a unix day in Iran time).
std::int64_t DayStart(std::int64_t day) {
  return pathway::IranDayBounds(day * kDay).first;
}
std::int64_t DayEnd(std::int64_t day) {
  return DayStart(day + 1) - 1;
}

// ---- the plan of one episode, before it is cut at re-collection or now ----

struct Followup {
  std::int64_t at = 0;
  std::size_t task = 0;  // index into kFollowupTasks
  bool job = false;
  std::string outcome;
};
constexpr const char* kFollowupTasks[] = {"aftercare_1", "aftercare_3", "aftercare_6",
                                          "employment"};
constexpr std::size_t kEmploymentTask = 3;
constexpr double kContactDone[] = {0.8, 0.7, 0.6};

struct ServicePlan {
  const char* kind = "";
  std::int64_t at = 0;
  std::string note;
};

struct Plan {
  std::int64_t collected_at = 0;
  std::size_t county = 0;
  std::string place;
  std::int64_t transfer_at = 0;
  std::int64_t screen_at = 0;
  const pathway::ScreeningOutcome* outcome = nullptr;
  bool admits = false;
  pathway::OrderKind kind = pathway::OrderKind::kPlacement;
  int months = 0;
  std::int64_t order_at = 0;
  std::int64_t admit_at = kNever;
  std::size_t facility = kNone;
  std::string over_capacity;
  std::int64_t extension_at = kNever;
  int extension_months = 0;
  std::optional<std::int64_t> discharge_at;  // none: never discharged (held)
  std::string discharge_reason;
  bool held = false;
  std::vector<ServicePlan> services;
  std::vector<Followup> followups;
  std::int64_t free_at = kNever;  // back on the street

  std::int64_t OrderEnd() const { return pathway::OrderEndDay(pathway::IranDay(order_at), months); }
  std::int64_t ExtensionEnd() const {
    return pathway::OrderEndDay(OrderEnd() + 1, extension_months);
  }
  std::int64_t LegalEnd() const { return extension_at == kNever ? OrderEnd() : ExtensionEnd(); }
};

// One real person; a duplicate record shares it.
struct Real {
  int sex = kMale;
  bool afghan = false;
  std::optional<int> birth_year;
  std::string first, last, father, alias;
  bool had_note2 = false;
};

// Who does each duty of the pathway: the programme's lead agencies.
struct Roles {
  Party collector, screener, judge, admission, aftercare, employment, health, tvto, relief;
};

struct Hours {
  std::int64_t collection, screening, order, admission;
  std::int64_t followup[4];
};

struct Context {
  const World& world;
  const Roles& roles;
  const Hours& hours;
  std::int64_t today;
  Ids& next;
  Batch& out;
};

// Writes the rows of one planned episode as the pathway service would have,
// step by step, stopping at `cutoff`: World::now, or the next collection
// (which closes what is still open, as PathwayService::Collect does).
class Emitter {
 public:
  Emitter(Context& c, std::int64_t person_id, int sex, const Plan& plan, std::int64_t cutoff,
          bool recollected, int prior)
      : c_(c),
        p_(plan),
        person_(person_id),
        sex_(sex),
        cutoff_(cutoff),
        recollected_(recollected),
        prior_(prior) {}

  void Run() {
    Collect();
    if (Transfer() && Screen() && Order() && Admit()) {
      Services();
      Extend();
      if (Discharge()) Followups();
    }
    Finish();
  }

 private:
  EpisodeRow& E() { return c_.out.episodes[episode_]; }
  bool Reached(std::int64_t at) const { return at <= cutoff_; }
  const Beds& Facility() const { return c_.world.facilities[p_.facility]; }

  void Log(std::int64_t at, const Party& by, const char* kind, const char* part,
           std::string detail) {
    pathway::Event ev;
    ev.episode_id = E().id;
    ev.at = at;
    ev.agency_id = by.agency;
    ev.user_id = by.user;
    ev.kind = kind;
    ev.stage = E().stage;
    ev.part = part;
    ev.detail = std::move(detail);
    events_.push_back(std::move(ev));
  }
  std::size_t AddTask(const Party& to, const char* kind, const char* stage, std::int64_t at,
                      std::int64_t due, const char* state) {
    TaskRow t;
    t.agency_id = to.agency;
    t.kind = kind;
    t.stage = stage;
    t.episode_id = E().id;
    t.person_id = person_;
    t.county_id = E().county_id;
    t.state = state;
    t.due_at = due;
    t.created_at = t.updated_at = at;
    tasks_.push_back(c_.out.tasks.size());
    c_.out.tasks.push_back(std::move(t));
    return tasks_.back();
  }
  void Done(std::size_t task, std::int64_t at, const Party& by, std::string outcome) {
    TaskRow& t = c_.out.tasks[task];
    t.state = "done";
    t.outcome = std::move(outcome);
    t.done_at = at;
    t.done_by = by.user;
    t.updated_at = at;
  }
  void SetStage(const char* stage, std::int64_t at) {
    E().stage = stage;
    E().updated_at = at;
  }
  void Close(const char* reason, std::int64_t at) {
    E().open = false;
    E().stage = "closed";
    E().close_reason = reason;
    E().closed_at = at;
    E().updated_at = at;
  }

  void Collect() {
    EpisodeRow e;
    e.id = c_.next.episode++;
    e.person_id = person_;
    e.county_id = c_.world.counties[p_.county].id;
    e.opened_by = c_.roles.collector;
    e.collected_at = e.updated_at = p_.collected_at;
    e.place = p_.place;
    e.prior_episodes = prior_;
    episode_ = c_.out.episodes.size();
    c_.out.episodes.push_back(std::move(e));
    c_.out.tally.episodes++;
    std::string detail = "جمع\u200Cآوری در " + p_.place;
    detail += prior_ == 0 ? "؛ نخستین پرونده"
                          : "؛ پیش\u200Cتر " + Fa(prior_) + " بار جمع\u200Cآوری شده است";
    Log(p_.collected_at, c_.roles.collector, "collected", "pathway", detail);
    step_task_ = AddTask(c_.roles.collector, "transfer", "collection", p_.collected_at,
                         p_.collected_at + c_.hours.collection, "open");
  }

  bool Transfer() {
    if (!Reached(p_.transfer_at)) return false;
    const Party& police = c_.roles.collector;
    Done(step_task_, p_.transfer_at, police, "تحویل به غربالگری");
    Log(p_.transfer_at, police, "transferred", "pathway", "تحویل به غربالگری");
    SetStage("screening", p_.transfer_at);
    step_task_ = AddTask(c_.roles.screener, "screening", "screening", p_.transfer_at,
                         p_.collected_at + c_.hours.screening, "new");
    return true;
  }

  bool Screen() {
    if (!Reached(p_.screen_at)) return false;
    const Party& welfare = c_.roles.screener;
    const char* code = p_.outcome->code.c_str();
    Done(step_task_, p_.screen_at, welfare, code);
    E().screening_outcome = code;
    E().updated_at = p_.screen_at;
    Log(p_.screen_at, welfare, "screened", "screening", "نتیجهٔ غربالگری: " + p_.outcome->name);
    c_.out.tally.outcomes[code]++;
    if (!p_.admits) {
      Close(code, p_.screen_at);
      return false;
    }
    SetStage("judicial_order", p_.screen_at);
    step_task_ = AddTask(c_.roles.judge, "order", "judicial_order", p_.screen_at,
                         p_.screen_at + c_.hours.order, "new");
    return true;
  }

  pathway::Order& AddOrder(pathway::OrderKind kind, std::int64_t at, std::int64_t start,
                           int months) {
    pathway::Order o;
    o.id = c_.next.order++;
    o.episode_id = E().id;
    o.person_id = person_;
    o.kind = kind;
    o.issued_day = pathway::IranDay(at);
    o.reference =
        std::to_string(persian::JalaliFromDays(o.issued_day).year) + "/" + std::to_string(o.id);
    o.start_day = start;
    o.months = months;
    o.end_day = pathway::OrderEndDay(start, months);
    o.agency_id = c_.roles.judge.agency;
    o.created_at = at;
    Log(at, c_.roles.judge, "order", "order",
        std::string(pathway::OrderKindLabel(kind)) + "، " + Fa(months) + " ماه، از " +
            Jalali(o.start_day) + " تا " + Jalali(o.end_day));
    c_.out.orders.push_back({std::move(o), c_.roles.judge.user});
    return c_.out.orders.back().order;
  }

  bool Order() {
    if (!Reached(p_.order_at)) return false;
    auto& o = AddOrder(p_.kind, p_.order_at, pathway::IranDay(p_.order_at), p_.months);
    order_id_ = o.id;
    Done(step_task_, p_.order_at, c_.roles.judge, pathway::OrderKindCode(p_.kind));
    SetStage("admission", p_.order_at);
    if (p_.kind == pathway::OrderKind::kNote2) c_.out.tally.note2++;
    step_task_ = AddTask(c_.roles.admission, "admission", "admission", p_.order_at,
                         p_.order_at + c_.hours.admission, "new");
    return true;
  }

  bool Admit() {
    if (p_.facility == kNone || !Reached(p_.admit_at)) return false;
    const Beds& f = Facility();
    StayRow row;
    row.facility = p_.facility;
    row.sex = sex_;
    row.admitted_by = f.operator_user;
    row.created_at = row.updated_at = p_.admit_at;
    pathway::Stay& s = row.stay;
    s.id = c_.next.stay++;
    s.episode_id = E().id;
    s.person_id = person_;
    s.facility_id = f.facility.id;
    s.sex = sex_ == kFemale ? "female" : "male";
    s.order_id = order_id_;
    s.admitted_day = pathway::IranDay(p_.admit_at);
    s.legal_end_day = p_.OrderEnd();
    s.over_capacity_reason = p_.over_capacity;
    stay_ = c_.out.stays.size();
    c_.out.stays.push_back(std::move(row));
    c_.out.tally.admitted++;
    Done(step_task_, p_.admit_at, f.operated_by(), f.facility.name);
    SetStage("treatment", p_.admit_at);
    std::int64_t legal_end = p_.OrderEnd();
    Log(p_.admit_at, f.operated_by(), "admitted", "stay",
        "پذیرش در «" + f.facility.name + "»؛ پایان مهلت قانونی " + Jalali(legal_end) +
            (p_.over_capacity.empty() ? "" : "؛ بیش از ظرفیت: " + p_.over_capacity));
    step_task_ =
        AddTask(f.operated_by(), "stay_end", "treatment", p_.admit_at, DayEnd(legal_end), "open");
    return true;
  }

  // Before the discharge (or now, while the person is still held).
  bool DuringStay(std::int64_t at) const {
    return Reached(at) && (!p_.discharge_at || at < *p_.discharge_at);
  }

  Party ServiceParty(const char* kind) const {
    std::string_view k(kind);
    if (pathway::IsMedicalService(kind)) return c_.roles.health;
    if (k == "training") return c_.roles.tvto;
    if (k == "livelihood") return c_.roles.relief;
    return Facility().operated_by();
  }

  void Services() {
    for (const auto& sp : p_.services) {
      if (!DuringStay(sp.at)) continue;
      Party by = ServiceParty(sp.kind);
      ServiceRow s{
          E().id,  person_, c_.out.stays[stay_].stay.id, sp.kind, pathway::IranDay(sp.at), by,
          sp.note, sp.at};
      c_.out.services.push_back(s);
      Log(sp.at, by, "service", pathway::IsMedicalService(sp.kind) ? "medical" : "service",
          std::string(pathway::ServiceLabel(sp.kind)) + "؛ " + sp.note);
    }
  }

  void Extend() {
    if (p_.extension_at == kNever || !DuringStay(p_.extension_at)) return;
    std::int64_t parent_id = order_id_;
    auto& o = AddOrder(pathway::OrderKind::kExtension, p_.extension_at, p_.OrderEnd() + 1,
                       p_.extension_months);
    o.parent_id = parent_id;
    StayRow& s = c_.out.stays[stay_];
    s.stay.legal_end_day = o.end_day;
    s.updated_at = p_.extension_at;
    TaskRow& t = c_.out.tasks[step_task_];
    t.due_at = DayEnd(o.end_day);
    t.updated_at = p_.extension_at;
    c_.out.tally.extensions++;
  }

  bool Discharge() {
    if (!p_.discharge_at || !Reached(*p_.discharge_at)) return false;
    std::int64_t at = *p_.discharge_at;
    const Beds& f = Facility();
    StayRow& row = c_.out.stays[stay_];
    row.updated_at = at;
    pathway::Stay& s = row.stay;
    std::int64_t day = pathway::IranDay(at);
    s.discharged_day = day;
    s.discharge_reason = p_.discharge_reason;
    Done(step_task_, at, f.operated_by(), "ترخیص");
    std::string detail = "ترخیص از «" + f.facility.name + "» در " + Jalali(day);
    if (day > s.legal_end_day) {
      detail += "؛ " + Fa(day - s.legal_end_day) + " روز پس از پایان مهلت قانونی";
    }
    Log(at, f.operated_by(), "discharged", "stay", detail + "؛ " + p_.discharge_reason);
    SetStage("aftercare", at);
    for (std::size_t i = 0; i < std::size(kFollowupTasks); ++i) {
      bool job = i == kEmploymentTask;
      followup_tasks_[i] =
          AddTask(job ? c_.roles.employment : c_.roles.aftercare, kFollowupTasks[i],
                  job ? "employment" : "aftercare", at, at + c_.hours.followup[i], "open");
    }
    return true;
  }

  void Complete(const Followup& f) {
    std::size_t task = followup_tasks_[f.task];
    if (f.job) {
      const Party& by = c_.roles.employment;
      c_.out.services.push_back(
          {E().id, person_, std::nullopt, "job", pathway::IranDay(f.at), by, f.outcome, f.at});
      Log(f.at, by, "service", "service",
          std::string(pathway::ServiceLabel("job")) + "؛ " + f.outcome);
      Done(task, f.at, by, "اشتغال: " + f.outcome);
      SetStage("employment", f.at);
      c_.out.tally.jobs++;
    } else if (f.task == kEmploymentTask) {
      Done(task, f.at, c_.roles.employment, f.outcome);
      Log(f.at, c_.roles.employment, "employment", "service", "پیگیری اشتغال: " + f.outcome);
      SetStage("employment", f.at);
    } else {
      Done(task, f.at, c_.roles.aftercare, f.outcome);
      Log(f.at, c_.roles.aftercare, "aftercare_contact", "service",
          "تماس مراقبت پس از خروج: " + f.outcome);
    }
  }

  void Followups() {
    std::size_t open = std::size(kFollowupTasks);
    for (const auto& f : p_.followups) {
      if (!Reached(f.at)) break;
      Complete(f);
      if (--open > 0) continue;
      // PathwayService::MaybeFinish: no duty left, the episode closes.
      const Party& by = f.task == kEmploymentTask ? c_.roles.employment : c_.roles.aftercare;
      Log(f.at, by, "closed", "pathway", "همهٔ وظایف این پرونده انجام شد و پرونده بسته شد.");
      Close("completed", f.at);
    }
  }

  void CloseForRecollection() {
    Log(cutoff_, c_.roles.collector, "re_collected", "pathway",
        "فرد دوباره جمع\u200Cآوری شد؛ این پرونده بسته شد و پروندهٔ تازه باز شد.");
    for (std::size_t i : tasks_) {
      TaskRow& t = c_.out.tasks[i];
      if (std::string_view(t.state) != "done") {
        t.state = "cancelled";
        t.updated_at = cutoff_;
      }
    }
    Close("re_collected", cutoff_);
  }

  void Count() {
    Tally& tally = c_.out.tally;
    if (E().open) tally.open_episodes++;
    for (std::size_t i : tasks_) {
      const TaskRow& t = c_.out.tasks[i];
      if (std::string_view(t.state) == "done" || std::string_view(t.state) == "cancelled") continue;
      tally.open_tasks[t.kind]++;
      if (t.due_at < c_.world.now) tally.overdue_tasks++;
    }
    if (stay_ == kNone || c_.out.stays[stay_].stay.discharged_day) return;
    const StayRow& s = c_.out.stays[stay_];
    c_.out.beds_taken[s.facility][static_cast<std::size_t>(s.sex)]++;
    tally.open_stays++;
    if (s.stay.legal_end_day < c_.today) tally.past_legal_end++;
  }

  void Finish() {
    if (E().open && recollected_) CloseForRecollection();
    Count();
    std::stable_sort(events_.begin(), events_.end(),
                     [](const pathway::Event& a, const pathway::Event& b) { return a.at < b.at; });
    for (auto& ev : events_) c_.out.events.push_back(std::move(ev));
  }

  Context& c_;
  const Plan& p_;
  std::int64_t person_;
  int sex_;
  std::int64_t cutoff_;
  bool recollected_;
  int prior_;
  std::size_t episode_ = 0;
  std::size_t stay_ = kNone;
  std::int64_t order_id_ = 0;
  std::size_t step_task_ = 0;
  std::size_t followup_tasks_[4] = {};
  std::vector<std::size_t> tasks_;
  std::vector<pathway::Event> events_;
};

// Plans lives and keeps the bed ledger; the Emitter turns plans into rows.
class Engine {
 public:
  Engine(World world, std::uint64_t seed);
  Batch Next(int persons);
  const World& world() const { return world_; }

 private:
  void WeighCounties();
  void AimOccupancy();
  // People and their records.
  Real NewReal();
  Spelling Slip();
  Spelling SurvivingSlip(const std::string& name);
  const std::string& Canonical(const std::string& raw);
  const std::string& MatchKey(const std::string& canonical);
  people::Identity Typed(const Real& real, bool duplicate);
  std::size_t AddRecord(const Real& real, people::Identity identity, std::int64_t at,
                        bool may_have_code);
  std::size_t AddDuplicate(const Real& real, std::size_t original, std::int64_t at);
  std::int64_t NextCollection(const Plan& p, int k, int planned);
  void OnePerson();
  // Episodes.
  std::int64_t Delay(int lo_h, int hi_h, double late_share, int late_lo_h, int late_hi_h);
  const pathway::ScreeningOutcome* Outcome(Real& real);
  std::size_t PickCounty();
  std::string PlaceIn(std::size_t county);
  std::size_t PickFacility(std::size_t county, int sex);
  Plan PlanEpisode(Real& real, std::int64_t t);
  void PlanAdmission(Plan& p, int sex);
  void PlanStay(Plan& p);
  void Discharge(Plan& p, std::int64_t at, std::string reason);
  void PlanServices(Plan& p);
  void PlanFollowups(Plan& p);
  // Beds: only stays still open at World::now hold one.
  int Free(std::size_t facility, int sex) const;
  bool TakeBed(Plan& p, int sex);
  double AcceptShare() const;
  void MaybeHold(Plan& p, int sex);
  void SettleOpenStay(Plan& p, int sex);

  World world_;
  Rng rng_;
  Ids next_;
  Roles roles_;
  Hours hours_{};
  std::int64_t today_ = 0;
  std::vector<std::string> surnames_;
  std::vector<double> county_weights_;
  std::size_t capital_ = 0;
  std::vector<std::array<int, 2>> target_;
  std::int64_t persons_done_ = 0;
  std::int64_t candidates_ = 0;  // last episodes whose stay would still be open now
  double hold_share_ = 0;
  double fresh_share_ = 0;
  std::unordered_map<std::string, std::string> canonical_;
  std::unordered_map<std::string, std::string> match_keys_;
  Batch* out_ = nullptr;
};

Party LeadOf(const World& w, const char* stage) {
  const pathway::Stage* s = w.programme.FindStage(stage);
  auto it = s ? w.parties.find(s->lead_agency) : w.parties.end();
  if (it == w.parties.end()) {
    throw std::runtime_error(std::string("no agency with users leads the stage '") + stage +
                             "'; run `peyvand seed --demo` first");
  }
  return it->second;
}

Party PartyOr(const World& w, const char* code, const Party& fallback) {
  auto it = w.parties.find(code);
  return it == w.parties.end() ? fallback : it->second;
}

void RequireOutcomes(const pathway::Programme& prog) {
  for (const auto& w : kOutcomes) {
    if (!prog.FindOutcome(w.code)) {
      throw std::runtime_error(std::string("the programme lacks the screening outcome ") + w.code);
    }
  }
  if (!prog.FindOutcome("foreign_national")) {
    throw std::runtime_error("the programme lacks the screening outcome foreign_national");
  }
}

Engine::Engine(World world, std::uint64_t seed)
    : world_(std::move(world)), rng_(seed), next_(world_.next) {
  if (world_.counties.empty())
    throw std::runtime_error("no counties; run `peyvand seed --demo` first");
  RequireOutcomes(world_.programme);
  today_ = pathway::IranDay(world_.now);
  roles_.collector = LeadOf(world_, "collection");
  roles_.screener = LeadOf(world_, "screening");
  roles_.judge = LeadOf(world_, "judicial_order");
  roles_.admission = LeadOf(world_, "admission");
  roles_.aftercare = LeadOf(world_, "aftercare");
  roles_.employment = LeadOf(world_, "employment");
  roles_.health = PartyOr(world_, "health", roles_.screener);
  roles_.tvto = PartyOr(world_, "tvto", roles_.screener);
  roles_.relief = PartyOr(world_, "relief", roles_.screener);
  const auto& prog = world_.programme;
  hours_.collection = prog.Hours("collection", 24) * kHour;
  hours_.screening = prog.Hours("screening", 72) * kHour;
  hours_.order = prog.Hours("judicial_order", 48) * kHour;
  hours_.admission = prog.Hours("admission", 24) * kHour;
  for (const auto& due : pathway::AftercareSchedule(0, prog)) {
    auto* it = std::find(std::begin(kFollowupTasks), std::end(kFollowupTasks), due.clock);
    if (it != std::end(kFollowupTasks))
      hours_.followup[it - std::begin(kFollowupTasks)] = due.due_at;
  }
  surnames_ = BuildSurnames();
  WeighCounties();
  AimOccupancy();
  double planned = static_cast<double>(std::max<std::int64_t>(1, world_.planned_persons));
  hold_share_ = std::min(0.05, 30.0 / planned);
  fresh_share_ = std::min(0.1, 30.0 / planned);
}

void Engine::WeighCounties() {
  for (const auto& county : world_.counties) {
    std::string key = persian::MatchKey(county.name);
    double weight = kOtherCountyWeight;
    for (const auto& cw : kCountyWeights)
      if (persian::MatchKey(cw.name) == key) weight = cw.weight;
    county_weights_.push_back(weight);
  }
  capital_ = static_cast<std::size_t>(
      std::max_element(county_weights_.begin(), county_weights_.end()) - county_weights_.begin());
}

// Occupancy aimed at: high, a few shelters and camps a little over capacity.
void Engine::AimOccupancy() {
  for (const auto& b : world_.facilities) {
    bool crowded = b.facility.kind == "shelter" || b.facility.kind == "camp";
    double fill =
        static_cast<double>(crowded ? rng_.Uniform(103, 108) : rng_.Uniform(80, 96)) / 100;
    std::array<int, 2> t{};
    for (int sex : {kMale, kFemale}) {
      t[static_cast<std::size_t>(sex)] =
          std::max(Occupied(b.facility, sex),
                   static_cast<int>(std::lround(Capacity(b.facility, sex) * fill)));
    }
    target_.push_back(t);
  }
}

// ---- people ----

Real Engine::NewReal() {
  Real r;
  r.sex = rng_.Chance(kFemaleShare) ? kFemale : kMale;
  r.afghan = rng_.Chance(kAfghanShare);
  if (!rng_.Chance(kUnknownBirthYearShare)) {
    int span = kLastBirthYear - kFirstBirthYear;
    r.birth_year =
        static_cast<int>(kFirstBirthYear + (rng_.Uniform(0, span) + rng_.Uniform(0, span)) / 2);
  }
  auto male = [&] {
    return r.afghan && rng_.Chance(0.7) ? Pick(kAfghanNames, rng_) : Pick(kMaleNames, rng_, 1.6);
  };
  r.first = r.sex == kFemale ? Pick(kFemaleNames, rng_, 1.4) : male();
  double u = std::pow(rng_.Real(), 1.7);
  r.last = surnames_[std::min(surnames_.size() - 1,
                              static_cast<std::size_t>(u * static_cast<double>(surnames_.size())))];
  r.father = male();
  if (r.sex == kMale && rng_.Chance(kAliasShare)) r.alias = Pick(kNicknames, rng_);
  return r;
}

Spelling Engine::Slip() {
  double r = rng_.Real();
  if (r < 0.08) return Spelling::kArabicLetters;
  if (r < 0.15) return Spelling::kNoZwnj;
  if (r < 0.20) return Spelling::kZwnjAsSpace;
  if (r < 0.23) return Spelling::kTypo;
  return Spelling::kAsIs;
}

// A slip that survives persian::Canonical, so the stored text differs.
Spelling Engine::SurvivingSlip(const std::string& name) {
  if (name.find("\u200C") != std::string::npos && rng_.Chance(0.6)) {
    return rng_.Chance(0.5) ? Spelling::kNoZwnj : Spelling::kZwnjAsSpace;
  }
  return Spelling::kTypo;
}

const std::string& Engine::Canonical(const std::string& raw) {
  auto it = canonical_.find(raw);
  if (it == canonical_.end()) it = canonical_.emplace(raw, persian::Canonical(raw)).first;
  return it->second;
}

const std::string& Engine::MatchKey(const std::string& canonical) {
  auto it = match_keys_.find(canonical);
  if (it == match_keys_.end())
    it = match_keys_.emplace(canonical, persian::MatchKey(canonical)).first;
  return it->second;
}

// The identity as a clerk typed it, canonical as PeopleService::Validate
// stores it. A duplicate record (the same person registered again without
// the earlier record being found) differs in a way that survives that.
people::Identity Engine::Typed(const Real& real, bool duplicate) {
  bool first_differs = duplicate && rng_.Chance(0.5);
  bool last_differs = duplicate && (!first_differs || rng_.Chance(0.4));
  auto typed = [&](const std::string& name, bool differs) {
    return Canonical(Respell(name, differs ? SurvivingSlip(name) : Slip(), rng_));
  };
  people::Identity id;
  id.first_name = typed(real.first, first_differs);
  id.last_name = typed(real.last, last_differs);
  if (!duplicate || !rng_.Chance(0.15)) id.father_name = typed(real.father, false);
  if (!duplicate && !real.alias.empty()) id.aliases.push_back(Canonical(real.alias));
  id.sex = real.sex == kFemale ? people::Sex::kFemale : people::Sex::kMale;
  id.birth_year = real.birth_year;
  if (duplicate && id.birth_year && rng_.Chance(0.2)) {
    id.birth_year =
        std::clamp(*id.birth_year + (rng_.Chance(0.5) ? 1 : -1), kFirstBirthYear, kLastBirthYear);
  }
  return id;
}

std::size_t Engine::AddRecord(const Real& real, people::Identity identity, std::int64_t at,
                              bool may_have_code) {
  PersonRow r;
  r.id = next_.person++;
  if (may_have_code && !real.afghan && rng_.Chance(kCodeShare)) {
    std::string code = NationalCodeFor(static_cast<std::uint64_t>(r.id));
    if (!code.empty() && !world_.taken_codes.count(code)) identity.national_code = code;
  }
  if (real.afghan && rng_.Chance(0.5))
    r.other_id = std::to_string(rng_.Uniform(100'000'000'000, 999'999'999'999));
  r.nationality = real.afghan ? "AF" : "IR";
  r.first_key = MatchKey(identity.first_name);
  r.last_key = MatchKey(identity.last_name);
  for (auto& key : people::BlockingKeys(identity)) out_->keys.push_back({std::move(key), r.id});
  r.identity = std::move(identity);
  r.registered_by = roles_.collector;
  r.created_at = at;
  out_->tally.persons++;
  if (r.identity.national_code) out_->tally.with_code++;
  out_->persons.push_back(std::move(r));
  return out_->persons.size() - 1;
}

std::string ReasonsJson(const people::MatchScore& score) {
  boost::json::array reasons;
  for (const auto& r : score.reasons) {
    reasons.push_back(
        boost::json::object{{"field", r.field}, {"result", r.result}, {"points", r.points}});
  }
  return boost::json::serialize(reasons);
}

std::size_t Engine::AddDuplicate(const Real& real, std::size_t original, std::int64_t at) {
  std::size_t dup = AddRecord(real, Typed(real, true), at, false);
  out_->tally.duplicates++;
  const PersonRow& a = out_->persons[original];
  const PersonRow& b = out_->persons[dup];
  auto score = people::Score(a.identity, b.identity);
  // As PeopleService::RegisterIn: every candidate in a band is queued.
  if (people::Band(score.score, world_.thresholds) != people::MatchBand::kNone) {
    out_->pairs.push_back({a.id, b.id, score.score, ReasonsJson(score), at});
    out_->tally.open_pairs++;
  }
  return dup;
}

// When the person is collected again, or kNever if this is their last episode.
std::int64_t Engine::NextCollection(const Plan& p, int k, int planned) {
  if (p.free_at == kNever) return kNever;
  // Relapse: back on the street, collected again weeks or months later.
  std::int64_t next =
      p.free_at + 7 * kDay + static_cast<std::int64_t>(-std::log(1 - rng_.Real()) * 90 * kDay);
  if (k < planned - 1 && next < world_.now) return next;
  // The police collect every day: some were picked up again in the last few
  // days, so every queue of the pathway has work in it even in a small run.
  if (k < kMaxEpisodes - 1 && p.free_at < world_.now - kFreshDays * kDay &&
      rng_.Chance(fresh_share_)) {
    return world_.now - rng_.Uniform(kHour, kFreshDays * kDay);
  }
  return kNever;
}

void Engine::OnePerson() {
  Context ctx{world_, roles_, hours_, today_, next_, *out_};
  Real real = NewReal();
  int n = static_cast<int>(PickIndex(kEpisodeWeights, rng_, [](int w) { return w; })) + 1;
  std::int64_t lo_days = std::min<std::int64_t>(700, std::int64_t{n - 1} * 100);
  std::int64_t t = world_.now - rng_.Uniform(lo_days * kDay, kWindowDays * kDay);
  std::size_t record = AddRecord(real, Typed(real, false), t, true);
  int duplicate_at =
      n >= 2 && rng_.Chance(kDuplicateShare) ? static_cast<int>(rng_.Uniform(1, n - 1)) : -1;
  for (int k = 0, prior = 0;; ++k, ++prior) {
    if (k == duplicate_at) {
      record = AddDuplicate(real, record, t);
      prior = 0;  // a separate record: the service counts its episodes only
    }
    Plan p = PlanEpisode(real, t);
    std::int64_t next = NextCollection(p, k, n);
    bool last = next == kNever;
    if (last) SettleOpenStay(p, real.sex);
    // Collected again under a new record: the service does not see the old
    // record's open episode, which goes on as planned.
    bool closes = !last && k + 1 != duplicate_at;
    Emitter(ctx, out_->persons[record].id, real.sex, p, closes ? next : world_.now, closes, prior)
        .Run();
    if (last) break;
    t = next;
  }
  persons_done_++;
}

Batch Engine::Next(int persons) {
  Batch b;
  b.first = next_;
  b.beds_taken.assign(world_.facilities.size(), {0, 0});
  out_ = &b;
  for (int i = 0; i < persons; ++i) OnePerson();
  out_ = nullptr;
  b.tally.rows = static_cast<std::int64_t>(b.persons.size() + b.keys.size() + b.pairs.size() +
                                           b.episodes.size() + b.events.size() + b.orders.size() +
                                           b.stays.size() + b.tasks.size() + b.services.size());
  return b;
}

// ---- episodes ----

// Hours a step takes; now and then far longer than its duty clock allows.
std::int64_t Engine::Delay(int lo_h, int hi_h, double late_share, int late_lo_h, int late_hi_h) {
  if (rng_.Chance(late_share)) return rng_.Uniform(late_lo_h * kHour, late_hi_h * kHour);
  return rng_.Uniform(lo_h * kHour, hi_h * kHour);
}

const pathway::ScreeningOutcome* Engine::Outcome(Real& real) {
  std::string code = real.afghan && rng_.Chance(kForeignShare)
                         ? "foreign_national"
                         : kOutcomes[PickWeighted(kOutcomes, rng_)].code;
  // Note 2 is allowed once per person.
  if (code == "admit_note2" && real.had_note2) code = "admit_art16";
  if (code == "admit_note2") real.had_note2 = true;
  return world_.programme.FindOutcome(code);
}

std::size_t Engine::PickCounty() {
  double r = rng_.Real() * std::accumulate(county_weights_.begin(), county_weights_.end(), 0.0);
  for (std::size_t i = 0; i < county_weights_.size(); ++i) {
    r -= county_weights_[i];
    if (r < 0) return i;
  }
  return county_weights_.size() - 1;
}

std::string Engine::PlaceIn(std::size_t county) {
  std::string place = county == capital_ ? Pick(kMashhadPlaces, rng_)
                                         : Pick(kTownPlaces, rng_) + world_.counties[county].name;
  // The API stores the place as typed: text pasted from elsewhere keeps Arabic letters.
  if (rng_.Chance(kPlaceArabicShare)) return Respell(place, Spelling::kArabicLetters, rng_);
  return place;
}

// A centre with beds for `sex`: mostly in the county of collection, else
// anywhere (in practice the capital's large centres), by capacity.
std::size_t Engine::PickFacility(std::size_t county, int sex) {
  const auto& fs = world_.facilities;
  std::int64_t county_id = world_.counties[county].id;
  auto places = [&](const Beds& b) { return Capacity(b.facility, sex); };
  bool local = rng_.Chance(0.8) && std::any_of(fs.begin(), fs.end(), [&](const Beds& b) {
                 return b.facility.county_id == county_id && places(b) > 0;
               });
  auto eligible = [&](const Beds& b) { return !local || b.facility.county_id == county_id; };
  double total = 0;
  for (const auto& b : fs)
    if (eligible(b)) total += places(b);
  if (total <= 0) return kNone;
  double r = rng_.Real() * total;
  for (std::size_t i = 0; i < fs.size(); ++i) {
    if (!eligible(fs[i])) continue;
    r -= places(fs[i]);
    if (r < 0) return i;
  }
  return kNone;
}

Plan Engine::PlanEpisode(Real& real, std::int64_t t) {
  Plan p;
  p.collected_at = t;
  p.county = PickCounty();
  p.place = PlaceIn(p.county);
  p.transfer_at = t + Delay(1, 20, 0.07, 25, 60);
  p.screen_at = p.transfer_at + Delay(2, 40, 0.08, 72, 120);
  p.outcome = Outcome(real);
  p.admits = p.outcome->next_stage == "judicial_order";
  p.free_at = p.screen_at;
  if (p.admits) {
    bool note2 = p.outcome->code == "admit_note2";
    p.kind = note2 ? pathway::OrderKind::kNote2 : pathway::OrderKind::kPlacement;
    p.months = note2 ? pathway::kNote2Months
                     : static_cast<int>(rng_.Chance(0.25)   ? 1
                                        : rng_.Chance(0.47) ? 2
                                                            : 3);
    p.order_at = p.screen_at + Delay(3, 40, 0.10, 49, 140);
    PlanAdmission(p, real.sex);
  }
  return p;
}

void Engine::PlanAdmission(Plan& p, int sex) {
  p.facility = PickFacility(p.county, sex);
  if (p.facility == kNone) {
    // No centre takes this sex at all: released after a few days' wait.
    p.free_at = p.order_at + rng_.Uniform(kDay, 5 * kDay);
    return;
  }
  p.admit_at = p.order_at + Delay(1, 22, 0.10, 25, 96);
  PlanStay(p);
  MaybeHold(p, sex);
}

void Engine::PlanStay(Plan& p) {
  std::int64_t admit_day = pathway::IranDay(p.admit_at);
  std::int64_t end = p.OrderEnd();
  if (p.kind == pathway::OrderKind::kPlacement && rng_.Chance(kExtensionShare)) {
    // Issued in the last days of the placement, never after it ends.
    std::int64_t day = std::max(admit_day + 1, end - rng_.Uniform(1, 10));
    if (day <= end) {
      p.extension_at = DayStart(day) + rng_.Uniform(9 * kHour, 14 * kHour);
      p.extension_months = static_cast<int>(rng_.Uniform(1, pathway::kExtensionMaxMonths));
    }
  }
  std::int64_t legal = p.LegalEnd();
  std::int64_t day = legal - rng_.Uniform(0, 2);
  std::string reason = kNormalDischarge;
  double r = rng_.Real();
  if (p.kind == pathway::OrderKind::kNote2) {
    day = std::min(legal, admit_day + rng_.Uniform(30, 100));
    reason = kNote2Discharge;
  } else if (r < kLateDischargeShare) {
    day = legal + rng_.Uniform(1, 30);
    reason = kLateDischarge;
  } else if (r < kLateDischargeShare + kEarlyDischargeShare && p.extension_at == kNever) {
    day = rng_.Uniform(admit_day + 3, legal - 1);
    reason = Pick(kEarlyReasons, rng_);
  }
  std::int64_t at = DayStart(std::max(day, admit_day)) + rng_.Uniform(9 * kHour, 17 * kHour);
  Discharge(p, std::max(at, p.admit_at + kHour), reason);
}

void Engine::Discharge(Plan& p, std::int64_t at, std::string reason) {
  p.discharge_at = at;
  p.discharge_reason = std::move(reason);
  if (p.extension_at >= at) p.extension_at = kNever;
  p.free_at = at;
  PlanServices(p);
  PlanFollowups(p);
}

void Engine::PlanServices(Plan& p) {
  p.services.clear();
  std::int64_t lo = p.admit_at + kHour;
  std::int64_t hi = p.discharge_at.value_or(world_.now) - kHour;
  for (auto n = rng_.Uniform(0, 3); n > 0 && lo < hi; --n) {
    std::size_t kind = PickWeighted(kServiceKinds, rng_);
    p.services.push_back(
        {kServiceKinds[kind].code, rng_.Uniform(lo, hi), Pick(kServiceNotes[kind], rng_)});
  }
}

// After-care contacts at 1, 3 and 6 months, most made (some late), and the
// employment duty: a job for some, a follow-up without one for others.
void Engine::PlanFollowups(Plan& p) {
  p.followups.clear();
  if (!p.discharge_at) return;
  std::int64_t d = *p.discharge_at;
  for (std::size_t i = 0; i < std::size(kContactDone); ++i) {
    if (!rng_.Chance(kContactDone[i])) continue;
    std::int64_t at = d + hours_.followup[i] + rng_.Uniform(-7 * kDay, 12 * kDay);
    p.followups.push_back({std::max(at, d + kDay), i, false, Pick(kContactOutcomes, rng_)});
  }
  double r = rng_.Real();
  if (r < 0.2) {
    p.followups.push_back(
        {d + rng_.Uniform(20 * kDay, 170 * kDay), kEmploymentTask, true, Pick(kJobs, rng_)});
  } else if (r < 0.6) {
    std::int64_t at = d + hours_.followup[kEmploymentTask] - rng_.Uniform(0, 60 * kDay);
    p.followups.push_back(
        {std::max(at, d + kDay), kEmploymentTask, false, Pick(kJobFollowups, rng_)});
  }
  std::sort(p.followups.begin(), p.followups.end(),
            [](const Followup& a, const Followup& b) { return a.at < b.at; });
}

// ---- beds ----

// Beds the ledger still offers in facility i.
int Engine::Free(std::size_t i, int sex) const {
  const auto& f = world_.facilities[i].facility;
  return Capacity(f, sex) > 0 ? target_[i][static_cast<std::size_t>(sex)] - Occupied(f, sex) : 0;
}

bool Engine::TakeBed(Plan& p, int sex) {
  const auto& fs = world_.facilities;
  std::size_t pick = p.facility != kNone && Free(p.facility, sex) > 0 ? p.facility : kNone;
  std::int64_t county_id = world_.counties[p.county].id;
  for (int pass = 0; pass < 2 && pick == kNone; ++pass) {
    for (std::size_t i = 0; i < fs.size(); ++i) {
      bool eligible = Free(i, sex) > 0 && (pass == 1 || fs[i].facility.county_id == county_id);
      if (eligible && (pick == kNone || Free(i, sex) > Free(pick, sex))) pick = i;
    }
  }
  if (pick == kNone) return false;
  p.facility = pick;
  auto& f = world_.facilities[pick].facility;
  int& occupied = sex == kFemale ? f.occupied_female : f.occupied_male;
  ++occupied;
  p.over_capacity = occupied > Capacity(f, sex) ? kOverCapacity : "";
  return true;
}

// Beds still free against the number of open stays the rest of the run is
// expected to offer: the share of those to keep, so that the centres fill
// up evenly over the run instead of with its first persons.
double Engine::AcceptShare() const {
  double rate = persons_done_ >= 1000
                    ? static_cast<double>(candidates_) / static_cast<double>(persons_done_)
                    : 0.1;
  double left =
      static_cast<double>(std::max<std::int64_t>(1, world_.planned_persons - persons_done_));
  double free = 0;
  for (std::size_t i = 0; i < target_.size(); ++i)
    for (int sex : {kMale, kFemale}) free += std::max(0, Free(i, sex));
  return std::min(1.0, free / std::max(1.0, rate * left));
}

// Now and then a centre does not discharge at the legal end: the stay is
// still open weeks later (what the "stays past legal end" list is for).
void Engine::MaybeHold(Plan& p, int sex) {
  if (!p.discharge_at || *p.discharge_at >= world_.now) return;
  std::int64_t legal = p.LegalEnd();
  if (legal >= today_ || legal < today_ - kHoldWindowDays) return;
  if (!rng_.Chance(hold_share_) || !TakeBed(p, sex)) return;
  p.held = true;
  p.discharge_at.reset();
  p.discharge_reason.clear();
  p.followups.clear();
  p.free_at = kNever;
  PlanServices(p);
}

// A last episode whose stay would still be open now keeps its bed if the
// ledger allows; otherwise the person left early.
void Engine::SettleOpenStay(Plan& p, int sex) {
  if (p.held || p.facility == kNone || p.admit_at > world_.now) return;
  if (p.discharge_at && *p.discharge_at <= world_.now) return;
  double share = AcceptShare();
  candidates_++;
  if (rng_.Chance(share) && TakeBed(p, sex)) return;
  std::int64_t lo = p.admit_at + 2 * kHour;
  std::int64_t hi = world_.now - kMinute;
  if (hi <= lo) lo = p.admit_at + 1, hi = world_.now;
  Discharge(p, rng_.Uniform(lo, hi), Pick(kEarlyReasons, rng_));
}

}  // namespace

struct Generator::Impl {
  Impl(World world, std::uint64_t seed) : engine(std::move(world), seed) {}
  Engine engine;
};

Generator::Generator(World world, std::uint64_t seed)
    : impl_(std::make_unique<Impl>(std::move(world), seed)) {}
Generator::~Generator() = default;
Batch Generator::Next(int persons) {
  return impl_->engine.Next(persons);
}
const World& Generator::world() const {
  return impl_->engine.world();
}

}  // namespace peyvand::app::synthetic
