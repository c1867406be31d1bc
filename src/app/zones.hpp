#pragma once
// The operating system's IANA time-zone database (/usr/share/zoneinfo, or $TZDIR), given to core
// through its interface: core never opens the zone files itself (core/time.hpp, `Zones`).

#include <string>

#include "core/time.hpp"

namespace mitra::app {

// The OS database. A zone's file is read the first time the zone is asked for, and kept for
// the life of the process; one instance serves every caller and every thread.
const core::Zones& system_zones();

// The name of the machine's own zone: /etc/localtime's link into the zone folder, else
// /etc/timezone; empty when neither names a zone the database knows.
std::string machine_zone_name();

}  // namespace mitra::app
