#pragma once
// One Store per concurrent request (a Store is used by one thread at a time): stores are
// opened on demand, lent out, and returned for the next request. Stores of the server's own
// database and, in clinic mode, of each signed-in person's journal (its own location, see
// store::journal_location) are kept apart: a store lent for one location is only ever lent
// again for the same location.

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "store/store.hpp"

namespace mitra::server {

class StorePool {
 public:
  explicit StorePool(std::string location) : location_(std::move(location)) {}

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

  // Idle stores kept across all locations; a store returned beyond it is closed. Each holds a
  // database connection, and a clinic's people are many.
  static constexpr std::size_t kMaxIdle = 64;

 private:
  std::string location_;
  std::mutex mutex_;
  std::map<std::string, std::vector<std::unique_ptr<store::Store>>> idle_;
  std::size_t idle_count_ = 0;
};

}  // namespace mitra::server
