# Proves that a header (server_event.hpp, catalog.hpp) turns a mistake into a compile error (ctest
# runs this).
#   cmake -DCOMPILER=c++ -DFLAGS="a|b" -DINCLUDES="dir|dir" -DIMPLICIT_INCLUDES="dir|dir"
#         -DSOURCE=file.cpp -DCASE=MACRO -DEXPECT=regex -P compile_fail.cmake
# The file must first compile without CASE, so a failure cannot come from a broken command line;
# then it must fail with CASE defined, and the diagnostics must contain EXPECT (the static_assert
# message), so removing that check fails the test even if the file failed for another reason.
foreach(var COMPILER FLAGS INCLUDES SOURCE CASE EXPECT)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "compile_fail.cmake: ${var} is not set")
  endif()
endforeach()
string(REPLACE "|" ";" flags "${FLAGS}")
string(REPLACE "|" ";" includes "${INCLUDES}")
string(REPLACE "|" ";" implicit "${IMPLICIT_INCLUDES}")
# -I on a directory the compiler already searches (/usr/include) can break #include_next.
list(REMOVE_DUPLICATES includes)
if(implicit)
  list(REMOVE_ITEM includes ${implicit})
endif()
foreach(dir ${includes})
  list(APPEND flags "-I${dir}")
endforeach()

execute_process(COMMAND ${COMPILER} ${flags} -fsyntax-only ${SOURCE}
  RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE output)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "the control (no misuse case) does not compile:\n${output}")
endif()

execute_process(COMMAND ${COMPILER} ${flags} -fsyntax-only -D${CASE} ${SOURCE}
  RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE output)
if(status EQUAL 0)
  message(FATAL_ERROR "${CASE} compiled, but the typed emit API must reject it")
endif()
if(NOT output MATCHES "${EXPECT}")
  message(FATAL_ERROR "${CASE} failed to compile, but without \"${EXPECT}\":\n${output}")
endif()
message(STATUS "${CASE}: rejected at compile time as expected")
