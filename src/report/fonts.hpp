// The fonts of the PDF reports: Vazirmatn Regular and Bold, read from the web root's
// static/vendor/fonts/ttf (kFontFolder) (copied there by scripts/vendor-assets), registered in a
// fontconfig configuration of our own and used through a pango font map built on it. The system's
// fonts are never consulted, so a report looks the same on every machine.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>

// The C libraries' own type names (declared by fontconfig and pango), so this header needs
// neither.
struct _FcConfig;
struct _PangoFontMap;

namespace peyvand::report {

// The folder under a web root's static/ that holds the report fonts.
inline constexpr const char* kFontFolder = "vendor/fonts/ttf";
inline constexpr const char* kFontFamily = "Vazirmatn";

// A font file is missing or unreadable; what() names the file and how to get it.
class FontsMissing : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Fonts {
 public:
  // Loads <dir>/Vazirmatn-Regular.ttf and <dir>/Vazirmatn-Bold.ttf; throws FontsMissing.
  static std::shared_ptr<Fonts> Load(const std::string& dir);
  // Whether both files are there (a cheap check for start-up).
  static bool Present(const std::string& dir, std::string* missing = nullptr);
  ~Fonts();
  Fonts(const Fonts&) = delete;
  Fonts& operator=(const Fonts&) = delete;

  // The pango font map, for the drawing code. Pango objects are not shared between threads:
  // use one Fonts per thread that renders.
  _PangoFontMap* font_map() const { return font_map_; }

 private:
  Fonts() = default;
  _FcConfig* config_ = nullptr;
  _PangoFontMap* font_map_ = nullptr;
};

}  // namespace peyvand::report
