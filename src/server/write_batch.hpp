#pragma once
// Group commit for `mitra serve`: one writer thread with its own Store runs every write
// request. It takes everything queued, runs each request inside one transaction (a savepoint
// per request, so a failing request rolls back only itself and still gets its 4xx), commits
// once (one sync to disk for the whole group), and only then hands each response back. A write
// is therefore acknowledged only after it is durable, yet concurrent writes share the cost of
// the sync: with synchronous=FULL one commit per request caps SQLite at a few thousand
// writes a second; a commit per group does not.
//
// Thread safety: submit and stop may be called from any thread. Work and Done run on the
// writer thread, one at a time.

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
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
  // Receives the response once the group's fate is known: the work's own response after the
  // commit succeeded, or 503 if the commit failed (then nothing of the group was saved). Runs on
  // the writer thread: hand the response to the connection's own executor, do not block.
  using Done = std::function<void(Response)>;

  // Takes a Store for the writer alone (opened by the caller) and starts the writer thread.
  // `max_batch` caps how many requests share one commit.
  explicit WriteBatcher(std::unique_ptr<store::Store> store, std::size_t max_batch = 256);
  // Finishes the requests already queued, then ends the thread.
  ~WriteBatcher();
  WriteBatcher(const WriteBatcher&) = delete;
  WriteBatcher& operator=(const WriteBatcher&) = delete;

  // Queues a request. After stop(), `done` is called at once (on the caller's thread) with 503.
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
  void run();
  void run_batch(std::deque<Item>& batch);

  std::unique_ptr<store::Store> store_;
  const std::size_t max_batch_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Item> queue_;
  bool stopping_ = false;
  std::uint64_t commits_ = 0;
  std::thread thread_;  // Last: started once everything above exists.
};

}  // namespace mitra::server
