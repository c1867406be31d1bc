// The repository of uses of other substances.
#include "store/sqlite/sqlite_engine.hpp"

#include <chrono>
#include <string>
#include <vector>

#include "formats/journal_json.hpp"
#include "store/store.hpp"

namespace mitra::store::sqlite {

namespace {

constexpr const char* kUseColumns = "id, substance, taken_at, zone, note";

SubstanceUse read_use(const Statement& s) {
  SubstanceUse u;
  u.id = s.text(0);
  u.substance = core::parse_substance(s.text(1)).value_or(core::Substance::other);
  u.taken_at = Instant{std::chrono::seconds{s.integer(2)}};
  u.zone = s.text(3);
  u.note = s.text(4);
  return u;
}

}  // namespace

Result<void> SqliteStore::insert_use(const SubstanceUse& u) {
  Statement s(statements_,
              "INSERT INTO substance_uses (id, substance, taken_at, zone, note) "
              "VALUES (?, ?, ?, ?, ?)");
  s.bind(1, u.id)
      .bind(2, std::string(core::to_string(u.substance)))
      .bind(3, seconds_of(u.taken_at))
      .bind(4, u.zone)
      .bind(5, u.note);
  return run(s, "saving the substance use");
}

Result<std::optional<SubstanceUse>> SqliteStore::find_use(const std::string& id) {
  static const std::string sql =
      std::string("SELECT ") + kUseColumns + " FROM substance_uses WHERE id = ?";
  Statement s(statements_, sql.c_str());
  s.bind(1, id);
  const int rc = s.step();
  if (rc == SQLITE_ROW) return std::optional<SubstanceUse>{read_use(s)};
  if (rc != SQLITE_DONE) return tl::unexpected(sqlite_error(db_, rc, "reading a record"));
  return std::optional<SubstanceUse>{};
}

Result<SubstanceUse> SqliteStore::add_substance_use(SubstanceUse use,
                                                    const std::string& idempotency_key,
                                                    const std::string& fingerprint) {
  return write<SubstanceUse>("saving the substance use", [&]() -> Result<SubstanceUse> {
    auto existing = find_idempotent_of(idempotency_key, "substance_use", fingerprint);
    if (!existing) return tl::unexpected(existing.error());
    if (*existing) {
      auto found = find_use(**existing);
      if (!found) return tl::unexpected(found.error());
      if (*found) return **found;
    }
    if (use.id.empty()) use.id = new_id();
    if (auto done = insert_use(use); !done) return tl::unexpected(done.error());
    if (auto done = remember_idempotent(idempotency_key, "substance_use", use.id, fingerprint);
        !done) {
      return tl::unexpected(done.error());
    }
    if (auto done = log_change(new_id(), "substance_use", "insert", use.id, std::nullopt); !done) {
      return tl::unexpected(done.error());
    }
    return use;
  });
}

Result<SubstanceUse> SqliteStore::delete_substance_use(const std::string& id) {
  return write<SubstanceUse>("deleting the record", [&]() -> Result<SubstanceUse> {
    auto before = find_use(id);
    if (!before) return tl::unexpected(before.error());
    if (!*before) {
      return fail(ErrorKind::not_found,
                  core::sentence("no substance use has the id \"{id}\"", {{"id", id}}), "id");
    }
    Statement del(statements_, "DELETE FROM substance_uses WHERE id = ?");
    del.bind(1, id);
    if (auto done = run(del, "deleting the record"); !done) return tl::unexpected(done.error());
    if (auto done = log_change(new_id(), "substance_use", "delete", id, formats::to_json(**before));
        !done) {
      return tl::unexpected(done.error());
    }
    return **before;
  });
}

Result<std::vector<SubstanceUse>> SqliteStore::list_substance_uses(const TimeRange& range) {
  return list_between<SubstanceUse>("substance_uses", kUseColumns, range, &read_use);
}

Result<void> SqliteStore::delete_use_row(const std::string& id) {
  Statement s(statements_, "DELETE FROM substance_uses WHERE id = ?");
  s.bind(1, id);
  return run(s, "changing the journal");
}

}  // namespace mitra::store::sqlite
