// The forms the web app renders and their past answers: GET /instruments, GET /instruments/{id},
// GET /checkins and GET /reflections (history), and GET /help.

#include <algorithm>
#include <set>

#include "app/history.hpp"
#include "core/evidence.hpp"
#include "core/instruments.hpp"
#include "core/profile.hpp"
#include "server/api_support.hpp"

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

std::string canonical_instrument(const std::string& id) { return id == "daily" ? "checkin" : id; }

const Collection& collection_of(const std::string& instrument) {
  const auto& c = kCheckins.instruments;
  return std::find(c.begin(), c.end(), instrument) != c.end() ? kCheckins : kReflections;
}

json references_for(const std::set<std::string>& keys) {
  json out = json::object();
  for (const auto& key : keys) {
    if (const auto* reference = core::find_reference(key)) out[key] = core::to_json(*reference);
  }
  return out;
}

json instrument_json(const core::Instrument& instrument) {
  json items = json::array();
  for (const auto& item : instrument.items) {
    json choices = json::array();
    for (const auto& c : item.choices) choices.push_back({{"score", c.score}, {"label", c.label}});
    items.push_back({{"id", item.id}, {"text", item.text}, {"choices", choices}});
  }
  json bands = json::array();
  for (const auto& b : instrument.bands) {
    bands.push_back(
        {{"id", b.id}, {"min", b.min}, {"max", b.max}, {"label", b.label}, {"text", b.text}});
  }
  return {{"id", instrument.id},
          {"aliases", instrument.id == "checkin" ? json::array({"daily"}) : json::array()},
          {"name", instrument.name},
          {"title", instrument.title},
          {"kind", instrument.kind == core::ResponseKind::yes_no ? "yes_no" : "scale"},
          {"timeframe", instrument.timeframe},
          {"prompt", instrument.prompt},
          {"note", instrument.note},
          {"sources", instrument.sources},
          {"items", items},
          {"bands", bands},
          {"max_total", instrument.max_total},
          {"post_to", collection_of(instrument.id).path}};
}

Result<Response> list_instruments(const Request&, app::Context&) {
  json list = json::array();
  std::set<std::string> cited;
  for (const auto& instrument : core::instruments()) {
    list.push_back(instrument_json(instrument));
    cited.insert(instrument.sources.begin(), instrument.sources.end());
  }
  return ok(json{{"instruments", list}, {"references", references_for(cited)}});
}

Result<Response> get_instrument(const Request& request, app::Context&) {
  auto found = core::find_instrument(canonical_instrument(request.params.at("id")));
  if (!found) {
    // A path that names no instrument is a missing resource, not a malformed request.
    return core::fail(core::ErrorKind::not_found, found.error().message, "instrument");
  }
  const auto& instrument = **found;
  auto j = instrument_json(instrument);
  j["references"] = references_for({instrument.sources.begin(), instrument.sources.end()});
  return ok(j);
}

// GET /checkins and GET /reflections: ?instrument=ID&days=N (1–3650, default 90)&limit=N
// (1–1000, default 100: the newest N of each instrument).
Result<Response> list_history(const Request& request, app::Context& context,
                              const Collection& collection) {
  const std::string instrument = canonical_instrument(query_or(request, "instrument", ""));
  const auto& allowed = collection.instruments;
  if (!instrument.empty() &&
      std::find(allowed.begin(), allowed.end(), instrument) == allowed.end()) {
    std::string names;
    for (const auto& id : allowed) names += (names.empty() ? "" : ", ") + id;
    return core::invalid("instrument", "instrument \"" + instrument + "\" is not one of " + names +
                                           " (see GET /api/v1/instruments).");
  }
  auto days = query_int(request, "days", 90, 1, 3650);
  if (!days) return fail_with(days);
  auto limit = query_int(request, "limit", 100, 1, 1000);
  if (!limit) return fail_with(limit);
  auto history = app::assessment_history(context, instrument, *days);
  if (!history) return fail_with(history);
  json groups = json::array();
  for (const auto& h : *history) {
    if (std::find(allowed.begin(), allowed.end(), h.instrument) == allowed.end()) continue;
    const auto instrument_found = core::find_instrument(h.instrument);
    json entries = json::array();
    const std::size_t skip =
        h.entries.size() > static_cast<std::size_t>(*limit) ? h.entries.size() - *limit : 0;
    for (std::size_t i = skip; i < h.entries.size(); ++i) {
      const auto& e = h.entries[i];
      json items = json::object();
      if (instrument_found) {
        const auto& defined = (*instrument_found)->items;
        for (std::size_t n = 0; n < defined.size() && n < e.answers.size(); ++n) {
          items[defined[n].id] = e.answers[n];
        }
      }
      entries.push_back({{"id", e.id},
                         {"taken_at", core::format_utc(e.taken_at)},
                         {"taken_at_local", core::format_local(e.taken_at, context.zone)},
                         {"total", e.total},
                         {"band", e.band.empty() ? json(nullptr) : json(e.band)},
                         {"answers", e.answers},
                         {"items", items}});
    }
    groups.push_back({{"instrument", h.instrument},
                      {"entries", entries},
                      {"change", h.change ? json(*h.change) : json(nullptr)}});
  }
  return ok(json{{"history", groups}, {"days", *days}});
}

Result<Response> get_help(const Request&, app::Context&) {
  json resources = json::array();
  std::set<std::string> cited;
  for (const auto& r : core::help_resources()) {
    resources.push_back(core::to_json(r));
    cited.insert(r.sources.begin(), r.sources.end());
  }
  json pathways = json::array();
  for (const auto& p : core::pathways()) pathways.push_back(core::to_json(p));
  return ok(json{
      {"resources", resources}, {"pathways", pathways}, {"references", references_for(cited)}});
}

// Every reference a fact, answer or advisory may cite, in order: the Learn page's list.
Result<Response> get_sources(const Request&, app::Context&) {
  json list = json::array();
  for (const auto& reference : core::references()) list.push_back(core::to_json(reference));
  return ok(json{{"references", list}});
}

}  // namespace

std::vector<Route> form_routes() {
  using boost::beast::http::verb;
  const std::string v1 = "/api/v1";
  return {
      {verb::get, v1 + "/instruments", list_instruments},
      {verb::get, v1 + "/instruments/{id}", get_instrument},
      {verb::get, v1 + "/checkins",
       [](const Request& r, app::Context& c) { return list_history(r, c, kCheckins); }},
      {verb::get, v1 + "/reflections",
       [](const Request& r, app::Context& c) { return list_history(r, c, kReflections); }},
      {verb::get, v1 + "/help", get_help},
      {verb::get, v1 + "/sources", get_sources},
  };
}

}  // namespace mitra::server::detail
