#include "store/sqlite/wal_writes.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <new>
#include <string>

namespace mitra::store::sqlite {

namespace {

constexpr const char* kVfsName = "mitra";
constexpr int kFrameHeaderBytes = 24;  // SQLite's WAL_FRAME_HDRSIZE.
// Written in pieces the base VFS takes whole (SQLite's unix VFS writes at most 128 KiB - 1
// bytes a call), also before a commit once a piece is full.
constexpr std::size_t kPiece = 31 * 4096;
std::atomic<std::uint64_t> asked{0};
std::atomic<std::uint64_t> written{0};
sqlite3_vfs* base = nullptr;  // The default VFS when installed (SQLite's "unix").
sqlite3_vfs vfs;

// A log file: what SQLite sees (a sqlite3_file whose methods are below) and, after it in the
// same memory, the base VFS's own file.
struct LogFile {
  sqlite3_file file;  // First: SQLite's pointer to it is a pointer to this LogFile.
  sqlite3_file* real = nullptr;
  std::string gathered;        // Frames written one after the other, not yet in the file…
  sqlite3_int64 start = 0;     // …from this offset on.
  bool commit_header = false;  // The last write gathered is a commit frame's header.
};
constexpr std::size_t kRealOffset = (sizeof(LogFile) + 15) & ~std::size_t{15};

LogFile* log_of(sqlite3_file* file) { return reinterpret_cast<LogFile*>(file); }

// Writes what was gathered. Forgotten even if a write fails: SQLite fails its transaction, and
// the next one writes its frames again, at the same place.
int write_gathered(LogFile* log) {
  int rc = SQLITE_OK;
  for (std::size_t done = 0; done < log->gathered.size() && rc == SQLITE_OK; done += kPiece) {
    const std::size_t size = std::min(kPiece, log->gathered.size() - done);
    rc = log->real->pMethods->xWrite(log->real, log->gathered.data() + done, static_cast<int>(size),
                                     log->start + static_cast<sqlite3_int64>(done));
    ++written;
  }
  log->gathered.clear();
  log->commit_header = false;
  return rc;
}

// A frame header whose "database size after commit" (bytes 4 to 7) is not zero.
bool is_commit_header(const void* data, int amount) {
  if (amount != kFrameHeaderBytes) return false;
  const auto* bytes = static_cast<const unsigned char*>(data);
  return (bytes[4] | bytes[5] | bytes[6] | bytes[7]) != 0;
}

int log_write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  ++asked;
  auto* log = log_of(file);
  try {
    // Elsewhere than after what is gathered, or more than a piece with it: that first.
    if (!log->gathered.empty() &&
        (offset != log->start + static_cast<sqlite3_int64>(log->gathered.size()) ||
         log->gathered.size() + static_cast<std::size_t>(amount) > kPiece)) {
      if (const int rc = write_gathered(log); rc != SQLITE_OK) return rc;
    }
    if (log->gathered.empty()) log->start = offset;
    const bool completes_commit = log->commit_header;
    log->gathered.append(static_cast<const char*>(data), static_cast<std::size_t>(amount));
    log->commit_header = is_commit_header(data, amount);
    if (completes_commit) return write_gathered(log);
    return SQLITE_OK;
  } catch (const std::bad_alloc&) {
    // Nothing gathered is lost: write it, then this write, as SQLite asked.
    log->gathered.shrink_to_fit();
    if (const int rc = write_gathered(log); rc != SQLITE_OK) return rc;
    ++written;
    return log->real->pMethods->xWrite(log->real, data, amount, offset);
  }
}

int log_close(sqlite3_file* file) {
  auto* log = log_of(file);
  const int gathered = write_gathered(log);
  const int closed = log->real->pMethods ? log->real->pMethods->xClose(log->real) : SQLITE_OK;
  log->~LogFile();
  return gathered != SQLITE_OK ? gathered : closed;
}

int log_read(sqlite3_file* file, void* out, int amount, sqlite3_int64 offset) {
  auto* log = log_of(file);
  if (const int rc = write_gathered(log); rc != SQLITE_OK) return rc;
  return log->real->pMethods->xRead(log->real, out, amount, offset);
}

int log_truncate(sqlite3_file* file, sqlite3_int64 size) {
  auto* log = log_of(file);
  if (const int rc = write_gathered(log); rc != SQLITE_OK) return rc;
  return log->real->pMethods->xTruncate(log->real, size);
}

int log_sync(sqlite3_file* file, int flags) {
  auto* log = log_of(file);
  if (const int rc = write_gathered(log); rc != SQLITE_OK) return rc;
  return log->real->pMethods->xSync(log->real, flags);
}

int log_size(sqlite3_file* file, sqlite3_int64* size) {
  auto* log = log_of(file);
  if (const int rc = write_gathered(log); rc != SQLITE_OK) return rc;
  return log->real->pMethods->xFileSize(log->real, size);
}

int log_lock(sqlite3_file* file, int level) {
  auto* log = log_of(file);
  return log->real->pMethods->xLock(log->real, level);
}

int log_unlock(sqlite3_file* file, int level) {
  auto* log = log_of(file);
  return log->real->pMethods->xUnlock(log->real, level);
}

int log_reserved(sqlite3_file* file, int* out) {
  auto* log = log_of(file);
  return log->real->pMethods->xCheckReservedLock(log->real, out);
}

int log_control(sqlite3_file* file, int op, void* arg) {
  auto* log = log_of(file);
  if (const int rc = write_gathered(log); rc != SQLITE_OK) return rc;
  return log->real->pMethods->xFileControl(log->real, op, arg);
}

int log_sector_size(sqlite3_file* file) {
  auto* log = log_of(file);
  return log->real->pMethods->xSectorSize(log->real);
}

int log_characteristics(sqlite3_file* file) {
  auto* log = log_of(file);
  return log->real->pMethods->xDeviceCharacteristics(log->real);
}

// Version 1: a log file is never memory-mapped and has no shared memory of its own (the
// database file has, and stays the base VFS's).
const sqlite3_io_methods log_methods = {1,
                                        log_close,
                                        log_read,
                                        log_write,
                                        log_truncate,
                                        log_sync,
                                        log_size,
                                        log_lock,
                                        log_unlock,
                                        log_reserved,
                                        log_control,
                                        log_sector_size,
                                        log_characteristics,
                                        nullptr,
                                        nullptr,
                                        nullptr,
                                        nullptr,
                                        nullptr,
                                        nullptr};

int open_file(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
  if ((flags & SQLITE_OPEN_WAL) == 0) return base->xOpen(base, name, file, flags, out_flags);
  auto* log = new (file) LogFile;
  log->file.pMethods = nullptr;  // Until the base's file is open: SQLite then never closes it.
  log->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + kRealOffset);
  log->real->pMethods = nullptr;
  const int rc = base->xOpen(base, name, log->real, flags, out_flags);
  if (rc != SQLITE_OK) {
    if (log->real->pMethods) log->real->pMethods->xClose(log->real);
    log->~LogFile();
    file->pMethods = nullptr;
    return rc;
  }
  log->file.pMethods = &log_methods;
  return SQLITE_OK;
}

