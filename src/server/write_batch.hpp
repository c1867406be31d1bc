#pragma once
// Group commit for `mitra serve`: one writer thread with its own Store runs every write
// request. It takes everything queued, runs each request inside one transaction (with nothing
// between them; if a request fails after it wrote, the group runs again with a savepoint per
// request, so a request whose use case fails rolls back only itself and still gets its
// error), commits once, and hands the group to a syncer thread, which flushes the log to disk and
// only then hands each response back. A write is therefore acknowledged only after it is durable,
// yet concurrent writes share the cost of the sync, and the writer runs the next group while the
// disk works on the last one: with a sync per request SQLite manages a few thousand writes a
// second; with a sync per group, overlapped, far more. An engine that cannot defer its syncs
// (store::Engine::defer_sync) syncs inside each commit instead, on the writer thread.
//
// The work sees the journal's records (store::Records) only; the writer drives the engine
// (store::Engine: groups, syncs, checkpoints) around it.
//
// The log is copied into the database (checkpointed) by the writer between groups once it has
// grown past a few megabytes; every write queued meanwhile waits for that copy. Given a second
// Store (a log copier), a third thread keeps the copy close behind the writer (each ~1,000
// pages), so the writer's own checkpoint has little left to do and the log still starts over
// (a copier alone never catches up with a busy writer, and the log would grow without end).
//
// Thread safety: submit and stop may be called from any thread. Work runs on the writer
// thread, one at a time; Done on the syncer thread (or the writer's, for a group that failed
// before its commit, or without a syncer).

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "server/router.hpp"
#include "store/store.hpp"

namespace mitra::server {

class WriteBatcher {
 public:
  // One request's work, run on the writer thread inside the group's transaction: the use case's
  // result. Success keeps what the work wrote and answers with its response, whatever that
  // response's status; a failure rolls back everything the work wrote and is answered with the
  // error's status (http_errors.hpp); so is an exception (answered 500). The HTTP status never
  // decides what is kept.
  using Work = std::function<core::Result<Response>(store::Records&)>;
  // Receives the response once the group's fate is known: the work's own response once the
  // group is durable, or 503 if the commit failed (then nothing of the group was saved) or the
  // disk could not confirm it. Hand the response to the connection's own executor, do not
  // block.
  using Done = std::function<void(Response)>;

  // Takes a journal for the writer alone (opened by the caller), defers its syncs if it can,
  // and starts the threads. `max_batch` caps how many requests share one commit. `log_copier`,
  // another connection to the same journal (or null), copies the log in the background.
  explicit WriteBatcher(std::unique_ptr<store::Store> store, std::size_t max_batch = 256,
                        std::unique_ptr<store::Store> log_copier = nullptr);
  // The same with the log's sync given (tests use it to hold or fail the disk); null: the
  // Store syncs inside each commit.
  WriteBatcher(std::unique_ptr<store::Store> store, std::unique_ptr<store::Engine::LogSync> sync,
               std::size_t max_batch = 256, std::unique_ptr<store::Store> log_copier = nullptr);
  // Finishes the requests already queued (answering them once durable), then ends the threads.
  ~WriteBatcher();
  WriteBatcher(const WriteBatcher&) = delete;
  WriteBatcher& operator=(const WriteBatcher&) = delete;

  // Queues a request. After stop(), or once a sync of the log has failed, `done` is called at
  // once (on the caller's thread) with 503. The writer's own answers to it (503, 500) are in
  // `language` (the request's: its Accept-Language); the work's errors are in whatever language
  // the work put them.
  void submit(Work work, Done done, core::Language language = core::kDefaultLanguage);
  // No new requests; the queued ones are still run. Returns without waiting.
  void stop();

  // Commits made so far (successful or not): for tests and statistics.
  std::uint64_t commits() const;
  // Times the log copier has copied the log so far: for tests and statistics.
  std::uint64_t log_copies() const;

 private:
  struct Item {
    Work work;
    Done done;
    core::Language language;
  };
  // A committed group waiting for the disk: who to tell, what, and in which language if the
  // disk fails.
  struct Answer {
    Done done;
    Response response;
    core::Language language;
  };
  void start();
  void run();
  void run_batch(std::deque<Item>& batch);
  // Runs the group's requests in one open batch, the store's responses in `responses` (or the
  // failure that lost the whole group in `failure`). True if a request spoilt the batch
  // (store::Engine::batch_spoilt): then the batch must be rolled back and run again.
  bool run_items(std::deque<Item>& batch, std::vector<Response>& responses,
                 std::optional<core::Error>& failure);
  void run_syncer();
  void run_log_copier();
  // After each group: wakes the log copier when the log has grown by enough since it last ran.
  void maybe_copy_log();

  std::unique_ptr<store::Store> store_;
  std::unique_ptr<store::Engine::LogSync> sync_;  // Null: commits sync by themselves.
  const std::size_t max_batch_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Item> queue_;
  bool stopping_ = false;
  std::uint64_t commits_ = 0;
  // Committed, not yet known durable (guarded by mutex_; the syncer waits on sync_wake_).
  std::vector<Answer> unsynced_;
  std::condition_variable sync_wake_;
  bool writer_done_ = false;
  // Set by the first failed sync; from then on nothing is confirmed or accepted.
  std::optional<core::Error> disk_failure_;
  // The log copier (null: none), woken through copy_wake_ (copy_due_ guarded by mutex_).
  std::unique_ptr<store::Store> log_copier_;
  std::condition_variable copy_wake_;
  bool copy_due_ = false;
  std::uint64_t log_copies_ = 0;
  int copy_asked_at_ = 0;  // The log's length when the copier was last woken (writer only).
  std::thread copier_;     // Started once everything above exists…
  std::thread syncer_;
  std::thread thread_;  // …and the writer last.
};

// One request's work alone, in a group of its own on `store`, on the caller's thread: what the
// writer does for a group, for a journal the writer does not hold (in clinic mode, each
// person's journal; docs/clinic.md). Answers once the commit has returned, so only for engines
// whose commits are durable when they return (PostgreSQL); 503 when it could not be saved, in
// `language`.
Response write_alone(store::Store& store, const WriteBatcher::Work& work,
                     core::Language language = core::kDefaultLanguage);

}  // namespace mitra::server
