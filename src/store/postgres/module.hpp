#pragma once
// The PostgreSQL engine as a module of its own, libmitra_postgres.so, loaded with dlopen the
// first time a postgresql:// location is opened (store/postgres_loader.cpp).
//
// libpqxx pulls in libpq and its chain (Kerberos, LDAP, GnuTLS, SASL, libidn2 …): twenty-odd
// libraries that the dynamic loader would otherwise map and relocate at the start of every
// `mitra` command, although only a clinic's PostgreSQL database needs them. The module holds
// the engine (this folder) and the few parts of core and formats it calls; everything else
// stays in the program. It exports one function, mitra_postgres_module().
//
// The program carries its own C++ runtime (static libstdc++, src/cli/CMakeLists.txt); the module
// links the shared one. What crosses this interface must be plain data (strings, vectors,
// Results), virtual calls and malloc'd memory, never an iostream or a std::locale: each copy of
// the runtime numbers its locale facets itself.

#include <memory>
#include <string>

#include "store/clinic.hpp"
#include "store/store.hpp"

namespace mitra::store::postgres {

// What the module offers the program.
struct Module {
  // The mitra version the module was built with; the program refuses a module of another.
  const char* version;
  // open_postgres (postgres_store.hpp) itself. `new_id` is the program's, so that the ids one
  // process makes keep increasing whichever engine asks for them.
  Result<std::unique_ptr<Store>> (*open)(const std::string& url, OpenMode mode,
                                         std::string (*new_id)());
  // open_clinic_engine (below): the clinic's accounts and sessions (store/clinic.hpp).
  Result<std::unique_ptr<ClinicRecords>> (*open_clinic)(const std::string& url,
                                                        std::string (*new_id)());
};

// The module's file name and the name of its one exported function.
inline constexpr const char* kModuleFile = "libmitra_postgres.so";
inline constexpr const char* kModuleEntry = "mitra_postgres_module";
using ModuleEntry = const Module* (*)();

// Inside the module: connects and creates or upgrades the schema (postgres_store.cpp).
Result<std::unique_ptr<Store>> open_engine(const std::string& url, OpenMode mode);
// Inside the module: connects and creates or upgrades the schema `clinic` (clinic_store.cpp).
Result<std::unique_ptr<ClinicRecords>> open_clinic_engine(const std::string& url);

}  // namespace mitra::store::postgres
