// Demo council resolutions for `peyvand seed --demo` (seed_funding.cpp).
#pragma once

#include "app/app.hpp"

namespace peyvand::app {

// Four resolutions of the province's councils with clauses, their agencies' tasks and credit
// at several stages (some clauses short of funding). Idempotent: a resolution already there
// (same council and number) only gets the clauses it lacks.
void SeedDemoFunding(Services& services);

}  // namespace peyvand::app
