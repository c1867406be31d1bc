#include "server/write_batch.hpp"

#include <exception>
#include <optional>
#include <utility>
#include <vector>

#include "core/translate.hpp"
#include "server/http_errors.hpp"

namespace mitra::server {

namespace http = boost::beast::http;

namespace {

// What an engine's error says, as a value of a sentence: its own sentence when it has one (the
// engines map their result codes to sentences), else its English words.
core::Sentence why_of(const core::Error& error) {
  // Not marked for translation: there is nothing to translate around the words.
  if (error.text.empty()) return core::Sentence{"{why}", {{"why", error.message, nullptr}}};
  return error.text;
}

// 503: nothing of the request was kept. `why` says what failed, in the request's `language`.
Response not_saved(const core::Sentence& why, core::Language language) {
  return error_response(http::status::service_unavailable, "unavailable",
                        core::sentence("The change could not be saved ({why}); nothing was "
                                       "changed. Try again in a moment.")
                            .with("why", why),
                        language);
}

Response not_saved(const core::Error& error, core::Language language) {
  return not_saved(why_of(error), language);
}

// The group was committed, but the disk did not confirm it: it may be there or not.
Response not_confirmed(const core::Error& error, core::Language language) {
  return error_response(
      http::status::service_unavailable, "unavailable",
      core::sentence("The change was written, but the disk could not confirm it was kept ({why}). "
                     "Look in the journal before entering it again; sending the same request "
                     "with its Idempotency-Key again never adds it twice.")
          .with("why", why_of(error)),
      language);
}

// Runs one request's work inside its batch item. The use case's result decides what is kept: a
// request that fails changes nothing, even if some of its writes had succeeded. Its HTTP status
// follows from the result, after.
std::pair<Response, store::Engine::BatchItemEnd> run_work(const WriteBatcher::Work& work,
                                                          store::Records& records,
                                                          core::Language language) {
  try {
    auto outcome = work(records);
    if (outcome) return {std::move(*outcome), store::Engine::BatchItemEnd::keep};
    // The work's error is already in its request's language (Server::Impl::write_work).
    return {error_response(outcome.error()), store::Engine::BatchItemEnd::discard};
  } catch (...) {
    return {
        error_response(http::status::internal_server_error, "internal",
                       core::sentence("Something went wrong inside mitra; nothing was changed."),
                       language),
        store::Engine::BatchItemEnd::discard};
  }
}

}  // namespace

Response write_alone(store::Store& store, const WriteBatcher::Work& work, core::Language language) {
  if (auto begun = store.begin_batch(); !begun) return not_saved(begun.error(), language);
  if (auto begun = store.begin_batch_item(); !begun) {
    store.rollback_batch();
    return not_saved(begun.error(), language);
  }
  auto [response, end] = run_work(work, store, language);
  if (auto ended = store.end_batch_item(end); !ended) {
    store.rollback_batch();
    return not_saved(ended.error(), language);
  }
  if (auto committed = store.commit_batch(); !committed) {
    return not_saved(committed.error(), language);
  }
  return std::move(response);
}

WriteBatcher::WriteBatcher(std::unique_ptr<store::Store> store, std::size_t max_batch,
                           std::unique_ptr<store::Store> log_copier)
    : store_(std::move(store)),
      max_batch_(max_batch < 1 ? 1 : max_batch),
      log_copier_(std::move(log_copier)) {
  // If the Store cannot defer its syncs, each commit syncs: slower, still durable.
  if (auto deferred = store_->defer_sync()) sync_ = std::move(*deferred);
  start();
}

WriteBatcher::WriteBatcher(std::unique_ptr<store::Store> store,
                           std::unique_ptr<store::Engine::LogSync> sync, std::size_t max_batch,
                           std::unique_ptr<store::Store> log_copier)
    : store_(std::move(store)),
      sync_(std::move(sync)),
      max_batch_(max_batch < 1 ? 1 : max_batch),
      log_copier_(std::move(log_copier)) {
  start();
}

void WriteBatcher::start() {
  // If this fails, commits checkpoint as usual: slower now and then, still correct.
  (void)store_->set_checkpoints(store::Engine::Checkpoints::on_request);
  // Requests share their group's transaction with nothing between them unless one fails after
  // it wrote (run_batch).
  store_->set_item_isolation(store::Engine::ItemIsolation::optimistic);
  if (log_copier_) copier_ = std::thread([this] { run_log_copier(); });
  if (sync_) syncer_ = std::thread([this] { run_syncer(); });
  thread_ = std::thread([this] { run(); });
}

WriteBatcher::~WriteBatcher() {
  stop();
  // The writer first: its last groups go to the syncer, which ends once they are answered.
  if (thread_.joinable()) thread_.join();
  if (syncer_.joinable()) syncer_.join();
  if (copier_.joinable()) copier_.join();
}

void WriteBatcher::submit(Work work, Done done, core::Language language) {
  core::Sentence refused = core::sentence("the server is stopping");
  {
    const std::lock_guard lock(mutex_);
    if (disk_failure_) {
      refused = core::sentence(
                    "the disk reported an error ({error}); restart mitra serve once "
                    "the disk is checked")
                    .with("error", why_of(*disk_failure_));
    } else if (!stopping_) {
      queue_.push_back(Item{std::move(work), std::move(done), language});
      wake_.notify_one();
      return;
    }
  }
  done(not_saved(refused, language));
}

void WriteBatcher::stop() {
  const std::lock_guard lock(mutex_);
  stopping_ = true;
  wake_.notify_one();
}

std::uint64_t WriteBatcher::commits() const {
  const std::lock_guard lock(mutex_);
  return commits_;
}

std::uint64_t WriteBatcher::log_copies() const {
  const std::lock_guard lock(mutex_);
  return log_copies_;
}

void WriteBatcher::run() {
  std::deque<Item> batch;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) {  // Stopping, and nothing left to do.
        writer_done_ = true;
        sync_wake_.notify_one();
        copy_wake_.notify_one();
        return;
      }
      // Everything that queued up while the last group was syncing forms the next group.
      while (!queue_.empty() && batch.size() < max_batch_) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    run_batch(batch);
    batch.clear();
  }
}

