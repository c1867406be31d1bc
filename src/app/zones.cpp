#include "app/zones.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace mitra::app {
namespace {

// A zone file is a few kilobytes; anything far larger is not one.
constexpr off_t kMaxZoneFile = 1 << 20;

std::string zone_folder() {
  const char* dir = std::getenv("TZDIR");
  return dir != nullptr && *dir != '\0' ? dir : "/usr/share/zoneinfo";
}

// Whether `name` may name a zone: folders and a file under the zone folder ("Europe/Berlin",
// "Etc/GMT+5"), never a way out of it, nor the folder's files that are not zones. The names
// left out are those the date library left out, so the same names are known as before.
bool zone_name(std::string_view name) {
  if (name.empty() || name.size() > 255 || name.front() == '/' || name.back() == '/') return false;
  std::size_t begin = 0;
  while (begin <= name.size()) {
    const auto end = std::min(name.find('/', begin), name.size());
    const auto part = name.substr(begin, end - begin);
    if (part.empty() || part.front() == '.' || part.substr(0, 5) == "posix" || part == "right" ||
        part == "Factory" ||
        part.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstu"
                               "vwxyz0123456789_+-.") != std::string_view::npos) {
      return false;
    }
    begin = end + 1;
  }
  static constexpr std::string_view kNotZones[] = {
      "iso3166.tab", "+VERSION",  "version",     "zone.tab",         "zone1970.tab",
      "zonenow.tab", "tzdata.zi", "leapseconds", "leap-seconds.list"};
  for (const auto not_zone : kNotZones) {
    if (name == not_zone) return false;
  }
  return true;
}

// The bytes of a regular file of at most kMaxZoneFile bytes; nullopt otherwise.
std::optional<std::string> read_small_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::optional<std::string> out;
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size <= kMaxZoneFile) {
    std::string bytes(static_cast<std::size_t>(st.st_size), '\0');
    std::size_t done = 0;
    while (done < bytes.size()) {
      const auto n = ::read(fd, bytes.data() + done, bytes.size() - done);
      if (n <= 0) break;
      done += static_cast<std::size_t>(n);
    }
    if (done == bytes.size()) out = std::move(bytes);
  }
  ::close(fd);
  return out;
}

class SystemZones final : public core::Zones {
 public:
  const core::TimeZone* locate(std::string_view name) const override {
    if (!zone_name(name)) return nullptr;
    std::lock_guard lock(mutex_);
    if (const auto found = zones_.find(name); found != zones_.end()) return found->second.get();
    std::unique_ptr<core::TimeZone> zone;
    if (const auto bytes = read_small_file(folder_ + '/' + std::string(name))) {
      // A file that is not a zone, or is damaged, names no zone ("not a known IANA time zone").
      if (auto read = core::TimeZone::from_tzif(std::string(name), *bytes)) {
        zone = std::make_unique<core::TimeZone>(std::move(*read));
      }
    } else if (name == "UTC" || name == "Etc/UTC") {
      // A machine without zone files still knows UTC, the zone every journal may fall back on.
      zone = std::make_unique<core::TimeZone>(
          core::TimeZone::fixed(std::string(name), std::chrono::seconds{0}, "UTC"));
    }
    if (!zone) return nullptr;  // Not remembered: a name that is not a zone costs one open.
    return zones_.emplace(std::string(name), std::move(zone)).first->second.get();
  }

 private:
  const std::string folder_ = zone_folder();
  mutable std::mutex mutex_;
  mutable std::map<std::string, std::unique_ptr<core::TimeZone>, std::less<>> zones_;
};

std::string trimmed_line(const std::string& text) {
  const auto end = text.find_first_of("\r\n");
  std::string line = text.substr(0, end);
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.pop_back();
  return line;
}

}  // namespace

const core::Zones& system_zones() {
  static const SystemZones zones;
  return zones;
}

std::string machine_zone_name() {
  std::string candidate;
  char target[4096];
  const auto length = ::readlink("/etc/localtime", target, sizeof target - 1);
  if (length > 0) {
    const std::string_view link(target, static_cast<std::size_t>(length));
    constexpr std::string_view kMarker = "zoneinfo/";
    if (const auto at = link.rfind(kMarker); at != std::string_view::npos) {
      candidate = std::string(link.substr(at + kMarker.size()));
    }
  }
  if (candidate.empty()) {
    if (const auto text = read_small_file("/etc/timezone")) candidate = trimmed_line(*text);
  }
  if (!candidate.empty() && system_zones().locate(candidate) != nullptr) return candidate;
  return {};
}

}  // namespace mitra::app
