-- GET /dashboard: the coordinator's dashboard (HTML) for periods of Jalali months ending with the
-- last whole month (BENCH_LAST_MONTH, e.g. 1405/08), for a county or the whole province, cycling
-- through filters so that no single page is cached anywhere.
dofile(os.getenv("BENCH_DIR") .. "/report.lua")
local y, m = os.getenv("BENCH_LAST_MONTH"):match("(%d+)/(%d+)")
local last = tonumber(y) * 12 + tonumber(m) - 1
local function code(k) return string.format("%d/%02d", math.floor(k / 12), k % 12 + 1) end
local spans = {0, 2, 11, 5}  -- one month, a quarter, a year, half a year
local n = 0
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
request = function()
  n = n + 1
  local span = spans[n % #spans + 1]
  local county = (n % 5 == 0) and "" or ("&county=" .. (n % 33 + 1))
  return wrk.format("GET", "/dashboard?from=" .. code(last - span) .. "&to=" .. code(last) .. county)
end
