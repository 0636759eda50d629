# Fast tier: unit tests beside the code (label "unit") and integration tests
# against a real server process (label "integration"). Browser tests are run by
# scripts/test through node (label "e2e").
get_property(unit_tests GLOBAL PROPERTY PEYVAND_UNIT_TESTS)
# A local SMTP server the tests start themselves (tests/support), for the e-mail client and the
# escalation e-mails.
set(test_support ${CMAKE_SOURCE_DIR}/tests/support/smtp_sink.cpp)
add_executable(peyvand_unit_tests ${unit_tests} ${test_support})
target_link_libraries(peyvand_unit_tests PRIVATE peyvand_app GTest::gtest_main)
# Unit tests that check shipped files (templates) find them in the source tree.
target_compile_definitions(peyvand_unit_tests PRIVATE PEYVAND_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
target_include_directories(peyvand_unit_tests PRIVATE ${PEYVAND_INCLUDE_ROOT}/app ${CMAKE_SOURCE_DIR}/tests)
include(GoogleTest)
gtest_discover_tests(peyvand_unit_tests PROPERTIES LABELS "unit" DISCOVERY_TIMEOUT 60)

file(GLOB integration_sources CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/integration/*.cpp)
if(integration_sources)
  add_executable(peyvand_integration_tests ${integration_sources} ${test_support})
  target_link_libraries(peyvand_integration_tests PRIVATE peyvand_app GTest::gtest_main Threads::Threads)
  target_include_directories(peyvand_integration_tests PRIVATE ${PEYVAND_INCLUDE_ROOT}/app ${CMAKE_SOURCE_DIR}/tests)
  add_dependencies(peyvand_integration_tests peyvand peyvand_web_assets)
  # One ctest entry per backend and suite; each starts its own server processes.
  set(it_env "PEYVAND_BIN=$<TARGET_FILE:peyvand>;PEYVAND_WEB_ROOT=${CMAKE_BINARY_DIR}/web")
  foreach(suite ApiTest ReliabilityTest PeopleTest PathwayTest FundingTest ScorecardTest DashboardTest NotificationTest)
    add_test(NAME integration_sqlite_${suite} COMMAND peyvand_integration_tests --gtest_brief=1 --gtest_filter=${suite}.*)
    set_tests_properties(integration_sqlite_${suite} PROPERTIES LABELS "integration" ENVIRONMENT "${it_env}")
    add_test(NAME integration_postgres_${suite} COMMAND peyvand_integration_tests --gtest_brief=1 --gtest_filter=${suite}.*)
    set_tests_properties(integration_postgres_${suite} PROPERTIES LABELS "integration;postgres"
      ENVIRONMENT "${it_env};PEYVAND_TEST_BACKEND=postgres")
  endforeach()
endif()

# Fuzz targets: with PEYVAND_FUZZ (clang) they are libFuzzer binaries; without,
# they replay the seed corpus so CI exercises them under the sanitizers.
file(GLOB fuzz_sources CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/fuzz/fuzz_*.cpp)
foreach(src IN LISTS fuzz_sources)
  get_filename_component(fname ${src} NAME_WE)
  if(PEYVAND_FUZZ)
    add_executable(${fname} ${src})
    target_compile_options(${fname} PRIVATE -fsanitize=fuzzer)
    target_link_options(${fname} PRIVATE -fsanitize=fuzzer)
  else()
    add_executable(${fname} ${src} ${CMAKE_SOURCE_DIR}/tests/fuzz/replay_main.cpp)
    string(REPLACE "fuzz_" "" corpus ${fname})
    add_test(NAME ${fname}_corpus COMMAND ${fname} ${CMAKE_SOURCE_DIR}/tests/fuzz/corpus/${corpus})
    set_tests_properties(${fname}_corpus PROPERTIES LABELS "unit;fuzz")
  endif()
  # The layer a target links (and whose include tree it sees); persian unless listed here.
  set(fuzz_layer persian)
  if(fname STREQUAL "fuzz_multipart")
    set(fuzz_layer http)
  endif()
  target_link_libraries(${fname} PRIVATE peyvand_${fuzz_layer})
  target_include_directories(${fname} PRIVATE ${PEYVAND_INCLUDE_ROOT}/${fuzz_layer})
endforeach()
