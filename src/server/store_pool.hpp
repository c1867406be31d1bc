#pragma once
// One Store per concurrent request (a Store is used by one thread at a time): stores are
// opened on demand, lent out, and returned for the next request.

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
    Lease(StorePool* pool, std::unique_ptr<store::Store> store)
        : pool_(pool), store_(std::move(store)) {}
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) noexcept = default;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();
    store::Store& operator*() const { return *store_; }

   private:
    StorePool* pool_;
    std::unique_ptr<store::Store> store_;
  };

  // An idle store, or a newly opened one (creating the database on first use).
  core::Result<Lease> acquire();

 private:
  std::string location_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<store::Store>> idle_;
};

}  // namespace mitra::server
