#include "store/sqlite/change_watch.hpp"

#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <string_view>

namespace mitra::store::sqlite {

std::unique_ptr<ChangeWatch> ChangeWatch::open(const std::string& path, Clock::duration settle) {
  if (path.empty() || path == ":memory:") return nullptr;
  const std::filesystem::path file(path);
  const std::string folder = file.has_parent_path() ? file.parent_path().string() : ".";
  const int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) return nullptr;
  // A file replaced (restore, a copy moved in) is a create or a move in the folder.
  constexpr std::uint32_t kEvents = IN_MODIFY | IN_CREATE | IN_DELETE | IN_MOVED_FROM |
                                    IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF;
  if (inotify_add_watch(fd, folder.c_str(), kEvents) < 0) {
    ::close(fd);
    return nullptr;
  }
  return std::unique_ptr<ChangeWatch>(new ChangeWatch(fd, file.filename().string(), settle));
}

ChangeWatch::ChangeWatch(int fd, std::string name, Clock::duration settle)
    : fd_(fd), name_(std::move(name)), settle_(settle), last_event_(Clock::now()) {}

ChangeWatch::~ChangeWatch() { ::close(fd_); }

bool ChangeWatch::concerns_journal(const char* buffer, long length) {
  bool concerns = false;
  for (long at = 0; at + static_cast<long>(sizeof(inotify_event)) <= length;) {
    inotify_event event;
    std::memcpy(&event, buffer + at, sizeof event);
    if ((event.mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF)) != 0) {
      lost_ = true;  // The folder's watch is gone: no later event would come.
      concerns = true;
    } else if ((event.mask & IN_Q_OVERFLOW) != 0) {
      concerns = true;  // Events were dropped: any of them may have been the journal's.
    } else if (event.len > 0) {
      const std::string_view name(buffer + at + sizeof(inotify_event));
      // The database, its write-ahead log and its rollback journal; not its shared memory
      // (-shm), which readers touch too.
      if (name == name_ || name == name_ + "-wal" || name == name_ + "-journal") concerns = true;
    }
    at += static_cast<long>(sizeof(inotify_event)) + event.len;
  }
  return concerns;
}

bool ChangeWatch::quiet() {
  alignas(inotify_event) char buffer[4096];
  for (;;) {
    const long got = ::read(fd_, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0 && errno != EAGAIN) lost_ = true;  // The watch cannot be read: never trust it.
    if (got <= 0) break;                           // EAGAIN: nothing more queued.
    if (concerns_journal(buffer, got)) last_event_ = Clock::now();
  }
  return !lost_ && Clock::now() - last_event_ >= settle_;
}

}  // namespace mitra::store::sqlite
