// The store under concurrency and faults: many processes opening a brand-new journal at once,
// and write errors from the disk (see docs/architecture.md, "Store: faults").

#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/translate.hpp"
#include "sql_support.hpp"
#include "store/sqlite_store.hpp"
#include "test_support.hpp"

namespace mitra::store {
namespace {

using core::Amount;
using core::Dose;
using core::Instant;
using core::Unit;
using testing::sql_text;
using testing::TempDir;

Dose dose_at(long long seconds) {
  Dose d;
  d.taken_at = Instant{std::chrono::seconds{seconds}};
  d.zone = "Europe/Berlin";
  d.amount = Amount{2'500'000, Unit::gram};
  return d;
}

// Ten writers started at once on a journal that did not exist yet: 1 to 4 of them failed
// with "the database is locked" (or found the tables half made), because each created the
// schema on its own. Every one must open the journal and log its dose.
TEST(StoreOpen, BugTenWritersOnABrandNewJournalFailedWithDatabaseIsLocked) {
  constexpr int kRounds = 8;
  constexpr int kWriters = 10;
  for (int round = 0; round < kRounds; ++round) {
    TempDir dir;
    const std::string path = dir.file("sub/journal.db");
    int gate[2];
    ASSERT_EQ(::pipe(gate), 0);
    std::vector<pid_t> children;
    for (int w = 0; w < kWriters; ++w) {
      const pid_t pid = ::fork();
      ASSERT_GE(pid, 0);
      if (pid == 0) {
        ::close(gate[1]);
        char byte = 0;
        (void)!::read(gate[0], &byte, 1);  // Returns when the parent closes its end: all go.
        auto opened = open_store(path, OpenMode::create_if_missing);
        std::string error;
        if (!opened) {
          error = opened.error().message;
        } else if (auto added = (*opened)->add_dose(dose_at(1'700'000'000 + w), ""); !added) {
          error = added.error().message;
        }
        if (!error.empty()) testing::write_file(dir.file("writer-" + std::to_string(w)), error);
        ::_exit(error.empty() ? 0 : 1);
      }
      children.push_back(pid);
    }
    ::close(gate[0]);
    ::close(gate[1]);
    for (int w = 0; w < kWriters; ++w) {
      int status = 0;
      ASSERT_EQ(::waitpid(children[static_cast<std::size_t>(w)], &status, 0),
                children[static_cast<std::size_t>(w)]);
      EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
          << "round " << round << ", writer " << w << ": "
          << testing::read_file(dir.file("writer-" + std::to_string(w)));
    }
    EXPECT_EQ(sql_text(path, "SELECT count(*) FROM doses"), std::to_string(kWriters));
    EXPECT_EQ(sql_text(path, "PRAGMA user_version"), std::to_string(kSchemaVersion));
    EXPECT_EQ(sql_text(path, "PRAGMA journal_mode"), "wal");
  }
}

// A VFS that passes everything to SQLite's default one, except that, once armed, it fails
// writes (as a full disk: SQLITE_FULL) or syncs (as a failing disk: SQLITE_IOERR_FSYNC) after
// a set number of them succeeded. Registered as the default VFS for the life of the object,
// so the store under test uses it without knowing.
class FaultyDisk {
 public:
  enum class Fault { none, full_disk, failing_sync };

  FaultyDisk() {
    real_ = sqlite3_vfs_find(nullptr);
    vfs_ = *real_;
    vfs_.zName = "mitra-faulty-disk";
    vfs_.szOsFile = static_cast<int>(sizeof(File)) + real_->szOsFile;
    vfs_.pNext = nullptr;
    vfs_.xOpen = &FaultyDisk::open;
    instance_ = this;
    sqlite3_vfs_register(&vfs_, 1);
  }
  ~FaultyDisk() {
    sqlite3_vfs_unregister(&vfs_);
    sqlite3_vfs_register(real_, 1);
    instance_ = nullptr;
  }
  FaultyDisk(const FaultyDisk&) = delete;
  FaultyDisk& operator=(const FaultyDisk&) = delete;

  // From now on, `fault` strikes after `allowed` more writes (or syncs) succeed.
  void arm(Fault fault, int allowed) {
    remaining_ = allowed;
    fault_ = fault;
  }
  void disarm() { fault_ = Fault::none; }
  int failures() const { return failures_; }

 private:
  struct File {
    sqlite3_file base;
    sqlite3_file* real;  // Allocated right after this struct (szOsFile).
  };
  static sqlite3_file* real(sqlite3_file* f) { return reinterpret_cast<File*>(f)->real; }

  bool strikes(Fault kind) {
    if (fault_ != kind) return false;
    if (remaining_ > 0) {
      --remaining_;
      return false;
    }
    ++failures_;
    return true;
  }

  static int open(sqlite3_vfs*, const char* name, sqlite3_file* file, int flags, int* out_flags) {
    auto* self = instance_;
    auto* f = reinterpret_cast<File*>(file);
    f->real = reinterpret_cast<sqlite3_file*>(f + 1);
    const int rc = self->real_->xOpen(self->real_, name, f->real, flags, out_flags);
    f->base.pMethods = nullptr;
    if (rc != SQLITE_OK) return rc;
    if (f->real->pMethods == nullptr) return rc;
    self->methods_ = *f->real->pMethods;
    self->methods_.xClose = [](sqlite3_file* g) {
      const int closed = real(g)->pMethods->xClose(real(g));
      g->pMethods = nullptr;
      return closed;
    };
    self->methods_.xRead = [](sqlite3_file* g, void* buffer, int amount, sqlite3_int64 offset) {
      return real(g)->pMethods->xRead(real(g), buffer, amount, offset);
    };
    self->methods_.xWrite = [](sqlite3_file* g, const void* buffer, int amount,
                               sqlite3_int64 offset) {
      if (instance_->strikes(Fault::full_disk)) return SQLITE_FULL;
      return real(g)->pMethods->xWrite(real(g), buffer, amount, offset);
    };
    self->methods_.xTruncate = [](sqlite3_file* g, sqlite3_int64 size) {
      return real(g)->pMethods->xTruncate(real(g), size);
    };
    self->methods_.xSync = [](sqlite3_file* g, int flags_) {
      if (instance_->strikes(Fault::failing_sync)) return SQLITE_IOERR_FSYNC;
      return real(g)->pMethods->xSync(real(g), flags_);
    };
    self->methods_.xFileSize = [](sqlite3_file* g, sqlite3_int64* size) {
      return real(g)->pMethods->xFileSize(real(g), size);
    };
    self->methods_.xLock = [](sqlite3_file* g, int lock) {
      return real(g)->pMethods->xLock(real(g), lock);
    };
    self->methods_.xUnlock = [](sqlite3_file* g, int lock) {
      return real(g)->pMethods->xUnlock(real(g), lock);
    };
    self->methods_.xCheckReservedLock = [](sqlite3_file* g, int* out) {
      return real(g)->pMethods->xCheckReservedLock(real(g), out);
    };
    self->methods_.xFileControl = [](sqlite3_file* g, int op, void* arg) {
      return real(g)->pMethods->xFileControl(real(g), op, arg);
    };
    self->methods_.xSectorSize = [](sqlite3_file* g) {
      return real(g)->pMethods->xSectorSize(real(g));
    };
    self->methods_.xDeviceCharacteristics = [](sqlite3_file* g) {
      return real(g)->pMethods->xDeviceCharacteristics(real(g));
    };
    self->methods_.xShmMap = [](sqlite3_file* g, int page, int size, int extend,
                                void volatile** out) {
      return real(g)->pMethods->xShmMap(real(g), page, size, extend, out);
    };
    self->methods_.xShmLock = [](sqlite3_file* g, int offset, int n, int flags_) {
      return real(g)->pMethods->xShmLock(real(g), offset, n, flags_);
    };
    self->methods_.xShmBarrier = [](sqlite3_file* g) { real(g)->pMethods->xShmBarrier(real(g)); };
    self->methods_.xShmUnmap = [](sqlite3_file* g, int delete_flag) {
      return real(g)->pMethods->xShmUnmap(real(g), delete_flag);
    };
    // No memory-mapped I/O: every write goes through xWrite.
    self->methods_.iVersion = 2;
    self->methods_.xFetch = nullptr;
    self->methods_.xUnfetch = nullptr;
    f->base.pMethods = &self->methods_;
    return rc;
  }

  static inline FaultyDisk* instance_ = nullptr;
  sqlite3_vfs* real_ = nullptr;
  sqlite3_vfs vfs_{};
  sqlite3_io_methods methods_{};  // One set for every file: all files are of the same VFS.
  std::atomic<int> remaining_{0};
  std::atomic<Fault> fault_{Fault::none};
  std::atomic<int> failures_{0};
};

// Every dose the store acknowledged is in the journal, the journal is whole, and a write
// works again.
void expect_journal_whole(const std::string& path, int acknowledged) {
  EXPECT_EQ(sql_text(path, "PRAGMA integrity_check"), "ok");
  EXPECT_EQ(sql_text(path, "SELECT count(*) FROM doses"), std::to_string(acknowledged));
}

// A full disk: the write is refused with a clear message, nothing acknowledged is lost, the
// journal passes integrity_check, and the same store takes writes again once space returns.
TEST(StoreFaults, FullDiskRefusesTheWriteClearlyAndLosesNothingAcknowledged) {
  TempDir dir;
  const std::string path = dir.file("journal.db");
  int acknowledged = 0;
  {
    FaultyDisk disk;
    auto store = open_store(path, OpenMode::create_if_missing);
    ASSERT_TRUE(store) << store.error().message;
    for (int i = 0; i < 20; ++i) {
      ASSERT_TRUE((*store)->add_dose(dose_at(1'700'000'000 + i), ""));
      ++acknowledged;
    }
    // The disk fills up after a few more writes: at the start of a commit, half-way through
    // one, and at its end.
    for (int allowed : {0, 1, 2, 3, 5, 8}) {
      disk.arm(FaultyDisk::Fault::full_disk, allowed);
      for (int i = 0; i < 4; ++i) {
        auto added = (*store)->add_dose(dose_at(1'710'000'000 + allowed * 10 + i), "");
        if (added) {
          ++acknowledged;
          continue;
        }
        EXPECT_EQ(added.error().kind, core::ErrorKind::unavailable);
        EXPECT_EQ(added.error().field, "db");
        EXPECT_EQ(added.error().message,
                  "the disk is full, so the change was not saved; free some space and try again");
      }
      disk.disarm();
      ASSERT_TRUE((*store)->add_dose(dose_at(1'720'000'000 + allowed), ""))
          << "after a full disk with " << allowed << " writes allowed";
      ++acknowledged;
    }
    EXPECT_GT(disk.failures(), 0);
    auto listed = (*store)->list_doses({});
    ASSERT_TRUE(listed);
    EXPECT_EQ(static_cast<int>(listed->size()), acknowledged);
  }
  expect_journal_whole(path, acknowledged);
  auto reopened = open_store(path, OpenMode::read_write);
  ASSERT_TRUE(reopened) << reopened.error().message;
  EXPECT_TRUE((*reopened)->add_dose(dose_at(1'730'000'000), ""));
  expect_journal_whole(path, acknowledged + 1);
}

// A disk whose sync fails (an I/O error): the commit is not acknowledged, with a clear message;
// what was acknowledged stays, and the journal is whole after the disk recovers.
TEST(StoreFaults, FailingSyncRefusesTheWriteClearlyAndLosesNothingAcknowledged) {
  TempDir dir;
  const std::string path = dir.file("journal.db");
  std::vector<std::string> acknowledged;
  int refused = 0;
  {
    FaultyDisk disk;
    auto store = open_store(path, OpenMode::create_if_missing);
    ASSERT_TRUE(store) << store.error().message;
    for (int round = 0; round < 6; ++round) {
      for (int i = 0; i < 3; ++i) {
        auto added = (*store)->add_dose(dose_at(1'700'000'000 + round * 10 + i), "");
        ASSERT_TRUE(added);
        acknowledged.push_back(added->id);
      }
      disk.arm(FaultyDisk::Fault::failing_sync, round % 2);
      for (int i = 0; i < 2; ++i) {
        auto added = (*store)->add_dose(dose_at(1'710'000'000 + round * 10 + i), "");
        if (added) {
          acknowledged.push_back(added->id);
          continue;
        }
        ++refused;
        EXPECT_EQ(added.error().kind, core::ErrorKind::unavailable);
        EXPECT_EQ(added.error().message.rfind("the disk could not write the change (", 0), 0u)
            << added.error().message;
      }
      disk.disarm();
    }
    EXPECT_GT(refused, 0);
  }
  EXPECT_EQ(sql_text(path, "PRAGMA integrity_check"), "ok");
  auto reopened = open_store(path, OpenMode::read_write);
  ASSERT_TRUE(reopened) << reopened.error().message;
  for (const auto& id : acknowledged) EXPECT_TRUE((*reopened)->get_dose(id)) << id;
  EXPECT_TRUE((*reopened)->add_dose(dose_at(1'730'000'000), ""));
  EXPECT_EQ(sql_text(path, "PRAGMA integrity_check"), "ok");
}

// Issue 18: SQLite's result codes reach a Spanish reader as mitra's sentences, in Spanish and
// without the engine's English words, which stay in the English message (for logs); the kind
// and the field never change. Given a full disk, a failing sync and a file that is no database,
// expect each refusal in Spanish.
TEST(StoreFaults, EnginesResultCodesReachASpanishReaderAsTranslatedSentences) {
  using core::Language;
  TempDir dir;
  const std::string path = dir.file("journal.db");
  {
    FaultyDisk disk;
    auto store = open_store(path, OpenMode::create_if_missing);
    ASSERT_TRUE(store) << store.error().message;
    disk.arm(FaultyDisk::Fault::full_disk, 0);
    auto full = (*store)->add_dose(dose_at(1'700'000'000), "");
    disk.disarm();
    ASSERT_FALSE(full);
    EXPECT_EQ(full.error().kind, core::ErrorKind::unavailable);
    EXPECT_EQ(full.error().field, "db");
    EXPECT_EQ(core::message_in(full.error(), Language::en),
              "the disk is full, so the change was not saved; free some space and try again");
    EXPECT_EQ(core::message_in(full.error(), Language::es),
              "el disco está lleno, así que el cambio no se guardó; libere espacio e inténtelo de "
              "nuevo");

    disk.arm(FaultyDisk::Fault::failing_sync, 0);
    auto failed = (*store)->add_dose(dose_at(1'700'000'100), "");
    disk.disarm();
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error().kind, core::ErrorKind::unavailable);
    EXPECT_EQ(failed.error().message.rfind("the disk could not write the change (", 0), 0u)
        << failed.error().message;
    EXPECT_EQ(core::message_in(failed.error(), Language::es),
              "el disco no pudo escribir el cambio, así que no se guardó; revise el disco e "
              "inténtelo de nuevo");
  }
  const std::string not_a_database = dir.file("notes.db");
  {
    std::FILE* file = std::fopen(not_a_database.c_str(), "wb");
    ASSERT_NE(file, nullptr);
    const std::string text(4096, 'x');
    std::fwrite(text.data(), 1, text.size(), file);
    std::fclose(file);
  }
  auto opened = open_store(not_a_database, OpenMode::read_write);
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().kind, core::ErrorKind::unavailable);
  EXPECT_EQ(opened.error().field, "db");
  EXPECT_EQ(opened.error().message,
            "the database file is damaged or is not a mitra database (file is not a database); "
            "restore it from a backup (mitra backup) or choose another file with --db");
  EXPECT_EQ(core::message_in(opened.error(), Language::es),
            "el archivo de la base de datos está dañado o no es una base de datos de mitra; "
            "restáurelo desde una copia de seguridad (mitra backup) o elija otro archivo con --db");
}

}  // namespace
}  // namespace mitra::store
