#pragma once
// Finds and opens one of mitra's modules (shared libraries built beside the program, installed
// in bin/../lib/mitra/modules): the PostgreSQL engine (store/postgres_loader.cpp) and the web
// app's server (cli/server_loader.cpp). A module exports one entry function that returns its
// description, whose `version` must be this program's.

#include <string>

namespace mitra::store {

// `file`: "libmitra_postgres.so"; `entry`: the exported function's name; `missing`: how a
// message about it starts ("PostgreSQL support is not installed: "); `target`: the build target
// that makes it. Returns the entry function's address, or null and `failure` saying where mitra
// looked and what went wrong. The module stays loaded for the life of the process.
void* open_module(const char* file, const char* entry, const std::string& missing,
                  const char* target, std::string& failure);

// The check every module's description gets: `version` (the module's) must be `expected`.
// Empty when it is; else the message, starting with `missing`.
std::string module_version_failure(const std::string& missing, const char* file,
                                   const char* version, const char* expected);

// A module's description, or why there is none: opens `file`, calls its entry `Entry` (a
// function returning `const Module*`) and checks the version.
template <typename Module, typename Entry>
struct LoadedModule {
  const Module* module = nullptr;
  std::string failure;

  static LoadedModule load(const char* file, const char* entry, const std::string& missing,
                           const char* target, const char* expected_version) {
    LoadedModule loaded;
    void* found = open_module(file, entry, missing, target, loaded.failure);
    if (found == nullptr) return loaded;
    const Module* module = reinterpret_cast<Entry>(found)();
    loaded.failure = module_version_failure(missing, file, module->version, expected_version);
    if (loaded.failure.empty()) loaded.module = module;
    return loaded;
  }
};

}  // namespace mitra::store
