-- wrk script for scripts/bench-http.sh: POST /api/v1/doses as the web app sends it, with a
-- fresh Idempotency-Key on every request (the token from MITRA_TOKEN). The web app's keys are
-- time-ordered (web/src/lib/api.js, newKey: a UUID version 7); so are these: the run's start,
-- the thread, then a counter of fixed width, so that each key sorts after the thread's last.
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
  prefix = string.format("%08x-%04x-", os.time(), id)  -- This run, this thread.
end

function request()
  counter = counter + 1
  wrk.headers["Idempotency-Key"] = prefix .. string.format("%012x", counter)
  return wrk.format()
end
