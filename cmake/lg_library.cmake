# lg_library(NAME SRCS a.cc b.cc DEPS lg_core ...)
# Declares one layer as a static library. DEPS is the dependency graph made
# visible: a layer may only use what it lists (mining never links trackers).
function(lg_library name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SRCS})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/include ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
endfunction()

# lg_test(NAME SRCS a_test.cc DEPS lg_x LABELS unit)
# A GoogleTest binary registered with ctest under the given labels.
function(lg_test name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS;LABELS" ${ARGN})
  if(NOT LG_BUILD_TESTS)
    return()
  endif()
  add_executable(${name} ${ARG_SRCS})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main)
  # Every test may use the shared test helpers in src/testing (TempDir, ...).
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/src)
  target_compile_definitions(${name} PRIVATE
    LG_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    LG_BINARY="${LG_BINARY_DIR}/log-gardener")
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABELS}"
    WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
endfunction()
