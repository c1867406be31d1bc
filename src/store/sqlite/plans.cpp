// The plans repository: append-only versions; "superseded" is computed by the readers.
#include "store/sqlite/sqlite_engine.hpp"

#include <chrono>
#include <cstdlib>
#include <string>
#include <vector>

#include "store/store.hpp"

namespace mitra::store::sqlite {

namespace {

// A plan version's columns as PlanVersion has them: the status as written, unless the version
// was active or held and a later version of any plan followed it, which supersedes it. "Later"
// is by creation time, then by the order written (`added`): the current plan (current_plan) is
// never shown superseded, even when an import wrote an older plan after it.
#define MITRA_PLAN_COLUMNS                                                                        \
  "plan_id, version, created_at, CASE WHEN status IN ('active', 'held') AND (created_at, added) " \
  "< (SELECT created_at, added FROM plans ORDER BY created_at DESC, added DESC LIMIT 1) "         \
  "THEN 'superseded' ELSE status END, reason, body"

PlanVersion read_plan(const Statement& s) {
  PlanVersion p;
  p.plan_id = s.text(0);
  p.version = static_cast<int>(s.integer(1));
  p.created_at = Instant{std::chrono::seconds{s.integer(2)}};
  p.status = s.text(3);
  p.reason = s.text(4);
  p.body_json = s.text(5);
  return p;
}

}  // namespace

Result<PlanVersion> SqliteStore::add_plan_version(PlanVersion v,
                                                  const std::string& idempotency_key) {
  return write<PlanVersion>("saving the plan", [&]() -> Result<PlanVersion> {
    auto existing = find_idempotent_of(idempotency_key, "plan");
    if (!existing) return tl::unexpected(existing.error());
    if (*existing) {
      // The record id is "plan_id/version".
      const auto slash = (*existing)->rfind('/');
      Statement first(statements_,
                      "SELECT " MITRA_PLAN_COLUMNS " FROM plans WHERE plan_id = ? AND version = ?");
      first.bind(1, (*existing)->substr(0, slash))
          .bind(2, static_cast<std::int64_t>(std::atoll((*existing)->c_str() + slash + 1)));
      if (slash != std::string::npos && first.step() == SQLITE_ROW) return read_plan(first);
    }
    if (v.plan_id.empty()) v.plan_id = new_id();
    Statement next(statements_,
                   "SELECT coalesce(max(version), 0) + 1 FROM plans WHERE plan_id = ?");
    next.bind(1, v.plan_id);
    if (next.step() != SQLITE_ROW)
      return fail(ErrorKind::internal, core::sentence("could not number the plan"));
    v.version = static_cast<int>(next.integer(0));
    // Every earlier version, of this or another plan, is superseded by the new one: readers
    // see it from `added` (MITRA_PLAN_COLUMNS); no stored row changes.
    if (auto done = insert_plan_version(v); !done) return tl::unexpected(done.error());
    if (auto done = remember_idempotent(idempotency_key, "plan",
                                        v.plan_id + "/" + std::to_string(v.version));
        !done) {
      return tl::unexpected(done.error());
    }
    return v;
  });
}

Result<std::optional<PlanVersion>> SqliteStore::current_plan() {
  Statement s(statements_,
              "SELECT " MITRA_PLAN_COLUMNS
              " FROM plans ORDER BY created_at DESC, added DESC, version DESC LIMIT 1");
  const int rc = s.step();
  if (rc == SQLITE_ROW) return std::optional<PlanVersion>{read_plan(s)};
  if (rc != SQLITE_DONE) return tl::unexpected(sqlite_error(db_, rc, "reading the plan"));
  return std::optional<PlanVersion>{};
}

Result<std::vector<PlanVersion>> SqliteStore::plan_history(const std::string& plan_id) {
  Statement s(statements_,
              "SELECT " MITRA_PLAN_COLUMNS " FROM plans WHERE plan_id = ? ORDER BY version");
  s.bind(1, plan_id);
  std::vector<PlanVersion> out;
  int rc = 0;
  while ((rc = s.step()) == SQLITE_ROW) out.push_back(read_plan(s));
  if (rc != SQLITE_DONE) return tl::unexpected(sqlite_error(db_, rc, "reading the plan"));
  return out;
}

Result<std::vector<PlanVersion>> SqliteStore::latest_plan_versions() {
  Statement s(statements_, "SELECT " MITRA_PLAN_COLUMNS
                           " FROM plans AS p WHERE version = (SELECT max(version) FROM plans WHERE "
                           "plan_id = p.plan_id) ORDER BY created_at, plan_id");
  std::vector<PlanVersion> out;
  int rc = 0;
  while ((rc = s.step()) == SQLITE_ROW) out.push_back(read_plan(s));
  if (rc != SQLITE_DONE) return tl::unexpected(sqlite_error(db_, rc, "reading the plans"));
  return out;
}

Result<std::optional<PlanVersion>> SqliteStore::find_plan_version(const std::string& plan_id,
                                                                  int version) {
  Statement s(statements_,
              "SELECT " MITRA_PLAN_COLUMNS " FROM plans WHERE plan_id = ? AND version = ?");
  s.bind(1, plan_id).bind(2, static_cast<std::int64_t>(version));
  const int rc = s.step();
  if (rc == SQLITE_ROW) return std::optional<PlanVersion>{read_plan(s)};
  if (rc != SQLITE_DONE) return tl::unexpected(sqlite_error(db_, rc, "importing"));
  return std::optional<PlanVersion>{};
}

Result<void> SqliteStore::insert_plan_version(const PlanVersion& v) {
  Statement s(statements_,
              "INSERT INTO plans (plan_id, version, created_at, status, reason, body, added) "
              "VALUES (?, ?, ?, ?, ?, ?, (SELECT coalesce(max(added), 0) + 1 FROM plans))");
  s.bind(1, v.plan_id)
      .bind(2, static_cast<std::int64_t>(v.version))
      .bind(3, seconds_of(v.created_at))
      .bind(4, v.status)
      .bind(5, v.reason)
      .bind(6, v.body_json);
  return run(s, "importing");
}

Result<void> SqliteStore::delete_plan_version(const std::string& plan_id, int version) {
  Statement s(statements_, "DELETE FROM plans WHERE plan_id = ? AND version = ?");
  s.bind(1, plan_id).bind(2, static_cast<std::int64_t>(version));
  return run(s, "undoing");
}

}  // namespace mitra::store::sqlite
