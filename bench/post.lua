-- wrk script: POST the JSON body in the file BENCH_BODY, with BENCH_AUTH as bearer token when set.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = assert(io.open(os.getenv("BENCH_BODY"), "r"))
wrk.body = f:read("*a")
f:close()
local token = os.getenv("BENCH_AUTH")
if token and token ~= "" then wrk.headers["Authorization"] = "Bearer " .. token end