bool WriteBatcher::run_items(std::deque<Item>& batch, std::vector<Response>& responses,
                             std::optional<core::Error>& failure) {
  auto& store = *store_;
  responses.clear();
  responses.reserve(batch.size());
  failure.reset();
  if (auto begun = store.begin_batch(); !begun) {
    failure = begun.error();
    return false;
  }
  for (auto& item : batch) {
    if (auto begun = store.begin_batch_item(); !begun) {
      failure = begun.error();
      return false;
    }
    auto [response, end] = run_work(item.work, store, item.language);
    if (auto ended = store.end_batch_item(end); !ended) {
      failure = ended.error();
      return false;
    }
    if (store.batch_spoilt()) return true;
    responses.push_back(std::move(response));
  }
  return false;
}

void WriteBatcher::run_batch(std::deque<Item>& batch) {
  auto& store = *store_;
  std::vector<Response> responses;
  std::optional<core::Error> failure;
  if (run_items(batch, responses, failure)) {
    // A request failed after it wrote: its writes cannot be told from the others'. The group
    // runs again, each request in a savepoint of its own (no one has heard back yet).
    store.rollback_batch();
    store.set_item_isolation(store::Engine::ItemIsolation::each);
    (void)run_items(batch, responses, failure);  // Never spoilt, with a savepoint each.
    store.set_item_isolation(store::Engine::ItemIsolation::optimistic);
  }
  if (failure) {
    store.rollback_batch();
  } else if (auto committed = store.commit_batch(); !committed) {
    failure = committed.error();
  }
  if (!failure && sync_) {
    // Committed: the syncer answers once the disk has it, while this thread goes on.
    {
      const std::lock_guard lock(mutex_);
      ++commits_;
      for (std::size_t i = 0; i < batch.size(); ++i) {
        unsynced_.push_back(
            Answer{std::move(batch[i].done), std::move(responses[i]), batch[i].language});
      }
    }
    sync_wake_.notify_one();
  } else {
    {
      const std::lock_guard lock(mutex_);
      ++commits_;
    }
    // Only now, with the group durable (or known lost), does anyone hear back.
    for (std::size_t i = 0; i < batch.size(); ++i) {
      batch[i].done(failure ? not_saved(*failure, batch[i].language) : std::move(responses[i]));
    }
  }
  // Copy the log into the database if it is due (a checkpoint syncs the log first, so it
  // never copies what is not durable). A failure here loses nothing (the log holds every
  // commit) and is tried again after the next group.
  maybe_copy_log();
  (void)store.checkpoint();
}

void WriteBatcher::maybe_copy_log() {
  if (!log_copier_) return;
  // About 4 MB: small enough that the writer's checkpoint (at ~16 MB) finds most of the log
  // copied, large enough that the copier's two syncs per copy stay few.
  constexpr int kPagesPerCopy = 1000;
  const int pages = store_->log_pages();
  if (pages < copy_asked_at_) copy_asked_at_ = 0;  // The log started over.
  if (pages - copy_asked_at_ < kPagesPerCopy) return;
  copy_asked_at_ = pages;
  {
    const std::lock_guard lock(mutex_);
    copy_due_ = true;
  }
  copy_wake_.notify_one();
}

void WriteBatcher::run_log_copier() {
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      copy_wake_.wait(lock, [this] { return writer_done_ || copy_due_; });
      if (!copy_due_) return;  // The writer has ended; closing its connection copies the rest.
      copy_due_ = false;
    }
    // A failure loses nothing: the writer's own checkpoint copies what is left.
    const bool copied = log_copier_->copy_log().has_value();
    const std::lock_guard lock(mutex_);
    if (copied) ++log_copies_;
  }
}

void WriteBatcher::run_syncer() {
  std::vector<Answer> answers;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      sync_wake_.wait(lock, [this] { return writer_done_ || !unsynced_.empty(); });
      if (unsynced_.empty()) return;  // The writer has ended and everyone is answered.
      // Every group committed so far: one sync, begun after all of them, covers them all.
      answers.swap(unsynced_);
    }
    auto synced = sync_->sync();
    {
      // After a failed sync Linux may drop the pages it could not write and report success on
      // the next one; a later group can then be lost with them (a log is read in order). So
      // once the disk has failed, nothing more is confirmed until the server is restarted.
      const std::lock_guard lock(mutex_);
      if (!synced && sync_->failures_are_final()) disk_failure_ = synced.error();
      if (synced && disk_failure_) synced = tl::unexpected(*disk_failure_);
    }
    for (auto& answer : answers) {
      answer.done(synced ? std::move(answer.response)
                         : not_confirmed(synced.error(), answer.language));
    }
    answers.clear();
  }
}

}  // namespace mitra::server
