-- GET /api/v1/me with a bearer token: a session lookup plus a user read.
-- BENCH_TOKEN is a token bench/run obtained by logging in once.
dofile(os.getenv("BENCH_DIR") .. "/report.lua")
wrk.method = "GET"
wrk.path = "/api/v1/me"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
