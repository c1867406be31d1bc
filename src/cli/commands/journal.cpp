// Journal commands: log, use, list, edit, delete, undo, product.

#include <cctype>
#include <memory>
#include <string>

#include "app/journal.hpp"
#include "cli/code_words.hpp"
#include "cli/commands.hpp"
#include "cli/render.hpp"
#include "core/ids.hpp"
#include "core/translate.hpp"
#include "core/words.hpp"
#include "views/journal.hpp"

namespace mitra::cli {

namespace {

using core::fill;
using core::noop_tr;
using core::tr;

// "2 g leaf powder (Green) at 08:30 on Thu 2026-12-03".
std::string describe(const core::Dose& d, const core::TimeZone* zone, core::Language language) {
  return fill(tr(language, "{amount} {form}{product} at {when}"),
              {{"amount", core::format_amount(d.amount, language)},
               {"form", core::form_words(d.form, language)},
               {"product", d.product.empty() ? "" : " (" + d.product + ")"},
               {"when", core::format_moment(d.taken_at, zone, language)}});
}

// Another substance as `mitra use` confirms it: core::substance_words in `language` ("an
// opioid", "un opioide").
std::string substance_phrase(core::Substance substance, core::Language language) {
  switch (substance) {
    case core::Substance::alcohol:
      return std::string(tr(language, "alcohol"));
    case core::Substance::opioid:
      return std::string(tr(language, "an opioid"));
    case core::Substance::benzodiazepine:
      return std::string(tr(language, "a benzodiazepine"));
    case core::Substance::stimulant:
      return std::string(tr(language, "a stimulant"));
    case core::Substance::gabapentinoid:
      return std::string(tr(language, "a gabapentinoid"));
    case core::Substance::other_sedative:
      return std::string(tr(language, "another sedative"));
    case core::Substance::buprenorphine:
      return std::string(tr(language, "buprenorphine"));
    case core::Substance::methadone:
      return std::string(tr(language, "methadone"));
    case core::Substance::cannabis:
      return std::string(tr(language, "cannabis"));
    case core::Substance::other:
      break;
  }
  return std::string(tr(language, "another substance"));
}

// "Logged 2 g leaf powder (Green) at 08:30 on Thu 2026-12-03."
std::string logged(const core::Dose& d, const core::TimeZone* zone, core::Language language) {
  return fill(tr(language, "Logged {amount} {form}{product} at {when}."),
              {{"amount", core::format_amount(d.amount, language)},
               {"form", core::form_words(d.form, language)},
               {"product", d.product.empty() ? "" : " (" + d.product + ")"},
               {"when", core::format_moment(d.taken_at, zone, language)}});
}

// --idempotency-key, when given (even empty), must be a key mitra takes.
Result<void> check_key_option(const CLI::Option& option, const std::string& key) {
  if (option.count() == 0) return {};
  return core::check_idempotency_key(key, "idempotency-key");
}

}  // namespace

void setup_log(CLI::App& command, Session& session) {
  auto input = std::make_shared<app::DoseInput>();
  command.add_option("amount", input->amount, noop_tr("How much: 2.5g, 500mg, 2caps, 5ml, 1tsp"))
      ->required();
  // "mitra log 2.5 g", as people type it: the unit as a word of its own (the amount's reader
  // takes "2.5 g").
  auto unit_word = std::make_shared<std::string>();
  command.add_option("unit", *unit_word,
                     noop_tr("The unit, when it is a word of its own: mitra log 2.5 g"));
  command.add_option("--at", input->at,
                     noop_tr("When (default now): 08:30, \"yesterday 22:00\", 2h ago, ISO 8601"));
  command.add_option("--form", input->form,
                     noop_tr("leaf_powder, capsules, extract, seven_oh, liquid_shot or other"));
  command.add_option("--product", input->product, noop_tr("Product name"));
  command.add_option("--note", input->note, noop_tr("A note for yourself"));
  command.add_option("--trigger", input->triggers,
                     noop_tr("What led to it: stress, pain, tiredness, boredom, social, habit, or "
                             "your own word (repeatable)"));
  const auto* key = command.add_option("--idempotency-key", input->idempotency_key,
                                       noop_tr("A key that makes a retried log happen only once"));
  command.footer(
      examples(session.globals.language,
               {"mitra log 2.5g", "mitra log 3g --at 08:30 --trigger stress --note \"before work\"",
                "mitra log 2caps --product \"Green Maeng\" --at \"yesterday 22:00\""}) +
      command.get_footer());
  on_run(command, session, [input, unit_word, key](app::Context& context) -> Result<Reply> {
    if (auto checked = check_key_option(*key, input->idempotency_key); !checked) {
      return tl::unexpected(checked.error());
    }
    if (!unit_word->empty()) {
      // A second word after an amount that has its unit ("2g 3g") is not a unit of it.
      if (input->amount.empty() || std::isalpha(static_cast<unsigned char>(input->amount.back()))) {
        return core::fail(core::ErrorKind::invalid_input,
                          fill(tr(context.language,
                                  "This word was not expected: {words}. `mitra COMMAND "
                                  "--help` lists what a command takes."),
                               {{"words", *unit_word}}),
                          "amount");
      }
      input->amount += " " + *unit_word;
    }
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
                  noop_tr("alcohol, opioid, benzodiazepine, stimulant, gabapentinoid, "
                          "other_sedative, buprenorphine, methadone, cannabis or other"))
      ->required();
  command.add_option("--at", input->at, noop_tr("When (default now)"));
  command.add_option("--note", input->note, noop_tr("A note for yourself"));
  const auto* key = command.add_option("--idempotency-key", input->idempotency_key,
                                       noop_tr("A key that makes a retried log happen only once"));
  command.footer(
      examples(session.globals.language, {"mitra use alcohol --at \"yesterday 21:00\"",
                                          "mitra use benzodiazepine --note prescribed"}) +
      command.get_footer());
  on_run(command, session, [input, key](app::Context& context) -> Result<Reply> {
    if (auto checked = check_key_option(*key, input->idempotency_key); !checked) {
      return tl::unexpected(checked.error());
    }
    auto use = app::log_substance_use(context, *input);
    if (!use) return tl::unexpected(use.error());
    Reply reply;
    reply.json = views::use_json(*use, context.zone, *context.zones);
    const auto language = context.language;
    reply.text = fill(tr(language, "Logged {substance} at {when}."),
                      {{"substance", substance_phrase(use->substance, language)},
                       {"when", core::format_moment(use->taken_at, context.zone, language)}}) +
                 "\nid " + use->id + "\n" +
                 std::string(tr(language,
                                "Taking other substances with kratom is where most of the danger "
                                "lies; `mitra safety` says more.")) +
                 "\n";
    return reply;
  });
}

void setup_list(CLI::App& command, Session& session) {
  struct Options {
    std::string from;
    std::string to;
  };
  auto options = std::make_shared<Options>();
  command.add_option("--from", options->from, noop_tr("Only records at or after this TIME"));
  command.add_option("--to", options->to, noop_tr("Only records before this TIME"));
  command.footer(
      examples(session.globals.language, {"mitra list", "mitra list --from \"3 days ago\"",
                                          "mitra --json list --from 2026-01-01T00:00:00Z"}) +
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
      // In English the codes as typed, "stress,pain"; in Spanish each with its name,
      // "stress (estrés), pain (dolor)".
      const std::string separator = language == core::Language::en ? "," : ", ";
      std::string triggers;
      for (const auto& t : d.triggers) {
        triggers += (triggers.empty() ? "" : separator) + trigger_shown(t, language);
      }
      rows.push_back({row_time(d.taken_at, zone, language), core::format_amount(d.amount, language),
                      form_shown(d.form, language), d.product, triggers, d.note.substr(0, 40),
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
        use_rows.push_back({row_time(u.taken_at, zone, language),
                            substance_shown(u.substance, language), u.note.substr(0, 40),
                            short_id(u.id)});
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
                  noop_tr("The dose's id, whole or as `mitra list` shows it (any beginning of it "
                          "that no other id shares)"))
      ->required();
  command.add_option("--amount", options->edit.amount, noop_tr("New amount, e.g. 2g"));
  command.add_option("--at", options->edit.at, noop_tr("New time"));
  command.add_option("--form", options->edit.form, noop_tr("New form"));
  command.add_option("--product", options->edit.product, noop_tr("New product name"));
  command.add_option("--note", options->edit.note, noop_tr("New note"));
  auto* triggers =
      command.add_option("--trigger", options->triggers, noop_tr("Replace the triggers"));
  command.footer(
      examples(session.globals.language, {"mitra edit 019ad1f3 --amount 2g",
                                          "mitra edit 019ad1f3 --at \"yesterday 21:30\""}) +
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
      const auto language = (*context)->language;
      const std::string dose = describe(edited->dose, (*context)->zone, language);
      reply.text =
          edited->changed
              ? fill(tr(language, "Changed: {dose}.\n`mitra undo` puts it back as it was."),
                     {{"dose", dose}})
              : fill(tr(language,
                        "Nothing changed: {dose} is already so. This is not a step for "
                        "`mitra undo`."),
                     {{"dose", dose}});
      reply.text += "\n";
      return reply;
    };
  });
}

void setup_delete(CLI::App& command, Session& session) {
  auto id = std::make_shared<std::string>();
  command
      .add_option("id", *id,
                  noop_tr("The record's id, whole or as `mitra list` shows it (any beginning of "
                          "it that no other id shares)"))
      ->required();
  command.footer("\n" + std::string(tr(session.globals.language, "Example:")) +
                 "\n  mitra delete 019ad1f3\n" + command.get_footer());
  on_run(command, session, [id](app::Context& context) -> Result<Reply> {
    auto whole = app::resolve_record_id(context, *id, "id");
    if (!whole) return tl::unexpected(whole.error());
    auto done = app::delete_record(context, *whole);
    if (!done) return tl::unexpected(done.error());
    Reply reply;
    reply.json = views::deleted_json(*whole, *done);
    reply.text = fill(tr(context.language, "Done: {what}. `mitra undo` brings it back."),
                      {{"what", *done}}) +
                 "\n";
    return reply;
  });
}

void setup_undo(CLI::App& command, Session& session) {
  command.footer(
      "\n" + std::string(tr(session.globals.language, "Example:")) + "\n  mitra undo     " +
      std::string(tr(session.globals.language, "(reverts the last log, edit, delete or import)")) +
      "\n" + command.get_footer());
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
  command.add_option("name", input->name, noop_tr("Product name"))->required();
  command.add_option("--form", input->form,
                     noop_tr("leaf_powder, capsules, extract, seven_oh, liquid_shot, other"));
  command.add_option("--capsule-weight", input->capsule_weight,
                     noop_tr("What one capsule holds, e.g. 500mg"));
  command.add_option("--teaspoon-weight", input->teaspoon_weight,
                     noop_tr("What one level teaspoon weighs, e.g. 2.5g"));
  command.footer(examples(session.globals.language,
                          {"mitra product \"Red Bali caps\" --form capsules --capsule-weight 500mg",
                           "mitra product \"Green powder\" --teaspoon-weight 2.5g"}) +
                 command.get_footer());
  on_run(command, session, [input](app::Context& context) -> Result<Reply> {
    auto product = app::save_product(context, *input);
    if (!product) return tl::unexpected(product.error());
    Reply reply;
    reply.json = views::product_json(*product);
    reply.text = fill(tr(context.language,
                         "Saved product \"{name}\". Capsules and teaspoons of it now count in "
                         "grams."),
                      {{"name", product->name}}) +
                 "\n";
    return reply;
  });
}

}  // namespace mitra::cli
