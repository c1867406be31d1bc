// Changes to the current plan and views of it: POST /plans/current/hold, /resume, /adjust,
// GET /plans/current/today and GET /plans/current/status. Mirrors `mitra plan …`.

#include "app/plan.hpp"
#include "server/api_support.hpp"
#include "views/plan.hpp"

namespace mitra::server::detail {

namespace {

using core::Result;
using nlohmann::json;

// POST /plans/current/hold {"reason": "hard week"} (reason optional).
Result<Response> post_hold(const Request& request, app::Context& context) {
  auto body = optional_body(request, {"reason"});
  if (!body) return fail_with(body);
  auto reason = string_or_empty(*body, "reason");
  if (!reason) return fail_with(reason);
  auto plan = app::hold_plan(context, *reason);
  if (!plan) return fail_with(plan);
  return ok(views::plan_json(*plan, context.language));
}

Result<Response> post_resume(const Request& request, app::Context& context) {
  auto body = optional_body(request, {});
  if (!body) return fail_with(body);
  auto plan = app::resume_plan(context);
  if (!plan) return fail_with(plan);
  return ok(views::plan_json(*plan, context.language));
}

// Makes a new plan version, so a retry with the same Idempotency-Key makes only one.
Result<Response> post_adjust(const Request& request, app::Context& context) {
  auto body = optional_body(request, {});
  if (!body) return fail_with(body);
  auto plan = app::adjust_plan(context, request.idempotency_key);
  if (!plan) return fail_with(plan);
  return ok(views::plan_json(*plan, context.language));
}

// GET /plans/current/today[?day=YYYY-MM-DD]: the journal day in the person's zone by default.
Result<Response> get_today(const Request& request, app::Context& context) {
  core::Day day = core::journal_day(context.now, context.zone, context.settings.day_start);
  const std::string text = query_or(request, "day", "");
  if (!text.empty()) {
    auto parsed = core::parse_date(text, "day");
    if (!parsed) return fail_with(parsed);
    day = *parsed;
  }
  auto day_plan = app::plan_for_day(context, day);
  if (!day_plan) return fail_with(day_plan);
  return ok(views::day_plan_json(*day_plan, context.zone));
}

Result<Response> get_plan_status(const Request&, app::Context& context) {
  auto status = app::plan_status(context);
  if (!status) return fail_with(status);
  if (!*status) {
    return core::fail(
        core::ErrorKind::not_found,
        core::sentence("there is no taper plan yet; make one with POST /api/v1/plans"), "plan");
  }
  return ok(views::plan_status_document(**status, context.language));
}

}  // namespace

std::vector<Route> plan_routes() {
  using boost::beast::http::verb;
  const std::string current = "/api/v1/plans/current";
  return {
      {verb::post, current + "/hold", post_hold},
      {verb::post, current + "/resume", post_resume},
      {verb::post, current + "/adjust", post_adjust},
      taking({verb::get, current + "/today", get_today}, {"day"}),
      {verb::get, current + "/status", get_plan_status},
  };
}

}  // namespace mitra::server::detail
