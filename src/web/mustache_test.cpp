#include "web/mustache.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

namespace peyvand::web {
namespace {

struct Row {
  const char* source;    // the template
  const char* context;   // JSON object
  const char* expected;  // rendering
  const char* comment;
};

std::string RenderWith(const char* source, const char* context,
                       const std::map<std::string, std::string>& partial_sources = {}) {
  std::map<std::string, Mustache, std::less<>> partials;
  for (const auto& [name, src] : partial_sources) partials.emplace(name, Mustache(src));
  auto ctx = boost::json::parse(context).as_object();
  std::string out;
  Mustache(source).Render(out, {&ctx}, [&](std::string_view name) -> const Mustache* {
    auto it = partials.find(name);
    return it == partials.end() ? nullptr : &it->second;
  });
  return out;
}

TEST(MustacheTest, RendersLikeThePagesExpect) {
  const std::vector<Row> rows = {
      {"سلام {{name}}!", R"({"name":"علی"})", "سلام علی!", "a variable"},
      {"{{x}}", R"({"x":"<a href='x'>&\"</a>"})",
       "&lt;a href=&apos;x&apos;&gt;&amp;&quot;&lt;/a&gt;", "escaped by default"},
      {"{{{x}}}|{{& x}}", R"({"x":"<b>"})", "<b>|<b>", "raw with triple braces or &"},
      {"{{missing}}.", R"({})", ".", "a missing name prints nothing"},
      {"{{n}} {{u}} {{d}}", R"({"n":-42,"u":18446744073709551615,"d":1.5})",
       "-42 18446744073709551615 1.500000", "numbers print"},
      {"[{{b}}{{o}}{{l}}{{z}}]", R"({"b":true,"o":{"k":1},"l":[1],"z":null})", "[]",
       "booleans, objects, lists and null print nothing"},
      {"{{a.b.c}}", R"({"a":{"b":{"c":"deep"}}})", "deep", "dotted names"},
      {"{{a.x}}", R"({"a":{"b":1},"x":"no"})", "", "a dotted name does not fall back"},
      {"{{#l}}<{{.}}>{{/l}}", R"({"l":["a","b"]})", "<a><b>", "a list of strings with {{.}}"},
      {"{{#l}}{{id}}:{{top}} {{/l}}", R"({"l":[{"id":1},{"id":2,"top":"in"}],"top":"out"})",
       "1:out 2:in ", "list items see outer names; inner names win"},
      {"{{#o}}{{k}}{{/o}}", R"({"o":{"k":"v"}})", "v", "an object section pushes the object"},
      {"{{#s}}[{{.}}]{{/s}}", R"({"s":"text"})", "[text]", "a string section renders once"},
      {"{{#z}}yes{{/z}}{{^z}}no{{/z}}", R"({"z":0})", "yes", "zero is true"},
      {"{{#e}}yes{{/e}}{{^e}}no{{/e}}", R"({"e":""})", "yes", "an empty string is true"},
      {"{{#f}}yes{{/f}}{{^f}}no{{/f}}", R"({"f":false})", "no", "false"},
      {"{{#n}}yes{{/n}}{{^n}}no{{/n}}", R"({"n":null})", "no", "null is false"},
      {"{{#l}}yes{{/l}}{{^l}}no{{/l}}", R"({"l":[]})", "no", "an empty list is false"},
      {"{{^m}}none{{/m}}", R"({})", "none", "a missing name is false"},
      {"{{#a}}{{#b}}{{c}}{{/b}}{{/a}}", R"({"a":{"b":[{"c":1},{"c":2}]}})", "12", "nesting"},
      {"a{{! a comment }}b", R"({})", "ab", "comments vanish"},
      {"<ul>\n  {{#l}}\n  <li>{{.}}</li>\n  {{/l}}\n</ul>\n", R"({"l":["x","y"]})",
       "<ul>\n  <li>x</li>\n  <li>y</li>\n</ul>\n", "standalone section lines are removed"},
      {"a {{#t}}b{{/t}} c\n", R"({"t":true})", "a b c\n", "inline sections keep their line"},
      {"{{#t}}\nx\n{{/t}}", R"({"t":false})", "", "standalone at the end of the source"},
  };
  for (const auto& r : rows) {
    EXPECT_EQ(RenderWith(r.source, r.context), r.expected) << r.comment;
  }
}

TEST(MustacheTest, PartialsSeeTheCallersContext) {
  EXPECT_EQ(RenderWith("{{#l}}{{> _item}}{{/l}}", R"({"l":[{"n":"a"},{"n":"b"}]})",
                       {{"_item", "<{{n}}>"}}),
            "<a><b>");
  EXPECT_EQ(RenderWith("[{{> _none}}]", "{}"), "[]") << "an unknown partial renders nothing";
}

TEST(MustacheTest, FramesLookedUpInnermostFirst) {
  auto outer = boost::json::parse(R"({"a":"outer","b":"outer"})").as_object();
  auto inner = boost::json::parse(R"({"a":"inner"})").as_object();
  std::string out;
  Mustache("{{a}} {{b}}").Render(out, {&outer, &inner}, nullptr);
  EXPECT_EQ(out, "inner outer");
}

TEST(MustacheTest, SelfIncludingPartialStops) {
  std::map<std::string, Mustache, std::less<>> partials;
  partials.emplace("_loop", Mustache("x{{> _loop}}"));
  boost::json::object ctx;
  std::string out;
  auto lookup = [&](std::string_view) -> const Mustache* { return &partials.at("_loop"); };
  EXPECT_THROW(Mustache("{{> _loop}}").Render(out, {&ctx}, lookup), std::runtime_error);
}

TEST(MustacheTest, SyntaxErrorsNameTheLine) {
  const std::vector<std::pair<const char*, const char*>> rows = {
      {"a\n{{#s}}b", "line 2"},          // section never closed (reported at the end)
      {"a\nb {{/s}}", "line 2"},         // close without open
      {"{{#a}}{{/b}}", "line 1"},        // mismatched close
      {"x\n{{name", "line 2"},           // unclosed tag
      {"{{=<% %>=}}", "line 1"},         // delimiter change
      {"{{ }}", "line 1"},               // empty tag
  };
  for (const auto& [src, line] : rows) {
    try {
      Mustache m(src);
      ADD_FAILURE() << "compiled: " << src;
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find(line), std::string::npos) << src << " → " << e.what();
    }
  }
}

// Every page and partial the server ships compiles (the server would refuse to start).
TEST(MustacheTest, EveryShippedTemplateCompiles) {
  namespace fs = std::filesystem;
  fs::path dir = fs::path(PEYVAND_SOURCE_DIR) / "web" / "templates";
  int count = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".mustache") continue;
    std::ifstream in(entry.path());
    std::stringstream ss;
    ss << in.rdbuf();
    EXPECT_NO_THROW(Mustache{ss.str()}) << entry.path();
    ++count;
  }
  EXPECT_GT(count, 20);
}

}  // namespace
}  // namespace peyvand::web
