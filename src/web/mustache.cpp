#include "web/mustache.hpp"

#include <boost/json.hpp>

#include <stdexcept>

namespace peyvand::web {
namespace json = boost::json;

namespace {

bool IsBlank(char c) {
  return c == ' ' || c == '\t' || c == '\r';
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsBlank(s.front())) s.remove_prefix(1);
  while (!s.empty() && (IsBlank(s.back()) || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

std::vector<std::string> SplitPath(std::string_view name) {
  std::vector<std::string> out;
  if (name == ".") return out;
  std::size_t start = 0;
  while (true) {
    std::size_t dot = name.find('.', start);
    out.emplace_back(name.substr(start, dot == std::string_view::npos ? name.npos : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return out;
}

[[noreturn]] void SyntaxError(std::string_view src, std::size_t pos, const std::string& what) {
  std::size_t line = 1;
  for (std::size_t i = 0; i < pos && i < src.size(); ++i) line += src[i] == '\n' ? 1 : 0;
  throw std::runtime_error("mustache, line " + std::to_string(line) + ": " + what);
}

bool Truthy(const json::value* v) {
  if (!v || v->is_null()) return false;
  if (v->is_bool()) return v->get_bool();
  if (v->is_array()) return !v->get_array().empty();
  return true;
}

}  // namespace

void AppendEscaped(std::string& out, std::string_view s) {
  for (char ch : s) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += ch;
    }
  }
}

Mustache::Mustache(std::string_view src) {
  std::vector<std::pair<std::size_t, std::string>> open;  // node index, name
  std::size_t pos = 0;
  std::string text;
  auto flush = [&] {
    if (!text.empty()) nodes_.push_back(Node{Kind::kText, std::move(text), {}, 0});
    text.clear();
  };
  while (pos < src.size()) {
    std::size_t tag = src.find("{{", pos);
    if (tag == std::string_view::npos) {
      text.append(src.substr(pos));
      break;
    }
    bool triple = src.compare(tag, 3, "{{{") == 0;
    std::size_t body = tag + (triple ? 3 : 2);
    std::size_t close = src.find(triple ? "}}}" : "}}", body);
    if (close == std::string_view::npos) SyntaxError(src, tag, "unclosed tag");
    std::size_t after = close + (triple ? 3 : 2);
    std::string_view inner = src.substr(body, close - body);
    char sigil = triple ? '{' : (inner.empty() ? '\0' : inner.front());
    if (sigil == '#' || sigil == '^' || sigil == '/' || sigil == '>' || sigil == '!' ||
        sigil == '&' || sigil == '=') {
      inner.remove_prefix(1);
    } else if (!triple) {
      sigil = '\0';
    }
    std::string_view name = Trim(inner);
    if (sigil == '=') SyntaxError(src, tag, "delimiter changes are not supported");
    if (sigil != '!' && name.empty()) SyntaxError(src, tag, "empty tag");

    // A section, close, partial or comment tag alone on its line takes the line with it.
    std::size_t line_start = tag;
    while (line_start > 0 && src[line_start - 1] != '\n') --line_start;
    bool standalone_kind = sigil == '#' || sigil == '^' || sigil == '/' || sigil == '>' ||
                           sigil == '!';
    bool blank_before = true;
    for (std::size_t i = line_start; i < tag; ++i) blank_before = blank_before && IsBlank(src[i]);
    std::size_t line_end = after;
    while (line_end < src.size() && IsBlank(src[line_end])) ++line_end;
    bool blank_after = line_end == src.size() || src[line_end] == '\n';
    bool standalone = standalone_kind && blank_before && blank_after;

    text.append(src.substr(pos, (standalone ? line_start : tag) - pos));
    pos = standalone ? (line_end == src.size() ? line_end : line_end + 1) : after;

    switch (sigil) {
      case '!': break;
      case '#':
      case '^':
        flush();
        open.emplace_back(nodes_.size(), std::string(name));
        nodes_.push_back(Node{sigil == '#' ? Kind::kSection : Kind::kInverted, {}, SplitPath(name),
                              0});
        break;
      case '/':
        flush();
        if (open.empty() || open.back().second != name) {
          SyntaxError(src, tag, "{{/" + std::string(name) + "}} closes no open section");
        }
        nodes_[open.back().first].end = nodes_.size();
        open.pop_back();
        break;
      case '>':
        flush();
        nodes_.push_back(Node{Kind::kPartial, std::string(name), {}, 0});
        break;
      default:
        flush();
        nodes_.push_back(Node{sigil == '\0' ? Kind::kEscaped : Kind::kRaw, {}, SplitPath(name), 0});
    }
  }
  flush();
  if (!open.empty()) SyntaxError(src, src.size(), "section " + open.back().second + " not closed");
}

// One rendering: the context stack and the output.
struct Mustache::Renderer {
  struct Scope {
    const json::object* obj = nullptr;  // an object scope (a frame, or a value that is one)
    const json::value* val = nullptr;   // the value itself, for {{.}}
  };
  std::string& out;
  const PartialLookup& partials;
  std::vector<Scope> stack;
  int depth = 0;

  const json::value* Find(const std::vector<std::string>& path) const {
    if (path.empty()) return stack.empty() ? nullptr : stack.back().val;
    const json::value* v = nullptr;
    for (auto it = stack.rbegin(); it != stack.rend() && !v; ++it) {
      if (it->obj) v = it->obj->if_contains(path.front());
    }
    for (std::size_t i = 1; v && i < path.size(); ++i) {
      const json::object* o = v->if_object();
      v = o ? o->if_contains(path[i]) : nullptr;
    }
    return v;
  }

  void Print(const json::value* v, bool escape) {
    if (!v) return;
    switch (v->kind()) {
      case json::kind::string:
        if (escape) {
          AppendEscaped(out, v->get_string());
        } else {
          out.append(v->get_string());
        }
        break;
      case json::kind::int64: out += std::to_string(v->get_int64()); break;
      case json::kind::uint64: out += std::to_string(v->get_uint64()); break;
      case json::kind::double_: out += std::to_string(v->get_double()); break;
      default: break;
    }
  }

  void Push(const json::value& v) { stack.push_back(Scope{v.if_object(), &v}); }

  void Walk(const Mustache& m, std::size_t from, std::size_t to) {
    if (++depth > kMaxDepth) throw std::runtime_error("mustache: nesting deeper than kMaxDepth");
    for (std::size_t i = from; i < to; ++i) {
      const Node& n = m.nodes_[i];
      switch (n.kind) {
        case Kind::kText: out += n.text; break;
        case Kind::kEscaped: Print(Find(n.path), true); break;
        case Kind::kRaw: Print(Find(n.path), false); break;
        case Kind::kSection: {
          const json::value* v = Find(n.path);
          if (Truthy(v)) {
            if (const json::array* list = v->if_array()) {
              for (const auto& item : *list) {
                Push(item);
                Walk(m, i + 1, n.end);
                stack.pop_back();
              }
            } else {
              Push(*v);
              Walk(m, i + 1, n.end);
              stack.pop_back();
            }
          }
          i = n.end - 1;
          break;
        }
        case Kind::kInverted:
          if (!Truthy(Find(n.path))) Walk(m, i + 1, n.end);
          i = n.end - 1;
          break;
        case Kind::kPartial:
          if (const Mustache* p = partials ? partials(n.text) : nullptr) {
            Walk(*p, 0, p->nodes_.size());
          }
          break;
      }
    }
    --depth;
  }
};

void Mustache::Render(std::string& out, const std::vector<const json::object*>& frames,
                      const PartialLookup& partials) const {
  Renderer r{out, partials, {}, 0};
  r.stack.reserve(frames.size() + 8);
  for (const json::object* f : frames) r.stack.push_back(Renderer::Scope{f, nullptr});
  r.Walk(*this, 0, nodes_.size());
}

}  // namespace peyvand::web
