#pragma once
// One Store per concurrent request (a Store is used by one thread at a time): stores are
// opened on demand, lent out, and returned for the next request. Stores of the server's own
// database and, in clinic mode, of each signed-in person's journal (its own location, see
// store::journal_location) are kept apart: a store is lent for the location it serves. When no
// idle store serves a person's journal, the least recently returned store of another person's
// is switched to it (Engine::serve_journal: on PostgreSQL, the same connection with another
// search_path), so that a clinic of thousands needs as many connections as requests run at
// once, not one per person; only when that cannot be done is a store opened.

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "store/store.hpp"

namespace mitra::server {

class StorePool {
 public:
  explicit StorePool(std::string location, std::size_t max_idle = kMaxIdle)
      : location_(std::move(location)), max_idle_(max_idle) {}

  class Lease {
   public:
    Lease(StorePool* pool, std::string location, std::unique_ptr<store::Store> store)
        : pool_(pool), location_(std::move(location)), store_(std::move(store)) {}
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) noexcept = default;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();
    store::Store& operator*() const { return *store_; }

   private:
    StorePool* pool_;
    std::string location_;
    std::unique_ptr<store::Store> store_;
  };

  // An idle store of the server's database, or a newly opened one (creating the database on
  // first use).
  core::Result<Lease> acquire() { return acquire(location_); }
  // The same for the journal at `location`.
  core::Result<Lease> acquire(const std::string& location);

  // Idle stores of people's journals kept (by default); beyond it, the least recently returned is
  // closed. Each holds a database connection. The server's own database keeps every store returned:
  // they are every request's in local mode.
  static constexpr std::size_t kMaxIdle = 64;

  // For tests: idle stores of other journals than the server's own.
  std::size_t idle_journals();

 private:
  struct Idle {
    std::string location;
    std::unique_ptr<store::Store> store;
  };
  std::string location_;
  std::size_t max_idle_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<store::Store>> own_;  // The server's own database's.
  std::list<Idle> journals_;                        // Least recently returned first.
};

}  // namespace mitra::server
