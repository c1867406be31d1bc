# mitra_embed(TARGET NAME BASE DIR FILES f1 f2 ...)
# Compiles data files into a static library that exposes them through
# `mitra::data::find(path)` (declared in src/core/embedded.hpp). Clinical content lives in
# data/ as reviewed text and is never read from disk at run time.
function(mitra_embed target)
  cmake_parse_arguments(ARG "" "BASE" "FILES" ${ARGN})
  set(out "${CMAKE_CURRENT_BINARY_DIR}/${target}_embedded.cpp")
  set(abs_files "")
  foreach(f IN LISTS ARG_FILES)
    list(APPEND abs_files "${ARG_BASE}/${f}")
  endforeach()
  # The file list goes through a file: a CMake list does not survive a command line.
  set(list_file "${CMAKE_CURRENT_BINARY_DIR}/${target}_files.txt")
  file(WRITE "${list_file}.tmp" "${ARG_FILES}")
  file(COPY_FILE "${list_file}.tmp" "${list_file}" ONLY_IF_DIFFERENT)
  add_custom_command(
    OUTPUT "${out}"
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DBASE=${ARG_BASE} -DLIST_FILE=${list_file}
            -P "${PROJECT_SOURCE_DIR}/cmake/embed_generate.cmake"
    DEPENDS ${abs_files} "${list_file}" "${PROJECT_SOURCE_DIR}/cmake/embed_generate.cmake"
    COMMENT "Embedding data files into ${target}"
    VERBATIM)
  add_library(${target} STATIC "${out}")
  target_include_directories(${target} PUBLIC "${PROJECT_SOURCE_DIR}/src")
endfunction()
