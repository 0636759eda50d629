#include "modules/audit/rules.hpp"

#include <sodium.h>

namespace peyvand::audit {
namespace {

// Length-prefixing makes the encoding unambiguous: "a|b" + "c" differs from "a" + "b|c".
void Put(std::string& out, const std::string& field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
}

std::string Opt(const std::optional<std::int64_t>& v) {
  return v ? std::to_string(*v) : "-";
}

}  // namespace

std::string ChainHash(const Entry& e) {
  std::string buf;
  Put(buf, e.prev_hash);
  Put(buf, std::to_string(e.id));
  Put(buf, std::to_string(e.province_id));
  Put(buf, std::to_string(e.at));
  Put(buf, Opt(e.user_id));
  Put(buf, e.username);
  Put(buf, Opt(e.agency_id));
  Put(buf, e.action);
  Put(buf, e.record_type);
  Put(buf, e.record_id);
  Put(buf, e.summary);
  Put(buf, e.request_id);
  Put(buf, e.ip);
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(buf.data()), buf.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

}  // namespace peyvand::audit
