#include "http/multipart.hpp"

#include <algorithm>
#include <cctype>

#include "core/error.hpp"
#include "core/utf8.hpp"

namespace peyvand::http {
namespace {

constexpr const char* kNotMultipart = "نوع محتوای درخواست باید multipart/form-data باشد.";
constexpr const char* kBadBoundary =
    "مرز (boundary) فرم چندبخشی در Content-Type نیامده یا نامعتبر است.";

[[noreturn]] void Malformed(const char* detail) {
  Fail(ErrorCode::kInvalid,
       std::string("فرم چندبخشی ارسال‌شده خوش‌ساخت نیست: ") +
           detail);
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool IsOws(char c) {
  return c == ' ' || c == '\t';
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsOws(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsOws(s.back())) s.remove_suffix(1);
  return s;
}

// RFC 9110 token characters.
bool IsTokenChar(char c) {
  if (std::isalnum(static_cast<unsigned char>(c))) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// RFC 2046 bchars; a space is allowed, but not as the last character.
bool IsBoundaryChar(char c) {
  if (std::isalnum(static_cast<unsigned char>(c))) return true;
  return std::string_view("'()+_,-./:=? ").find(c) != std::string_view::npos;
}

using Params = std::vector<std::pair<std::string, std::string>>;

// `; name=value` pairs after a media type or disposition type; values are tokens or quoted
// strings (with backslash escapes). Names are lower-cased; a repeated name is malformed.
// `fail` is called (and must not return) on any error.
template <class F>
Params ParseParams(std::string_view s, F&& fail) {
  Params out;
  std::size_t i = 0;
  auto skip_ows = [&] {
    while (i < s.size() && IsOws(s[i])) ++i;
  };
  for (;;) {
    skip_ows();
    if (i == s.size()) return out;
    if (s[i] != ';') fail();
    ++i;
    skip_ows();
    if (i == s.size()) return out;  // a trailing ';' is tolerated, as browsers never send one
    std::size_t start = i;
    while (i < s.size() && IsTokenChar(s[i])) ++i;
    if (i == start) fail();
    std::string name = Lower(s.substr(start, i - start));
    skip_ows();
    if (i == s.size() || s[i] != '=') fail();
    ++i;
    skip_ows();
    std::string value;
    if (i < s.size() && s[i] == '"') {
      ++i;
      bool closed = false;
      while (i < s.size()) {
        char c = s[i++];
        if (c == '"') {
          closed = true;
          break;
        }
        if (c == '\\') {
          if (i == s.size()) fail();
          c = s[i++];
        }
        value.push_back(c);
      }
      if (!closed) fail();
    } else {
      std::size_t vstart = i;
      while (i < s.size() && IsTokenChar(s[i])) ++i;
      if (i == vstart) fail();
      value = std::string(s.substr(vstart, i - vstart));
    }
    for (const auto& [n, v] : out) {
      if (n == name) fail();
    }
    out.emplace_back(std::move(name), std::move(value));
  }
}

const std::string* FindParam(const Params& params, std::string_view name) {
  for (const auto& [n, v] : params) {
    if (n == name) return &v;
  }
  return nullptr;
}

// Names and file names become text on pages and in the audit log: valid UTF-8, no controls.
bool IsCleanText(std::string_view s) {
  if (!IsValidUtf8(s)) return false;
  return std::none_of(s.begin(), s.end(),
                      [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

struct PartHeaders {
  bool disposition = false;
  std::string name;
  std::optional<std::string> filename;
  std::string content_type = "text/plain";
};

void ParseHeaderLine(std::string_view line, PartHeaders& h) {
  if (line.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos) {
    Malformed("سرآیند بخش نویسهٔ نامعتبر دارد.");
  }
  if (IsOws(line.front())) Malformed("سرآیند چندخطی پذیرفته نیست.");
  auto colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) Malformed("سرآیند بخش نامعتبر است.");
  std::string_view raw_name = line.substr(0, colon);
  if (!std::all_of(raw_name.begin(), raw_name.end(), IsTokenChar)) {
    Malformed("نام سرآیند بخش نامعتبر است.");
  }
  std::string name = Lower(raw_name);
  std::string_view value = Trim(line.substr(colon + 1));
  auto bad_value = [] { Malformed("مقدار سرآیند بخش نامعتبر است."); };
  if (name == "content-disposition") {
    if (h.disposition) Malformed("یک بخش دو Content-Disposition دارد.");
    h.disposition = true;
    auto semi = value.find(';');
    std::string type = Lower(Trim(value.substr(0, semi)));
    if (type != "form-data") Malformed("نوع Content-Disposition بخش باید form-data باشد.");
    auto params = ParseParams(
        semi == std::string_view::npos ? std::string_view() : value.substr(semi), bad_value);
    const std::string* n = FindParam(params, "name");
    if (!n || n->empty()) Malformed("بخشی نام ندارد.");
    if (!IsCleanText(*n)) Malformed("نام بخش متن نامعتبر دارد.");
    h.name = *n;
    if (const std::string* f = FindParam(params, "filename")) {
      if (!IsCleanText(*f)) Malformed("نام فایل متن نامعتبر دارد.");
      h.filename = *f;
    }
  } else if (name == "content-type") {
    auto semi = value.find(';');
    std::string type = Lower(Trim(value.substr(0, semi)));
    auto slash = type.find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == type.size() ||
        !std::all_of(type.begin(), type.end(), [](char c) { return c == '/' || IsTokenChar(c); })) {
      Malformed("Content-Type بخش نامعتبر است.");
    }
    if (semi != std::string_view::npos) ParseParams(value.substr(semi), bad_value);
    h.content_type = type;
  }
  // Other headers (Content-Transfer-Encoding is deprecated by RFC 7578) are ignored.
}

}  // namespace

std::string MultipartBoundary(std::string_view content_type) {
  auto semi = content_type.find(';');
  if (Lower(Trim(content_type.substr(0, semi))) != "multipart/form-data") {
    Fail(ErrorCode::kInvalid, kNotMultipart);
  }
  if (semi == std::string_view::npos) Fail(ErrorCode::kInvalid, kBadBoundary);
  auto params =
      ParseParams(content_type.substr(semi), [] { Fail(ErrorCode::kInvalid, kBadBoundary); });
  const std::string* b = FindParam(params, "boundary");
  if (!b || b->empty() || b->size() > kMaxBoundaryLength || b->back() == ' ' ||
      !std::all_of(b->begin(), b->end(), IsBoundaryChar)) {
    Fail(ErrorCode::kInvalid, kBadBoundary);
  }
  return *b;
}

std::vector<MultipartPart> ParseMultipart(std::string_view content_type, std::string_view body) {
  const std::string boundary = MultipartBoundary(content_type);
  const std::string first = "--" + boundary;
  const std::string delimiter = "\r\n--" + boundary;
  if (body.substr(0, first.size()) != first) Malformed("آغاز بدنه با مرز فرم نیست.");
  std::size_t pos = first.size();
  std::vector<MultipartPart> parts;
  for (;;) {
    // Just past a delimiter: "--" closes the body (the epilogue after it is ignored);
    // otherwise optional transport padding and CRLF open the next part.
    if (body.substr(pos, 2) == "--") return parts;
    while (pos < body.size() && IsOws(body[pos])) ++pos;
    if (body.substr(pos, 2) != "\r\n") Malformed("پس از مرز فرم باید خط تازه بیاید.");
    pos += 2;
    if (parts.size() == kMaxMultipartParts)
      Malformed("تعداد بخش‌های فرم بیش از حد است.");

    PartHeaders h;
    const std::size_t headers_start = pos;
    for (;;) {
      auto end = body.find("\r\n", pos);
      if (end == std::string_view::npos || end - headers_start > kMaxPartHeaderBytes) {
        Malformed(end == std::string_view::npos ? "سرآیندهای بخش پایان ندارد."
                                                : "سرآیندهای بخش بیش از حد بزرگ است.");
      }
      std::string_view line = body.substr(pos, end - pos);
      pos = end + 2;
      if (line.empty()) break;
      ParseHeaderLine(line, h);
    }
    if (!h.disposition) Malformed("بخشی Content-Disposition ندارد.");

    auto end = body.find(delimiter, pos);
    if (end == std::string_view::npos) Malformed("پایان فرم (مرز پایانی) پیدا نشد.");
    MultipartPart part;
    part.name = std::move(h.name);
    part.filename = std::move(h.filename);
    part.content_type = std::move(h.content_type);
    part.data = body.substr(pos, end - pos);
    parts.push_back(std::move(part));
    pos = end + delimiter.size();
  }
}

MultipartForm MultipartForm::Parse(const Request& req) {
  auto ct = req.Header("content-type");
  if (!ct) Fail(ErrorCode::kInvalid, kNotMultipart);
  MultipartForm form;
  form.parts_ = ParseMultipart(*ct, req.body);
  return form;
}

const MultipartPart* MultipartForm::Find(std::string_view name) const {
  for (const auto& p : parts_) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

std::optional<std::string> MultipartForm::Field(std::string_view name) const {
  const MultipartPart* p = Find(name);
  if (!p || p->filename) return std::nullopt;
  if (!IsValidUtf8(p->data)) {
    Fail(ErrorCode::kInvalid, "برخی از مقادیر ورودی نامعتبر است.",
         {{std::string(name), "متن نامعتبر (UTF-8 خراب) دارد."}});
  }
  return std::string(p->data);
}

}  // namespace peyvand::http
