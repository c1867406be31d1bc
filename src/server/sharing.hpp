#pragma once
// What a specialist may read of a person who shares with them (clinic mode, docs/clinic.md,
// "The specialist's view"): the person's own read routes, mirrored under
// /api/v1/people/{person}/…, each needing one scope of the share. The doors
// (ClinicDoorkeeper::admit) check the share, write the audit row and point the request at the
// person's journal; the handlers are the person's own, unchanged.

#include <vector>

#include "server/router.hpp"

namespace mitra::server {

// For each GET route of `api` that shows part of a journal, the same route under
// /api/v1/people/{person} (Route::shared, Route::scope): /pattern → pattern; /doses, /products,
// /withdrawal → journal; /checkins → checkins; /reflections → reflections; /plans,
// /plans/current, /plans/current/today, /plans/current/status → plan; /safety → safety; and
// /report, /fhir, which show every part the share covers (any scope; Request::shared_scopes).
// Routes that are not a journal's (settings, profile, export, help, evidence …) are not
// mirrored: GET /api/v1/people/{person}/settings is 404.
std::vector<Route> shared_routes(const std::vector<Route>& api);

}  // namespace mitra::server
