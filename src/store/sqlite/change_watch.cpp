#include "store/sqlite/change_watch.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstring>

namespace mitra::store::sqlite {

std::unique_ptr<ChangeWatch> ChangeWatch::open(const std::string& path) {
  if (path.empty() || path == ":memory:") return nullptr;
  const int fd = ::open((path + "-shm").c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return nullptr;
  struct stat about {};
  // The two headers and the checkpoint information: 136 bytes, within the first page.
  constexpr std::size_t kLength = 4096;
  void* mapping = MAP_FAILED;
  if (::fstat(fd, &about) == 0 && about.st_size >= static_cast<off_t>(kLength)) {
    mapping = ::mmap(nullptr, kLength, PROT_READ, MAP_SHARED, fd, 0);
  }
  ::close(fd);  // The mapping stays.
  if (mapping == MAP_FAILED) return nullptr;
  return std::unique_ptr<ChangeWatch>(new ChangeWatch(mapping, kLength));
}

ChangeWatch::ChangeWatch(const void* mapping, std::size_t length)
    : header_(static_cast<const volatile unsigned char*>(mapping)), length_(length) {}

ChangeWatch::~ChangeWatch() {
  ::munmap(const_cast<unsigned char*>(header_), length_);
}

bool ChangeWatch::quiet() {
  // As SQLite's readers do: the first copy, then the second (written first by a commit).
  std::array<unsigned char, kHeaderBytes> first{};
  std::array<unsigned char, kHeaderBytes> second{};
  for (std::size_t i = 0; i < kHeaderBytes; ++i) first[i] = header_[i];
  std::atomic_thread_fence(std::memory_order_acquire);
  for (std::size_t i = 0; i < kHeaderBytes; ++i) second[i] = header_[kHeaderBytes + i];
  if (first != second) {  // A commit is being published.
    has_seen_ = false;
    return false;
  }
  if (has_seen_ && first == seen_) return true;
  seen_ = first;
  has_seen_ = true;
  return false;  // The caller asks SQLite, which sees at least this header's commits.
}

}  // namespace mitra::store::sqlite
