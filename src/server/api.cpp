#include "server/api.hpp"

#include <charconv>
#include <cmath>
#include <functional>
#include <optional>

#include "app/exchange.hpp"
#include "app/journal.hpp"
#include "app/pattern.hpp"
#include "app/plan.hpp"
#include "app/report.hpp"
#include "app/status.hpp"
#include "app/understanding.hpp"
#include "core/evidence.hpp"
#include "core/sharing.hpp"
#include "core/strict_json.hpp"
#include "formats/report_html.hpp"
#include "server/api_support.hpp"
#include "views/exchange.hpp"
#include "views/instruments.hpp"
#include "views/journal.hpp"
#include "views/learn.hpp"
#include "views/plan.hpp"
#include "views/report.hpp"
#include "views/safety.hpp"
#include "views/status.hpp"
#include "views/withdrawal.hpp"

namespace mitra::server {

namespace {

namespace http = boost::beast::http;
using core::Result;
using nlohmann::json;
using namespace detail;  // NOLINT(google-build-using-namespace): the handlers' own helpers.

// A dose body: its fields only, with the export's name for the time pointed to the right one
// (a dose posted with "taken_at" was stored as taken now).
Result<json> dose_body(const Request& request) {
  auto body = body_object(request);
  if (!body) return body;
  if (body->contains("taken_at")) {
    return core::invalid("taken_at",
                         core::sentence("taken_at is the export's name for the time; here it is "
                                        "at, e.g. \"at\": \"2026-11-30T08:30:00Z\" or \"08:30\"."));
  }
  if (auto known =
          core::only_keys(*body, {"amount", "unit", "at", "form", "product", "note", "triggers"},
                          "", core::sentence("of a dose"));
      !known) {
    return tl::unexpected(known.error());
  }
  return body;
}

// "amount": "2.5g", or "amount": 2.5 with "unit": "g".
Result<std::optional<std::string>> optional_amount(const json& body) {
  const auto it = body.find("amount");
  if (it == body.end() || it->is_null()) {
    if (body.contains("unit") && !body["unit"].is_null()) {
      return core::invalid("unit",
                           core::sentence("unit goes with a numeric amount; give amount too."));
    }
    return std::optional<std::string>{};
  }
  if (it->is_string()) {
    if (body.contains("unit") && !body["unit"].is_null()) {
      return core::invalid("unit",
                           core::sentence("unit goes with a numeric amount only; this amount is "
                                          "text with its own unit (\"2.5g\"), so leave unit out."));
    }
    return std::optional<std::string>{it->get<std::string>()};
  }
  if (it->is_number()) {
    auto unit = optional_string(body, "unit");
    if (!unit) return tl::unexpected(unit.error());
    if (!*unit || (*unit)->empty()) {
      return core::invalid("unit", core::sentence("unit is required when amount is a number: g, "
                                                  "mg, caps, ml or tsp."));
    }
    return std::optional<std::string>{it->dump() + **unit};
  }
  return core::invalid("amount", core::sentence("amount must be a string such as \"2.5g\", or a "
                                                "number with \"unit\"."));
}

// A 201 whose JSON body is made when the response is written (Response::render), so a write
// handler's rendering runs after the commit and off the writer thread.
Response created_later(std::function<std::string()> text) {
  Response response;
  response.status = http::status::created;
  response.render = std::move(text);
  return response;
}

// ---- Handlers ----

Result<Response> get_status(const Request&, app::Context& context) {
  auto report = app::status(context);
  if (!report) return fail_with(report);
  return ok(views::status_json(context, *report));
}

Result<Response> list_doses(const Request& request, app::Context& context) {
  auto journal =
      app::list_journal(context, query_or(request, "from", ""), query_or(request, "to", ""));
  if (!journal) return fail_with(journal);
  return ok(views::journal_json(*journal, context.zone, *context.zones));
}

Result<Response> post_dose(const Request& request, app::Context& context) {
  auto body = dose_body(request);
  if (!body) return fail_with(body);
  app::DoseInput input;
  auto amount = optional_amount(*body);
  if (!amount) return fail_with(amount);
  if (!*amount || (*amount)->empty()) {
    return core::invalid("amount", core::sentence("amount is required, e.g. \"2.5g\" or 2.5 with "
                                                  "\"unit\": \"g\"."));
  }
  input.amount = **amount;
  for (auto [key, target] :
       {std::pair{"at", &input.at}, std::pair{"form", &input.form},
        std::pair{"product", &input.product}, std::pair{"note", &input.note}}) {
    auto value = string_or_empty(*body, key);
    if (!value) return fail_with(value);
    *target = std::move(*value);
  }
  auto triggers = optional_strings(*body, "triggers");
  if (!triggers) return fail_with(triggers);
  input.triggers = triggers->value_or(std::vector<std::string>{});
  input.idempotency_key = request.idempotency_key;
  auto dose = app::log_dose(context, input);
  if (!dose) return fail_with(dose);
  // Rendered after the commit, on the IO thread; the zone comes from the tz database, which
  // lives as long as the program.
  return created_later([dose = std::move(*dose), zone = context.zone, zones = context.zones] {
    return views::dose_json_text(dose, zone, *zones);
  });
}

Result<Response> patch_dose(const Request& request, app::Context& context) {
  auto body = dose_body(request);
  if (!body) return fail_with(body);
  if (body->empty()) {
    return core::invalid("body", core::sentence("Nothing to change: give at least one of amount, "
                                                "at, form, product, note or triggers."));
  }
  app::DoseEdit edit;
  auto amount = optional_amount(*body);
  if (!amount) return fail_with(amount);
  edit.amount = *amount;
  for (auto [key, target] : {std::pair{"at", &edit.at}, std::pair{"form", &edit.form},
                             std::pair{"product", &edit.product}, std::pair{"note", &edit.note}}) {
    auto value = optional_string(*body, key);
    if (!value) return fail_with(value);
    *target = std::move(*value);
  }
  auto triggers = optional_strings(*body, "triggers");
  if (!triggers) return fail_with(triggers);
  edit.triggers = std::move(*triggers);
  auto edited = app::edit_dose(context, request.params.at("id"), edit);
  if (!edited) return fail_with(edited);
  return ok(views::edited_dose_json(*edited, context.zone, *context.zones));
}

// DELETE /doses/{id}, /substance-uses/{id}: no body, or {}; a field in one is refused by name.
Result<Response> delete_record(const Request& request, app::Context& context) {
  if (auto body = optional_body(request, {}); !body) return fail_with(body);
  auto message = app::delete_record(context, request.params.at("id"));
  if (!message) return fail_with(message);
  return ok(views::deleted_json(request.params.at("id"), *message));
}

// POST /undo: no body, or {}. Before, {"x": 1} (or anything) was ignored and the undo done.
Result<Response> post_undo(const Request& request, app::Context& context) {
  if (auto body = optional_body(request, {}); !body) return fail_with(body);
  auto undone = app::undo(context);
  if (!undone) return fail_with(undone);
  return ok(views::undone_json(*undone));
}

Result<Response> post_substance_use(const Request& request, app::Context& context) {
  auto body = body_object(request, {"substance", "at", "note"});
  if (!body) return fail_with(body);
  app::SubstanceUseInput input;
  auto substance = required_string(*body, "substance", "\"alcohol\"");
  if (!substance) return fail_with(substance);
  input.substance = *substance;
  for (auto [key, target] : {std::pair{"at", &input.at}, std::pair{"note", &input.note}}) {
    auto value = string_or_empty(*body, key);
    if (!value) return fail_with(value);
    *target = std::move(*value);
  }
  input.idempotency_key = request.idempotency_key;
  auto use = app::log_substance_use(context, input);
  if (!use) return fail_with(use);
  return created_later([use = std::move(*use), zone = context.zone, zones = context.zones] {
    return views::use_json_text(use, zone, *zones);
  });
}

Result<Response> get_pattern(const Request& request, app::Context& context) {
  const std::string text = query_or(request, "days", "7");
  int days = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), days);
  if (ec != std::errc{} || end != text.data() + text.size()) {
    return core::invalid("days",
                         core::sentence("days must be a whole number of days from 1 to 3650."));
  }
  auto p = app::pattern(context, days);
  if (!p) return fail_with(p);
  return ok(views::pattern_json(*p));
}

