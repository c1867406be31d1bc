// The check-ins repository (assessments: SOWS, daily check-ins and other instruments).
#include "store/sqlite/sqlite_engine.hpp"

#include <chrono>
#include <string>
#include <vector>

#include "store/store.hpp"

namespace mitra::store::sqlite {

namespace {

Assessment read_assessment(const Statement& s) {
  Assessment a;
  a.id = s.text(0);
  a.instrument = s.text(1);
  a.taken_at = Instant{std::chrono::seconds{s.integer(2)}};
  a.zone = s.text(3);
  const json answers = json::parse(s.text(4), nullptr, false);
  if (answers.is_array()) {
    for (const auto& v : answers) {
      if (v.is_number_integer()) a.answers.push_back(v.get<int>());
    }
  }
  a.total = static_cast<int>(s.integer(5));
  a.band = s.text(6);
  a.note = s.text(7);
  return a;
}

}  // namespace

Result<Assessment> SqliteStore::add_assessment(Assessment a, const std::string& idempotency_key) {
  return write<Assessment>("saving the check-in", [&]() -> Result<Assessment> {
    auto existing = find_idempotent_of(idempotency_key, "assessment");
    if (!existing) return tl::unexpected(existing.error());
    if (*existing) {
      Statement s(statements_,
                  "SELECT id, instrument, taken_at, zone, answers, total, band, note "
                  "FROM assessments WHERE id = ?");
      s.bind(1, **existing);
      if (s.step() == SQLITE_ROW) return read_assessment(s);
    }
    if (a.id.empty()) a.id = new_id();
    if (auto done = insert_assessment(a); !done) return tl::unexpected(done.error());
    if (auto done = remember_idempotent(idempotency_key, "assessment", a.id); !done) {
      return tl::unexpected(done.error());
    }
    return a;
  });
}

Result<std::vector<Assessment>> SqliteStore::list_assessments(const std::string& instrument,
                                                              const TimeRange& range) {
  Statement s(statements_,
              "SELECT id, instrument, taken_at, zone, answers, total, band, note FROM "
              "assessments WHERE (? = '' OR instrument = ?) AND taken_at >= ? AND taken_at < ? "
              "ORDER BY taken_at, id");
  s.bind(1, instrument)
      .bind(2, instrument)
      .bind(3, range.from ? seconds_of(*range.from) : std::numeric_limits<std::int64_t>::min())
      .bind(4, range.to ? seconds_of(*range.to) : std::numeric_limits<std::int64_t>::max());
  std::vector<Assessment> out;
  int rc = 0;
  while ((rc = s.step()) == SQLITE_ROW) out.push_back(read_assessment(s));
  if (rc != SQLITE_DONE) return tl::unexpected(sqlite_error(db_, rc, "reading check-ins"));
  return out;
}

Result<std::optional<Assessment>> SqliteStore::find_assessment(const std::string& id) {
  Statement s(statements_,
              "SELECT id, instrument, taken_at, zone, answers, total, band, note "
              "FROM assessments WHERE id = ?");
  s.bind(1, id);
  const int rc = s.step();
  if (rc == SQLITE_ROW) return std::optional<Assessment>{read_assessment(s)};
  if (rc != SQLITE_DONE) return tl::unexpected(sqlite_error(db_, rc, "importing"));
  return std::optional<Assessment>{};
}

Result<void> SqliteStore::insert_assessment(const Assessment& a) {
  Statement s(statements_,
              "INSERT INTO assessments (id, instrument, taken_at, zone, answers, total, band, "
              "note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  s.bind(1, a.id)
      .bind(2, a.instrument)
      .bind(3, seconds_of(a.taken_at))
      .bind(4, a.zone)
      .bind(5, json(a.answers).dump())
      .bind(6, static_cast<std::int64_t>(a.total))
      .bind(7, a.band)
      .bind(8, a.note);
  return run(s, "saving the check-in");
}

Result<void> SqliteStore::delete_assessment(const std::string& id) {
  Statement s(statements_, "DELETE FROM assessments WHERE id = ?");
  s.bind(1, id);
  return run(s, "importing");
}

}  // namespace mitra::store::sqlite
