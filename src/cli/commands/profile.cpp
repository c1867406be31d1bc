// `mitra profile`: history answers and the reasons kratom came into your life, which shape
// the safety advisories and the care pathways.

#include <iostream>
#include <memory>
#include <sstream>

#include "app/understanding.hpp"
#include "cli/answers.hpp"
#include "cli/code_words.hpp"
#include "cli/commands.hpp"
#include "cli/render.hpp"
#include "core/text.hpp"
#include "core/translate.hpp"
#include "views/settings.hpp"

namespace mitra::cli {

namespace {

using core::noop_tr;
using core::tr;

// Asks yes / no / skip; returns null for skip. A Spanish "s" or "sí" is a yes too.
Result<nlohmann::json> ask_yes_no(std::string_view question, core::Language language) {
  for (;;) {
    std::cout << question << " " << tr(language, "[y/n, Enter to skip]") << " > " << std::flush;
    std::string line;
    if (!std::getline(std::cin, line)) {
      return core::invalid("profile", std::string(tr(language,
                                                     "The questions were not all answered; "
                                                     "nothing was saved.")));
    }
    const auto reply = core::ascii_lower(core::trim(line));
    if (reply.empty()) return nlohmann::json(nullptr);
    if (reply == "y" || reply == "yes") return nlohmann::json(true);
    if (language == core::Language::es && (reply == "s" || reply == "si" || reply == "sí")) {
      return nlohmann::json(true);
    }
    if (reply == "n" || reply == "no") return nlohmann::json(false);
  }
}

Result<nlohmann::json> ask_profile(core::Language language) {
  std::cout << tr(language,
                  "A few questions, asked without judgement. Your answers stay on this machine.")
            << "\n\n";
  nlohmann::json doc = nlohmann::json::object();
  const std::vector<std::pair<const char*, const char*>> questions = {
      {"prescription_opioid_use", noop_tr("Have you ever used prescription opioids?")},
      {"benzodiazepine_use", noop_tr("Have you ever used benzodiazepines?")},
      {"relapse_after_quitting",
       noop_tr("Did an earlier attempt to quit kratom end with going back?")},
      {"pregnant", noop_tr("Are you pregnant?")},
      {"on_opioid_treatment", noop_tr("Do you take buprenorphine or methadone?")}};
  for (const auto& [key, question] : questions) {
    auto answer = ask_yes_no(tr(language, question), language);
    if (!answer) return tl::unexpected(answer.error());
    if (!answer->is_null()) doc[key] = *answer;
  }
  std::cout << tr(language, "About how many years have you used kratom regularly? [Enter to skip]")
            << " > " << std::flush;
  std::string line;
  if (std::getline(std::cin, line) && !core::trim(line).empty()) {
    try {
      doc["years_of_use"] = std::stod(std::string(core::trim(line)));
    } catch (const std::exception&) {
      return core::invalid(
          "profile.years_of_use",
          core::sentence("profile.years_of_use must be a number of years from 0 to 80."));
    }
  }
  std::cout << tr(language, "What brought kratom into your life? Any of:") << " ";
  // The codes are what is typed; in Spanish each with its name, "pain (dolor), anxiety
  // (ansiedad), …".
  const auto& reasons_offered = core::all_reasons();
  for (std::size_t i = 0; i < reasons_offered.size(); ++i) {
    const bool last = i + 1 == reasons_offered.size();
    std::cout << reason_shown(reasons_offered[i], language)
              << (language == core::Language::en || last ? " " : ", ");
  }
  std::cout << "\n" << tr(language, "(separate with spaces, Enter to skip)") << " > " << std::flush;
  nlohmann::json reasons = nlohmann::json::array();
  if (std::getline(std::cin, line)) {
    std::istringstream words(line);
    std::string word;
    while (words >> word) reasons.push_back(word);
  }
  doc["reasons"] = reasons;
  return doc;
}

}  // namespace

void setup_profile(CLI::App& command, Session& session) {
  struct Options {
    std::string set;
    bool ask = false;
  };
  auto options = std::make_shared<Options>();
  command.add_option(
      "--set", options->set,
      noop_tr("Save the profile from a JSON file (or - for stdin); see docs/safety.md"));
  command.add_flag("--ask", options->ask, noop_tr("Answer the profile questions now"));
  command.footer(examples(session.globals.language,
                          {"mitra profile", "mitra profile --ask",
                           "echo '{\"reasons\": [\"pain\"]}' | mitra profile --set -"}) +
                 command.get_footer());
  command.callback([options, &session] {
    session.action = [options, &session]() -> Result<Reply> {
      const auto language = session.globals.language;
      std::optional<nlohmann::json> document;
      if (!options->set.empty()) {
        auto read = read_json_input(options->set, "profile", language);
        if (!read) return tl::unexpected(read.error());
        document = *read;
      } else if (options->ask) {
        if (!session.stdin_is_terminal) {
          return core::invalid(
              "profile",
              std::string(tr(language, "--ask needs a terminal; use --set FILE (or -) instead.")));
        }
        auto asked = ask_profile(language);
        if (!asked) return tl::unexpected(asked.error());
        document = *asked;
      }
      auto context = session.context();
      if (!context) return tl::unexpected(context.error());
      auto profile =
          document ? app::save_profile(**context, *document) : app::load_profile(**context);
      if (!profile) return tl::unexpected(profile.error());
      Reply reply;
      reply.json =
          views::profile_json(*profile, document ? views::Saved::yes : views::Saved::no, language);
      std::string& t = reply.text;
      t += std::string(document ? tr(language, "Profile saved.") : tr(language, "Your profile")) +
           "\n\n";
      const std::string not_answered(tr(language, "not answered"));
      const auto answer = [&](const std::optional<bool>& v) {
        return v ? std::string(*v ? tr(language, "yes") : tr(language, "no")) : not_answered;
      };
      const auto row = [&](const char* question, std::string value) {
        return std::vector<std::string>{std::string(tr(language, question)), std::move(value)};
      };
      // Years as JSON writes the number ("2.5"), with the language's decimal sign.
      const auto years = [&](double value) {
        const std::string written = nlohmann::json(value).dump();
        return language == core::Language::en ? written : core::format_number(written, language);
      };
      t += table({std::string(tr(language, "Question")), std::string(tr(language, "Answer"))},
                 {row(noop_tr("Prescription opioids"), answer(profile->prescription_opioid_use)),
                  row(noop_tr("Benzodiazepines"), answer(profile->benzodiazepine_use)),
                  row(noop_tr("Relapse after quitting"), answer(profile->relapse_after_quitting)),
                  row(noop_tr("Pregnant"), answer(profile->pregnant)),
                  row(noop_tr("Buprenorphine or methadone"), answer(profile->on_opioid_treatment)),
                  row(noop_tr("Years of use"),
                      profile->years_of_use ? years(*profile->years_of_use) : not_answered)});
      t += tr(language, "Reasons:");
      for (std::size_t i = 0; i < profile->reasons.size(); ++i) {
        // English: " pain anxiety", as typed; Spanish: " pain (dolor), anxiety (ansiedad)".
        const bool named = language != core::Language::en && i > 0;
        t += std::string(named ? ", " : " ") + reason_shown(profile->reasons[i], language);
      }
      if (profile->reasons.empty()) t += " " + not_answered;
      t += "\n";
      for (const auto& p : core::pathways_for(*profile, std::nullopt, language)) {
        t += "\n• " + p.title + "\n" + wrap(p.text + " " + source_keys(p.sources), 2);
      }
      if (!document) {
        t += "\n" +
             std::string(tr(language, "Change it with `mitra profile --ask` or `--set FILE`.")) +
             "\n";
      }
      t += "\n" + help_line(language);
      return reply;
    };
  });
}

}  // namespace mitra::cli
