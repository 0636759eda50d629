// The notifications page (/notifications), the unread badge in every page's header, and the
// JSON endpoints under /api/v1/notifications. Each user sees and marks only their own.
#pragma once

#include "http/router.hpp"
#include "modules/accounts/guard.hpp"
#include "modules/notifications/service.hpp"
#include "web/templates.hpp"

namespace peyvand::notifications {

void Register(http::Router& router, accounts::Guard& guard, NotificationService& svc,
              const web::Templates& templates);

}  // namespace peyvand::notifications
