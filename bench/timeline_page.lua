-- GET /episodes/{id}: the episode timeline page (HTML) as a provincial coordinator sees it, for
-- episodes spread over the whole table. Every view is an audited read.
dofile(os.getenv("BENCH_DIR") .. "/report.lua")
local max_id = tonumber(os.getenv("BENCH_MAX_EPISODE"))
local n = 0
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
request = function()
  n = n + 1
  -- A fixed stride through the ids (coprime with any realistic count): no hot cache of one page.
  local id = (n * 7919) % max_id + 1
  return wrk.format("GET", "/episodes/" .. id)
end
