#include "store/module_loader.hpp"

#include <dlfcn.h>

#include <filesystem>
#include <system_error>
#include <vector>

namespace mitra::store {

namespace {

namespace fs = std::filesystem;

// Where a module may be: beside the program (a build folder), then in the install's libdir,
// found from the program's own folder (bin/../lib/mitra/modules), so that an installed mitra
// finds its modules wherever the installation was put.
std::vector<fs::path> module_candidates(const char* file) {
  std::error_code error;
  const fs::path program = fs::read_symlink("/proc/self/exe", error);
  if (error) return {fs::path(MITRA_MODULE_DIR) / file};
  const fs::path folder = program.parent_path();
  return {folder / file, (folder / ".." / MITRA_MODULE_DIR / file).lexically_normal()};
}

}  // namespace

void* open_module(const char* file, const char* entry, const std::string& missing,
                  const char* target, std::string& failure) {
  const auto candidates = module_candidates(file);
  for (const auto& candidate : candidates) {
    std::error_code error;
    if (!fs::exists(candidate, error)) continue;
    // The handle stays open for the life of the process: what the module makes lives in it.
    void* handle = ::dlopen(candidate.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
      const char* why = ::dlerror();
      failure = missing + candidate.string() + " could not be loaded (" +
                (why ? why : "unknown error") + ")";
      return nullptr;
    }
    void* found = ::dlsym(handle, entry);
    if (found == nullptr) failure = missing + candidate.string() + " is not one of mitra's modules";
    return found;
  }
  failure = missing + "mitra looked for " + file + " in ";
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (i > 0) failure += i + 1 == candidates.size() ? " and " : ", ";
    failure += candidates[i].parent_path().string();
  }
  failure += std::string(" (it comes with mitra's package; in a build folder, build the target ") +
             target + ")";
  return nullptr;
}

std::string module_version_failure(const std::string& missing, const char* file,
                                   const char* version, const char* expected) {
  if (std::string(version) == expected) return "";
  return missing + file + " belongs to mitra " + version + ", and this is mitra " + expected;
}

}  // namespace mitra::store
