// The auditor's view of the audit log: filters, paging, JSON and HTML.
#pragma once

#include "http/router.hpp"
#include "modules/accounts/guard.hpp"
#include "modules/audit/service.hpp"
#include "web/templates.hpp"

namespace peyvand::audit_view {

void Register(http::Router& router, accounts::Guard& guard, audit::AuditService& audit,
              const web::Templates& templates);

}  // namespace peyvand::audit_view
