#include "http/multipart.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace peyvand::http {
namespace {

constexpr const char* kType = "multipart/form-data; boundary=XyZ";

std::string Part(const std::string& headers, const std::string& data) {
  return "--XyZ\r\n" + headers + "\r\n\r\n" + data + "\r\n";
}

TEST(MultipartTest, Boundary) {
  struct Case {
    const char* content_type;  // the request's Content-Type
    const char* boundary;      // expected boundary; nullptr: refused with 400
  } cases[] = {
      {"multipart/form-data; boundary=abc", "abc"},
      {"Multipart/Form-Data;boundary=abc", "abc"},              // case-insensitive type
      {"multipart/form-data; BOUNDARY=abc", "abc"},             // case-insensitive name
      {"multipart/form-data; boundary=\"a b:c\"", "a b:c"},     // quoted, with a space
      {"multipart/form-data; charset=utf-8; boundary=q", "q"},  // other parameters
      {"multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW",
       "----WebKitFormBoundary7MA4YWxkTrZu0gW"},
      {"multipart/form-data", nullptr},                         // no boundary
      {"multipart/form-data; boundary=", nullptr},              // empty
      {"multipart/form-data; boundary=\"\"", nullptr},          // empty, quoted
      {"multipart/form-data; boundary=\"abc", nullptr},         // unterminated quote
      {"multipart/form-data; boundary=\"abc \"", nullptr},      // ends in a space
      {"multipart/form-data; boundary=a;boundary=b", nullptr},  // repeated
      {"multipart/form-data; boundary=\"a<b\"", nullptr},       // not a bchar
      {"multipart/mixed; boundary=abc", nullptr},               // not form-data
      {"application/x-www-form-urlencoded", nullptr},           // not multipart
      {"", nullptr},                                            // nothing
      {"multipart/form-data; boundary=abc junk", nullptr},      // garbage after the value
  };
  for (const auto& c : cases) {
    if (c.boundary) {
      EXPECT_EQ(MultipartBoundary(c.content_type), c.boundary) << c.content_type;
    } else {
      try {
        MultipartBoundary(c.content_type);
        ADD_FAILURE() << "accepted: " << c.content_type;
      } catch (const AppError& e) {
        EXPECT_EQ(e.error().code, ErrorCode::kInvalid) << c.content_type;
        EXPECT_FALSE(e.error().message.empty());
      }
    }
  }
  EXPECT_EQ(MultipartBoundary("multipart/form-data; boundary=" + std::string(70, 'b')),
            std::string(70, 'b'));
  EXPECT_THROW(MultipartBoundary("multipart/form-data; boundary=" + std::string(71, 'b')),
               AppError);
}

TEST(MultipartTest, WellFormedBodies) {
  struct Case {
    const char* comment;   // what the case shows
    std::string body;      // the request body, boundary XyZ
    std::size_t parts;     // parts expected
    std::string name;      // first part's name
    std::string data;      // first part's bytes
    std::string type;      // first part's media type
    const char* filename;  // first part's file name, nullptr if none
  } cases[] = {
      {"one field", Part("Content-Disposition: form-data; name=\"a\"", "1") + "--XyZ--", 1, "a",
       "1", "text/plain", nullptr},
      {"a file with its type",
       Part("Content-Disposition: form-data; name=\"file\"; filename=\"مصوبه.pdf\"\r\n"
            "Content-Type: Application/PDF",
            "%PDF-1.4\r\n\r\n--Xy") +
           "--XyZ--\r\n",
       1, "file", "%PDF-1.4\r\n\r\n--Xy", "application/pdf", "مصوبه.pdf"},
      {"empty file name (no file chosen)",
       Part("Content-Disposition: form-data; name=\"file\"; filename=\"\"", "") + "--XyZ--", 1,
       "file", "", "text/plain", ""},
      {"two parts, header names in any case",
       Part("content-disposition: form-data; name=_csrf", "tok") +
           Part("CONTENT-DISPOSITION: FORM-DATA; NAME=\"b\"", "x") + "--XyZ--",
       2, "_csrf", "tok", "text/plain", nullptr},
      {"escaped quote in a file name",
       Part("Content-Disposition: form-data; name=\"f\"; filename=\"a\\\"b.pdf\"", "z") + "--XyZ--",
       1, "f", "z", "text/plain", "a\"b.pdf"},
      {"transport padding after a delimiter and an epilogue",
       "--XyZ  \r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--XyZ--\r\nepilogue", 1,
       "a", "v", "text/plain", nullptr},
      {"binary data with NUL and CR LF",
       Part("Content-Disposition: form-data; name=\"b\"", std::string("\0\r\n\xff", 4)) + "--XyZ--",
       1, "b", std::string("\0\r\n\xff", 4), "text/plain", nullptr},
      {"unknown headers are ignored",
       Part("Content-Disposition: form-data; name=\"a\"\r\nX-Extra: 1", "v") + "--XyZ--", 1, "a",
       "v", "text/plain", nullptr},
      {"no parts", "--XyZ--", 0, "", "", "", nullptr},
  };
  for (const auto& c : cases) {
    auto parts = ParseMultipart(kType, c.body);
    ASSERT_EQ(parts.size(), c.parts) << c.comment;
    if (parts.empty()) continue;
    EXPECT_EQ(parts[0].name, c.name) << c.comment;
    EXPECT_EQ(std::string(parts[0].data), c.data) << c.comment;
    EXPECT_EQ(parts[0].content_type, c.type) << c.comment;
    EXPECT_EQ(parts[0].filename.has_value(), c.filename != nullptr) << c.comment;
    if (c.filename) {
      EXPECT_EQ(*parts[0].filename, c.filename) << c.comment;
    }
  }
}

TEST(MultipartTest, MalformedBodiesAre400) {
  const std::string cd = "Content-Disposition: form-data; name=\"a\"";
  struct Case {
    const char* comment;  // what is wrong
    std::string body;     // the request body, boundary XyZ
  } cases[] = {
      {"empty body", ""},
      {"preamble before the first delimiter", "hello\r\n" + Part(cd, "v") + "--XyZ--"},
      {"wrong boundary", "--Abc\r\n" + cd + "\r\n\r\nv\r\n--Abc--"},
      {"no close delimiter", Part(cd, "v")},
      {"truncated inside the data", "--XyZ\r\n" + cd + "\r\n\r\nvalue"},
      {"truncated inside the headers", "--XyZ\r\n" + cd},
      {"no CRLF after the delimiter", "--XyZx\r\n" + cd + "\r\n\r\nv\r\n--XyZ--"},
      {"boundary text inside the data", Part(cd, "v\r\n--XyZabc") + "--XyZ--"},
      {"no Content-Disposition", Part("Content-Type: text/plain", "v") + "--XyZ--"},
      {"no headers at all", "--XyZ\r\n\r\nv\r\n--XyZ--"},
      {"disposition not form-data",
       Part("Content-Disposition: attachment; name=\"a\"", "v") + "--XyZ--"},
      {"no name", Part("Content-Disposition: form-data; filename=\"a.pdf\"", "v") + "--XyZ--"},
      {"empty name", Part("Content-Disposition: form-data; name=\"\"", "v") + "--XyZ--"},
      {"name repeated", Part("Content-Disposition: form-data; name=a; name=b", "v") + "--XyZ--"},
      {"two dispositions", Part(cd + "\r\n" + cd, "v") + "--XyZ--"},
      {"unterminated quote", Part("Content-Disposition: form-data; name=\"a", "v") + "--XyZ--"},
      {"header without a colon", Part(cd + "\r\nbroken", "v") + "--XyZ--"},
      {"folded header", Part(cd + "\r\n continued", "v") + "--XyZ--"},
      {"bare LF in a header", Part(cd + "\nX: y", "v") + "--XyZ--"},
      {"control character in a name",
       Part("Content-Disposition: form-data; name=\"a\x01\"", "v") + "--XyZ--"},
      {"ill-formed UTF-8 in a file name",
       Part("Content-Disposition: form-data; name=\"a\"; filename=\"\xc3(\"", "v") + "--XyZ--"},
      {"bad part Content-Type", Part(cd + "\r\nContent-Type: pdf", "v") + "--XyZ--"},
      {"oversized headers",
       Part(cd + "\r\nX-Pad: " + std::string(kMaxPartHeaderBytes, 'p'), "v") + "--XyZ--"},
  };
  for (const auto& c : cases) {
    try {
      ParseMultipart(kType, c.body);
      ADD_FAILURE() << "accepted: " << c.comment;
    } catch (const AppError& e) {
      EXPECT_EQ(e.error().code, ErrorCode::kInvalid) << c.comment;
      EXPECT_NE(e.error().message.find("فرم"), std::string::npos) << c.comment;
    }
  }
  std::string many;
  for (std::size_t i = 0; i <= kMaxMultipartParts; ++i) many += Part(cd, "v");
  EXPECT_THROW(ParseMultipart(kType, many + "--XyZ--"), AppError);
}

TEST(MultipartTest, FormLookup) {
  Request req;
  req.headers.emplace_back("content-type", kType);
  req.body = Part("Content-Disposition: form-data; name=\"_csrf\"", "t0k") +
             Part("Content-Disposition: form-data; name=\"file\"; filename=\"x.pdf\"", "%PDF-") +
             Part("Content-Disposition: form-data; name=\"bad\"", "\xc3(") + "--XyZ--";
  auto form = MultipartForm::Parse(req);
  EXPECT_EQ(form.parts().size(), 3u);
  EXPECT_EQ(form.Field("_csrf"), "t0k");
  EXPECT_EQ(form.Field("file"), std::nullopt);  // a file is not a text field
  ASSERT_NE(form.Find("file"), nullptr);
  EXPECT_EQ(form.Find("file")->data, "%PDF-");
  EXPECT_EQ(form.Find("missing"), nullptr);
  EXPECT_THROW(form.Field("bad"), AppError);
  Request no_type;
  EXPECT_THROW(MultipartForm::Parse(no_type), AppError);
}

}  // namespace
}  // namespace peyvand::http
