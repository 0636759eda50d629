// People and identity resolution through the API, on a real server.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "integration/harness.hpp"
#include "integration/seeded_suite.hpp"

namespace peyvand::test {
namespace {

class PeopleTest : public SeededSuite<PeopleTest> {};

TEST_F(PeopleTest, RecollectedManIsFoundDespiteSpelling) {
  std::string police = LoginAs("police.operator");
  ASSERT_FALSE(police.empty());
  // First collection: no national code.
  auto first =
      http().PostJson("/api/v1/persons",
                      R"({"first_name":"محمدرضا","last_name":"کریمی","father_name":"حسین",)"
                      R"("sex":"male","birth_year":1365})",
                      police);
  ASSERT_EQ(first.status, 201) << first.body;
  auto id = Obj(first.body).at("person").at("id").as_int64();
  EXPECT_EQ(Obj(first.body).at("person").at("national_code").is_null(), true);

  // Second time, typed with Arabic letters and no ZWNJ, a year off: a candidate, with reasons.
  std::string again =
      R"({"first_name":"محمد رضا","last_name":"كريمي","father_name":"حسين","sex":"male","birth_year":1366})";
  auto cands = http().PostJson("/api/v1/persons/candidates", again, police);
  ASSERT_EQ(cands.status, 200) << cands.body;
  auto items = Obj(cands.body).at("items").as_array();
  ASSERT_FALSE(items.empty());
  EXPECT_EQ(items[0].at("person").at("id").as_int64(), id);
  EXPECT_GE(items[0].at("score").as_int64(), 50);
  EXPECT_EQ(items[0].at("reasons").as_array().size(), 6u);
  // Registering anyway queues the pair for review.
  auto second = http().PostJson("/api/v1/persons", again, police);
  ASSERT_EQ(second.status, 201) << second.body;
  EXPECT_EQ(Obj(second.body).at("review_pairs").as_int64(), 1);
  // Stored in canonical form, displayed as entered otherwise.
  EXPECT_EQ(Obj(second.body).at("person").at("last_name").as_string(), "کریمی");
}

TEST_F(PeopleTest, NationalCodeMatchNeedsConfirmationAndIsUnique) {
  std::string welfare = LoginAs("welfare.operator");
  auto created = http().PostJson(
      "/api/v1/persons",
      R"({"first_name":"علی","last_name":"رضایی","father_name":"احمد","sex":"male",)"
      R"("national_code":"۰۴۹۹۳۷۰۸۹۹"})",
      welfare);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(Obj(created.body).at("person").at("national_code").as_string(), "0499370899");
  // Same code again: a strong match, refused without confirmation…
  std::string same =
      R"({"first_name":"علي","last_name":"رضائی","father_name":"احمد","sex":"male","national_code":"0499370899"})";
  auto refused = http().PostJson("/api/v1/persons", same, welfare);
  EXPECT_EQ(refused.status, 409);
  EXPECT_TRUE(Obj(refused.body).at("error").at("fields").as_object().contains("confirm_new"));
  // …and even confirmed, the national code stays unique.
  std::string confirmed = same.substr(0, same.size() - 1) + R"(,"confirm_new":true})";
  auto dup = http().PostJson("/api/v1/persons", confirmed, welfare);
  EXPECT_EQ(dup.status, 409);
  EXPECT_TRUE(Obj(dup.body).at("error").at("fields").as_object().contains("national_code"));
  // Search by code in Persian digits finds the one record.
  auto found = http().Get(
      "/api/v1/persons?q=%DB%B0%DB%B4%DB%B9%DB%B9%DB%B3%DB%B7%DB%B0%DB%B8%DB%B9%DB%B9", welfare);
  ASSERT_EQ(found.status, 200) << found.body;
  EXPECT_EQ(Obj(found.body).at("items").as_array().size(), 1u);
}

TEST_F(PeopleTest, BadInputIsRefusedAndChangesNothing) {
  std::string police = LoginAs("police.operator");
  struct Case {
    std::string json;   // request body
    std::string field;  // field named in the error
  };
  const Case cases[] = {
      {R"({"last_name":"x","sex":"male"})", "first_name"},
      {R"({"first_name":"x","last_name":"y","national_code":"1234567890"})", "national_code"},
      {R"({"first_name":"x","last_name":"y","national_code":"1111111111"})", "national_code"},
      {R"({"first_name":"x","last_name":"y","birth_year":1250})", "birth_year"},
      {R"({"first_name":"x","last_name":"y","sex":"other"})", "sex"},
      {R"({"first_name":"x","last_name":"y","nationality":"iran"})", "nationality"},
      {R"({"first_name":5,"last_name":"y"})", "first_name"},
  };
  for (const auto& c : cases) {
    auto r = http().PostJson("/api/v1/persons", c.json, police);
    EXPECT_EQ(r.status, 400) << c.json << " → " << r.body;
    EXPECT_TRUE(Obj(r.body).at("error").at("fields").as_object().contains(c.field)) << r.body;
  }
  EXPECT_EQ(http().Get("/api/v1/persons?q=x", police).body.find("\"id\""), std::string::npos);
  // Roles without a duty to register cannot.
  EXPECT_EQ(http()
                .PostJson("/api/v1/persons", R"({"first_name":"x","last_name":"y"})",
                          LoginAs("police.researcher"))
                .status,
            403);
}

TEST_F(PeopleTest, AnotherAgencyGets404AndIsAudited) {
  std::string health = LoginAs("health.operator");
  auto created = http().PostJson(
      "/api/v1/persons", R"({"first_name":"زهرا","last_name":"احمدی","sex":"female"})", health);
  ASSERT_EQ(created.status, 201);
  std::string id = std::to_string(Obj(created.body).at("person").at("id").as_int64());
  EXPECT_EQ(http().Get("/api/v1/persons/" + id, health).status, 200);
  EXPECT_EQ(http().Get("/api/v1/persons/" + id, LoginAs("labour.operator")).status, 404);
  // Not found by search either.
  auto search =
      Obj(http()
              .Get("/api/v1/persons?q=%D8%A7%D8%AD%D9%85%D8%AF%DB%8C", LoginAs("labour.operator"))
              .body);
  for (const auto& item : search.at("items").as_array()) {
    EXPECT_NE(std::to_string(item.at("id").as_int64()), id) << "found by another agency";
  }
  auto denied =
      Obj(http()
              .Get("/api/v1/audit?action=access.denied&record_type=person&record_id=" + id, admin_)
              .body);
  EXPECT_EQ(denied.at("paging").at("total").as_int64(), 1);
  auto reads = Obj(http().Get("/api/v1/audit?action=person.read&record_id=" + id, admin_).body);
  EXPECT_EQ(reads.at("paging").at("total").as_int64(), 1);
}

TEST_F(PeopleTest, PagesRegisterShowMatchesAndConfirm) {
  std::string user = "municipality.operator";
  auto login = http().Request("POST", "/login",
                              "username=" + user + "&password=" + server_->PasswordOf(user),
                              {{"Content-Type", "application/x-www-form-urlencoded"}});
  ASSERT_EQ(login.status, 303);
  std::string cookie = login.Header("set-cookie").substr(0, login.Header("set-cookie").find(';'));
  auto form = http().Request("GET", "/persons/new", "", {{"Cookie", cookie}});
  ASSERT_EQ(form.status, 200);
  const std::string needle = "name=\"_csrf\" value=\"";
  auto at = form.body.find(needle);
  ASSERT_NE(at, std::string::npos);
  auto begin = at + needle.size();
  std::string csrf = form.body.substr(begin, form.body.find('"', begin) - begin);
  auto post = [&](const std::string& fields) {
    return http().Request(
        "POST", "/persons/new", "_csrf=" + csrf + "&" + fields,
        {{"Cookie", cookie}, {"Content-Type", "application/x-www-form-urlencoded"}});
  };
  // Persian digits in the national code and the year are accepted.
  std::string fields =
      "first_name=%D8%AD%D8%B3%D9%86&last_name=%D9%85%D9%88%D8%B3%D9%88%DB%8C&father_name=%D8%B9%D9%84%DB%8C"
      "&sex=male&birth_year=%DB%B1%DB%B3%DB%B7%DB%B0&national_code=0013542419";
  auto first = post(fields);
  ASSERT_EQ(first.status, 303) << first.body;
  std::string location = first.Header("location");
  auto page = http().Request("GET", location, "", {{"Cookie", cookie}});
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("مددجو ثبت شد"), std::string::npos);
  EXPECT_NE(page.body.find("۱۳۷۰"), std::string::npos);
  // The same man again (Arabic yeh, no code): the page shows him before saving.
  std::string again =
      "first_name=%D8%AD%D8%B3%D9%86&last_name=%D9%85%D9%88%D8%B3%D9%88%D9%8A&father_name=%D8%B9%D9%84%D9%8A"
      "&sex=male&birth_year=1370";
  // Without a code he scores in the review band: saved, and the pair is queued.
  auto queued = post(again);
  EXPECT_EQ(queued.status, 303) << queued.body;
  EXPECT_NE(queued.Header("location").find("pairs=1"), std::string::npos);
  // With the same national code he is a strong match: shown before saving, with a confirm box.
  auto shown =
      post(again + "&national_code=%DB%B0%DB%B0%DB%B1%DB%B3%DB%B5%DB%B4%DB%B2%DB%B4%DB%B1%DB%B9");
  EXPECT_EQ(shown.status, 409);
  EXPECT_NE(shown.body.find("data-testid=\"candidate\""), std::string::npos);
  EXPECT_NE(shown.body.find("confirm_new"), std::string::npos);
  // A bad year is explained on the form.
  auto bad = post("first_name=x&last_name=y&birth_year=abc");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("data-testid=\"form-error\""), std::string::npos);
  // Search page finds him by name in another spelling.
  auto search =
      http().Request("GET", "/persons?q=%D8%AD%D8%B3%D9%86+%D9%85%D9%88%D8%B3%D9%88%D9%8A", "",
                     {{"Cookie", cookie}});
  EXPECT_EQ(search.status, 200);
  EXPECT_NE(search.body.find("/persons/"), std::string::npos);
}

