// A compiled mustache template rendered straight from Boost.JSON values.
//
// Why not kainjow's library (which the pages used first): it renders from its own data type, so
// every page converted its whole JSON context into a copy first, and it re-parsed every partial
// on every use; on the episode page that was about a third of the CPU. This one compiles each
// template once at start-up (a syntax error stops the server there, not on a user's request) and
// reads the page's JSON where it is.
//
// Supported: {{name}} (HTML-escaped), {{{name}}} and {{& name}} (raw), dotted names (a.b.c) and
// {{.}}, sections {{#name}}…{{/name}} over lists, objects and other truthy values, inverted
// sections {{^name}}…{{/name}}, partials {{> name}}, comments {{! …}}, and standalone-tag line
// removal. Not supported (a compile error): lambdas and {{=<% %>=}} delimiter changes.
//
// Values follow what the pages were written against: false, null, a missing name and an empty
// list are false; every other value (0 and "" included) is true. Strings and numbers print;
// booleans, objects, lists and null print nothing.
#pragma once

#include <boost/json/fwd.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace peyvand::web {

class Mustache {
 public:
  // Looks a partial up by name; nullptr when there is none (it then renders as nothing).
  using PartialLookup = std::function<const Mustache*(std::string_view)>;

  // Compiles source; throws std::runtime_error naming the line of a syntax error.
  explicit Mustache(std::string_view source);

  // Appends the rendering to out. The context is the objects in `frames`, innermost last:
  // a name is looked up from the innermost frame outwards.
  void Render(std::string& out, const std::vector<const boost::json::object*>& frames,
              const PartialLookup& partials) const;

  // Nesting limit for sections and partials, so a partial that includes itself stops.
  static constexpr int kMaxDepth = 64;

 private:
  enum class Kind { kText, kEscaped, kRaw, kSection, kInverted, kPartial };
  struct Node {
    Kind kind = Kind::kText;
    std::string text;                 // literal text, or a partial's name
    std::vector<std::string> path;    // a name split at its dots; empty for "."
    std::size_t end = 0;              // sections: index of the node after the section
  };
  struct Renderer;

  std::vector<Node> nodes_;
};

// HTML-escapes & < > " ' (as kainjow did, so pages are byte-for-byte the same).
void AppendEscaped(std::string& out, std::string_view s);

}  // namespace peyvand::web
