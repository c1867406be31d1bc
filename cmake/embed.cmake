# mitra_embed(TARGET BASE DIR FILES f1 f2 ... [EXTRA name=/abs/path ...]
#             [NAMESPACE ns] [HEADER path])
# Compiles files into a static library that exposes them through `NAMESPACE::find(path)` and
# `NAMESPACE::list()` (declared in HEADER; by default mitra::data in src/core/embedded.hpp).
# FILES are relative to BASE and keep that name; EXTRA adds files from elsewhere under a name.
# Clinical content (data/) and the web app (web/) are never read from disk at run time.
function(mitra_embed target)
  cmake_parse_arguments(ARG "" "BASE;NAMESPACE;HEADER" "FILES;EXTRA" ${ARGN})
  if(NOT ARG_NAMESPACE)
    set(ARG_NAMESPACE "mitra::data")
  endif()
  if(NOT ARG_HEADER)
    set(ARG_HEADER "core/embedded.hpp")
  endif()
  set(out "${CMAKE_CURRENT_BINARY_DIR}/${target}_embedded.cpp")
  set(entries "")
  set(abs_files "")
  foreach(f IN LISTS ARG_FILES)
    list(APPEND entries "${f}=${ARG_BASE}/${f}")
    list(APPEND abs_files "${ARG_BASE}/${f}")
  endforeach()
  foreach(e IN LISTS ARG_EXTRA)
    list(APPEND entries "${e}")
    string(REGEX REPLACE "^[^=]*=" "" path "${e}")
    list(APPEND abs_files "${path}")
  endforeach()
  # The entry list goes through a file: a CMake list does not survive a command line.
  set(list_file "${CMAKE_CURRENT_BINARY_DIR}/${target}_files.txt")
  file(WRITE "${list_file}.tmp" "${entries}")
  file(COPY_FILE "${list_file}.tmp" "${list_file}" ONLY_IF_DIFFERENT)
  add_custom_command(
    OUTPUT "${out}"
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DLIST_FILE=${list_file} -DNAMESPACE=${ARG_NAMESPACE}
            -DHEADER=${ARG_HEADER} -P "${PROJECT_SOURCE_DIR}/cmake/embed_generate.cmake"
    DEPENDS ${abs_files} "${list_file}" "${PROJECT_SOURCE_DIR}/cmake/embed_generate.cmake"
    COMMENT "Embedding files into ${target}"
    VERBATIM)
  add_library(${target} STATIC "${out}")
  # The header belongs to the layer its path starts with (core/embedded.hpp: core).
  string(REGEX REPLACE "/.*" "" layer "${ARG_HEADER}")
  mitra_layer_headers(${target} PUBLIC ${layer})
endfunction()
