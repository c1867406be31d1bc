// The entry point of libmitra_postgres.so (module.hpp). Only mitra_postgres_module() is
// exported; the engine and its copies of core and formats are hidden inside the module.
#include "store/postgres/module.hpp"

#include <atomic>

namespace mitra::store {

namespace {

std::atomic<std::string (*)()> program_new_id{nullptr};

Result<std::unique_ptr<Store>> open(const std::string& url, OpenMode mode,
                                    std::string (*new_id)()) {
  program_new_id.store(new_id);
  return postgres::open_engine(url, mode);
}

Result<std::unique_ptr<ClinicRecords>> open_clinic_tables(const std::string& url,
                                                          std::string (*new_id)()) {
  program_new_id.store(new_id);
  return postgres::open_clinic_engine(url);
}

}  // namespace

// The engine's ids come from the program (see Module::open).
std::string new_id() { return program_new_id.load()(); }

}  // namespace mitra::store

extern "C" __attribute__((visibility("default"))) const mitra::store::postgres::Module*
mitra_postgres_module() {
  static const mitra::store::postgres::Module module{MITRA_VERSION, &mitra::store::open,
                                                     &mitra::store::open_clinic_tables};
  return &module;
}
