// `peyvand seed --demo`: the counties and agencies of DOMAIN.md, an `admin`,
// and one user per role and agency with random passwords written to
// data/demo-logins.txt (mode 0600). Idempotent: what exists is kept, and a
// demo user whose password is no longer on file gets a new one.
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>

#include "app/app.hpp"
#include "modules/accounts/crypto.hpp"
#include "modules/accounts/rules.hpp"

namespace peyvand::app {
namespace {

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
        accounts::Principal system;
        system.user_id = 0;
        system.username = "system";
        system.roles = {accounts::Role::kSystemAdmin};
        system.request_id = "seed";
        dir.ResetPassword(system, existing->id, password);
      } else {
        accounts::NewUser u;
        u.username = username;
        u.display_name = display;
        u.agency_id = agency->id;
        u.roles = {role};
        u.password = password;
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
}

}  // namespace peyvand::app
