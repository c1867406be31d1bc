-- wrk script for scripts/bench-clinic.sh: many signed-in accounts at once on two clinic-mode
-- instances. Each request takes the next session of a file of sessions (one line each:
-- "username session-token csrf-token"), so consecutive requests come from different people.
-- Thread 1 talks to the first port of CLINIC_PORTS, thread 2 to the second (run with -t2).
--
-- Environment:
--   CLINIC_KIND      "doses": POST /api/v1/doses (cookie, X-CSRF-Token, a fresh Idempotency-Key;
--                    the note is the username, which the 201's body echoes, so each 201 is
--                    counted for the person it was for) or "people": GET /api/v1/people
--   CLINIC_SESSIONS  the file of sessions
--   CLINIC_PORTS     "PORT1,PORT2" (loopback)
--   CLINIC_RUN       a word that makes this run's Idempotency-Keys unique
--   CLINIC_OUT       a file prefix: OUT.summary (one line: key=value …) and, for doses,
--                    OUT.acked ("username count" per line: the 201s each person got)

local kind = os.getenv("CLINIC_KIND")
local sessions_file = os.getenv("CLINIC_SESSIONS")
local run = os.getenv("CLINIC_RUN") or tostring(os.time())
local out = os.getenv("CLINIC_OUT")

local ports = {}
for port in string.gmatch(os.getenv("CLINIC_PORTS") or "", "%d+") do
  ports[#ports + 1] = port
end

-- setup runs in the main Lua state once per thread; init and the rest in each thread's own.
local threads = {}
function setup(thread)
  local n = #threads + 1
  local port = ports[(n - 1) % #ports + 1]
  thread.addr = wrk.lookup("127.0.0.1", port)[1]
  thread:set("id", n)
  thread:set("port", port)
  threads[n] = thread
end

local names, cookies, csrfs = {}, {}, {}
local next_session = 0
local counter = 0
acked = {}     -- username -> number of 201s (doses)
statuses = {}  -- HTTP status -> number of answers

function init(args)
  for line in io.lines(sessions_file) do
    local name, token, csrf = string.match(line, "^(%S+) (%S+) (%S+)$")
    if name then
      names[#names + 1] = name
      cookies[#cookies + 1] = "mitra_session=" .. token .. "; mitra_csrf=" .. csrf
      csrfs[#csrfs + 1] = csrf
    end
  end
  assert(#names > 0, "no sessions in " .. tostring(sessions_file))
  -- The two threads start half the list apart.
  next_session = ((id - 1) * math.floor(#names / 2)) % #names
end

function request()
  next_session = next_session % #names + 1
  counter = counter + 1
  local headers = {
    ["Host"] = "127.0.0.1:" .. port,
    ["Cookie"] = cookies[next_session],
  }
  if kind == "doses" then
    headers["Content-Type"] = "application/json"
    headers["X-CSRF-Token"] = csrfs[next_session]
    headers["Idempotency-Key"] = string.format("%s-%d-%d", run, id, counter)
    local body = '{"amount": "2.5g", "note": "' .. names[next_session] .. '"}'
    return wrk.format("POST", "/api/v1/doses", headers, body)
  end
  return wrk.format("GET", "/api/v1/people", headers, nil)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if kind == "doses" and status == 201 then
    local name = string.match(body, '"note":"([^"]*)"')
    if name then acked[name] = (acked[name] or 0) + 1 end
  end
end

function done(summary, latency, requests)
  local codes, acked_total = {}, 0
  local per_person = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses") or {}) do
      codes[status] = (codes[status] or 0) + n
    end
    for name, n in pairs(thread:get("acked") or {}) do
      per_person[name] = (per_person[name] or 0) + n
      acked_total = acked_total + n
    end
  end
  local ok = kind == "doses" and (codes[201] or 0) or (codes[200] or 0)
  local other = 0
  local list = {}
  for status, n in pairs(codes) do
    if not (kind == "doses" and status == 201 or kind ~= "doses" and status == 200) then
      other = other + n
      list[#list + 1] = status .. ":" .. n
    end
  end
  local e = summary.errors
  local seconds = summary.duration / 1e6
  local file = assert(io.open(out .. ".summary", "w"))
  file:write(string.format(
    "kind=%s requests=%d ok=%d other_status=%d other=%s socket_errors=%d timeouts=%d "
      .. "rps=%.1f ok_rps=%.1f p50_ms=%.1f p99_ms=%.1f max_ms=%.1f acked=%d\n",
    kind, summary.requests, ok, other, (#list > 0 and table.concat(list, ",") or "-"),
    e.connect + e.read + e.write, e.timeout, summary.requests / seconds, ok / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    acked_total))
  file:close()
  if kind == "doses" then
    local f = assert(io.open(out .. ".acked", "w"))
    for name, n in pairs(per_person) do f:write(name, " ", n, "\n") end
    f:close()
  end
end
