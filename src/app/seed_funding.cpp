#include "app/seed_funding.hpp"

#include <algorithm>
#include <iostream>
#include <vector>

#include "modules/funding/rules.hpp"

namespace peyvand::app {
namespace {

constexpr std::int64_t kBillion = 1'000'000'000;  // rials

struct DemoEntry {
  const char* stage;
  std::int64_t billions_x10;  // tenths of a billion rials
};
struct DemoShare {
  const char* agency;
  std::int64_t cost_x10;  // tenths of a billion rials needed
  std::vector<DemoEntry> entries;
};
struct DemoClause {
  int seq;
  const char* text;
  const char* output;
  int deadline_in_days;  // from today; negative: already past
  std::vector<DemoShare> shares;
};
struct DemoResolution {
  const char* council;
  const char* number;
  int days_ago;
  const char* title;
  const char* text;
  std::vector<DemoClause> clauses;
};

std::vector<DemoResolution> Demo() {
  return {
      {"drug_control_council",
       "1404/112",
       120,
       "افزایش ظرفیت درمان اقامتی معتادان متجاهر در مشهد و نیشابور",
       "با توجه به کمبود حدود سه هزار ظرفیت نسبت به شمار معتادان متجاهر استان، شورا مقرر کرد "
       "ظرفیت مراکز مادهٔ ۱۶ و گرمخانه‌ها پیش از فصل سرما افزایش یابد.",
       {{1,
         "راه‌اندازی ۳۰۰ ظرفیت تازهٔ مراکز اقامتی مادهٔ ۱۶ در مشهد و نیشابور",
         "قرارداد با سه مرکز و گزارش ماهانهٔ پذیرش",
         60,
         {{"welfare",
           450,
           {{"approved", 400},
            {"allocated", 250},
            {"notified", 200},
            {"committed", 150},
            {"paid", 90}}}}},
        {2,
         "تجهیز گرمخانهٔ کوی طلاب برای ۱۵۰ نفر در فصل سرما",
         "گرمخانهٔ آماده با پتو، غذای گرم و پزشک کشیک",
         -15,
         {{"municipality",
           120,
           {{"approved", 120},
            {"allocated", 120},
            {"notified", 120},
            {"committed", 100},
            {"paid", 100}}}}},
        {3,
         "خدمات پزشکی، متادون و آزمایش اچ‌آی‌وی و هپاتیت در مراکز اقامتی",
         "پوشش آزمایش همهٔ پذیرش‌شدگان در دو هفتهٔ نخست",
         30,
         {{"health", 80, {{"approved", 60}, {"allocated", 30}}},
          {"welfare", 20, {{"approved", 20}, {"allocated", 20}, {"notified", 20}}}}}}},
      {"provincial_security_council",
       "1404/87",
       60,
       "ساماندهی جمع‌آوری معتادان متجاهر در محدودهٔ حرم مطهر و پایانه‌ها",
       "جمع‌آوری تنها با دستور قضایی و انتقال در همان روز به مرکز غربالگری انجام شود.",
       {{1,
         "اجرای طرح جمع‌آوری هفتگی با حضور قاضی کشیک",
         "گزارش هفتگی شمار جمع‌آوری و انتقال به غربالگری",
         20,
         {{"police",
           60,
           {{"approved", 60},
            {"allocated", 40},
            {"notified", 40},
            {"committed", 30},
            {"paid", 30}}},
          {"judiciary", 15, {{"approved", 15}, {"allocated", 15}, {"notified", 10}}}}},
        {2,
         "استقرار قاضی ویژه در مرکز غربالگری برای صدور دستور ظرف ۴۸ ساعت",
         "",
         -5,
         {{"judiciary", 0, {}}}}}},
      {"social_harms_committee",
       "1404/34",
       30,
       "توانمندسازی و اشتغال بهبودیافتگان پس از ترخیص",
       "",
       {{1,
         "آموزش مهارت و معرفی به کار ۲۰۰ بهبودیافته در شش ماه پس از ترخیص",
         "۲۰۰ گواهی مهارت و ۸۰ اشتغال پایدار",
         150,
         {{"tvto", 30, {{"approved", 30}, {"allocated", 10}}},
          {"labour", 50, {{"approved", 20}}},
          {"relief",
           40,
           {{"approved", 40},
            {"allocated", 40},
            {"notified", 40},
            {"committed", 20},
            {"paid", 10}}}}}}},
      {"social_council",
       "1404/19",
       10,
       "تأمین اعتبار مراقبت پس از خروج در شهرستان‌ها",
       "",
       {{1,
         "تماس پیگیری یک، سه و شش ماه پس از ترخیص برای همهٔ ترخیص‌شدگان شهرستان‌ها",
         "گزارش فصلی پیگیری‌ها",
         90,
         {{"welfare", 70, {}}}}}},
  };
}

accounts::Principal System() {
  accounts::Principal p;
  p.user_id = 0;
  p.username = "system";
  p.roles = {accounts::Role::kSystemAdmin};
  p.request_id = "seed";
  return p;
}

}  // namespace

void SeedDemoFunding(Services& s) {
  auto system = System();
  auto& svc = *s.funding;
  std::int64_t today = svc.Today();
  int added_resolutions = 0, added_clauses = 0;
  std::vector<funding::Council> councils = svc.Councils();
  for (const auto& d : Demo()) {
    std::optional<std::int64_t> council_id;
    for (const auto& c : councils) {
      if (c.code == d.council) council_id = c.id;
    }
    if (!council_id) continue;
    std::int64_t id = 0;
    funding::ResolutionQuery q;
    q.text = d.number;
    q.council_id = council_id;
    for (const auto& r : svc.ListResolutions(system, q, 50, 0).items) {
      if (r.number == d.number) id = r.id;
    }
    if (!id) {
      funding::NewResolution in{d.council, d.number, today - d.days_ago, d.title, d.text};
      id = svc.CreateResolution(system, in).id;
      ++added_resolutions;
    }
    auto existing = svc.GetResolution(system, id);
    for (const auto& dc : d.clauses) {
      bool present = false;
      for (const auto& cv : existing.clauses) present = present || cv.clause.seq == dc.seq;
      if (present) continue;
      funding::NewClause in;
      in.seq = dc.seq;
      in.body = dc.text;
      in.expected_output = dc.output;
      in.deadline_day = std::max(today + dc.deadline_in_days, existing.resolution.day);
      std::vector<std::pair<std::int64_t, const DemoShare*>> shares;
      for (const auto& ds : dc.shares) {
        auto agency = s.directory->FindAgencyByCode(ds.agency);
        if (!agency) continue;
        in.shares.push_back({agency->id, ds.cost_x10 * kBillion / 10});
        shares.emplace_back(agency->id, &ds);
      }
      if (in.shares.empty()) continue;
      auto clause = svc.AddClause(system, id, in);
      ++added_clauses;
      for (const auto& [agency_id, ds] : shares) {
        for (const auto& e : ds->entries) {
          funding::NewEntry entry;
          entry.clause_id = clause.id;
          entry.agency_id = agency_id;
          entry.stage = e.stage;
          entry.amount = e.billions_x10 * kBillion / 10;
          entry.note = "دادهٔ نمایشی";
          svc.Record(system, entry);
        }
      }
    }
  }
  std::cout << "resolutions added: " << added_resolutions << " (clauses: " << added_clauses
            << ")\n";
}

}  // namespace peyvand::app
