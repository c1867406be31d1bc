-- wrk script for scripts/bench-http.sh: POST /api/v1/doses with the token from MITRA_TOKEN.
wrk.method = "POST"
wrk.path = "/api/v1/doses"
wrk.body = '{"amount": "2.5g", "triggers": ["stress"]}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("MITRA_TOKEN")
