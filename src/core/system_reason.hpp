#pragma once
// The system's reason for a failed call (an errno value), as a sentence to put in a message:
// sentence("cannot write \"{file}\": {reason}", {{"file", path}}).with("reason",
// system_reason(errno)). In English the C library's own words (strerror), byte for byte;
// translated for the reasons a person meets (a missing file, no permission, a folder where a
// file was meant, a full disk…); any other keeps the C library's words in every language.

#include "core/error.hpp"

namespace mitra::core {

Sentence system_reason(int error);

}  // namespace mitra::core
