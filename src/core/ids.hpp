// Strong ids: a PersonId cannot be passed where an AgencyId is expected.
#pragma once

#include <cstdint>
#include <functional>

namespace peyvand {

template <class Tag>
struct StrongId {
  std::int64_t value = 0;
  constexpr StrongId() = default;
  constexpr explicit StrongId(std::int64_t v) : value(v) {}
  constexpr bool valid() const { return value > 0; }
  friend constexpr bool operator==(StrongId a, StrongId b) { return a.value == b.value; }
  friend constexpr auto operator<=>(StrongId a, StrongId b) { return a.value <=> b.value; }
};

using ProvinceId = StrongId<struct ProvinceTag>;
using CountyId = StrongId<struct CountyTag>;
using AgencyId = StrongId<struct AgencyTag>;
using UnitId = StrongId<struct UnitTag>;
using UserId = StrongId<struct UserTag>;
using AuditId = StrongId<struct AuditTag>;

}  // namespace peyvand

template <class Tag>
struct std::hash<peyvand::StrongId<Tag>> {
  std::size_t operator()(peyvand::StrongId<Tag> id) const noexcept {
    return std::hash<std::int64_t>{}(id.value);
  }
};
