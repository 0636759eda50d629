// The hash chain: each entry's hash covers its fields and the previous hash,
// so editing, deleting or reordering any entry breaks every later link.
#pragma once

#include <string>

#include "modules/audit/model.hpp"

namespace peyvand::audit {

constexpr const char* kGenesisHash = "genesis";

// Hex SHA-256 over a length-prefixed encoding of the entry's fields and prev_hash.
std::string ChainHash(const Entry& e);

}  // namespace peyvand::audit
