#pragma once
// Files the CLI writes and secrets it reads.

#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/language.hpp"

namespace mitra::cli {

enum class Existing { replace, refuse };

// Writes `bytes` to `path` whole or not at all: a temporary file beside it (mode `mode`), synced,
// renamed over `path`, and the folder synced, so that after a crash `path` is the old file or the
// new one. With Existing::refuse an existing `path` is an error naming `field`. Its messages are
// in `language` (the system's reason, strerror, as the C library words it).
core::Result<void> write_file_atomically(const std::string& path, std::string_view bytes,
                                         const std::string& field, Existing existing,
                                         unsigned mode = 0644,
                                         core::Language language = core::kDefaultLanguage);

// A passphrase: from the open file descriptor `fd` when it is 0 or more (up to the first newline,
// as scripts pass it: `--passphrase-fd 3 3<secret`), else asked on the terminal (/dev/tty) with
// echo off, twice when `confirm`. Never from the command line. Errors name "passphrase". The
// prompts and messages are in `language`.
core::Result<std::string> read_passphrase(int fd, bool confirm,
                                          core::Language language = core::kDefaultLanguage);

}  // namespace mitra::cli
