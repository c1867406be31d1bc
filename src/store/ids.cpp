// Record ids (store.hpp): the same for every engine; the PostgreSQL module asks the program.
#include <sys/random.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

#include "store/store.hpp"

namespace mitra::store {

std::string new_id() {
  // 12 hex digits of milliseconds since the epoch, then 20 of randomness. Ids made later sort
  // later, so new doses land on the right-most index page instead of a random one. Within one
  // millisecond (or if the clock steps back) the process keeps its last time and adds one to the
  // random part, so ids from one process strictly increase; fresh randomness each millisecond
  // keeps ids from different processes apart.
  struct State {
    std::mutex mutex;
    std::uint64_t millis = 0;
    std::uint64_t high = 0;  // The random part's top 16 bits.
    std::uint64_t low = 0;   // Its other 64 bits.
  };
  static State state;
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  const std::uint64_t now_millis = now > 0 ? static_cast<std::uint64_t>(now) : 0;

  std::uint64_t millis = 0;
  std::uint64_t high = 0;
  std::uint64_t low = 0;
  {
    const std::lock_guard lock(state.mutex);
    if (now_millis > state.millis) {
      std::array<unsigned char, 10> bytes{};
      std::size_t filled = 0;
      while (filled < bytes.size()) {
        const ssize_t got = getrandom(bytes.data() + filled, bytes.size() - filled, 0);
        if (got > 0) filled += static_cast<std::size_t>(got);
      }
      state.millis = now_millis;
      state.high = (std::uint64_t{bytes[0]} << 8) | bytes[1];
      state.low = 0;
      for (std::size_t i = 2; i < bytes.size(); ++i) state.low = (state.low << 8) | bytes[i];
    } else if (++state.low == 0 && ++state.high > 0xFFFF) {
      // The random part ran over (one in 2^80 per millisecond): move to the next millisecond.
      state.high = 0;
      ++state.millis;
    }
    millis = state.millis;
    high = state.high;
    low = state.low;
  }

  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(32, '0');
  for (int i = 11; i >= 0; --i, millis >>= 4) out[static_cast<std::size_t>(i)] = kHex[millis & 0xF];
  for (int i = 15; i >= 12; --i, high >>= 4) out[static_cast<std::size_t>(i)] = kHex[high & 0xF];
  for (int i = 31; i >= 16; --i, low >>= 4) out[static_cast<std::size_t>(i)] = kHex[low & 0xF];
  return out;
}

}  // namespace mitra::store
