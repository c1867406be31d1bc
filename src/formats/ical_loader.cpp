#define MITRA_ICAL_LOADER_IMPLEMENTATION
#include "formats/ical_loader.hpp"

#include <dlfcn.h>

#include <mutex>

namespace mitra::formats::ical {

namespace {

Api loaded;
std::string failure;

void load_once() {
  const std::string library = "libical.so." + std::to_string(ICAL_MAJOR_VERSION);
  void* handle = ::dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = ::dlerror();
    failure = "calendar files need " + library +
              " (Debian package libical3), which could not be "
              "loaded: " +
              (why ? why : "unknown error");
    return;
  }
  Api api;
  bool complete = true;
#define MITRA_ICAL_RESOLVE(name)                                           \
  api.name = reinterpret_cast<decltype(api.name)>(::dlsym(handle, #name)); \
  if (api.name == nullptr && complete) {                                   \
    complete = false;                                                      \
    failure = library + " has no " #name "; it is older than mitra needs"; \
  }
  MITRA_ICAL_FUNCTIONS(MITRA_ICAL_RESOLVE)
#undef MITRA_ICAL_RESOLVE
  if (complete) loaded = api;
  // The handle stays open for the life of the process: the pointers point into it.
}

}  // namespace

core::Result<const Api*> load_ical() {
  static std::once_flag once;
  std::call_once(once, load_once);
  if (!failure.empty()) return core::fail(core::ErrorKind::unavailable, failure, "ics");
  return &loaded;
}

const Api& api() { return loaded; }

}  // namespace mitra::formats::ical
