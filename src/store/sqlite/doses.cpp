// The doses repository.
#include "store/sqlite/sqlite_engine.hpp"

#include <chrono>
#include <string>
#include <vector>

#include "formats/journal_json.hpp"
#include "store/store.hpp"

namespace mitra::store::sqlite {

namespace {

std::string join_triggers(const std::vector<std::string>& triggers) {
  std::string out;
  for (const auto& t : triggers) {
    if (!out.empty()) out += ',';
    out += t;
  }
  return out;
}

std::vector<std::string> split_triggers(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    out.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

constexpr const char* kDoseColumns =
    "id, taken_at, zone, amount_micro, unit, form, product, note, triggers";

Dose read_dose(const Statement& s) {
  Dose d;
  d.id = s.text(0);
  d.taken_at = Instant{std::chrono::seconds{s.integer(1)}};
  d.zone = s.text(2);
  d.amount.micro = s.integer(3);
  d.amount.unit = core::parse_unit(s.text(4)).value_or(core::Unit::gram);
  d.form = core::parse_form(s.text(5)).value_or(core::Form::other);
  d.product = s.text(6);
  d.note = s.text(7);
  d.triggers = split_triggers(s.text(8));
  return d;
}

// The columns of list_doses_brief, in this order.
constexpr const char* kBriefDoseColumns = "id, taken_at, zone, amount_micro, unit, form, product";

Dose read_brief_dose(const Statement& s) {
  Dose d;
  d.id = s.text(0);
  d.taken_at = Instant{std::chrono::seconds{s.integer(1)}};
  d.zone = s.text(2);
  d.amount.micro = s.integer(3);
  d.amount.unit = core::parse_unit(s.text(4)).value_or(core::Unit::gram);
  d.form = core::parse_form(s.text(5)).value_or(core::Form::other);
  d.product = s.text(6);
  return d;
}

}  // namespace

Result<void> SqliteStore::insert_dose(const Dose& d) {
  Statement s(statements_,
              "INSERT INTO doses (id, taken_at, zone, amount_micro, unit, form, product, note, "
              "triggers) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  s.bind(1, d.id)
      .bind(2, seconds_of(d.taken_at))
      .bind(3, d.zone)
      .bind(4, d.amount.micro)
      .bind(5, std::string(core::to_string(d.amount.unit)))
      .bind(6, std::string(core::to_string(d.form)))
      .bind(7, d.product)
      .bind(8, d.note)
      .bind(9, join_triggers(d.triggers));
  return run(s, "saving the dose");
}

Result<std::optional<Dose>> SqliteStore::find_dose(const std::string& id) {
  // Cached: an import looks up every record it brings (the cache copies the SQL text).
  static const std::string sql = std::string("SELECT ") + kDoseColumns + " FROM doses WHERE id = ?";
  Statement s(statements_, sql.c_str());
  s.bind(1, id);
  const int rc = s.step();
  if (rc == SQLITE_ROW) return std::optional<Dose>{read_dose(s)};
  if (rc != SQLITE_DONE) return tl::unexpected(sqlite_error(db_, rc, "reading a dose"));
  return std::optional<Dose>{};
}

Result<Dose> SqliteStore::add_dose(Dose dose, const std::string& idempotency_key,
                                   const std::string& fingerprint) {
  return write<Dose>("saving the dose", [&]() -> Result<Dose> {
    auto existing = find_idempotent_of(idempotency_key, "dose", fingerprint);
    if (!existing) return tl::unexpected(existing.error());
    if (*existing) {
      auto found = find_dose(**existing);
      if (!found) return tl::unexpected(found.error());
      if (*found) return **found;
    }
    if (dose.id.empty()) dose.id = new_id();
    if (auto done = insert_dose(dose); !done) return tl::unexpected(done.error());
    if (auto done = remember_idempotent(idempotency_key, "dose", dose.id, fingerprint); !done) {
      return tl::unexpected(done.error());
    }
    if (auto done = log_change(new_id(), "dose", "insert", dose.id, std::nullopt); !done) {
      return tl::unexpected(done.error());
    }
    return dose;
  });
}

Result<Dose> SqliteStore::get_dose(const std::string& id) {
  auto found = find_dose(id);
  if (!found) return tl::unexpected(found.error());
  if (!*found)
    return fail(ErrorKind::not_found, core::sentence("no dose has the id \"{id}\"", {{"id", id}}),
                "id");
  return **found;
}

Result<Dose> SqliteStore::update_dose(const Dose& dose) {
  return write<Dose>("changing the dose", [&]() -> Result<Dose> {
    auto before = find_dose(dose.id);
    if (!before) return tl::unexpected(before.error());
    if (!*before) {
      return fail(ErrorKind::not_found,
                  core::sentence("no dose has the id \"{id}\"", {{"id", dose.id}}), "id");
    }
    // Nothing to change: no write, and no undo step (an undo would revert an older change).
    if (**before == dose) return dose;
    Statement del(statements_, "DELETE FROM doses WHERE id = ?");
    del.bind(1, dose.id);
    if (auto done = run(del, "changing the dose"); !done) return tl::unexpected(done.error());
    if (auto done = insert_dose(dose); !done) return tl::unexpected(done.error());
    if (auto done = log_change(new_id(), "dose", "update", dose.id, formats::to_json(**before));
        !done) {
      return tl::unexpected(done.error());
    }
    return dose;
  });
}

Result<Dose> SqliteStore::delete_dose(const std::string& id) {
  return write<Dose>("deleting the dose", [&]() -> Result<Dose> {
    auto before = find_dose(id);
    if (!before) return tl::unexpected(before.error());
    if (!*before)
      return fail(ErrorKind::not_found, core::sentence("no dose has the id \"{id}\"", {{"id", id}}),
                  "id");
    Statement del(statements_, "DELETE FROM doses WHERE id = ?");
    del.bind(1, id);
    if (auto done = run(del, "deleting the dose"); !done) return tl::unexpected(done.error());
    if (auto done = log_change(new_id(), "dose", "delete", id, formats::to_json(**before)); !done) {
      return tl::unexpected(done.error());
    }
    return **before;
  });
}

Result<std::vector<Dose>> SqliteStore::list_doses(const TimeRange& range) {
  return list_between<Dose>("doses", kDoseColumns, range, &read_dose);
}

Result<std::optional<Dose>> SqliteStore::last_dose() {
  auto rows = list_between<Dose>("doses", kDoseColumns, {}, &read_dose, "DESC", 1);
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return std::optional<Dose>{};
  return std::optional<Dose>{rows->front()};
}

Result<std::optional<Dose>> SqliteStore::first_dose() {
  auto rows = list_between<Dose>("doses", kDoseColumns, {}, &read_dose, "ASC", 1);
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return std::optional<Dose>{};
  return std::optional<Dose>{rows->front()};
}

Result<std::vector<Dose>> SqliteStore::list_doses_brief(const TimeRange& range, Order order,
                                                        int limit) {
  return list_between<Dose>("doses", kBriefDoseColumns, range, &read_brief_dose,
                            order == Order::newest_first ? "DESC" : "ASC", limit);
}

Result<std::vector<core::Amount>> SqliteStore::list_dose_amounts(const TimeRange& range) {
  return list_between<core::Amount>("doses", "amount_micro, unit", range, [](const Statement& s) {
    return core::Amount{s.integer(0), core::parse_unit(s.text(1)).value_or(core::Unit::gram)};
  });
}

Result<void> SqliteStore::delete_dose_row(const std::string& id) {
  Statement s(statements_, "DELETE FROM doses WHERE id = ?");
  s.bind(1, id);
  return run(s, "changing the journal");
}

}  // namespace mitra::store::sqlite