Result<Response> get_export(const Request& request, app::Context& context) {
  const std::string name = query_or(request, "format", "json");
  auto format = app::parse_export_format(name);
  if (!format) return fail_with(format);
  auto text = app::export_journal(context, *format);
  if (!text) return fail_with(text);
  Response response;
  response.body = std::move(*text);
  const char* file = "mitra-journal.json";
  switch (*format) {
    case app::ExportFormat::json:
      response.content_type = "application/json";
      break;
    case app::ExportFormat::csv:
      response.content_type = "text/csv; charset=utf-8";
      file = "mitra-journal.csv";
      break;
    case app::ExportFormat::fhir:
      response.content_type = "application/fhir+json";
      file = "mitra-fhir.json";
      break;
  }
  response.headers.emplace_back("Content-Disposition",
                                "attachment; filename=\"" + std::string(file) + "\"");
  return response;
}

// What of the journal the caller may read: all of it when it is their own (no shared scopes).
core::Scopes readable_scopes(const Request& request) {
  return request.shared_scopes ? *request.shared_scopes : core::all_scopes();
}

// GET /report: the clinician report as a printable page, or (?format=json) its document.
Result<Response> get_report(const Request& request, app::Context& context) {
  const std::string format = query_or(request, "format", "html");
  if (format != "html" && format != "json") {
    return core::invalid(
        "format", core::sentence("format must be html (the default, a printable page) or json."));
  }
  auto report = app::report(context, readable_scopes(request));
  if (!report) return fail_with(report);
  auto document = views::report_json(context, *report);
  if (format == "json") return ok(document);
  Response response;
  response.body = formats::report_html(document);
  response.content_type = "text/html; charset=utf-8";
  // The page's own policy replaces the app's: its inline style (by hash), nothing else.
  response.headers.emplace_back("Content-Security-Policy",
                                formats::report_content_security_policy());
  return response;
}

