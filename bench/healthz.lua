-- GET /healthz: the trivial endpoint (HTTP stack only, no database).
dofile(os.getenv("BENCH_DIR") .. "/report.lua")
wrk.method = "GET"
wrk.path = "/healthz"
