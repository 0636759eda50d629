-- POST /api/v1/counties: one audited, durable write per request.
-- Names must be unique (409 otherwise), so each request carries
-- <run>-<thread>-<counter>. Every wrk thread has its own Lua state; setup()
-- runs in the main state and hands each thread its id.
dofile(os.getenv("BENCH_DIR") .. "/report.lua")

local next_id = 0
function setup(thread)
  next_id = next_id + 1
  thread:set("thread_id", next_id)
end

local run = os.getenv("BENCH_RUN") or tostring(os.time())
local counter = 0
local headers = {
  ["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN"),
  ["Content-Type"] = "application/json",
}

function request()
  counter = counter + 1
  local body = string.format('{"name":"bench %s t%03d n%09d"}', run, thread_id or 0, counter)
  return wrk.format("POST", "/api/v1/counties", headers, body)
end
