// `mitra plan new|show|today|hold|resume|adjust|ics`: the taper planner (docs/taper.md).

#include <cmath>
#include <memory>
#include <optional>

#include "app/plan.hpp"
#include "app/understanding.hpp"
#include "cli/answers.hpp"
#include "cli/commands.hpp"
#include "cli/files.hpp"
#include "cli/render.hpp"
#include "core/translate.hpp"
#include "core/words.hpp"
#include "views/plan.hpp"

namespace mitra::cli {

namespace {

using core::fill;
using core::Language;
using core::tr;

// "text [S8, S32]" wrapped for the screen.
std::string sourced(const core::TaperText& t, int indent = 0) {
  return wrap(t.text + " " + source_keys(t.sources), indent);
}

std::string hours_text(std::chrono::minutes m) {
  if (m.count() % 60 == 0) return std::to_string(m.count() / 60) + " h";
  return std::to_string(m.count() / 60) + " h " + std::to_string(m.count() % 60) + " min";
}

// An amount of the plan's unit, "1.5 g" ("1,5 g").
std::string plan_amount(std::int64_t micro, const std::string& unit, Language language) {
  return core::format_number(core::format_decimal(micro), language) + unit;
}

std::string steps_table(const core::Plan& plan, Language language) {
  std::vector<std::vector<std::string>> rows;
  const auto unit = std::string(" ") + core::to_string(plan.inputs.resolution.unit);
  for (const auto& s : plan.steps) {
    const bool stop = s.kind == core::StepKind::stop;
    std::string each = stop ? "—" : plan_amount(s.amount_per_dose.micro, unit, language);
    if (!stop && s.last_dose != s.amount_per_dose) {
      each += fill(tr(language, ", last {amount}"),
                   {{"amount", plan_amount(s.last_dose.micro, unit, language)}});
    }
    rows.push_back({core::format_date(s.starts_on), core::format_date(s.ends_on),
                    stop ? std::string(tr(language, "none")) : std::to_string(s.doses_per_day),
                    stop || s.doses_per_day == 1
                        ? "—"
                        : fill(tr(language, "every {hours}"), {{"hours", hours_text(s.interval)}}),
                    each, plan_amount(s.daily_total.micro, unit, language)});
  }
  return table({std::string(tr(language, "From")), std::string(tr(language, "To")),
                std::string(tr(language, "Doses a day")), std::string(tr(language, "Interval")),
                std::string(tr(language, "Each dose")), std::string(tr(language, "A day"))},
               rows);
}

enum class Reasons { hidden, shown };

Reply plan_reply(const core::Plan& plan, const std::string& heading, Language language,
                 const std::string& before = "", Reasons reasons = Reasons::hidden) {
  const bool with_reasons = reasons == Reasons::shown;
  Reply reply;
  reply.json = views::plan_json(plan);
  std::string& t = reply.text;
  t += before + heading + "\n\n";
  const auto& p = plan.inputs.pattern;
  const auto& pace = core::pace_text(plan.inputs.pace, language);
  if (p) {
    t += wrap(fill(tr(language,
                      "Starting from {count} doses a day of {amount}. Pace {pace}: "
                      "{summary}. {description} {sources}"),
                   {{"count", std::to_string(p->doses_per_day)},
                    {"amount", core::format_amount(p->amount_per_dose, language)},
                    {"pace", core::to_string(plan.inputs.pace)},
                    {"summary", pace.summary},
                    {"description", pace.description},
                    {"sources", source_keys(pace.sources)}}),
              0);
    t += sourced(core::plan_how_it_works(language)) + "\n";
  }
  t += steps_table(plan, language);
  if (with_reasons) {
    // One line per step saying why it is what it is (`plan new --preview`). The reasons are
    // English for now (docs/languages.md, "Left to do").
    t += "\n" + std::string(tr(language, "Why each step:")) + "\n";
    const auto why = core::step_reasons(plan);
    for (std::size_t i = 0; i < plan.steps.size(); ++i) {
      t += "  " + core::format_date(plan.steps[i].starts_on) + "  " + why[i] + "\n";
    }
  }
  if (core::is_held(plan)) {
    t += "\n" +
         fill(tr(language, "On hold since {day}; `mitra plan resume` carries on."),
              {{"day", core::format_date(plan.holds.back().from)}}) +
         "\n";
  }
  t += "\n" + sourced(core::plan_not_advice(language)) + sourced(core::plan_own_choices(language)) +
       help_line(language);
  return reply;
}

}  // namespace

void setup_plan(CLI::App& command, Session& session) {
  command.require_subcommand(1);

  // plan new
  // The options as typed; app::read_new_plan parses them and holds the defaults.
  struct NewOptions {
    app::NewPlanInput input;
    bool preview = false;
  };
  auto n = std::make_shared<NewOptions>();
  auto* make = command.add_subcommand(
      "new", core::noop_tr("Make a taper plan from your last 7 days (or a pattern you give)"));
  const app::NewPlanRequest defaults;
  make->add_option("--goal", n->input.goal, core::noop_tr("stop or reduce"))->default_str("stop");
  make->add_option("--target", n->input.target,
                   core::noop_tr("For --goal reduce: the daily amount to end at, e.g. 6g/day"));
  make->add_option(
      "--pace", n->input.pace,
      // xgettext:no-c-format
      core::noop_tr("slow (10 % a month), gentle (10 % every 2 weeks), steady (10 % a week) or "
                    "brisk (20 % a week); default: slow after a year or more of use, when pregnant "
                    "or on buprenorphine/methadone (see `mitra profile`), else steady"));
  make->add_option(
      "--form", n->input.form,
      core::noop_tr("When your last 7 days mix forms (leaf, extract, seven_oh…), the one to plan "
                    "for; leaf powder and capsules count as leaf"));
  make->add_flag(
      "--allow-larger-doses", n->input.allow_larger_doses,
      core::noop_tr("Let the remaining doses grow (up to twice today's) while dosing points drop; "
                    "by default no planned dose is larger than today's"));
  make->add_option(
      "--start", n->input.start,
      core::noop_tr("First day, YYYY-MM-DD (default: today, or tomorrow when you have already "
                    "logged doses today)"));
  make->add_flag("--preview", n->preview,
                 core::noop_tr("Show the plan with a reason for each step, without saving it"));
  make->add_option("--wake", n->input.wake, core::noop_tr("When your day starts, HH:MM"))
      ->default_str(core::format_time_of_day(defaults.wake));
  make->add_option("--sleep", n->input.sleep, core::noop_tr("When you go to sleep, HH:MM"))
      ->default_str(core::format_time_of_day(defaults.sleep));
  make->add_option(
      "--resolution", n->input.resolution,
      core::noop_tr(
          "The smallest amount you can measure, e.g. 0.1g or 1caps (default: 0.1 of the unit)"));
  make->add_option("--doses-per-day", n->input.doses_per_day,
                   core::noop_tr("Your pattern now: doses a day"));
  make->add_option("--interval", n->input.interval_hours,
                   core::noop_tr("Your pattern now: hours between doses"));
  make->add_option("--amount", n->input.amount_per_dose,
                   core::noop_tr("Your pattern now: amount per dose, e.g. 2.5g"));
  const Language help_language = session.globals.language;
  make->footer(
      "\n" +
      std::string(tr(help_language,
                     "Paces, with sources: `mitra plan new --help` lists them; "
                     "docs/taper.md explains them.")) +
      "\n" +
      examples(help_language,
               {"mitra plan new --goal stop",
                "mitra plan new --goal reduce --target 6g/day --pace gentle",
                "mitra plan new --goal stop --doses-per-day 6 --interval 3 --amount 2.5g"}));
  on_run(*make, session, [n](app::Context& context) -> Result<Reply> {
    auto request = app::read_new_plan(n->input);
    if (!request) return tl::unexpected(request.error());
    auto plan =
        n->preview ? app::preview_plan(context, *request) : app::new_plan(context, *request);
    if (!plan) return tl::unexpected(plan.error());
    auto advice = app::plan_advice(context, *request, *plan);
    if (!advice) return tl::unexpected(advice.error());
    std::string before;
    for (const auto& note : advice->involve_provider) {
      before +=
          sourced({fill(tr(context.language, "Before you start: {note}"), {{"note", note.text}}),
                   note.sources});
    }
    if (advice->long_term_use) before += sourced(*advice->long_term_use);
    if (advice->start_note) before += wrap(*advice->start_note, 0);
    if (!before.empty()) before += "\n";
    auto reply = plan_reply(
        *plan,
        std::string(n->preview ? tr(context.language,
                                    "A preview of your taper plan (nothing was saved; run the "
                                    "same command without --preview to keep it)")
                               : tr(context.language, "Your taper plan")),
        context.language, before, n->preview ? Reasons::shown : Reasons::hidden);
    reply.json = views::new_plan_json(*plan, *advice,
                                      n->preview ? views::Stored::preview : views::Stored::yes);
    return reply;
  });

  // plan show
  auto* show = command.add_subcommand("show", core::noop_tr("Show the current plan, step by step"));
  on_run(*show, session, [](app::Context& context) -> Result<Reply> {
    auto plan = app::current_plan(context);
    if (!plan) return tl::unexpected(plan.error());
    return plan_reply(*plan,
                      fill(tr(context.language, "Your taper plan (version {version})"),
                           {{"version", std::to_string(plan->version)}}),
                      context.language);
  });

  // plan today
  auto* today = command.add_subcommand(
      "today", core::noop_tr("Today's planned doses, and how today is going"));
  on_run(*today, session, [](app::Context& context) -> Result<Reply> {
    const auto day = core::journal_day(context.now, context.zone, context.settings.day_start);
    auto d = app::plan_for_day(context, day);
    if (!d) return tl::unexpected(d.error());
    Reply reply;
    reply.json = views::day_plan_json(*d, context.zone);
    std::vector<std::vector<std::string>> rows;
    for (const auto& dose : d->doses) {
      rows.push_back({core::format_clock(dose.at, context.zone),
                      core::format_amount(dose.amount, context.language)});
    }
    std::string& t = reply.text;
    const auto language = context.language;
    if (d->doses.empty()) {
      if (d->step) {
        t += std::string(tr(language, "No doses are planned today.")) + "\n";
      } else if (auto plan = app::current_plan(context);
                 plan && !plan->steps.empty() && plan->steps.front().starts_on > day) {
        t += fill(tr(language, "The plan starts on {day}."),
                  {{"day", core::format_date(plan->steps.front().starts_on)}}) +
             "\n";
      } else {
        t += std::string(tr(language, "The plan has not started yet.")) + "\n";
      }
    } else {
      t += fill(tr(language, "Planned today ({day})"), {{"day", core::format_date(day)}}) + "\n" +
           table({std::string(tr(language, "Time")), std::string(tr(language, "Amount"))}, rows);
    }
    const auto actual = static_cast<unsigned long>(d->so_far.actual_doses);
    if (d->so_far.in_plan) {
      t += fill(core::trn(language, "So far: {count} of {planned} dose.",
                          "So far: {count} of {planned} doses.",
                          static_cast<unsigned long>(d->so_far.planned_doses)),
                {{"count", std::to_string(actual)},
                 {"planned", std::to_string(d->so_far.planned_doses)}}) +
           "\n";
    } else {
      // Before the plan's first day nothing is planned: "3 of 0" would read as a slip.
      t += fill(core::trn(language, "Logged today: {count} dose, not counted against the plan.",
                          "Logged today: {count} doses, not counted against the plan.", actual),
                {{"count", std::to_string(actual)}}) +
           "\n";
    }
    if (d->so_far.over_plan) {
      t += std::string(tr(language,
                          "That is more than planned. It happens; `mitra plan adjust` re-plans "
                          "from here, and your history stays.")) +
           "\n";
    }
    t += help_line(language);
    return reply;
  });

  // plan hold
  auto reason = std::make_shared<std::string>();
  auto* hold =
      command.add_subcommand("hold", core::noop_tr("Stay on the current step until you resume"));
  hold->add_option("--reason", *reason, core::noop_tr("A note for yourself, e.g. \"hard week\""));
  on_run(*hold, session, [reason](app::Context& context) -> Result<Reply> {
    auto plan = app::hold_plan(context, *reason);
    if (!plan) return tl::unexpected(plan.error());
    return plan_reply(*plan,
                      std::string(tr(context.language,
                                     "Holding the current step. Resume with `mitra plan resume`.")),
                      context.language);
  });

  // plan resume
  auto* resume = command.add_subcommand(
      "resume", core::noop_tr("Carry on after a hold; later steps move along"));
  on_run(*resume, session, [](app::Context& context) -> Result<Reply> {
    auto plan = app::resume_plan(context);
    if (!plan) return tl::unexpected(plan.error());
    return plan_reply(*plan,
                      std::string(tr(context.language,
                                     "Resumed. The remaining steps moved by the days you held.")),
                      context.language);
  });

  // plan adjust
  auto* adjust = command.add_subcommand(
      "adjust", core::noop_tr("Re-plan from where you are now (after a slip)"));
  on_run(*adjust, session, [](app::Context& context) -> Result<Reply> {
    auto plan = app::adjust_plan(context);
    if (!plan) return tl::unexpected(plan.error());
    return plan_reply(*plan,
                      fill(tr(context.language,
                              "Re-planned from where you are now (version {version}). Your "
                              "earlier steps are kept in the plan's history."),
                           {{"version", std::to_string(plan->version)}}),
                      context.language);
  });

  // plan ics
  struct IcsOptions {
    std::string output;
    bool explicit_titles = false;
  };
  auto io = std::make_shared<IcsOptions>();
  auto* ics = command.add_subcommand(
      "ics", core::noop_tr("Write the plan as a calendar (.ics) with reminders"));
  ics->add_option("--output,-o", io->output,
                  core::noop_tr("Write to this file instead of the screen"));
  ics->add_flag(
      "--explicit-titles", io->explicit_titles,
      core::noop_tr("Name the product in event titles (default: a discreet \"Reminder\")"));
  ics->footer("\n" +
              std::string(tr(help_language,
                             "Import the file again after an adjustment or a new plan: reminders "
                             "the plan no longer\nhas (doses an adjustment dropped, the rest of a "
                             "replaced plan) come back cancelled.")) +
              "\n" + examples(help_language, {"mitra plan ics -o plan.ics"}));
  on_run(*ics, session, [io](app::Context& context) -> Result<Reply> {
    auto text = app::plan_ics(
        context, io->explicit_titles ? formats::Wording::descriptive : formats::Wording::discreet);
    if (!text) return tl::unexpected(text.error());
    Reply reply;
    if (io->output.empty()) {
      reply.text = *text;
      reply.json = {{"format", "ics"}, {"content", *text}};
      return reply;
    }
    // Whole or not at all, and on disk before "Wrote" is said (cli/files.hpp).
    if (auto written = write_file_atomically(io->output, *text, "output", Existing::replace, 0644,
                                             context.language);
        !written) {
      return tl::unexpected(written.error());
    }
    reply.json = {{"written", io->output}, {"bytes", text->size()}};
    reply.text = fill(tr(context.language, "Wrote {file}. Import it into your calendar app."),
                      {{"file", io->output}}) +
                 "\n";
    return reply;
  });
}

}  // namespace mitra::cli
