#include "app/journal.hpp"

#include <map>

#include <nlohmann/json.hpp>

#include "core/ids.hpp"
#include "core/json_text.hpp"
#include "core/text.hpp"
#include "core/translate.hpp"

namespace mitra::app {

namespace {

Result<core::Instant> read_time(const Context& context, const std::string& text,
                                const char* field) {
  if (core::trim(text).empty()) return context.now;
  return core::parse_time(text, context.now, context.zone, field);
}

// Parses a weight such as "500mg" or "0.5g" into millionths of a milligram.
Result<std::optional<std::int64_t>> read_weight(const std::string& text, const char* field) {
  if (core::trim(text).empty()) return std::optional<std::int64_t>{};
  auto amount = core::parse_amount(text, field);
  if (!amount) return tl::unexpected(amount.error());
  std::int64_t mg_micro = 0;
  if (amount->unit == core::Unit::gram) {
    mg_micro = amount->micro * 1000;
  } else if (amount->unit == core::Unit::milligram) {
    mg_micro = amount->micro;
  } else {
    return core::invalid(field, core::sentence("{field} must be a weight in g or mg, e.g. 500mg",
                                               {{"field", std::string(field)}}));
  }
  if (mg_micro <= 0 || mg_micro > core::kMaxProductWeightMg * core::kMicro) {
    return core::invalid(
        field, core::sentence("{field} must be more than 0 and at most {most} g",
                              {{"field", std::string(field)},
                               {"most", std::to_string(core::kMaxProductWeightMg / 1000)}}));
  }
  return std::optional<std::int64_t>{mg_micro};
}

Result<std::optional<core::Product>> find_product(Context& context, const std::string& name) {
  if (name.empty()) return std::optional<core::Product>{};
  auto products = context.store.list_products();
  if (!products) return tl::unexpected(products.error());
  for (const auto& p : *products) {
    if (p.name == name) return std::optional<core::Product>{p};
  }
  return std::optional<core::Product>{};
}

}  // namespace

std::string request_fingerprint(const DoseInput& input) {
  // Byte for byte the dump() of {"record": "dose", "amount": …, "at": …, …} that earlier
  // versions stored (keys sorted as dump() sorts them), without building that value.
  core::JsonText j;
  // The amount as parsed ("2.5 g" and "2.5g" are the same request); as typed when it does not
  // parse (the request is refused before its key is used anyway).
  j.key("amount");
  if (auto amount = core::parse_amount(input.amount)) {
    j.integer_and_string(amount->micro, core::to_string(amount->unit));
  } else {
    j.string(input.amount);
  }
  // The time as typed: "now" or "10 min ago" sent again later is the same request.
  j.key("at").string(core::trim(input.at));
  j.key("form").string(core::trim(input.form));
  j.key("note").string(input.note);
  j.key("product").string(core::trim(input.product));
  j.key("record").string("dose");
  j.key("triggers").strings(input.triggers);
  j.end();
  return std::move(j).take();
}

std::string request_fingerprint(const SubstanceUseInput& input) {
  nlohmann::json j;
  j["record"] = "substance_use";
  j["substance"] = std::string(core::trim(input.substance));
  j["at"] = std::string(core::trim(input.at));
  j["note"] = input.note;
  return j.dump();
}

Result<core::Dose> log_dose(Context& context, const DoseInput& input) {
  core::Dose dose;
  auto amount = core::parse_amount(input.amount);
  if (!amount) return tl::unexpected(amount.error());
  dose.amount = *amount;
  auto when = read_time(context, input.at, "at");
  if (!when) return tl::unexpected(when.error());
  dose.taken_at = *when;
  dose.zone = context.settings.zone;
  dose.product = std::string(core::trim(input.product));
  auto product = find_product(context, dose.product);
  if (!product) return tl::unexpected(product.error());
  if (!input.form.empty()) {
    auto form = core::parse_form(input.form);
    if (!form) return tl::unexpected(form.error());
    dose.form = *form;
  } else if (*product) {
    dose.form = (*product)->form;
  } else if (dose.amount.unit == core::Unit::capsule) {
    dose.form = core::Form::capsules;
  }
  dose.note = input.note;
  dose.triggers = input.triggers;
  auto valid = core::validate_dose(std::move(dose), context.now, *context.zones, "at");
  if (!valid) return tl::unexpected(valid.error());
  const std::string fingerprint =
      input.idempotency_key.empty() ? std::string() : request_fingerprint(input);
  return context.store.add_dose(*valid, input.idempotency_key, fingerprint);
}

Result<core::SubstanceUse> log_substance_use(Context& context, const SubstanceUseInput& input) {
  core::SubstanceUse use;
  auto substance = core::parse_substance(input.substance);
  if (!substance) return tl::unexpected(substance.error());
  use.substance = *substance;
  auto when = read_time(context, input.at, "at");
  if (!when) return tl::unexpected(when.error());
  use.taken_at = *when;
  use.zone = context.settings.zone;
  use.note = input.note;
  auto valid = core::validate_substance_use(std::move(use), context.now, *context.zones, "at");
  if (!valid) return tl::unexpected(valid.error());
  const std::string fingerprint =
      input.idempotency_key.empty() ? std::string() : request_fingerprint(input);
  return context.store.add_substance_use(*valid, input.idempotency_key, fingerprint);
}

Result<Journal> list_journal(Context& context, const std::string& from, const std::string& to) {
  store::TimeRange range;
  if (!core::trim(from).empty()) {
    auto t = core::parse_time(from, context.now, context.zone, "from");
    if (!t) return tl::unexpected(t.error());
    range.from = *t;
  }
  if (!core::trim(to).empty()) {
    auto t = core::parse_time(to, context.now, context.zone, "to");
    if (!t) return tl::unexpected(t.error());
    range.to = *t;
  }
  if (range.from && range.to && *range.to <= *range.from) {
    return core::invalid("to", core::sentence("to must be later than from"));
  }
  Journal journal;
  auto doses = context.store.list_doses(range);
  if (!doses) return tl::unexpected(doses.error());
  journal.doses = std::move(*doses);
  auto uses = context.store.list_substance_uses(range);
  if (!uses) return tl::unexpected(uses.error());
  journal.substance_uses = std::move(*uses);
  return journal;
}

Result<EditedDose> edit_dose(Context& context, const std::string& id, const DoseEdit& edit) {
  auto existing = context.store.get_dose(id);
  if (!existing) return tl::unexpected(existing.error());
  core::Dose dose = *existing;
  if (edit.amount) {
    auto amount = core::parse_amount(*edit.amount);
    if (!amount) return tl::unexpected(amount.error());
    dose.amount = *amount;
  }
  if (edit.at) {
    auto when = core::parse_time(*edit.at, context.now, context.zone, "at");
    if (!when) return tl::unexpected(when.error());
    dose.taken_at = *when;
  }
  if (edit.form) {
    auto form = core::parse_form(*edit.form);
    if (!form) return tl::unexpected(form.error());
    dose.form = *form;
  }
  if (edit.product) dose.product = *edit.product;
  if (edit.note) dose.note = *edit.note;
  if (edit.triggers) dose.triggers = *edit.triggers;
  auto valid = core::validate_dose(std::move(dose), context.now, *context.zones, "at");
  if (!valid) return tl::unexpected(valid.error());
  if (*valid == *existing) return EditedDose{*valid, false};
  auto updated = context.store.update_dose(*valid);
  if (!updated) return tl::unexpected(updated.error());
  return EditedDose{*updated, true};
}

Result<std::string> delete_record(Context& context, const std::string& id) {
  auto dose = context.store.delete_dose(id);
  if (dose) {
    return "deleted the dose of " + core::format_amount(dose->amount) + " from " +
           core::format_local(dose->taken_at, context.zone);
  }
  if (dose.error().kind != core::ErrorKind::not_found) return tl::unexpected(dose.error());
  auto use = context.store.delete_substance_use(id);
  if (use) {
    return std::string("deleted the ") + core::to_string(use->substance) + " entry from " +
           core::format_local(use->taken_at, context.zone);
  }
  if (use.error().kind != core::ErrorKind::not_found) return tl::unexpected(use.error());
  return core::fail(
      core::ErrorKind::not_found,
      core::sentence("no dose or substance use has the id \"{id}\"; `mitra list` shows ids",
                     {{"id", id}}),
      "id");
}

Result<std::vector<std::string>> all_record_ids(Context& context) {
  auto doses = context.store.list_doses_brief({}, store::Records::Order::oldest_first, -1);
  if (!doses) return tl::unexpected(doses.error());
  auto uses = context.store.list_substance_uses({});
  if (!uses) return tl::unexpected(uses.error());
  std::vector<std::string> ids;
  ids.reserve(doses->size() + uses->size());
  for (const auto& d : *doses) ids.push_back(d.id);
  for (const auto& u : *uses) ids.push_back(u.id);
  return ids;
}

Result<std::string> resolve_record_id(Context& context, const std::string& typed,
                                      const std::string& field) {
  // A whole dose id (what scripts and --json users pass) needs no list of every id.
  if (auto dose = context.store.get_dose(typed); dose) return typed;
  auto ids = all_record_ids(context);
  if (!ids) return tl::unexpected(ids.error());
  return core::match_id_prefix(*ids, typed, field);
}

Result<store::UndoResult> undo(Context& context) {
  auto undone = context.store.undo_last_change();
  // The description in the person's language (the store writes it as a sentence).
  if (undone && !undone->text.empty()) {
    undone->description = core::fill_sentence(undone->text, context.language);
  }
  return undone;
}

Result<core::Product> save_product(Context& context, const ProductInput& input) {
  core::Product product;
  auto name = core::validate_product_name(input.name, "name");
  if (!name) return tl::unexpected(name.error());
  product.name = *name;
  if (!input.form.empty()) {
    auto form = core::parse_form(input.form);
    if (!form) return tl::unexpected(form.error());
    product.form = *form;
  }
  auto capsule = read_weight(input.capsule_weight, "capsule_weight");
  if (!capsule) return tl::unexpected(capsule.error());
  auto teaspoon = read_weight(input.teaspoon_weight, "teaspoon_weight");
  if (!teaspoon) return tl::unexpected(teaspoon.error());
  product.weights = {*capsule, *teaspoon};
  auto valid = core::validate_product(std::move(product));
  if (!valid) return tl::unexpected(valid.error());
  product = std::move(*valid);
  auto saved = context.store.put_product(product, input.idempotency_key);
  if (!saved) return tl::unexpected(saved.error());
  if (saved->name != product.name) {
    return core::fail(core::ErrorKind::conflict,
                      core::sentence("this Idempotency-Key was already used to save the product "
                                     "\"{name}\"; send a new key for a new product",
                                     {{"name", saved->name}}),
                      "Idempotency-Key");
  }
  return saved;
}

Result<std::vector<core::Product>> list_products(Context& context) {
  return context.store.list_products();
}

Result<std::map<std::string, core::ProductWeights>> product_weights(Context& context) {
  auto products = context.store.list_products();
  if (!products) return tl::unexpected(products.error());
  std::map<std::string, core::ProductWeights> out;
  for (const auto& p : *products) out[p.name] = p.weights;
  return out;
}

}  // namespace mitra::app
