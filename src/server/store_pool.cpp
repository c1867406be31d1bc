#include "server/store_pool.hpp"

namespace mitra::server {

StorePool::Lease::~Lease() {
  if (!store_ || !pool_) return;
  std::unique_ptr<store::Store> closing;  // Closed after the lock: a goodbye to the server.
  const std::lock_guard lock(pool_->mutex_);
  if (location_ == pool_->location_) {
    pool_->own_.push_back(std::move(store_));
    return;
  }
  pool_->journals_.push_back({std::move(location_), std::move(store_)});
  if (pool_->journals_.size() > pool_->max_idle_) {
    closing = std::move(pool_->journals_.front().store);
    pool_->journals_.pop_front();
  }
}

core::Result<StorePool::Lease> StorePool::acquire(const std::string& location) {
  std::unique_ptr<store::Store> other;  // An idle store of another person's journal.
  {
    const std::lock_guard lock(mutex_);
    if (location == location_) {
      if (!own_.empty()) {
        auto store = std::move(own_.back());
        own_.pop_back();
        return Lease(this, location, std::move(store));
      }
    } else {
      for (auto idle = journals_.rbegin(); idle != journals_.rend(); ++idle) {
        if (idle->location != location) continue;
        auto store = std::move(idle->store);
        journals_.erase(std::next(idle).base());
        return Lease(this, location, std::move(store));
      }
      if (!journals_.empty()) {
        other = std::move(journals_.front().store);
        journals_.pop_front();
      }
    }
  }
  if (other) {
    // On failure `other` is closed and a store is opened instead: the request goes on.
    if (const auto switched = other->serve_journal(location); switched && *switched) {
      return Lease(this, location, std::move(other));
    }
    other.reset();
  }
  auto opened = store::open_store(location, store::OpenMode::create_if_missing);
  if (!opened) return tl::unexpected(opened.error());
  return Lease(this, location, std::move(*opened));
}

std::size_t StorePool::idle_journals() {
  const std::lock_guard lock(mutex_);
  return journals_.size();
}

}  // namespace mitra::server
