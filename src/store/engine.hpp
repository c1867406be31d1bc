#pragma once
// The engine interface: how a journal's writes are grouped into transactions, made durable and
// maintained, apart from what is kept (Records, records.hpp). Only the server's writer
// (src/server/write_batch.hpp) drives the groups, syncs and log copies; `mitra backup` uses the
// copy; the server's status cache the change mark. Both engines implement every call: where one
// cannot do a thing it says so (unavailable), or the call does nothing when there is nothing to
// do (PostgreSQL has no log to checkpoint).
//
// Thread safety: as Records: one thread at a time, except LogSync::sync (see defer_sync).

#include <cstdint>
#include <memory>
#include <string>

#include "core/error.hpp"

namespace mitra::store {

using core::Result;

class Engine {
 public:
  virtual ~Engine() = default;

  // Maintenance: writes a consistent copy of the whole database to `path`, while other
  // writers go on. Engines whose copies are made by other tools refuse (unavailable), saying
  // which tool.
  virtual Result<void> backup_to(const std::string& path) = 0;

  // Transactions: group commit (`mitra serve`'s writer, src/server/write_batch.hpp). Between
  // begin_batch and commit_batch every write of this journal joins one transaction, so many
  // writes share one sync to disk. Inside the batch, the writes between begin_batch_item and
  // end_batch_item (one use case's) can be rolled back alone. Nothing in a batch is durable, or
  // the success of any write in it true, until commit_batch succeeds; if it fails, or after
  // rollback_batch, none of the batch's writes happened. After a failed item end, the batch is
  // lost too (the engine rolled it back): roll it back and report every item as failed.
  enum class BatchItemEnd { keep, discard };
  virtual Result<void> begin_batch() = 0;
  virtual Result<void> commit_batch() = 0;
  virtual void rollback_batch() = 0;
  virtual Result<void> begin_batch_item() = 0;
  virtual Result<void> end_batch_item(BatchItemEnd end) = 0;
  // How the items of the batches begun from now on are kept apart. `each`: as above, each item
  // can be rolled back alone (a savepoint each). `optimistic`: items run with nothing between
  // them, which spares the engine what a savepoint costs it (SQLite copies every page an item
  // changes, a second time); an item that is discarded after it wrote something, or one of
  // whose writes failed half-way, cannot be undone alone and spoils the batch: after that
  // end_batch_item, batch_spoilt() is true, and the caller rolls the batch back and runs it
  // again as `each`. Engines without a cheaper way keep `each` and are never spoilt.
  enum class ItemIsolation { each, optimistic };
  virtual void set_item_isolation(ItemIsolation /*isolation*/) {}
  virtual bool batch_spoilt() const { return false; }

  // Maintenance of the write-ahead log, for a writer that commits often. On request: this
  // journal's commits no longer copy the log into the database now and then (which made those
  // commits, and every write waiting for them, far slower than the rest); the writer calls
  // checkpoint() when no one waits for a commit instead, which copies the log once it has
  // grown past a few megabytes (fewer, larger copies: a page changed many times is copied
  // once). Engines without a log do nothing.
  enum class Checkpoints { automatic, on_request };
  virtual Result<void> set_checkpoints(Checkpoints mode) = 0;
  virtual Result<void> checkpoint() = 0;
  // With checkpoints on request: the log's length in pages after this journal's last commit
  // (it falls when the log starts over). 0 for engines without a log.
  virtual int log_pages() const = 0;
  // Copies what the log holds into the database now, without waiting for anyone: for a
  // second connection that keeps the copy close behind a busy writer, so that the writer's own
  // checkpoint() has little left to copy. Never copies what is not on disk (it syncs the log
  // first). Engines without a log do nothing.
  virtual Result<void> copy_log() = 0;

  // Durability, for a writer that syncs on another thread while it runs the next group. After
  // defer_sync(), this journal's commits return once the group is in the log, perhaps still in
  // the operating system's cache: a commit is durable only when a LogSync::sync() that began
  // after it has returned successfully. sync() may run on any thread while this journal goes
  // on writing (it touches the log file, not the connection). Other readers may see a group
  // before it is durable; only its answers wait. Engines that cannot do this return
  // unavailable, and their commits stay durable as they return.
  class LogSync {
   public:
    virtual ~LogSync() = default;
    virtual Result<void> sync() = 0;
    // Whether, once a sync() has failed, no later one may be believed: after a failed fsync
    // Linux may drop the pages it could not write and report success the next time (SQLite's
    // log). False where each sync stands on its own (PostgreSQL's: a failed one confirms
    // nothing, and the next one covers only what it can vouch for).
    virtual bool failures_are_final() const = 0;
  };
  virtual Result<std::unique_ptr<LogSync>> defer_sync() = 0;

  // A mark that differs whenever the database may have changed since an earlier mark from this
  // same object: by it or by any other connection or process. Marks of different objects are
  // not comparable. For caches of computed documents. Engines that cannot tell return
  // unavailable (then nothing may be cached).
  struct ChangeMark {
    std::uint64_t others = 0;
    std::uint64_t own = 0;
    friend bool operator==(const ChangeMark&, const ChangeMark&) = default;
  };
  virtual Result<ChangeMark> change_mark() = 0;

  // Makes this object serve the journal at `location` from now on, on the connection it
  // already has, when the engine can: PostgreSQL, for another schema of the same database (a
  // clinic's people, store::journal_location), which saves a new server process and its
  // prepared statements for each person. True once every later call reaches that journal
  // only (even after a reconnection); false when the engine cannot (another database, another
  // engine, a group open), and then nothing changed. After an error the object must not be
  // used again. Change marks from before and after are not comparable.
  virtual Result<bool> serve_journal(const std::string& /*location*/) { return false; }
};

}  // namespace mitra::store
