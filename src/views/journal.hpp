#pragma once
// The documents of journal records and patterns: `mitra log|use|edit|list|pattern|product`
// (--json) and POST/PATCH/GET /api/v1/doses, /substance-uses, /pattern, /products.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/journal.hpp"
#include "core/journal.hpp"
#include "core/pattern.hpp"

namespace mitra::views {

// A record in the journal's JSON shape (formats/journal_json.hpp), with its time also in the
// zone it was logged in (else `zone`): "taken_at_local".
nlohmann::json dose_json(const core::Dose& dose, const core::TimeZone* zone,
                         const core::Zones& zones);
nlohmann::json use_json(const core::SubstanceUse& use, const core::TimeZone* zone,
                        const core::Zones& zones);
// The same documents as JSON text, written directly: equal byte for byte to
// dose_json(dose, zone).dump() (and use_json(…).dump()), without building the document first.
// The server answers every logged dose with one; building, dumping and freeing the document
// took about a fifth of an IO thread's time (perf, POST /doses at 64 connections).
std::string dose_json_text(const core::Dose& dose, const core::TimeZone* zone,
                           const core::Zones& zones);
std::string use_json_text(const core::SubstanceUse& use, const core::TimeZone* zone,
                          const core::Zones& zones);

// An edited dose: dose_json and "changed" (false: nothing to save, and nothing for undo).
nlohmann::json edited_dose_json(const app::EditedDose& edited, const core::TimeZone* zone,
                                const core::Zones& zones);
// {"doses": [...], "substance_uses": [...]}.
nlohmann::json journal_json(const app::Journal& journal, const core::TimeZone* zone,
                            const core::Zones& zones);
// {"deleted": id, "message"}.
nlohmann::json deleted_json(const std::string& id, const std::string& message);
// {"description", "record_id"}: what undo reverted.
nlohmann::json undone_json(const store::UndoResult& undone);

nlohmann::json product_json(const core::Product& product);
// {"products": [...]}.
nlohmann::json products_json(const std::vector<core::Product>& products);

nlohmann::json pattern_json(const core::Pattern& pattern);

// Amounts per strength group (issue 13, item 3), one object per group with doses:
// `form`, `unit`, `doses`, `amount` (the total, in `unit`), `doses_without_known_amount`, and
// `amount_per_day` when `with_per_day`. Groups are never added together.
nlohmann::json form_amounts_json(const std::vector<core::FormAmount>& amounts, bool with_per_day);
// The groups of a day's doses (the `by_form` entries with doses), in StrengthGroup order.
std::vector<core::FormAmount> forms_of(const core::DayStats& day);

}  // namespace mitra::views
