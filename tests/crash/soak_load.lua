-- wrk script for tests/crash/soak_serve.sh: the web app's traffic, nine reads of the status
-- for each dose logged. Doses are logged on a day long past (with a fresh Idempotency-Key), so
-- that the journal grows as it would over years while what status reads stays the same size.
-- SOAK_DELAY_MS, when set, paces each connection: one request per that many milliseconds.
local token = os.getenv("MITRA_TOKEN")
local pace = tonumber(os.getenv("SOAK_DELAY_MS") or "")

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

local counter = 0
local prefix

function init(args)
  prefix = string.format("soak-%d-%d-", os.time(), id)
end

if pace and pace > 0 then
  function delay()
    return pace
  end
end

function request()
  counter = counter + 1
  local headers = {["Authorization"] = "Bearer " .. token}
  if counter % 10 ~= 0 then
    return wrk.format("GET", "/api/v1/status", headers)
  end
  headers["Content-Type"] = "application/json"
  headers["Idempotency-Key"] = prefix .. counter
  local day = 1 + counter % 28
  local body = string.format('{"amount": "2.5g", "at": "2021-02-%02dT09:%02d:00Z", "note": "soak"}',
    day, counter % 60)
  return wrk.format("POST", "/api/v1/doses", headers, body)
end
