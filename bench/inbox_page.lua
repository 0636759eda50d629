-- GET /inbox: an agency's queue page (HTML, signed in with a session cookie), cycling through
-- the views (new, due today, overdue, all open) and the first pages of each.
dofile(os.getenv("BENCH_DIR") .. "/report.lua")
local views = {"open", "overdue", "new", "today"}
local n = 0
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
request = function()
  n = n + 1
  local path = string.format("/inbox?view=%s&page=%d", views[n % #views + 1], n % 5 + 1)
  return wrk.format("GET", path)
end
