#include "report/fonts.hpp"

#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>

#include <filesystem>
#include <fstream>

namespace peyvand::report {
namespace {

constexpr const char* kFiles[] = {"Vazirmatn-Regular.ttf", "Vazirmatn-Bold.ttf"};

std::string Missing(const std::string& path) {
  return "report font missing or unreadable: " + path +
         " (run scripts/vendor-assets, or scripts/setup, and rebuild so the web root carries "
         "static/vendor/fonts/ttf)";
}

}  // namespace

bool Fonts::Present(const std::string& dir, std::string* missing) {
  for (const char* f : kFiles) {
    std::string path = dir + "/" + f;
    std::ifstream in(path, std::ios::binary);
    if (!in || std::filesystem::file_size(path) == 0) {
      if (missing) *missing = path;
      return false;
    }
  }
  return true;
}

std::shared_ptr<Fonts> Fonts::Load(const std::string& dir) {
  std::string missing;
  if (!Present(dir, &missing)) throw FontsMissing(Missing(missing));
  std::shared_ptr<Fonts> fonts(new Fonts());
  // A configuration of our own with nothing in it but these files: no system fonts, no
  // fallback to whatever the machine has.
  fonts->config_ = FcConfigCreate();
  if (!fonts->config_) throw FontsMissing("fontconfig: cannot create a configuration");
  for (const char* f : kFiles) {
    std::string path = dir + "/" + f;
    if (!FcConfigAppFontAddFile(fonts->config_, reinterpret_cast<const FcChar8*>(path.c_str()))) {
      throw FontsMissing(Missing(path));
    }
  }
  FcFontSet* set = FcConfigGetFonts(fonts->config_, FcSetApplication);
  int faces = 0;
  for (int i = 0; set && i < set->nfont; ++i) {
    FcChar8* family = nullptr;
    if (FcPatternGetString(set->fonts[i], FC_FAMILY, 0, &family) == FcResultMatch &&
        std::string(reinterpret_cast<const char*>(family)) == kFontFamily) {
      ++faces;
    }
  }
  if (faces < 2) throw FontsMissing("report fonts in " + dir + " are not Vazirmatn");
  fonts->font_map_ = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
  if (!fonts->font_map_) throw FontsMissing("pango: no FreeType font map");
  pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(fonts->font_map_), fonts->config_);
  return fonts;
}

Fonts::~Fonts() {
  if (font_map_) {
    pango_fc_font_map_shutdown(PANGO_FC_FONT_MAP(font_map_));
    g_object_unref(font_map_);
  }
  if (config_) FcConfigDestroy(config_);
}

}  // namespace peyvand::report

#if defined(__SANITIZE_ADDRESS__)
// fontconfig 2.14 leaks the character sets of the faces it reads for FcConfigAppFontAddFile
// (a few KiB per Fonts::Load, once per process) and a little of the system configuration that
// cairo loads; they are not ours to free, and LeakSanitizer would fail every test that draws a
// report. Built into the binaries that link this file, so no LSAN_OPTIONS are needed.
extern "C" const char* __lsan_default_suppressions() {  // NOLINT(bugprone-reserved-identifier)
  return "leak:libfontconfig.so\n";
}
#endif
