// Structured JSON-lines logging (spdlog underneath). Every line carries a
// level, a UTC timestamp and a message; requests add their request id.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace peyvand::http {

using LogFields = std::vector<std::pair<std::string, std::string>>;

// Sets where the application log goes: "-" (stdout, the default) or a file path.
void ConfigureLog(const std::string& target, bool debug);
void LogInfo(std::string_view msg, const LogFields& fields = {});
void LogWarn(std::string_view msg, const LogFields& fields = {});
void LogError(std::string_view msg, const LogFields& fields = {});

}  // namespace peyvand::http