TEST_F(PeopleTest, CoordinatorReviewsMergesAndUnmerges) {
  std::string relief = LoginAs("relief.operator");
  std::string a =
      R"({"first_name":"مهدی","last_name":"نوروزی","father_name":"رضا","sex":"male","birth_year":1360})";
  std::string b =
      R"({"first_name":"مهدي","last_name":"نوروزي","father_name":"رضا","sex":"male","birth_year":1361})";
  auto ra = http().PostJson("/api/v1/persons", a, relief);
  auto rb = http().PostJson("/api/v1/persons", b, relief);
  ASSERT_EQ(ra.status, 201);
  ASSERT_EQ(rb.status, 201);
  auto older = Obj(ra.body).at("person").at("id").as_int64();
  auto newer = Obj(rb.body).at("person").at("id").as_int64();
  // Only coordinators review.
  EXPECT_EQ(http().Get("/api/v1/person-pairs", relief).status, 403);
  std::string coord = LoginAs("governorate.coordinator");
  auto queue = Obj(http().Get("/api/v1/person-pairs?per_page=200", coord).body);
  std::int64_t pair = 0;
  for (const auto& item : queue.at("items").as_array()) {
    if (item.at("b").at("id").as_int64() == newer || item.at("a").at("id").as_int64() == newer) {
      pair = item.at("id").as_int64();
      EXPECT_FALSE(item.at("reasons").as_array().empty());
    }
  }
  ASSERT_NE(pair, 0) << queue;
  std::string path = "/api/v1/person-pairs/" + std::to_string(pair) + "/decision";
  EXPECT_EQ(http().PostJson(path, R"({"decision":"maybe"})", coord).status, 400);
  auto merged = http().PostJson(path, R"({"decision":"same"})", coord);
  ASSERT_EQ(merged.status, 200) << merged.body;
  EXPECT_EQ(http().PostJson(path, R"({"decision":"different"})", coord).status,
            409);  // decided once
  // The newer record points at the older; neither is lost.
  auto rec = Obj(http().Get("/api/v1/persons/" + std::to_string(newer), relief).body);
  EXPECT_EQ(rec.at("merged_into").as_int64(), older);
  // A merged record is no longer a candidate: only the survivor is proposed.
  auto cands =
      Obj(http().PostJson("/api/v1/persons/candidates", b, relief).body).at("items").as_array();
  for (const auto& c : cands) EXPECT_NE(c.at("person").at("id").as_int64(), newer);
  // Unmerge restores it, and the pair is marked different.
  EXPECT_EQ(
      http().PostJson("/api/v1/persons/" + std::to_string(newer) + "/unmerge", "{}", coord).status,
      204);
  rec = Obj(http().Get("/api/v1/persons/" + std::to_string(newer), relief).body);
  EXPECT_TRUE(rec.at("merged_into").is_null());
  auto different =
      Obj(http().Get("/api/v1/person-pairs?status=different&per_page=200", coord).body);
  bool found = false;
  for (const auto& item : different.at("items").as_array())
    found |= item.at("id").as_int64() == pair;
  EXPECT_TRUE(found);
  EXPECT_EQ(
      http().PostJson("/api/v1/persons/" + std::to_string(newer) + "/unmerge", "{}", coord).status,
      409);
  EXPECT_GE(Obj(http().Get("/api/v1/audit?action=person.merge", admin_).body)
                .at("paging")
                .at("total")
                .as_int64(),
            1);
  EXPECT_GE(Obj(http().Get("/api/v1/audit?action=person.unmerge", admin_).body)
                .at("paging")
                .at("total")
                .as_int64(),
            1);
}

