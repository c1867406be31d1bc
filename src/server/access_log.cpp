#include "server/access_log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

#include <nlohmann/json.hpp>

#include "core/system_reason.hpp"

namespace mitra::server {

namespace {

// More queued than this and new lines are dropped (and counted) until the writer catches up.
constexpr std::size_t kMaxPending = 4 << 20;

std::string printable(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, 200)) {
    out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) ? '?' : c;
  }
  return out;
}

// A JSON string, with any byte that is not UTF-8 replaced.
std::string quoted(std::string_view text) {
  return nlohmann::json(printable(text))
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void write_all(int fd, std::string_view text) {
  while (!text.empty()) {
    const auto n = ::write(fd, text.data(), text.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return;  // Nowhere to report a failing log; the requests go on.
    }
    text.remove_prefix(static_cast<std::size_t>(n));
  }
}

}  // namespace

core::Result<std::unique_ptr<AccessLog>> AccessLog::open(const std::string& where) {
  if (where == "-") return std::unique_ptr<AccessLog>(new AccessLog(STDERR_FILENO, false));
  const int fd = ::open(where.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) {
    const int error = errno;
    return core::invalid(
        "access-log",
        core::sentence("Could not open the access log {file}: {reason}.", {{"file", where}})
            .with("reason", core::system_reason(error)));
  }
  return std::unique_ptr<AccessLog>(new AccessLog(fd, true));
}

AccessLog::AccessLog(int fd, bool owned) : fd_(fd), owned_(owned) {
  thread_ = std::thread([this] { run(); });
}

AccessLog::~AccessLog() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
  if (owned_) ::close(fd_);
}

std::string AccessLog::line(const Entry& entry) {
  const auto seconds = std::chrono::system_clock::to_time_t(entry.time);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(entry.time.time_since_epoch()).count() %
      1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char time[96];
  std::snprintf(time, sizeof time, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(millis));
  std::string out = "{\"time\":\"";
  out += time;
  out += "\",\"peer\":";
  out += quoted(entry.peer);
  out += ",\"method\":";
  out += quoted(entry.method);
  out += ",\"path\":";
  out += quoted(entry.path);
  out += ",\"status\":" + std::to_string(entry.status);
  out += ",\"bytes\":" + std::to_string(entry.bytes);
  out += ",\"us\":" + std::to_string(entry.took.count()) + "}\n";
  return out;
}

void AccessLog::write(const Entry& entry) {
  auto text = line(entry);
  {
    const std::lock_guard lock(mutex_);
    if (pending_.size() + text.size() > kMaxPending) {
      ++dropped_;
      return;
    }
    pending_ += text;
  }
  wake_.notify_one();
}

void AccessLog::run() {
  std::string batch;
  for (;;) {
    std::size_t dropped = 0;
    bool last = false;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
      batch.swap(pending_);
      pending_.clear();
      dropped = dropped_;
      dropped_ = 0;
      last = stopping_;
    }
    if (dropped > 0) {
      batch += "{\"dropped\":" + std::to_string(dropped) + "}\n";
    }
    write_all(fd_, batch);
    batch.clear();
    if (last) {
      const std::lock_guard lock(mutex_);
      if (pending_.empty()) return;
    }
  }
}

}  // namespace mitra::server
