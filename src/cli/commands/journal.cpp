// Journal commands: log, use, list, edit, delete, undo, product.

#include <memory>

#include "app/journal.hpp"
#include "cli/commands.hpp"
#include "cli/render.hpp"
#include "core/ids.hpp"
#include "core/translate.hpp"
#include "core/words.hpp"
#include "views/journal.hpp"

namespace mitra::cli {

namespace {

using core::fill;
using core::tr;

std::string describe(const core::Dose& d, const date::time_zone* zone) {
  std::string out = core::format_amount(d.amount) + " " + core::form_words(d.form);
  if (!d.product.empty()) out += " (" + d.product + ")";
  out += " at " + core::format_moment(d.taken_at, zone);
  return out;
}

// "Logged 2 g leaf powder (Green) at 08:30 on Thu 2026-12-03."
std::string logged(const core::Dose& d, const date::time_zone* zone, core::Language language) {
  return fill(tr(language, "Logged {amount} {form}{product} at {when}."),
              {{"amount", core::format_amount(d.amount, language)},
               {"form", core::form_words(d.form, language)},
               {"product", d.product.empty() ? "" : " (" + d.product + ")"},
               {"when", core::format_moment(d.taken_at, zone, language)}});
}

}  // namespace

void setup_log(CLI::App& command, Session& session) {
  auto input = std::make_shared<app::DoseInput>();
  command.add_option("amount", input->amount, "How much: 2.5g, 500mg, 2caps, 5ml, 1tsp")
      ->required();
  command.add_option("--at", input->at,
                     "When (default now): 08:30, \"yesterday 22:00\", 2h ago, ISO 8601");
  command.add_option("--form", input->form,
                     "leaf_powder, capsules, extract, seven_oh, liquid_shot or other");
  command.add_option("--product", input->product, "Product name");
  command.add_option("--note", input->note, "A note for yourself");
  command.add_option("--trigger", input->triggers,
                     "What led to it: stress, pain, tiredness, boredom, social, habit, or your own "
                     "word (repeatable)");
  command.add_option("--idempotency-key", input->idempotency_key,
                     "A key that makes a retried log happen only once");
  command.footer(
      "\nExamples:\n  mitra log 2.5g\n  mitra log 3g --at 08:30 --trigger stress --note \"before "
      "work\"\n"
      "  mitra log 2caps --product \"Green Maeng\" --at \"yesterday 22:00\"\n" +
      command.get_footer());
  on_run(command, session, [input](app::Context& context) -> Result<Reply> {
    auto dose = app::log_dose(context, *input);
    if (!dose) return tl::unexpected(dose.error());
    Reply reply;
    reply.json = views::dose_json(*dose, context.zone, *context.zones);
    reply.text = logged(*dose, context.zone, context.language) + "\nid " + dose->id + "\n";
    return reply;
  });
}

void setup_use(CLI::App& command, Session& session) {
  auto input = std::make_shared<app::SubstanceUseInput>();
  command
      .add_option("substance", input->substance,
                  "alcohol, opioid, benzodiazepine, stimulant, gabapentinoid, other_sedative, "
                  "buprenorphine, methadone, cannabis or other")
      ->required();
  command.add_option("--at", input->at, "When (default now)");
  command.add_option("--note", input->note, "A note for yourself");
  command.add_option("--idempotency-key", input->idempotency_key,
                     "A key that makes a retried log happen only once");
  command.footer(
      "\nExamples:\n  mitra use alcohol --at \"yesterday 21:00\"\n  mitra use benzodiazepine "
      "--note prescribed\n" +
      command.get_footer());
  on_run(command, session, [input](app::Context& context) -> Result<Reply> {
    auto use = app::log_substance_use(context, *input);
    if (!use) return tl::unexpected(use.error());
    Reply reply;
    reply.json = views::use_json(*use, context.zone, *context.zones);
    reply.text = "Logged " + core::substance_words(use->substance) + " at " +
                 core::format_moment(use->taken_at, context.zone) + ".\nid " + use->id +
                 "\nTaking other substances with kratom is where most of the danger lies; "
                 "`mitra safety` says more.\n";
    return reply;
  });
}

void setup_list(CLI::App& command, Session& session) {
  struct Options {
    std::string from;
    std::string to;
  };
  auto options = std::make_shared<Options>();
  command.add_option("--from", options->from, "Only records at or after this TIME");
  command.add_option("--to", options->to, "Only records before this TIME");
  command.footer(
      "\nExamples:\n  mitra list\n  mitra list --from \"3 days ago\"\n  mitra --json list --from "
      "2026-01-01T00:00:00Z\n" +
      command.get_footer());
  on_run(command, session, [options](app::Context& context) -> Result<Reply> {
    const auto* zone = context.zone;
    const auto language = context.language;
    auto journal = app::list_journal(context, options->from, options->to);
    if (!journal) return tl::unexpected(journal.error());
    // Ids as short as they can be while no other record's id starts the same way.
    auto ids = app::all_record_ids(context);
    if (!ids) return tl::unexpected(ids.error());
    const auto shown = core::shortest_unique_prefixes(std::move(*ids));
    const auto short_id = [&shown](const std::string& id) {
      const auto found = shown.find(id);
      return found == shown.end() ? id : found->second;
    };
    Reply reply;
    reply.json = views::journal_json(*journal, zone, *context.zones);
    std::vector<std::vector<std::string>> rows;
    for (const auto& d : journal->doses) {
      std::string triggers;
      for (const auto& t : d.triggers) triggers += (triggers.empty() ? "" : ",") + t;
      rows.push_back({row_time(d.taken_at, zone, language), core::format_amount(d.amount, language),
                      core::to_string(d.form), d.product, triggers, d.note.substr(0, 40),
                      short_id(d.id)});
    }
    if (rows.empty()) {
      reply.text = std::string(tr(language,
                                  "No doses logged in that time. Log one with `mitra log 2.5g`.")) +
                   "\n";
    } else {
      reply.text = table({std::string(tr(language, "When")), std::string(tr(language, "Amount")),
                          std::string(tr(language, "Form")), std::string(tr(language, "Product")),
                          std::string(tr(language, "Triggers")), std::string(tr(language, "Note")),
                          std::string(tr(language, "Id"))},
                         rows);
    }
    if (!journal->substance_uses.empty()) {
      std::vector<std::vector<std::string>> use_rows;
      for (const auto& u : journal->substance_uses) {
        use_rows.push_back({row_time(u.taken_at, zone, language), core::to_string(u.substance),
                            u.note.substr(0, 40), short_id(u.id)});
      }
      reply.text +=
          "\n" + std::string(tr(language, "Other substances")) + "\n" +
          table({std::string(tr(language, "When")), std::string(tr(language, "Substance")),
                 std::string(tr(language, "Note")), std::string(tr(language, "Id"))},
                use_rows);
    }
    reply.text += std::string(tr(language,
                                 "(Ids are shortened to what tells them apart: `mitra edit` and "
                                 "`mitra delete` take them as shown; `mitra --json list` shows "
                                 "them whole.)")) +
                  "\n";
    return reply;
  });
}

void setup_edit(CLI::App& command, Session& session) {
  struct Options {
    std::string id;
    app::DoseEdit edit;
    std::vector<std::string> triggers;
  };
  auto options = std::make_shared<Options>();
  command
      .add_option("id", options->id,
                  "The dose's id, whole or as `mitra list` shows it (any beginning of it that "
                  "no other id shares)")
      ->required();
  command.add_option("--amount", options->edit.amount, "New amount, e.g. 2g");
  command.add_option("--at", options->edit.at, "New time");
  command.add_option("--form", options->edit.form, "New form");
  command.add_option("--product", options->edit.product, "New product name");
  command.add_option("--note", options->edit.note, "New note");
  auto* triggers = command.add_option("--trigger", options->triggers, "Replace the triggers");
  command.footer(
      "\nExamples:\n  mitra edit 019ad1f3 --amount 2g\n  mitra edit 019ad1f3 --at \"yesterday "
      "21:30\"\n" +
      command.get_footer());
  command.callback([options, triggers, &session] {
    if (triggers->count() > 0) options->edit.triggers = options->triggers;
    session.action = [options, &session]() -> Result<Reply> {
      auto context = session.context();
      if (!context) return tl::unexpected(context.error());
      auto id = app::resolve_record_id(**context, options->id, "id");
      if (!id) return tl::unexpected(id.error());
      auto edited = app::edit_dose(**context, *id, options->edit);
      if (!edited) return tl::unexpected(edited.error());
      Reply reply;
      reply.json = views::edited_dose_json(*edited, (*context)->zone, *(*context)->zones);
      reply.text = edited->changed
                       ? "Changed: " + describe(edited->dose, (*context)->zone) +
                             ".\n`mitra undo` puts it back as it was.\n"
                       : "Nothing changed: " + describe(edited->dose, (*context)->zone) +
                             " is already so. This is not a step for `mitra undo`.\n";
      return reply;
    };
  });
}

void setup_delete(CLI::App& command, Session& session) {
  auto id = std::make_shared<std::string>();
  command
      .add_option("id", *id,
                  "The record's id, whole or as `mitra list` shows it (any beginning of it that "
                  "no other id shares)")
      ->required();
  command.footer("\nExample:\n  mitra delete 019ad1f3\n" + command.get_footer());
  on_run(command, session, [id](app::Context& context) -> Result<Reply> {
    auto whole = app::resolve_record_id(context, *id, "id");
    if (!whole) return tl::unexpected(whole.error());
    auto done = app::delete_record(context, *whole);
    if (!done) return tl::unexpected(done.error());
    Reply reply;
    reply.json = views::deleted_json(*whole, *done);
    reply.text = "Done: " + *done + ". `mitra undo` brings it back.\n";
    return reply;
  });
}

void setup_undo(CLI::App& command, Session& session) {
  command.footer("\nExample:\n  mitra undo     (reverts the last log, edit, delete or import)\n" +
                 command.get_footer());
  on_run(command, session, [](app::Context& context) -> Result<Reply> {
    auto done = app::undo(context);
    if (!done) return tl::unexpected(done.error());
    Reply reply;
    reply.json = views::undone_json(*done);
    reply.text =
        fill(tr(context.language, "Undone: {what}."), {{"what", done->description}}) + "\n";
    return reply;
  });
}

void setup_product(CLI::App& command, Session& session) {
  auto input = std::make_shared<app::ProductInput>();
  command.add_option("name", input->name, "Product name")->required();
  command.add_option("--form", input->form,
                     "leaf_powder, capsules, extract, seven_oh, liquid_shot, other");
  command.add_option("--capsule-weight", input->capsule_weight,
                     "What one capsule holds, e.g. 500mg");
  command.add_option("--teaspoon-weight", input->teaspoon_weight,
                     "What one level teaspoon weighs, e.g. 2.5g");
  command.footer(
      "\nExamples:\n  mitra product \"Red Bali caps\" --form capsules --capsule-weight 500mg\n"
      "  mitra product \"Green powder\" --teaspoon-weight 2.5g\n" +
      command.get_footer());
  on_run(command, session, [input](app::Context& context) -> Result<Reply> {
    auto product = app::save_product(context, *input);
    if (!product) return tl::unexpected(product.error());
    Reply reply;
    reply.json = views::product_json(*product);
    reply.text = "Saved product \"" + product->name +
                 "\". Capsules and teaspoons of it now count in grams.\n";
    return reply;
  });
}

}  // namespace mitra::cli