TEST_F(PeopleTest, EditKeepsTheReplacedValuesAndNeedsADuty) {
  std::string tvto = LoginAs("tvto.operator");
  auto created = http().PostJson(
      "/api/v1/persons",
      R"({"first_name":"فریبرز","last_name":"آذرخش","father_name":"منوچهر","sex":"male","birth_year":1350})",
      tvto);
  ASSERT_EQ(created.status, 201) << created.body;
  std::string id = std::to_string(Obj(created.body).at("person").at("id").as_int64());
  // Only the fields sent change; the year typed in Persian digits is refused as a number.
  EXPECT_EQ(http().PatchJson("/api/v1/persons/" + id, R"({"birth_year":"۱۳۵۲"})", tvto).status,
            400);
  auto edited =
      http().PatchJson("/api/v1/persons/" + id,
                       R"({"birth_year":1352,"father_name":"منوچهر‌علی"})", tvto);
  ASSERT_EQ(edited.status, 200) << edited.body;
  EXPECT_EQ(Obj(edited.body).at("birth_year").as_int64(), 1352);
  EXPECT_EQ(Obj(edited.body).at("last_name").as_string(), "آذرخش");
  auto history = Obj(http().Get("/api/v1/persons/" + id + "/revisions", tvto).body);
  ASSERT_EQ(history.at("items").as_array().size(), 1u);
  auto& rev = history.at("items").as_array()[0].as_object();
  EXPECT_EQ(rev.at("changed").as_string(), "father_name,birth_year");
  EXPECT_EQ(rev.at("previous").at("birth_year").as_int64(), 1350);
  EXPECT_EQ(rev.at("previous").at("father_name").as_string(), "منوچهر");
  // No change, no revision; another agency cannot edit (404, audited).
  EXPECT_EQ(http().PatchJson("/api/v1/persons/" + id, R"({"birth_year":1352})", tvto).status, 200);
  EXPECT_EQ(Obj(http().Get("/api/v1/persons/" + id + "/revisions", tvto).body)
                .at("items")
                .as_array()
                .size(),
            1u);
  EXPECT_EQ(
      http()
          .PatchJson("/api/v1/persons/" + id, R"({"birth_year":1360})", LoginAs("relief.operator"))
          .status,
      404);
  auto update = Obj(http().Get("/api/v1/audit?action=person.update&record_id=" + id, admin_).body);
  EXPECT_EQ(update.at("paging").at("total").as_int64(), 1);
}

