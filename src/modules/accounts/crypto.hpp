// libsodium wrappers: argon2id password hashes, random tokens, SHA-256.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace peyvand::accounts {

struct HashCost {
  unsigned long long ops = 2;           // argon2id iterations (sodium "interactive")
  std::size_t mem_bytes = 64ull << 20;  // 64 MiB
};

std::string HashPassword(std::string_view password, const HashCost& cost);
bool VerifyPassword(std::string_view stored_hash, std::string_view password);
std::string RandomToken(std::size_t bytes = 32);  // URL-safe base64, no padding
std::string Sha256Hex(std::string_view data);
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace peyvand::accounts
