#include "cli/exit_codes.hpp"

namespace mitra::cli {

int exit_code(core::ErrorKind kind) {
  switch (kind) {
    case core::ErrorKind::invalid_input:
      return kExitUsage;
    case core::ErrorKind::not_found:
      return 3;
    case core::ErrorKind::conflict:
    case core::ErrorKind::unprocessable:  // Clashes with an earlier request: a conflict here.
      return 4;
    case core::ErrorKind::forbidden:
      return 5;
    case core::ErrorKind::unavailable:
      return 6;
    case core::ErrorKind::internal:
      return 70;
  }
  return 70;
}

}  // namespace mitra::cli
