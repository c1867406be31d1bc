#include "app/zones.hpp"

#include <exception>
#include <string>

namespace mitra::app {
namespace {

class SystemZones final : public core::Zones {
 public:
  const date::time_zone* locate(std::string_view name) const override {
    try {
      return date::locate_zone(std::string(name));
    } catch (const std::exception&) {
      return nullptr;  // Not a zone the database knows (date throws std::runtime_error).
    }
  }
};

}  // namespace

const core::Zones& system_zones() {
  static const SystemZones zones;
  return zones;
}

}  // namespace mitra::app
