#pragma once
// Bringing back a SQLite copy of a journal (a `mitra backup`, decrypted) into the journal.

#include <string>

#include "core/error.hpp"

namespace mitra::store {

struct RestoreSummary {
  int records_before = 0;  // Records the journal held before (replaced when `replace`).
  int records_restored = 0;
};

// Checks `copy` (a SQLite journal: integrity, a schema this mitra reads; it is migrated in
// place, so pass a file of your own), then copies it page by page into `journal` with SQLite's
// backup API, in one step: another mitra reading the journal sees the old one or the new one.
// A journal that holds records is replaced only with `replace`. Errors: "file" (the copy is not
// a mitra journal, is damaged, or is newer), "replace" (the journal is not empty), "db" (the
// journal is not a SQLite file mitra can write).
core::Result<RestoreSummary> restore_sqlite(const std::string& journal, const std::string& copy,
                                            bool replace);

}  // namespace mitra::store
