-- wrk script for scripts/bench-http.sh: POST /api/v1/doses as the web app sends it, with a
-- fresh Idempotency-Key on every request (the token from MITRA_TOKEN).
wrk.method = "POST"
wrk.path = "/api/v1/doses"
wrk.body = '{"amount": "2.5g", "triggers": ["stress"]}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("MITRA_TOKEN")

-- setup runs in the main Lua state once per thread; init runs in each thread's own state.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

local counter = 0
local prefix

function init(args)
  prefix = string.format("%d-%d-", os.time(), id)  -- This run, this thread.
end

function request()
  counter = counter + 1
  wrk.headers["Idempotency-Key"] = prefix .. counter
  return wrk.format()
end