// GET /fhir: the journal as a FHIR R4 Bundle. The Patient is pseudonymous: "self" for one's
// own journal, the person's id where a specialist reads a shared one (/people/{person}/fhir).
Result<Response> get_fhir(const Request& request, app::Context& context) {
  const auto person = request.params.find("person");
  auto bundle = app::fhir_export(context, readable_scopes(request),
                                 person == request.params.end() ? "self" : person->second);
  if (!bundle) return fail_with(bundle);
  Response response;
  response.body = bundle->dump();
  response.content_type = "application/fhir+json";
  return response;
}

Result<Response> post_import(const Request& request, app::Context& context) {
  auto summary = app::import_journal(context, request.body, query_or(request, "format", ""),
                                     query_or(request, "on_conflict", ""));
  if (!summary) return fail_with(summary);
  return ok(views::import_json(*summary));
}

Result<Response> get_withdrawal(const Request&, app::Context& context) {
  auto status = app::withdrawal(context);
  if (!status) return fail_with(status);
  return ok(views::withdrawal_json(*status, context.zone, context.language));
}

Result<Response> get_safety(const Request&, app::Context& context) {
  auto advisories = app::safety(context);
  if (!advisories) return fail_with(advisories);
  return ok(views::safety_json(*advisories));
}

Result<Response> get_evidence(const Request& request, app::Context& context) {
  const std::string topic = query_or(request, "topic", "");
  auto facts = core::facts_for(topic, context.language);
  if (!facts) return fail_with(facts);
  return ok(views::learn_json(topic, *facts, context.language));
}

