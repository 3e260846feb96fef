-- wrk script: PATCH a subscription to alternating tiers, so every request changes the tier and
-- emits product.tier_changed. BENCH_PATH is the subscription's path, BENCH_AUTH the bearer token.
local tiers = { '{"tier":"pro"}', '{"tier":"team"}' }
local n = 0
request = function()
  n = n + 1
  return wrk.format("PATCH", os.getenv("BENCH_PATH"),
    { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. os.getenv("BENCH_AUTH") },
    tiers[n % 2 + 1])
end
