#include "server/store_pool.hpp"

namespace mitra::server {

StorePool::Lease::~Lease() {
  if (!store_ || !pool_) return;
  const std::lock_guard lock(pool_->mutex_);
  pool_->idle_.push_back(std::move(store_));
}

core::Result<StorePool::Lease> StorePool::acquire() {
  {
    const std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto store = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(store));
    }
  }
  auto opened = store::open_store(location_, store::OpenMode::create_if_missing);
  if (!opened) return tl::unexpected(opened.error());
  return Lease(this, std::move(*opened));
}

}  // namespace mitra::server
