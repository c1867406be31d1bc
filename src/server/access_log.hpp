#pragma once
// The server's request log: one JSON line per request ({"time", "peer", "method", "path",
// "status", "bytes", "us"}), handed to a thread of its own so that a slow terminal or disk
// never holds a request up, and written only by that thread, whole lines per write(2), so lines
// from concurrent requests never tear into each other. If the writer falls far behind, lines are
// dropped and a line says how many.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "core/error.hpp"

namespace mitra::server {

class AccessLog {
 public:
  // "-" is stderr; anything else a file, appended to (created readable by its owner only).
  static core::Result<std::unique_ptr<AccessLog>> open(const std::string& where);
  ~AccessLog();  // Writes what is queued, then stops.
  AccessLog(const AccessLog&) = delete;
  AccessLog& operator=(const AccessLog&) = delete;

  struct Entry {
    std::chrono::system_clock::time_point time;
    std::string_view peer;
    std::string_view method;
    std::string_view path;  // Without the query string: it may hold the token.
    unsigned status = 0;
    std::size_t bytes = 0;
    std::chrono::microseconds took{0};
  };
  // Queues one line; never blocks on the output.
  void write(const Entry& entry);
  // The line `write` queues for `entry`, with its newline.
  static std::string line(const Entry& entry);

 private:
  AccessLog(int fd, bool owned);
  void run();

  int fd_;
  bool owned_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::string pending_;
  std::size_t dropped_ = 0;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace mitra::server
