#include "persian/collation.hpp"

#include <unicode/coll.h>
#include <unicode/locid.h>
#include <unicode/stringpiece.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cstdint>
#include <mutex>
#include <stdexcept>
#include <utility>

namespace peyvand::persian {

struct Collator::Impl {
  std::mutex mutex;
  std::unique_ptr<icu::Collator> collator;
};

Collator::Collator() : impl_(std::make_unique<Impl>()) {
  UErrorCode status = U_ZERO_ERROR;
  impl_->collator.reset(icu::Collator::createInstance(icu::Locale("fa"), status));
  if (U_FAILURE(status) || impl_->collator == nullptr) {
    throw std::runtime_error("ICU collator for locale fa unavailable");
  }
  // Text is usually NFC already, but names typed elsewhere may not be; the
  // cost of checking is small.
  impl_->collator->setAttribute(UCOL_NORMALIZATION_MODE, UCOL_ON, status);
  if (U_FAILURE(status)) throw std::runtime_error("ICU collator attribute failed");
}

Collator::~Collator() = default;

int Collator::Compare(std::string_view a, std::string_view b) const {
  UErrorCode status = U_ZERO_ERROR;
  UCollationResult result = UCOL_EQUAL;
  {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    result = impl_->collator->compareUTF8(
        icu::StringPiece(a.data(), static_cast<int32_t>(a.size())),
        icu::StringPiece(b.data(), static_cast<int32_t>(b.size())), status);
  }
  if (U_FAILURE(status)) throw std::runtime_error("ICU compare failed");
  return result == UCOL_LESS ? -1 : (result == UCOL_GREATER ? 1 : 0);
}

std::string Collator::SortKey(std::string_view text) const {
  const icu::UnicodeString unicode = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  std::string key(64, '\0');
  std::lock_guard<std::mutex> lock(impl_->mutex);
  for (;;) {
    // getSortKey returns the full length needed (with the NUL) even when the
    // buffer was too small, so at most one retry.
    const int32_t needed = impl_->collator->getSortKey(
        unicode, reinterpret_cast<uint8_t*>(key.data()), static_cast<int32_t>(key.size()));
    if (needed <= 0) throw std::runtime_error("ICU sort key failed");
    if (static_cast<std::size_t>(needed) <= key.size()) {
      key.resize(static_cast<std::size_t>(needed) - 1);
      return key;
    }
    key.assign(static_cast<std::size_t>(needed), '\0');
  }
}

void Collator::Sort(std::vector<std::string>& items) const {
  std::vector<std::pair<std::string, std::string>> keyed;
  keyed.reserve(items.size());
  for (std::string& item : items) keyed.emplace_back(SortKey(item), std::move(item));
  std::stable_sort(keyed.begin(), keyed.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });
  for (std::size_t i = 0; i < items.size(); ++i) items[i] = std::move(keyed[i].second);
}

}  // namespace peyvand::persian
