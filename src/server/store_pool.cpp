#include "server/store_pool.hpp"

namespace mitra::server {

StorePool::Lease::~Lease() {
  if (!store_ || !pool_) return;
  const std::lock_guard lock(pool_->mutex_);
  // The server's own database always keeps its stores: they are every request's in local mode.
  if (pool_->idle_count_ >= kMaxIdle && location_ != pool_->location_) return;
  pool_->idle_[location_].push_back(std::move(store_));
  ++pool_->idle_count_;
}

core::Result<StorePool::Lease> StorePool::acquire(const std::string& location) {
  {
    const std::lock_guard lock(mutex_);
    const auto idle = idle_.find(location);
    if (idle != idle_.end() && !idle->second.empty()) {
      auto store = std::move(idle->second.back());
      idle->second.pop_back();
      if (idle->second.empty()) idle_.erase(idle);
      --idle_count_;
      return Lease(this, location, std::move(store));
    }
  }
  auto opened = store::open_store(location, store::OpenMode::create_if_missing);
  if (!opened) return tl::unexpected(opened.error());
  return Lease(this, location, std::move(*opened));
}

}  // namespace mitra::server
