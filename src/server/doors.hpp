#pragma once
// The way into the server, one per server, chosen by ServerOptions::clinic: the local
// Doorkeeper (doorkeeper.hpp: the access token mitra serve prints) or the ClinicDoorkeeper
// (clinic_doors.hpp: accounts, each person on a journal of their own). Server::Impl::respond
// asks it about every request whose route is known, or that no route knows, and it brings the
// routes that let people in (the token exchange; sign-up, sign-in, sign-out) and the page at /.
//
// Thread safety: every member may be called from any number of threads at once.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "server/router.hpp"

namespace mitra::server {

class Doors {
 public:
  using Clock = std::chrono::steady_clock;
  virtual ~Doors() = default;

  // The refusal for `request` to `route` (null: a path in the API no route knows, admitted as
  // Access::token), or nothing when it may go on; then Request::journal says whose journal the
  // request reaches (empty: the server's database). Request::params are the route's.
  virtual std::optional<Response> admit(Request& request, const Route* route,
                                        Clock::time_point now) = 0;
  // GET / and the routes that let people in.
  virtual std::vector<Route> routes() = 0;
  // The token of the printed address, or empty when there is none (clinic mode).
  virtual const std::string& access_token() const = 0;
};

}  // namespace mitra::server
