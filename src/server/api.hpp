#pragma once
// The /api/v1 routes: each turns a request into a call of an app use case and its result
// into JSON. No rules live here; validation and meaning are the use cases' job.

#include <vector>

#include "server/router.hpp"

namespace mitra::server {

std::vector<Route> api_routes();

}  // namespace mitra::server
