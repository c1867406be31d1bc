// The person's own set-up: GET/PUT /settings (zone, day start), GET/PUT /profile, and
// GET/POST /products (capsule and teaspoon weights).

#include <cstdio>

#include "app/journal.hpp"
#include "app/understanding.hpp"
#include "core/profile.hpp"
#include "server/api_support.hpp"
#include "views/journal.hpp"
#include "views/settings.hpp"

namespace mitra::server::detail {

namespace {

using core::Result;
using nlohmann::json;

Result<Response> get_settings(const Request&, app::Context& context) {
  return ok(views::settings_json(context));
}

// PUT /settings {"zone": "Europe/Berlin", "day_start": "04:00", "language": "es"}; a field left
// out keeps its current value; "language": null follows the browser again.
Result<Response> put_settings(const Request& request, app::Context& context) {
  auto body = body_object(request, {"zone", "day_start", "language"});
  if (!body) return fail_with(body);
  std::optional<std::optional<core::Language>> language;  // Outer: given; inner: null clears.
  if (const auto it = body->find("language"); it != body->end()) {
    if (it->is_null()) {
      language.emplace(std::nullopt);
    } else if (!it->is_string()) {
      return core::invalid("language", core::sentence("language must be \"en\", \"es\" or null "
                                                      "(follow the browser)."));
    } else {
      auto parsed = core::parse_language_option(it->get<std::string>(), "language");
      if (!parsed) return fail_with(parsed);
      language.emplace(*parsed);
    }
    if (!body->contains("zone") && !body->contains("day_start")) {
      if (auto done = app::save_language(context, *language); !done) return fail_with(done);
      context.language = context.settings.language.value_or(request.accept_language);
      return ok(views::settings_json(context));
    }
  }
  auto zone = optional_string(*body, "zone");
  if (!zone) return fail_with(zone);
  auto day_start_text = optional_string(*body, "day_start");
  if (!day_start_text) return fail_with(day_start_text);
  if (!*zone && !*day_start_text) {
    return core::invalid("body",
                         core::sentence("give zone (an IANA name such as Europe/Berlin), day_start "
                                        "(HH:MM, e.g. 04:00), language (en, es or null), or more "
                                        "of them."));
  }
  auto day_start = context.settings.day_start;
  if (*day_start_text) {
    auto parsed = core::parse_clock(**day_start_text, "day_start");
    if (!parsed) return fail_with(parsed);
    day_start = *parsed;
  }
  const std::string zone_name = zone->value_or(context.settings.saved_zone);
  if (*zone) {
    if (auto found = core::find_zone(*context.zones, zone_name, "zone"); !found)
      return fail_with(found);
  }
  auto saved = app::save_settings(context, zone_name, day_start);
  if (!saved) return fail_with(saved);
  if (language) {
    if (auto done = app::save_language(context, *language); !done) return fail_with(done);
  }
  return ok(views::settings_json(context));
}

Result<Response> get_profile(const Request&, app::Context& context) {
  auto profile = app::load_profile(context);
  if (!profile) return fail_with(profile);
  return ok(views::profile_json(*profile, views::Saved::no, context.language));
}

// PUT /profile: the whole profile document; it replaces the saved one.
Result<Response> put_profile(const Request& request, app::Context& context) {
  auto body = body_object(request);
  if (!body) return fail_with(body);
  auto profile = app::save_profile(context, *body);
  if (!profile) return fail_with(profile);
  return ok(views::profile_json(*profile, views::Saved::yes, context.language));
}

Result<Response> list_products(const Request&, app::Context& context) {
  auto products = app::list_products(context);
  if (!products) return fail_with(products);
  return ok(views::products_json(*products));
}

// POST /products {"name", "form", "capsule_weight": "500mg", "teaspoon_weight": "2.5g"}.
Result<Response> post_product(const Request& request, app::Context& context) {
  auto body = body_object(request, {"name", "form", "capsule_weight", "teaspoon_weight"});
  if (!body) return fail_with(body);
  app::ProductInput input;
  auto name = required_string(*body, "name", "\"Red Bali caps\"");
  if (!name) return fail_with(name);
  input.name = *name;
  for (auto [key, target] :
       {std::pair{"form", &input.form}, std::pair{"capsule_weight", &input.capsule_weight},
        std::pair{"teaspoon_weight", &input.teaspoon_weight}}) {
    auto value = string_or_empty(*body, key);
    if (!value) return fail_with(value);
    *target = std::move(*value);
  }
  input.idempotency_key = request.idempotency_key;
  auto product = app::save_product(context, input);
  if (!product) return fail_with(product);
  return created(views::product_json(*product));
}

}  // namespace

std::vector<Route> settings_routes() {
  using boost::beast::http::verb;
  const std::string v1 = "/api/v1";
  return {
      {verb::get, v1 + "/settings", get_settings},  {verb::put, v1 + "/settings", put_settings},
      {verb::get, v1 + "/profile", get_profile},    {verb::put, v1 + "/profile", put_profile},
      {verb::get, v1 + "/products", list_products}, {verb::post, v1 + "/products", post_product},
  };
}

}  // namespace mitra::server::detail
