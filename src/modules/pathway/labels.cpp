#include <string>

#include "modules/pathway/pages.hpp"

namespace peyvand::pathway {
namespace {

struct Label {
  const char* code;
  const char* text;
};

constexpr Label kTaskKinds[] = {
    {"transfer", "انتقال به غربالگری"},
    {"screening", "غربالگری"},
    {"order", "صدور دستور قضایی"},
    {"admission", "پذیرش در مرکز"},
    {"stay_end", "پایان مهلت نگهداری"},
    {"referral", "ارجاع"},
    {"aftercare_1", "مراقبت پس از خروج: ماه اول"},
    {"aftercare_3", "مراقبت پس از خروج: ماه سوم"},
    {"aftercare_6", "مراقبت پس از خروج: ماه ششم"},
    {"employment", "پیگیری اشتغال"},
    {"complaint", "رسیدگی به شکایت"},
    {"resolution", "اجرای بند مصوبه"},
};

constexpr Label kStages[] = {
    {"collection", "جمع‌آوری"},
    {"screening", "غربالگری"},
    {"judicial_order", "دستور قضایی"},
    {"admission", "پذیرش"},
    {"treatment", "درمان و نگهداری"},
    {"aftercare", "مراقبت پس از خروج"},
    {"employment", "اشتغال"},
    {"closed", "بسته"},
};

const char* Find(const Label* begin, const Label* end, const std::string& code) {
  for (const Label* l = begin; l != end; ++l)
    if (code == l->code) return l->text;
  return "";
}

}  // namespace

const char* TaskKindLabel(const std::string& kind) {
  return Find(std::begin(kTaskKinds), std::end(kTaskKinds), kind);
}

const char* StageLabel(const std::string& stage) {
  return Find(std::begin(kStages), std::end(kStages), stage);
}

}  // namespace peyvand::pathway