TEST_F(PeopleTest, BatchJobQueuesDuplicatesAmongExistingRecords) {
  std::string relief = LoginAs("relief.operator");
  std::string a =
      R"({"first_name":"گلناز","last_name":"شیرازی‌نیا","father_name":"بیژن","sex":"female","birth_year":1370})";
  std::string b =
      R"({"first_name":"گلناز","last_name":"شیرازی نیا","father_name":"بیژن","sex":"female","birth_year":1371,"confirm_new":true})";
  auto first = http().PostJson("/api/v1/persons", a, relief);
  ASSERT_EQ(first.status, 201) << first.body;
  auto second = http().PostJson("/api/v1/persons", b, relief);
  ASSERT_EQ(second.status, 201) << second.body;
  std::string ida = std::to_string(Obj(first.body).at("person").at("id").as_int64());
  std::string idb = std::to_string(Obj(second.body).at("person").at("id").as_int64());
  // As if the records had been imported in bulk: no pair between them yet.
  server_->RawSql("DELETE FROM person_pairs WHERE a_id = " + ida + " AND b_id = " + idb);
  std::string out;
  ASSERT_EQ(server_->RunCli("people match --after-id " + std::to_string(std::stoll(ida) - 1), &out),
            0)
      << out;
  EXPECT_NE(out.find("records; 1 new pairs"), std::string::npos) << out;
  // Run again: nothing new (the pair exists, open or decided).
  ASSERT_EQ(server_->RunCli("people match --after-id " + std::to_string(std::stoll(ida) - 1), &out),
            0)
      << out;
  EXPECT_NE(out.find("records; 0 new pairs"), std::string::npos) << out;
  auto pairs =
      Obj(http().Get("/api/v1/person-pairs?per_page=100", LoginAs("governorate.coordinator")).body);
  bool queued = false;
  for (const auto& pr : pairs.at("items").as_array()) {
    queued = queued || (std::to_string(pr.at("a").at("id").as_int64()) == ida &&
                        std::to_string(pr.at("b").at("id").as_int64()) == idb);
  }
  EXPECT_TRUE(queued);
  EXPECT_EQ(Obj(http().Get("/api/v1/audit?action=person_pair.batch_match", admin_).body)
                .at("paging")
                .at("total")
                .as_int64(),
            2);
}

}  // namespace
}  // namespace peyvand::test