// POST /checkins {"scale": "sows"|"daily"|"cows", "answers": …} and
// POST /reflections {"instrument": "dsm5"|"reflection", "answers": …}.
Result<Response> assess(const Request& request, app::Context& context, const std::string& key,
                        const std::string& fallback) {
  auto body = body_object(request, {key, "answers"});
  if (!body) return fail_with(body);
  auto name = optional_string(*body, key);
  if (!name) return fail_with(name);
  const std::string id = name->value_or(fallback);
  if (!body->contains("answers")) {
    return core::invalid(
        "answers", core::sentence("answers is required: the answer to each question, in order."));
  }
  auto result =
      app::assess(context, id, json{{"answers", (*body)["answers"]}}, request.idempotency_key);
  if (!result) return fail_with(result);
  return created(views::assessment_json(*result, **core::find_instrument(id, context.language)));
}

Result<Response> get_plan(const Request&, app::Context& context) {
  auto plan = app::current_plan(context);
  if (!plan) return fail_with(plan);
  return ok(views::plan_json(*plan, context.language));
}

Result<Response> post_plan(const Request& request, app::Context& context) {
  auto body = body_object(request, {"goal", "pace", "target", "start", "wake", "sleep", "pattern",
                                    "form", "resolution", "allow_larger_doses", "preview"});
  if (!body) return fail_with(body);
  // The body's values as sent; app::read_new_plan parses them as it parses the CLI's options.
  app::NewPlanInput input;
  for (auto [key, text] :
       {std::pair{"goal", &input.goal}, std::pair{"target", &input.target},
        std::pair{"pace", &input.pace}, std::pair{"form", &input.form},
        std::pair{"start", &input.start}, std::pair{"wake", &input.wake},
        std::pair{"sleep", &input.sleep}, std::pair{"resolution", &input.resolution}}) {
    auto value = string_or_empty(*body, key);
    if (!value) return fail_with(value);
    *text = std::move(*value);
  }
  bool preview = false;
  // "preview": true shows the plan (each step with its reason) and stores nothing.
  for (auto [key, flag] : {std::pair{"preview", &preview},
                           std::pair{"allow_larger_doses", &input.allow_larger_doses}}) {
    if (const auto it = body->find(key); it != body->end() && !it->is_null()) {
      if (!it->is_boolean()) {
        return core::invalid(key,
                             core::sentence("{field} must be true or false.", {{"field", key}}));
      }
      *flag = it->get<bool>();
    }
  }
  // "pattern": {"doses_per_day": 6, "interval_hours": 3, "amount_per_dose": "2.5g"}, for
  // someone whose journal does not yet hold a week: all three, or leave it out.
  if (const auto it = body->find("pattern"); it != body->end() && !it->is_null()) {
    const auto& p = *it;
    // The example is a value: its braces are not a placeholder.
    const auto shape =
        core::invalid("pattern", core::sentence("pattern must be {example}.",
                                                {{"example",
                                                  "{\"doses_per_day\": 6, \"interval_hours\": 3, "
                                                  "\"amount_per_dose\": \"2.5g\"}"}}));
    if (!p.is_object()) return shape;
    if (auto known = core::only_keys(p, {"doses_per_day", "interval_hours", "amount_per_dose"},
                                     "pattern.", core::sentence("of a pattern"));
        !known) {
      return tl::unexpected(known.error());
    }
    if (const auto d = p.find("doses_per_day"); d != p.end() && !d->is_null()) {
      // Read as a number first: get<int>() of 4294967297 is 1.
      const double value = d->is_number() ? d->get<double>() : -1.0;
      if (!d->is_number() || value != std::floor(value) || value < 1 || value > 48) {
        return core::invalid(
            "pattern.doses_per_day",
            core::sentence("pattern.doses_per_day must be a whole number from 1 to 48."));
      }
      input.doses_per_day = static_cast<int>(value);
    }
    if (const auto h = p.find("interval_hours"); h != p.end() && !h->is_null()) {
      if (!h->is_number()) {
        return core::invalid(
            "pattern.interval_hours",
            core::sentence("pattern.interval_hours must be a number of hours, e.g. 3."));
      }
      input.interval_hours = h->get<double>();
    }
    if (const auto a = p.find("amount_per_dose"); a != p.end() && !a->is_null()) {
      if (!a->is_string()) {
        return core::invalid(
            "pattern.amount_per_dose",
            core::sentence("pattern.amount_per_dose must be text such as \"2.5g\"."));
      }
      input.amount_per_dose = a->get<std::string>();
    }
  }
  input.idempotency_key = request.idempotency_key;
  auto parsed = app::read_new_plan(input);
  if (!parsed) return fail_with(parsed);
  const app::NewPlanRequest& plan_request = *parsed;
  auto plan =
      preview ? app::preview_plan(context, plan_request) : app::new_plan(context, plan_request);
  if (!plan) return fail_with(plan);
  auto advice = app::plan_advice(context, plan_request, *plan);
  if (!advice) return fail_with(advice);
  if (preview)
    return ok(views::new_plan_json(*plan, *advice, views::Stored::preview, context.language));
  return created(views::new_plan_json(*plan, *advice, views::Stored::yes, context.language));
}

