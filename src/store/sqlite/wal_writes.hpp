#pragma once
// One write per commit into SQLite's write-ahead log. SQLite writes each frame of a commit as
// two calls, its 24-byte header and then its page: two system calls a page, sixty for a group
// of requests that changes thirty pages, and a system call is dear (on this project's test
// machine, thirty small writes took 52 µs where one write of the same bytes took 6 µs).
//
// install_wal_writes() makes a VFS over the process's default one (SQLite's "unix") the new
// default. Its log files gather the frames SQLite writes one after the other and write them
// with one call when the commit's last frame is complete (its header carries the database's
// new size, which only a commit frame does), before the commit goes on to mark the frames as
// part of the log (readers find them only after that). Anything else done with the log first
// writes what is gathered: a read, a sync, a truncation, its size, a write elsewhere, closing.
// So the log file holds exactly what it would have held, at each point another connection or
// process can look, and a crash loses nothing a commit had returned. A write carries at most
// 124 KiB (31 pages; SQLite's unix VFS takes less than 128 KiB a call): a larger commit, or a
// transaction whose frames SQLite writes before its commit, goes in pieces of that size.
// Other files (the database, its shared memory, temporary files) are the default VFS's own.
//
// Thread safety: install once, before opening connections (open_sqlite does); a log file is
// used by one connection, one thread at a time, as SQLite's own are.

#include <cstdint>

namespace mitra::store::sqlite {

// Idempotent; later calls do nothing. False if SQLite refused the VFS (then the default one
// stays, and everything works as before, with more system calls).
bool install_wal_writes();

// For tests: writes SQLite asked of log files, and writes that reached the system, so far
// (both only for files opened through this VFS).
struct WalWriteCounts {
  std::uint64_t asked = 0;
  std::uint64_t written = 0;
};
WalWriteCounts wal_write_counts();

}  // namespace mitra::store::sqlite
