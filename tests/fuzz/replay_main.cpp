// Without libFuzzer (GCC builds): feeds every file of the folders (or files) given on the
// command line to the harness's LLVMFuzzerTestOneInput, once each, in name order. A crash,
// a sanitizer report, an uncaught exception or a broken property fails the run, so ctest
// replays the seed corpora and every crash ever found.
//
// `--expect-failure FILE...`: each file is a crash whose bug is not fixed yet (crashes/*/open-*).
// Each runs in a child process, which must fail; one that passes fails the replay, so the fix
// is noticed and the file renamed (the "open-" dropped) to be replayed as a fixed crash.

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

std::string read_all(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void run(const std::string& bytes) {
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}

}  // namespace

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  bool expect_failure = false;
  std::vector<fs::path> files;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--expect-failure") == 0) {
      expect_failure = true;
      continue;
    }
    const fs::path arg(argv[i]);
    if (fs::is_directory(arg)) {
      for (const auto& entry : fs::directory_iterator(arg)) {
        if (entry.is_regular_file()) files.push_back(entry.path());
      }
    } else if (fs::is_regular_file(arg)) {
      files.push_back(arg);
    } else {
      std::cerr << "replay: " << arg << " does not exist\n";
      return 2;
    }
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    const std::string bytes = read_all(file);
    std::cerr << "replay: " << file.string() << " (" << bytes.size() << " bytes)\n";
    if (!expect_failure) {
      run(bytes);
      continue;
    }
    std::cerr.flush();
    const pid_t child = fork();
    if (child < 0) return 2;
    if (child == 0) {
      run(bytes);
      _exit(0);
    }
    int status = 0;
    waitpid(child, &status, 0);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
      std::cerr << "replay: " << file.string()
                << " no longer fails: its bug is fixed. Rename it without \"open-\" so that it "
                   "is replayed as a fixed crash.\n";
      return 1;
    }
    std::cerr << "replay: fails as expected (its bug is still open)\n";
  }
  std::cerr << "replay: " << files.size() << " inputs, all as expected\n";
  return 0;
}
