# Registers a GoogleTest program's tests with ctest one *suite* at a time, not one test at a time
# (tests/CMakeLists.txt, MITRA_TESTS_BY_SUITE). Run by ctest before the tests (a TEST_INCLUDE_FILES
# script, as gtest_discover_tests' PRE_TEST mode), so the list is always the program's own.
#
# Why: in the sanitizer build every process of the test program costs about a second before its
# first test runs (AddressSanitizer registers every global of a 400 MB program), and there are
# some 800 tests; one process per suite keeps every check and spends that second a hundred times,
# not eight hundred.
#
# Input variables (set by the file tests/CMakeLists.txt generates):
#   GS_PROGRAM      the test program
#   GS_PG_PATTERN   a regular expression: tests (Suite.Name) that need the PostgreSQL fixture
#   GS_PG_FIXTURE   the fixture they require; GS_PG_ENVIRONMENT the environment they get
#   GS_TIMEOUT      each suite's time limit, seconds
#   GS_CHUNK        the most tests one process runs
#
# Each suite becomes the ctest test `Suite.*` running exactly its tests by name; a suite with
# PostgreSQL tests becomes two: `Suite.*` without them and `Suite.*/postgresql` with them, so
# only the latter waits for the cluster.

execute_process(COMMAND "${GS_PROGRAM}" --gtest_list_tests
                OUTPUT_VARIABLE gs_listing RESULT_VARIABLE gs_result ERROR_VARIABLE gs_error)
if(NOT gs_result EQUAL 0)
  # A test that fails, named after the problem, rather than a run with the tests missing.
  add_test(mitra_unit_tests_not_listed "${CMAKE_COMMAND}" -E false)
  message(WARNING "${GS_PROGRAM} --gtest_list_tests failed (${gs_result}): ${gs_error}")
  return()
endif()

# The comments after parametrised tests ("  # GetParam() = …") may hold any character; a bracket
# or a semicolon there would break CMake's list splitting, so they go first.
string(REGEX REPLACE "  # [^\n]*" "" gs_listing "${gs_listing}")
string(REGEX REPLACE "[][;]" "_" gs_listing "${gs_listing}")
string(REPLACE "\n" ";" gs_lines "${gs_listing}")
set(gs_suites "")
set(gs_suite "")
foreach(line IN LISTS gs_lines)
  if(line MATCHES "^([A-Za-z0-9_/]+)\\.( .*)?$")
    set(gs_suite "${CMAKE_MATCH_1}")
    list(APPEND gs_suites "${gs_suite}")
    set(gs_plain_${gs_suite} "")
    set(gs_pg_${gs_suite} "")
  elseif(gs_suite AND line MATCHES "^  ([A-Za-z0-9_/]+)( .*)?$")
    set(gs_test "${gs_suite}.${CMAKE_MATCH_1}")
    if(gs_test MATCHES "${GS_PG_PATTERN}")
      list(APPEND gs_pg_${gs_suite} "${gs_test}")
    else()
      list(APPEND gs_plain_${gs_suite} "${gs_test}")
    endif()
  elseif(line MATCHES "^ ")
    # A test line this script does not understand: fail loudly rather than leave a test out.
    add_test(mitra_unit_tests_listing_not_understood "${CMAKE_COMMAND}" -E false)
    message(WARNING "cmake/gtest_suites.cmake: cannot read the test line \"${line}\"")
  endif()
endforeach()

foreach(suite IN LISTS gs_suites)
  foreach(kind plain pg)
    list(LENGTH gs_${kind}_${suite} gs_count)
    if(gs_count EQUAL 0)
      continue()
    endif()
    if(kind STREQUAL "pg")
      set(gs_base "${suite}.*/postgresql")
    else()
      set(gs_base "${suite}.*")
    endif()
    # A long suite in parts of at most GS_CHUNK tests, so that no one process holds up the run.
    math(EXPR gs_parts "(${gs_count} + ${GS_CHUNK} - 1) / ${GS_CHUNK}")
    math(EXPR gs_last "${gs_parts} - 1")
    foreach(part RANGE ${gs_last})
      math(EXPR gs_begin "${part} * ${GS_CHUNK}")
      list(SUBLIST gs_${kind}_${suite} ${gs_begin} ${GS_CHUNK} gs_tests)
      list(JOIN gs_tests ":" gs_filter)
      set(gs_name "${gs_base}")
      if(gs_parts GREATER 1)
        math(EXPR gs_number "${part} + 1")
        string(APPEND gs_name " (${gs_number}/${gs_parts})")
      endif()
      add_test("${gs_name}" "${GS_PROGRAM}" "--gtest_filter=${gs_filter}")
      set_tests_properties("${gs_name}" PROPERTIES TIMEOUT "${GS_TIMEOUT}")
      if(kind STREQUAL "pg")
        set_tests_properties("${gs_name}" PROPERTIES FIXTURES_REQUIRED "${GS_PG_FIXTURE}"
                             ENVIRONMENT "${GS_PG_ENVIRONMENT}")
      endif()
    endforeach()
  endforeach()
endforeach()
