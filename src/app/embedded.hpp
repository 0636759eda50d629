// Files compiled into the binary (see cmake/Embed.cmake).
#pragma once

#include <vector>

#include "db/migrations.hpp"

namespace peyvand::app {

std::vector<db::Migration> Embedded_sqlite();
std::vector<db::Migration> Embedded_pg();
const char* OpenApiJson();

}  // namespace peyvand::app
