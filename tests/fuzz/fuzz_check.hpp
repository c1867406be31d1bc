#pragma once
// Shared by the fuzz harnesses: FUZZ_CHECK stops the run on a broken property, as a sanitizer
// would on a memory error, so libFuzzer keeps the input as a crash.

#include <cstdio>
#include <cstdlib>
#include <string>

#define FUZZ_CHECK(condition, detail)                                                            \
  do {                                                                                           \
    if (!(condition)) {                                                                          \
      std::fprintf(stderr, "%s:%d: property broken: %s\n  %s\n", __FILE__, __LINE__, #condition, \
                   std::string(detail).c_str());                                                 \
      std::abort();                                                                              \
    }                                                                                            \
  } while (false)
