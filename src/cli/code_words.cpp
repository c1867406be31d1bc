#include "cli/code_words.hpp"

#include "core/translate.hpp"
#include "core/words.hpp"

namespace mitra::cli {

namespace {

using core::noop_tr;
using core::tr;

// "code (name)", or the code alone when the name adds nothing.
std::string with_name(const std::string& code, std::string_view name) {
  if (name.empty() || name == code) return code;
  return code + " (" + std::string(name) + ")";
}

const char* substance_name(core::Substance substance) {
  // TRANSLATORS: the names of the other substances a person logs with `mitra use`, as a label
  // beside their code in `mitra list`.
  switch (substance) {
    case core::Substance::alcohol:
      return noop_tr("alcohol");
    case core::Substance::opioid:
      return noop_tr("opioid");
    case core::Substance::benzodiazepine:
      return noop_tr("benzodiazepine");
    case core::Substance::stimulant:
      return noop_tr("stimulant");
    case core::Substance::gabapentinoid:
      return noop_tr("gabapentinoid");
    case core::Substance::other_sedative:
      return noop_tr("other sedative");
    case core::Substance::buprenorphine:
      return noop_tr("buprenorphine");
    case core::Substance::methadone:
      return noop_tr("methadone");
    case core::Substance::cannabis:
      return noop_tr("cannabis");
    case core::Substance::other:
      return noop_tr("other substance");
  }
  return noop_tr("other substance");
}

// The name of a trigger mitra offers (core::known_triggers), or null for a person's own word.
const char* trigger_name(const std::string& trigger) {
  // TRANSLATORS: the triggers mitra offers for a dose, as a label beside their code.
  if (trigger == "stress") return noop_tr("stress");
  if (trigger == "pain") return noop_tr("pain");
  if (trigger == "tiredness") return noop_tr("tiredness");
  if (trigger == "boredom") return noop_tr("boredom");
  if (trigger == "social") return noop_tr("social");
  if (trigger == "habit") return noop_tr("habit");
  if (trigger == "anxiety") return noop_tr("anxiety");
  if (trigger == "low_mood") return noop_tr("low mood");
  if (trigger == "craving") return noop_tr("craving");
  if (trigger == "withdrawal") return noop_tr("withdrawal");
  return nullptr;
}

const char* reason_name(core::Reason reason) {
  // TRANSLATORS: what brought kratom into a person's life (`mitra profile`), as a label beside
  // its code.
  switch (reason) {
    case core::Reason::pain:
      return noop_tr("pain");
    case core::Reason::anxiety:
      return noop_tr("anxiety");
    case core::Reason::trauma:
      return noop_tr("trauma");
    case core::Reason::low_mood:
      return noop_tr("low mood");
    case core::Reason::getting_off_opioids_or_benzodiazepines:
      return noop_tr("getting off opioids or benzodiazepines");
    case core::Reason::energy_for_work:
      return noop_tr("energy for work");
    case core::Reason::other:
      return noop_tr("another reason");
  }
  return noop_tr("another reason");
}

}  // namespace

std::string form_shown(core::Form form, core::Language language) {
  const std::string code = core::to_string(form);
  if (language == core::Language::en) return code;
  return with_name(code, core::form_words(form, language));
}

std::string substance_shown(core::Substance substance, core::Language language) {
  const std::string code = core::to_string(substance);
  if (language == core::Language::en) return code;
  return with_name(code, tr(language, substance_name(substance)));
}

std::string trigger_shown(const std::string& trigger, core::Language language) {
  const char* name = trigger_name(trigger);
  if (language == core::Language::en || name == nullptr) return trigger;
  return with_name(trigger, tr(language, name));
}

std::string reason_shown(core::Reason reason, core::Language language) {
  const std::string code = core::to_string(reason);
  if (language == core::Language::en) return code;
  return with_name(code, tr(language, reason_name(reason)));
}

std::string band_words(const std::string& id, core::Language language) {
  // TRANSLATORS: the bands of a questionnaire's total (SOWS, COWS, the DSM-5 self-reflection,
  // the seven reflection questions), said of the withdrawal or of the criteria met.
  if (id == "none") return std::string(tr(language, "none"));
  if (id == "some") return std::string(tr(language, "some"));
  if (id == "mild") return std::string(tr(language, "mild"));
  if (id == "moderate") return std::string(tr(language, "moderate"));
  if (id == "moderately_severe") return std::string(tr(language, "moderately_severe"));
  if (id == "severe") return std::string(tr(language, "severe"));
  return id;
}

}  // namespace mitra::cli