// The rest is the base VFS's, called with its own pointer.
int delete_file(sqlite3_vfs*, const char* name, int sync) {
  return base->xDelete(base, name, sync);
}
int access(sqlite3_vfs*, const char* name, int flags, int* out) {
  return base->xAccess(base, name, flags, out);
}
int full_pathname(sqlite3_vfs*, const char* name, int size, char* out) {
  return base->xFullPathname(base, name, size, out);
}
void* dl_open(sqlite3_vfs*, const char* name) { return base->xDlOpen(base, name); }
void dl_error(sqlite3_vfs*, int size, char* out) { base->xDlError(base, size, out); }
void (*dl_sym(sqlite3_vfs*, void* handle, const char* symbol))(void) {
  return base->xDlSym(base, handle, symbol);
}
void dl_close(sqlite3_vfs*, void* handle) { base->xDlClose(base, handle); }
int randomness(sqlite3_vfs*, int size, char* out) { return base->xRandomness(base, size, out); }
int sleep_for(sqlite3_vfs*, int microseconds) { return base->xSleep(base, microseconds); }
int current_time(sqlite3_vfs*, double* out) { return base->xCurrentTime(base, out); }
int last_error(sqlite3_vfs*, int size, char* out) { return base->xGetLastError(base, size, out); }
int current_time64(sqlite3_vfs*, sqlite3_int64* out) { return base->xCurrentTimeInt64(base, out); }
int set_call(sqlite3_vfs*, const char* name, sqlite3_syscall_ptr call) {
  return base->xSetSystemCall(base, name, call);
}
sqlite3_syscall_ptr get_call(sqlite3_vfs*, const char* name) {
  return base->xGetSystemCall(base, name);
}
const char* next_call(sqlite3_vfs*, const char* name) { return base->xNextSystemCall(base, name); }

bool install() {
  if (sqlite3_initialize() != SQLITE_OK) return false;
  if (sqlite3_vfs* existing = sqlite3_vfs_find(kVfsName)) {
    // Installed by another copy of this code in the process (the server's module): make sure
    // it is the default.
    return sqlite3_vfs_register(existing, 1) == SQLITE_OK;
  }
  base = sqlite3_vfs_find(nullptr);
  if (base == nullptr || base->iVersion < 3) return false;
  vfs = *base;
  vfs.zName = kVfsName;
  vfs.pNext = nullptr;
  vfs.pAppData = nullptr;
  vfs.szOsFile = static_cast<int>(kRealOffset) + base->szOsFile;
  vfs.xOpen = open_file;
  vfs.xDelete = delete_file;
  vfs.xAccess = access;
  vfs.xFullPathname = full_pathname;
  vfs.xDlOpen = dl_open;
  vfs.xDlError = dl_error;
  vfs.xDlSym = dl_sym;
  vfs.xDlClose = dl_close;
  vfs.xRandomness = randomness;
  vfs.xSleep = sleep_for;
  vfs.xCurrentTime = current_time;
  vfs.xGetLastError = last_error;
  vfs.xCurrentTimeInt64 = current_time64;
  vfs.xSetSystemCall = set_call;
  vfs.xGetSystemCall = get_call;
  vfs.xNextSystemCall = next_call;
  return sqlite3_vfs_register(&vfs, 1) == SQLITE_OK;
}

}  // namespace

bool install_wal_writes() {
  static const bool installed = install();
  return installed;
}

WalWriteCounts wal_write_counts() { return WalWriteCounts{asked.load(), written.load()}; }

}  // namespace mitra::store::sqlite
