#pragma once
// Group commit for `mitra serve`: one writer thread with its own Store runs every write
// request. It takes everything queued, runs each request inside one transaction (a savepoint
// per request, so a failing request rolls back only itself and still gets its 4xx), commits
// once, and hands the group to a syncer thread, which flushes the log to disk and only then
// hands each response back. A write is therefore acknowledged only after it is durable, yet
// concurrent writes share the cost of the sync, and the writer runs the next group while the
// disk works on the last one: with a sync per request SQLite manages a few thousand writes a
// second; with a sync per group, overlapped, far more. A Store that cannot defer its syncs
// (Store::defer_sync) syncs inside each commit instead, on the writer thread.
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

#include "server/router.hpp"
#include "store/store.hpp"

namespace mitra::server {

class WriteBatcher {
 public:
  // One request's work, run on the writer thread inside the group's transaction. A response
  // with an error status (400 and up) rolls back everything the work wrote; so does an
  // exception (answered 500).
  using Work = std::function<Response(store::Store&)>;
  // Receives the response once the group's fate is known: the work's own response once the
  // group is durable, or 503 if the commit failed (then nothing of the group was saved) or the
  // disk could not confirm it. Hand the response to the connection's own executor, do not
  // block.
  using Done = std::function<void(Response)>;

  // Takes a Store for the writer alone (opened by the caller), defers its syncs if it can, and
  // starts the threads. `max_batch` caps how many requests share one commit.
  explicit WriteBatcher(std::unique_ptr<store::Store> store, std::size_t max_batch = 256);
  // The same with the log's sync given (tests use it to hold or fail the disk); null: the
  // Store syncs inside each commit.
  WriteBatcher(std::unique_ptr<store::Store> store, std::unique_ptr<store::Store::LogSync> sync,
               std::size_t max_batch = 256);
  // Finishes the requests already queued (answering them once durable), then ends the threads.
  ~WriteBatcher();
  WriteBatcher(const WriteBatcher&) = delete;
  WriteBatcher& operator=(const WriteBatcher&) = delete;

  // Queues a request. After stop(), or once a sync of the log has failed, `done` is called at
  // once (on the caller's thread) with 503.
  void submit(Work work, Done done);
  // No new requests; the queued ones are still run. Returns without waiting.
  void stop();

  // Commits made so far (successful or not): for tests and statistics.
  std::uint64_t commits() const;

 private:
  struct Item {
    Work work;
    Done done;
  };
  // A committed group waiting for the disk: who to tell, and what.
  struct Answer {
    Done done;
    Response response;
  };
  void start();
  void run();
  void run_batch(std::deque<Item>& batch);
  void run_syncer();

  std::unique_ptr<store::Store> store_;
  std::unique_ptr<store::Store::LogSync> sync_;  // Null: commits sync by themselves.
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
  std::optional<std::string> disk_failure_;
  std::thread syncer_;  // Started once everything above exists…
  std::thread thread_;  // …and the writer last.
};

}  // namespace mitra::server
