#pragma once
// The one place where error kinds become exit codes.

#include "core/error.hpp"

namespace mitra::cli {

inline constexpr int kExitUsage = 2;  // Also the code for invalid input.

int exit_code(core::ErrorKind kind);

}  // namespace mitra::cli
