#include "report/pdf_text.hpp"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <stdexcept>

namespace peyvand::report {
namespace {

constexpr std::string_view kLre = "\u202A", kRle = "\u202B", kPop = "\u202C", kLro = "\u202D",
                           kRlo = "\u202E";

}  // namespace

std::string LogicalText(std::string_view in) {
  std::string out;
  std::size_t i = 0;
  while (i < in.size()) {
    std::string_view rest = in.substr(i);
    if (rest.starts_with(kLre) || rest.starts_with(kLro)) {
      std::size_t end = in.find(kPop, i + 3);
      if (end == std::string_view::npos) end = in.size();
      std::string_view run = in.substr(i + 3, end - i - 3);
      std::size_t lead = run.find_first_not_of(' ');
      if (lead == std::string_view::npos) {
        out += run;
      } else {
        std::size_t trail = run.size() - 1 - run.find_last_not_of(' ');
        // Visually left of the run is logically after it in a right-to-left line, and right of
        // it is before.
        out.append(trail, ' ');
        out += run.substr(lead, run.size() - lead - trail);
        out.append(lead, ' ');
      }
      i = end == in.size() ? end : end + 3;
    } else if (rest.starts_with(kRle) || rest.starts_with(kRlo) || rest.starts_with(kPop)) {
      i += 3;
    } else {
      out += in[i++];
    }
  }
  return out;
}

std::string PdfText(const std::string& pdf, int first, int last) {
  char path[] = "/tmp/peyvand-pdftext-XXXXXX";
  int fd = ::mkstemp(path);
  if (fd < 0) throw std::runtime_error("pdftotext: cannot create a temporary file");
  ::close(fd);
  struct Remove {
    const char* p;
    ~Remove() { std::remove(p); }
  } remove{path};
  std::ofstream(path, std::ios::binary) << pdf;
  std::string cmd = "pdftotext -enc UTF-8";
  if (first > 0) cmd += " -f " + std::to_string(first);
  if (last > 0) cmd += " -l " + std::to_string(last);
  cmd += std::string(" ") + path + " - 2>/dev/null";
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) throw std::runtime_error("pdftotext: cannot run (is poppler-utils installed?)");
  std::string text;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) text.append(buf, n);
  if (::pclose(p) != 0) throw std::runtime_error("pdftotext failed");
  return LogicalText(text);
}

}  // namespace peyvand::report
