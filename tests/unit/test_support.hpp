#pragma once
// Small helpers shared by tests: a temporary folder, running the mitra binary.

#include <sys/wait.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "core/journal.hpp"

namespace mitra::testing {

// A fresh folder under the system temp dir, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "mitra-test-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::permissions(path_, std::filesystem::perms::owner_all, ec);
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline void write_file(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs a shell command line; captures stdout and stderr separately.
inline RunResult run_shell(const std::string& command_line, const TempDir& scratch) {
  const std::string out_path = scratch.file(".stdout");
  const std::string err_path = scratch.file(".stderr");
  // English whatever the machine's locale (mitra speaks the language LANG and its kin ask
  // for); a command that wants another sets its own.
  const std::string full = "(unset LC_ALL LC_MESSAGES LANGUAGE; LANG=C.UTF-8; export LANG; " +
                           command_line + ") >'" + out_path + "' 2>'" + err_path + "'";
  const int status = std::system(full.c_str());
  RunResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = read_file(out_path);
  result.err = read_file(err_path);
  return result;
}

// A dose of 2.5 g at `seconds` since the epoch (UTC) whose note is `note`: for tests that tell
// doses apart by their notes.
inline core::Dose dose_with_note(const std::string& note, long long seconds = 1'760'000'000) {
  core::Dose dose;
  dose.taken_at = core::Instant{std::chrono::seconds{seconds}};
  dose.zone = "UTC";
  dose.amount = core::Amount{2'500'000, core::Unit::gram};
  dose.note = note;
  return dose;
}

}  // namespace mitra::testing
