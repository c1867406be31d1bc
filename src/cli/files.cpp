#include "cli/files.hpp"

#include "core/system_reason.hpp"
#include "core/translate.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace mitra::cli {

namespace {

using core::invalid;
using core::Result;

bool write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// One line from `fd`, without its newline; at most 4096 bytes.
Result<std::string> read_line(int fd, core::Language language) {
  std::string line;
  char c = 0;
  for (;;) {
    const ssize_t n = ::read(fd, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int error = errno;
      return invalid(
          "passphrase",
          core::fill(core::tr(language, "cannot read the passphrase: {reason}"),
                     {{"reason", core::fill_sentence(core::system_reason(error), language)}}));
    }
    if (n == 0 || c == '\n') break;
    line += c;
    if (line.size() > 4096) {
      return invalid("passphrase",
                     std::string(core::tr(language, "the passphrase is longer than 4096 bytes")));
    }
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

// Asks on the terminal with echo off; echo comes back even when reading fails.
Result<std::string> ask(int tty, const char* prompt, core::Language language) {
  write_all(tty, prompt);
  termios before{};
  const bool terminal = ::tcgetattr(tty, &before) == 0;
  if (terminal) {
    termios quiet = before;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    quiet.c_lflag |= ECHONL;
    ::tcsetattr(tty, TCSAFLUSH, &quiet);
  }
  auto line = read_line(tty, language);
  if (terminal) ::tcsetattr(tty, TCSAFLUSH, &before);
  return line;
}

}  // namespace

Result<void> write_file_atomically(const std::string& path, std::string_view bytes,
                                   const std::string& field, Existing existing, unsigned mode,
                                   core::Language language) {
  const auto cannot = [&](int error) {
    return invalid(
        field, core::fill(core::tr(language, "cannot write \"{file}\": {reason}"),
                          {{"file", path},
                           {"reason", core::fill_sentence(core::system_reason(error), language)}}));
  };
  const auto taken = [&] {
    return invalid(
        field, core::fill(core::tr(language, "\"{file}\" already exists; choose a new file name"),
                          {{"file", path}}));
  };
  std::error_code ec;
  if (existing == Existing::refuse && std::filesystem::exists(path, ec)) return taken();
  const std::string temp = path + ".tmp-" + std::to_string(::getpid());
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) return cannot(errno);
  const bool written = write_all(fd, bytes) && ::fsync(fd) == 0;
  const int saved = errno;
  ::close(fd);
  if (!written) {
    std::remove(temp.c_str());
    return cannot(saved);
  }
  if (existing == Existing::refuse) {
    // link() fails if the name was taken meanwhile; rename() would replace it.
    if (::link(temp.c_str(), path.c_str()) != 0) {
      const int error = errno;
      std::remove(temp.c_str());
      return error == EEXIST ? taken() : cannot(error);
    }
    std::remove(temp.c_str());
  } else if (std::rename(temp.c_str(), path.c_str()) != 0) {
    const int error = errno;
    std::remove(temp.c_str());
    return cannot(error);
  }
  const auto folder = std::filesystem::path(path).parent_path();
  const int dir = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return {};
}

Result<std::string> read_passphrase(int fd, bool confirm, core::Language language) {
  using core::tr;
  if (fd >= 0) {
    if (::fcntl(fd, F_GETFD) < 0) {
      return invalid("passphrase",
                     core::fill(tr(language,
                                   "--passphrase-fd {fd} is not an open file descriptor (e.g. "
                                   "3<passphrase.txt)"),
                                {{"fd", std::to_string(fd)}}));
    }
    return read_line(fd, language);
  }
  const int tty = ::open("/dev/tty", O_RDWR | O_CLOEXEC);
  if (tty < 0) {
    return invalid("passphrase", std::string(tr(language,
                                                "there is no terminal to ask for the passphrase; "
                                                "give it on a file descriptor: --passphrase-fd 3 "
                                                "3<passphrase.txt")));
  }
  auto first = ask(tty, std::string(tr(language, "Passphrase: ")).c_str(), language);
  if (first && confirm) {
    auto again =
        ask(tty, std::string(tr(language, "The same passphrase again: ")).c_str(), language);
    if (!again) {
      first = tl::unexpected(again.error());
    } else if (*again != *first) {
      first = invalid("passphrase", std::string(tr(language,
                                                   "the two passphrases differ; "
                                                   "nothing was written")));
    }
  }
  ::close(tty);
  return first;
}

}  // namespace mitra::cli
