// Idempotency keys: a retried request returns the record the first one made.
#include "store/sqlite/sqlite_engine.hpp"

#include <string>

namespace mitra::store::sqlite {

// The record an earlier request with `key` made, if any. A key first used for another kind
// of record is a conflict; one first used with another fingerprint (other content) is
// unprocessable. Empty fingerprints match any.
Result<std::optional<std::string>> SqliteStore::find_idempotent_of(const std::string& key,
                                                                   const std::string& kind,
                                                                   const std::string& fingerprint) {
  if (key.empty()) return std::optional<std::string>{};
  Statement s(statements_, "SELECT kind, record_id, fingerprint FROM idempotency WHERE key = ?");
  s.bind(1, key);
  const int rc = s.step();
  if (rc == SQLITE_ROW) {
    if (s.text(0) != kind) {
      return fail(ErrorKind::conflict,
                  core::sentence("this Idempotency-Key was already used for another kind of "
                                 "record; send a new key for a new request"),
                  "Idempotency-Key");
    }
    const std::string stored = s.text(2);
    if (!stored.empty() && !fingerprint.empty() && stored != fingerprint) {
      return fail(
          ErrorKind::unprocessable,
          core::sentence("this Idempotency-Key was already used for a request with other content; "
                         "send the same content to retry it, or a new key for a new request"),
          "Idempotency-Key");
    }
    return std::optional<std::string>{s.text(1)};
  }
  if (rc != SQLITE_DONE) return tl::unexpected(sqlite_error(db_, rc, "checking a retry"));
  return std::optional<std::string>{};
}

Result<void> SqliteStore::remember_idempotent(const std::string& key, const char* kind,
                                              const std::string& id,
                                              const std::string& fingerprint) {
  if (key.empty()) return {};
  Statement s(statements_,
              "INSERT INTO idempotency (key, kind, record_id, fingerprint) VALUES (?, ?, ?, ?)");
  s.bind(1, key).bind(2, std::string(kind)).bind(3, id).bind(4, fingerprint);
  if (!s.ok())
    return fail(ErrorKind::internal,
                core::sentence("could not prepare a query while recording a key"));
  const int rc = s.step();
  // The key is known but find_idempotent_of found no record of it: the record it made was
  // removed since. Making it again on a late retry would bring back what was deleted.
  if (rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
    return fail(ErrorKind::conflict,
                core::sentence("this Idempotency-Key was already used, for a record that has since "
                               "been removed; send a new key for a new request"),
                "Idempotency-Key");
  }
  if (rc != SQLITE_DONE) return tl::unexpected(sqlite_error(db_, rc, "recording a retry key"));
  return {};
}

}  // namespace mitra::store::sqlite
