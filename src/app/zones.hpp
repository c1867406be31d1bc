#pragma once
// The operating system's IANA time-zone database (/usr/share/zoneinfo, through the date
// library), given to core through its interface: core never opens the zone files itself
// (core/time.hpp, `Zones`).

#include "core/time.hpp"

namespace mitra::app {

// The OS database. It holds no state of its own (the date library reads the files once, on the
// first lookup), so one instance serves every caller.
const core::Zones& system_zones();

}  // namespace mitra::app
