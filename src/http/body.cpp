#include "http/body.hpp"

#include <boost/json.hpp>
#include <boost/url/parse_query.hpp>
#include <boost/url/url.hpp>

#include <charconv>

#include "core/error.hpp"
#include "core/utf8.hpp"

namespace peyvand::http {
namespace {

[[noreturn]] void FieldFail(std::string_view field, std::string message) {
  Fail(ErrorCode::kInvalid, "برخی از مقادیر ورودی نامعتبر است.",
       {{std::string(field), std::move(message)}});
}

}  // namespace

boost::json::object JsonBody(const Request& req) {
  auto ct = req.Header("content-type");
  if (!ct || ct->find("application/json") == std::string_view::npos) {
    Fail(ErrorCode::kInvalid, "بدنهٔ درخواست باید JSON باشد (Content-Type: application/json).");
  }
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(req.body, ec);
  if (ec) Fail(ErrorCode::kInvalid, "JSON ارسال‌شده خوش‌ساخت نیست.");
  if (!v.is_object()) Fail(ErrorCode::kInvalid, "بدنهٔ درخواست باید یک شیء JSON باشد.");
  return std::move(v.as_object());
}

Form Form::Parse(const Request& req) {
  Form f;
  auto ct = req.Header("content-type");
  if (!ct || ct->find("application/x-www-form-urlencoded") == std::string_view::npos) {
    Fail(ErrorCode::kInvalid, "فرم ارسال‌شده نامعتبر است.");
  }
  auto params = boost::urls::parse_query(req.body);
  if (!params) Fail(ErrorCode::kInvalid, "فرم ارسال‌شده خوش‌ساخت نیست.");
  // Form encoding: percent-escapes, and '+' for a space.
  boost::urls::encoding_opts opts;
  opts.space_as_plus = true;
  for (auto p : *params) {
    f.fields_.emplace_back(p.key.decode(opts), p.has_value ? p.value.decode(opts) : std::string());
    if (!IsValidUtf8(f.fields_.back().first) || !IsValidUtf8(f.fields_.back().second)) {
      Fail(ErrorCode::kInvalid,
           "فرم ارسال‌شده متن نامعتبر (UTF-8 خراب) دارد.");
    }
  }
  return f;
}

std::optional<std::string> Form::Get(std::string_view name) const {
  for (const auto& [k, v] : fields_) {
    if (k == name) return v;
  }
  return std::nullopt;
}

std::string Form::GetOr(std::string_view name, const std::string& fallback) const {
  auto v = Get(name);
  return v ? *v : fallback;
}

std::vector<std::string> Form::GetAll(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : fields_) {
    if (k == name) out.push_back(v);
  }
  return out;
}

std::optional<std::string> OptionalString(const boost::json::object& o, std::string_view field,
                                          std::size_t max_len) {
  auto it = o.find(field);
  if (it == o.end() || it->value().is_null()) return std::nullopt;
  if (!it->value().is_string()) FieldFail(field, "این مقدار باید متن باشد.");
  const auto& s = it->value().as_string();
  if (s.size() > max_len) FieldFail(field, "این مقدار بیش از حد طولانی است.");
  return std::string(s);
}

std::string RequiredString(const boost::json::object& o, std::string_view field,
                           std::size_t max_len) {
  auto v = OptionalString(o, field, max_len);
  if (!v || v->empty()) FieldFail(field, "این مقدار الزامی است.");
  return *v;
}

std::optional<std::int64_t> OptionalInt(const boost::json::object& o, std::string_view field) {
  auto it = o.find(field);
  if (it == o.end() || it->value().is_null()) return std::nullopt;
  const auto& v = it->value();
  if (v.is_int64()) return v.as_int64();
  if (v.is_uint64() && v.as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    return static_cast<std::int64_t>(v.as_uint64());
  }
  FieldFail(field, "این مقدار باید عدد صحیح باشد.");
}

std::optional<bool> OptionalBool(const boost::json::object& o, std::string_view field) {
  auto it = o.find(field);
  if (it == o.end() || it->value().is_null()) return std::nullopt;
  if (!it->value().is_bool()) FieldFail(field, "این مقدار باید true یا false باشد.");
  return it->value().as_bool();
}

std::vector<std::string> StringArray(const boost::json::object& o, std::string_view field) {
  std::vector<std::string> out;
  auto it = o.find(field);
  if (it == o.end() || it->value().is_null()) return out;
  if (!it->value().is_array())
    FieldFail(field, "این مقدار باید فهرستی از متن‌ها باشد.");
  for (const auto& e : it->value().as_array()) {
    if (!e.is_string())
      FieldFail(field, "این مقدار باید فهرستی از متن‌ها باشد.");
    out.emplace_back(e.as_string());
  }
  return out;
}

std::int64_t IdParam(const Request& req, std::string_view name) {
  std::string s = req.PathParam(name);
  std::int64_t id = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
  if (ec != std::errc() || p != s.data() + s.size() || id <= 0) {
    Fail(ErrorCode::kNotFound, "رکورد مورد نظر پیدا نشد.");
  }
  return id;
}

namespace {

std::optional<std::int64_t> ParseIntField(const std::optional<std::string>& v,
                                          std::string_view name, const char* message) {
  if (!v || v->empty()) return std::nullopt;
  std::int64_t out = 0;
  const char* end = v->data() + v->size();
  auto [p, ec] = std::from_chars(v->data(), end, out);
  if (ec != std::errc() || p != end) {
    Fail(ErrorCode::kInvalid, message, {{std::string(name), "باید عدد باشد."}});
  }
  return out;
}

}  // namespace

std::optional<std::int64_t> QueryInt(const Request& req, std::string_view name) {
  return ParseIntField(req.Query(name), name,
                       "پارامتر جست‌وجو نامعتبر است.");
}

std::string QueryString(const std::vector<std::pair<std::string, std::string>>& params) {
  boost::urls::url u;
  for (const auto& [k, v] : params) u.params().append({k, v});
  return std::string(u.encoded_query());
}

std::optional<std::int64_t> Form::GetInt(std::string_view name) const {
  return ParseIntField(Get(name), name, "برخی از مقادیر ورودی نامعتبر است.");
}

}  // namespace peyvand::http
