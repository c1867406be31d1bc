#include "core/system_reason.hpp"

#include <cerrno>
#include <cstring>

namespace mitra::core {

Sentence system_reason(int error) {
  // Each English text is glibc's strerror for the code, byte for byte (tested), so English
  // messages read as they did when they held strerror itself.
  switch (error) {
    case ENOENT:
      return sentence("No such file or directory");
    case EACCES:
      return sentence("Permission denied");
    case EPERM:
      return sentence("Operation not permitted");
    case EISDIR:
      return sentence("Is a directory");
    case ENOTDIR:
      return sentence("Not a directory");
    case ENOSPC:
      return sentence("No space left on device");
    case EDQUOT:
      return sentence("Disk quota exceeded");
    case EROFS:
      return sentence("Read-only file system");
    case EEXIST:
      return sentence("File exists");
    case EIO:
      return sentence("Input/output error");
    case EMFILE:
      return sentence("Too many open files");
    case ENAMETOOLONG:
      return sentence("File name too long");
    case ELOOP:
      return sentence("Too many levels of symbolic links");
    default:
      // Not a pattern for the catalog: the C library's words, as they are, in every language.
      return Sentence{"{reason}", {SentenceValue{"reason", std::strerror(error), nullptr}}};
  }
}

}  // namespace mitra::core
