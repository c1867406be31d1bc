#pragma once
// Use cases of the dose journal: log, list, edit, delete, undo, products.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/context.hpp"
#include "core/journal.hpp"

namespace mitra::app {

// Text as a person or client typed it; parsing and validation happen here, once.
struct DoseInput {
  std::string amount;  // "2.5g"
  std::string at;      // TIME; empty means now.
  std::string form;    // Empty: the product's form, else leaf_powder.
  std::string product;
  std::string note;
  std::vector<std::string> triggers;
  std::string idempotency_key;
};

struct SubstanceUseInput {
  std::string substance;
  std::string at;
  std::string note;
  std::string idempotency_key;
};

// Changes to a dose; unset fields stay as they are.
struct DoseEdit {
  std::optional<std::string> amount;
  std::optional<std::string> at;
  std::optional<std::string> form;
  std::optional<std::string> product;
  std::optional<std::string> note;
  std::optional<std::vector<std::string>> triggers;
};

struct ProductInput {
  std::string name;
  std::string form;
  std::string capsule_weight;   // e.g. "500mg"; empty: unknown.
  std::string teaspoon_weight;  // e.g. "2.5g"; empty: unknown.
  // A retry with the same key saves nothing and returns the first call's product; the same
  // key with another product name is a conflict.
  std::string idempotency_key;
};

struct Journal {
  std::vector<core::Dose> doses;
  std::vector<core::SubstanceUse> substance_uses;
};

// The content of a logging request in a canonical form, kept with its idempotency key: a
// retry with the same key must send the same content (else the store refuses it as
// unprocessable). The time is taken as typed, so a retry of "now" later is the same request.
std::string request_fingerprint(const DoseInput& input);
std::string request_fingerprint(const SubstanceUseInput& input);

// A repeated call with the same idempotency key returns the first call's record; the same key
// with other content (see request_fingerprint) is unprocessable.
Result<core::Dose> log_dose(Context& context, const DoseInput& input);
Result<core::SubstanceUse> log_substance_use(Context& context, const SubstanceUseInput& input);
Result<Journal> list_journal(Context& context, const std::string& from, const std::string& to);
// An edit that leaves the dose as it was writes nothing and is not an undo step (`changed`
// false): undo would revert the change before it.
struct EditedDose {
  core::Dose dose;
  bool changed = false;
};
Result<EditedDose> edit_dose(Context& context, const std::string& id, const DoseEdit& edit);
// Deletes a dose or a substance use by id; returns a sentence saying what went.
Result<std::string> delete_record(Context& context, const std::string& id);
// The id of every dose and substance use in the journal.
Result<std::vector<std::string>> all_record_ids(Context& context);
// The full id of the record `typed` names, as the command line takes it: a whole id, or a
// prefix only one id starts with (core::match_id_prefix); `field` is named in errors.
Result<std::string> resolve_record_id(Context& context, const std::string& typed,
                                      const std::string& field);
Result<store::UndoResult> undo(Context& context);
Result<core::Product> save_product(Context& context, const ProductInput& input);

// Every saved product, by name.
Result<std::vector<core::Product>> list_products(Context& context);

// Capsule and teaspoon weights by product name.
Result<std::map<std::string, core::ProductWeights>> product_weights(Context& context);

}  // namespace mitra::app
