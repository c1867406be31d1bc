#include "store/sqlite/change_watch.hpp"

#include <sqlite3.h>

#include <atomic>
#include <cstring>

namespace mitra::store::sqlite {

namespace {

// Whether the main database is in WAL mode: only then is there a wal-index to map (asking for
// one otherwise would make the -shm file).
bool in_wal_mode(sqlite3* db) {
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db, "PRAGMA main.journal_mode", -1, &statement, nullptr) != SQLITE_OK) {
    return false;
  }
  bool wal = false;
  if (sqlite3_step(statement) == SQLITE_ROW) {
    const auto* mode = sqlite3_column_text(statement, 0);
    wal = mode != nullptr && std::strcmp(reinterpret_cast<const char*>(mode), "wal") == 0;
  }
  sqlite3_finalize(statement);
  return wal;
}

}  // namespace

std::unique_ptr<ChangeWatch> ChangeWatch::open(sqlite3* db) {
  if (db == nullptr || !in_wal_mode(db)) return nullptr;
  sqlite3_file* file = nullptr;
  if (sqlite3_file_control(db, "main", SQLITE_FCNTL_FILE_POINTER, &file) != SQLITE_OK ||
      file == nullptr || file->pMethods == nullptr || file->pMethods->iVersion < 2 ||
      file->pMethods->xShmMap == nullptr) {
    return nullptr;
  }
  // Region 0 holds the two headers. SQLite maps the wal-index in regions of 32 KiB (its
  // WALINDEX_PGSZ; another size is refused once the connection has mapped one); not extending:
  // a connection that has not read in WAL mode has none, and gets no watch.
  constexpr int kRegionBytes = 32768;
  volatile void* region = nullptr;
  if (file->pMethods->xShmMap(file, 0, kRegionBytes, 0, &region) != SQLITE_OK ||
      region == nullptr) {
    return nullptr;
  }
  return std::make_unique<ChangeWatch>(region);
}

ChangeWatch::ChangeWatch(const volatile void* header)
    : header_(static_cast<const volatile unsigned char*>(header)) {}

bool ChangeWatch::quiet() {
  // As SQLite's readers do: the first copy, then the second (written first by a commit).
  std::array<unsigned char, kHeaderBytes> first{};
  std::array<unsigned char, kHeaderBytes> second{};
  for (std::size_t i = 0; i < kHeaderBytes; ++i) first[i] = header_[i];
  std::atomic_thread_fence(std::memory_order_acquire);
  for (std::size_t i = 0; i < kHeaderBytes; ++i) second[i] = header_[kHeaderBytes + i];
  if (first != second) {  // A commit is being published.
    has_seen_ = false;
    return false;
  }
  if (has_seen_ && first == seen_) return true;
  seen_ = first;
  has_seen_ = true;
  return false;  // The caller asks SQLite, which sees at least this header's commits.
}

}  // namespace mitra::store::sqlite