Result<Response> get_plan_ics(const Request& request, app::Context& context) {
  const std::string wording = query_or(request, "wording", "discreet");
  if (wording != "discreet" && wording != "descriptive") {
    return core::invalid("wording",
                         core::sentence("wording must be discreet (the default) or descriptive."));
  }
  auto ics = app::plan_ics(context, wording == "descriptive" ? formats::Wording::descriptive
                                                             : formats::Wording::discreet);
  if (!ics) return fail_with(ics);
  Response response;
  response.body = std::move(*ics);
  response.content_type = "text/calendar; charset=utf-8";
  response.headers.emplace_back("Content-Disposition", "attachment; filename=\"mitra-plan.ics\"");
  return response;
}

}  // namespace

std::vector<Route> api_routes() {
  using http::verb;
  const std::string v1 = "/api/v1";
  std::vector<Route> routes{
      {verb::get, v1 + "/status", get_status},
      taking({verb::get, v1 + "/doses", list_doses}, {"from", "to"}),
      {verb::post, v1 + "/doses", post_dose},
      {verb::patch, v1 + "/doses/{id}", patch_dose},
      {verb::delete_, v1 + "/doses/{id}", delete_record},
      {verb::post, v1 + "/substance-uses", post_substance_use},
      {verb::delete_, v1 + "/substance-uses/{id}", delete_record},
      {verb::post, v1 + "/undo", post_undo},
      taking({verb::get, v1 + "/pattern", get_pattern}, {"days"}),
      taking({verb::get, v1 + "/export", get_export}, {"format"}),
      taking({verb::get, v1 + "/report", get_report}, {"format"}),
      {verb::get, v1 + "/fhir", get_fhir},
      taking({verb::post, v1 + "/import", post_import, Access::token, BodyType::json_or_csv},
             {"format", "on_conflict"}),
      {verb::get, v1 + "/withdrawal", get_withdrawal},
      {verb::get, v1 + "/safety", get_safety},
      taking({verb::get, v1 + "/evidence", get_evidence}, {"topic"}),
      {verb::post, v1 + "/checkins",
       [](const Request& r, app::Context& c) { return assess(r, c, "scale", "sows"); }},
      {verb::post, v1 + "/reflections",
       [](const Request& r, app::Context& c) { return assess(r, c, "instrument", "dsm5"); }},
      {verb::get, v1 + "/plans", get_plan},
      {verb::get, v1 + "/plans/current", get_plan},
      {verb::post, v1 + "/plans", post_plan},
      taking({verb::get, v1 + "/plans/current/ics", get_plan_ics}, {"wording"}),
  };
  for (auto group : {detail::form_routes(), detail::settings_routes(), detail::plan_routes()}) {
    for (auto& route : group) routes.push_back(std::move(route));
  }
  return routes;
}

}  // namespace mitra::server
