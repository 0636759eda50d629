// A PDF's text as a person reads it, through poppler's pdftotext (poppler-utils): for the tests
// and the benchmark, which check that a report says what it should. Not used by the server.
#pragma once

#include <string>
#include <string_view>

namespace peyvand::report {

// pdftotext writes a right-to-left line in logical order, but wraps each left-to-right run in
// it (a number) in LRE … PDF together with the spaces that sit visually beside the run, so a
// space that follows a number comes out before it. This moves those spaces out to their
// logical side and drops the direction controls: «مهر ۱۴۰۵ برای» reads as it was typed.
// Zero-width characters (the ZWNJ) are not in pdftotext's output at all.
std::string LogicalText(std::string_view pdftotext_output);

// The text of pages first..last (0: from the first / to the last), read by pdftotext and
// through LogicalText; throws std::runtime_error if pdftotext cannot be run or fails.
std::string PdfText(const std::string& pdf, int first = 0, int last = 0);

}  // namespace peyvand::report
