// HTML pages of the pathway: the agency inbox, the collection form, the
// episode timeline with the actions the viewer's duty allows, facilities,
// stays past their legal end, the programme, complaints, and the review
// queue of possible duplicates.
#pragma once

#include "http/router.hpp"
#include "modules/accounts/guard.hpp"
#include "modules/accounts/service.hpp"
#include "modules/pathway/service.hpp"
#include "modules/people/service.hpp"
#include "web/templates.hpp"

namespace peyvand::pathway {

void RegisterPages(http::Router& router, accounts::Guard& guard, PathwayService& pathway,
                   people::PeopleService& people, accounts::DirectoryService& directory,
                   const web::Templates& templates);

// The duties catalogue: /duties, GET /api/v1/duties, POST /programme/duties/{code}
// (duties.cpp); called by RegisterPages.
void RegisterDuties(http::Router& router, accounts::Guard& guard, PathwayService& pathway,
                    accounts::DirectoryService& directory, const web::Templates& templates);

// Persian labels for codes shown on pages.
const char* TaskKindLabel(const std::string& kind);
const char* StageLabel(const std::string& stage);

}  // namespace peyvand::pathway
