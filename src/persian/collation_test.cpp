#include "persian/collation.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

namespace peyvand::persian {
namespace {

// The Persian alphabet in dictionary order.
const std::vector<std::string> kAlphabet = {"ا", "ب", "پ", "ت", "ث", "ج", "چ", "ح", "خ", "د", "ذ",
                                            "ر", "ز", "ژ", "س", "ش", "ص", "ض", "ط", "ظ", "ع", "غ",
                                            "ف", "ق", "ک", "گ", "ل", "م", "ن", "و", "ه", "ی"};

TEST(CollatorTest, PairsByteOrderGetsWrong) {
  const Collator collator;
  struct Row {
    std::string before;
    std::string after;
    const char* comment;
  };
  const std::vector<Row> rows = {
      {"ب", "پ", "peh after beh"},     {"پ", "ت", "peh before teh (bytes put it after)"},
      {"ج", "چ", "tcheh after jeem"},  {"چ", "ح", "tcheh before hah (bytes put it after)"},
      {"ز", "ژ", "jeh after zain"},    {"ژ", "س", "jeh before seen (bytes put it after)"},
      {"ک", "گ", "gaf after keheh"},   {"گ", "ل", "gaf before lam (bytes put it after)"},
      {"پرویز", "تقی", "whole words"}, {"گلاره", "لیلا", "whole words"},
  };
  for (const Row& row : rows) {
    EXPECT_EQ(collator.Compare(row.before, row.after), -1) << row.comment;
    EXPECT_EQ(collator.Compare(row.after, row.before), 1) << row.comment;
    EXPECT_LT(collator.SortKey(row.before), collator.SortKey(row.after)) << row.comment;
  }
  // Show that the test can fail: byte order disagrees for the letter pairs.
  EXPECT_GT(std::string("پ"), std::string("ت"));
  EXPECT_GT(std::string("گ"), std::string("ل"));
}

TEST(CollatorTest, SortsTheAlphabet) {
  const Collator collator;
  std::vector<std::string> shuffled = kAlphabet;
  std::reverse(shuffled.begin(), shuffled.end());
  std::rotate(shuffled.begin(), shuffled.begin() + 7, shuffled.end());
  collator.Sort(shuffled);
  EXPECT_EQ(shuffled, kAlphabet);
}

TEST(CollatorTest, EqualAndKeysAgreeWithCompare) {
  const Collator collator;
  EXPECT_EQ(collator.Compare("علی", "علی"), 0);
  EXPECT_EQ(collator.Compare("", ""), 0);
  EXPECT_EQ(collator.Compare("", "ا"), -1);
  EXPECT_EQ(collator.Compare("\xFF", "\xFF"), 0) << "ill-formed input does not throw";
  for (const std::string& a : kAlphabet) {
    for (const std::string& b : kAlphabet) {
      const int by_key = collator.SortKey(a) < collator.SortKey(b) ? -1 : (a == b ? 0 : 1);
      EXPECT_EQ(collator.Compare(a, b), by_key) << a << " " << b;
    }
  }
  EXPECT_EQ(collator.SortKey("ب").find('\0'), std::string::npos) << "no trailing NUL";
}

TEST(CollatorTest, SharedAcrossThreads) {
  const Collator collator;
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (std::size_t t = 0; t < failures.size(); ++t) {
    threads.emplace_back([&collator, &failures, t] {
      for (int i = 0; i < 2000; ++i) {
        if (collator.Compare("پ", "ت") != -1) ++failures[t];
        if (collator.SortKey("گ") <= collator.SortKey("ک")) ++failures[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int f : failures) EXPECT_EQ(f, 0);
}

}  // namespace
}  // namespace peyvand::persian
