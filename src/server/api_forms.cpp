// The forms the web app renders and their past answers: GET /instruments, GET /instruments/{id},
// GET /checkins and GET /reflections (history), and GET /help.

#include <algorithm>

#include "app/history.hpp"
#include "core/evidence.hpp"
#include "core/instruments.hpp"
#include "core/profile.hpp"
#include "server/api_support.hpp"
#include "views/instruments.hpp"
#include "views/learn.hpp"

namespace mitra::server::detail {

namespace {

using core::Result;
using nlohmann::json;

// Which instruments each collection takes, and the aliases clients may use for them.
struct Collection {
  const char* path;  // "/api/v1/checkins"
  std::vector<std::string> instruments;
};
const Collection kCheckins{"/api/v1/checkins", {"sows", "cows", "checkin"}};
const Collection kReflections{"/api/v1/reflections", {"dsm5", "reflection"}};

Result<Response> list_instruments(const Request&, app::Context& context) {
  return ok(views::instruments_json(context.language));
}

Result<Response> get_instrument(const Request& request, app::Context& context) {
  auto found = core::find_instrument(request.params.at("id"), context.language);
  if (!found) {
    // A path that names no instrument is a missing resource, not a malformed request.
    auto missing = found.error();
    missing.kind = core::ErrorKind::not_found;
    missing.field = "instrument";
    return tl::unexpected(std::move(missing));
  }
  return ok(views::instrument_document(**found));
}

// GET /checkins and GET /reflections: ?instrument=ID&days=N (1–3650, default 90)&limit=N
// (1–1000, default 100: the newest N of each instrument).
Result<Response> list_history(const Request& request, app::Context& context,
                              const Collection& collection) {
  const std::string instrument(core::canonical_instrument_id(query_or(request, "instrument", "")));
  const auto& allowed = collection.instruments;
  if (!instrument.empty() &&
      std::find(allowed.begin(), allowed.end(), instrument) == allowed.end()) {
    std::string names;
    for (const auto& id : allowed) names += (names.empty() ? "" : ", ") + id;
    return core::invalid("instrument",
                         core::sentence("instrument \"{value}\" is not one of {accepted} (see GET "
                                        "/api/v1/instruments).",
                                        {{"value", instrument}, {"accepted", names}}));
  }
  auto days = query_int(request, "days", 90, 1, 3650);
  if (!days) return fail_with(days);
  auto limit = query_int(request, "limit", 100, 1, 1000);
  if (!limit) return fail_with(limit);
  auto history = app::assessment_history(context, instrument, *days);
  if (!history) return fail_with(history);
  // This collection's instruments only: check-ins or reflections.
  std::erase_if(*history, [&](const app::InstrumentHistory& h) {
    return std::find(allowed.begin(), allowed.end(), h.instrument) == allowed.end();
  });
  return ok(views::history_json(*history, *days, *limit, context.zone));
}

Result<Response> get_help(const Request&, app::Context& context) {
  return ok(views::help_json(context.language));
}

// Every reference a fact, answer or advisory may cite, in order: the Learn page's list.
Result<Response> get_sources(const Request&, app::Context&) { return ok(views::sources_json()); }

}  // namespace

std::vector<Route> form_routes() {
  using boost::beast::http::verb;
  const std::string v1 = "/api/v1";
  return {
      {verb::get, v1 + "/instruments", list_instruments},
      {verb::get, v1 + "/instruments/{id}", get_instrument},
      taking({verb::get, v1 + "/checkins",
              [](const Request& r, app::Context& c) { return list_history(r, c, kCheckins); }},
             {"instrument", "days", "limit"}),
      taking({verb::get, v1 + "/reflections",
              [](const Request& r, app::Context& c) { return list_history(r, c, kReflections); }},
             {"instrument", "days", "limit"}),
      {verb::get, v1 + "/help", get_help},
      {verb::get, v1 + "/sources", get_sources},
  };
}

}  // namespace mitra::server::detail
