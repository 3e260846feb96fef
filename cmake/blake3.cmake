# BLAKE3's official C implementation as shipped by Debian's librust-blake3-dev.
# The unix .S files are listed one by one: the folder also holds Windows and example files.
set(BLAKE3_C_DIR /usr/share/cargo/registry/blake3-1.3.1/c CACHE PATH "BLAKE3 C sources")
if(NOT EXISTS ${BLAKE3_C_DIR}/blake3.h)
  message(FATAL_ERROR "BLAKE3 C sources not found in ${BLAKE3_C_DIR}: run scripts/install-deps.sh")
endif()
add_library(blake3 STATIC
  ${BLAKE3_C_DIR}/blake3.c
  ${BLAKE3_C_DIR}/blake3_dispatch.c
  ${BLAKE3_C_DIR}/blake3_portable.c)
if(CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64")
  target_sources(blake3 PRIVATE
    ${BLAKE3_C_DIR}/blake3_sse2_x86-64_unix.S
    ${BLAKE3_C_DIR}/blake3_sse41_x86-64_unix.S
    ${BLAKE3_C_DIR}/blake3_avx2_x86-64_unix.S
    ${BLAKE3_C_DIR}/blake3_avx512_x86-64_unix.S)
else()
  target_compile_definitions(blake3 PRIVATE BLAKE3_NO_SSE2 BLAKE3_NO_SSE41 BLAKE3_NO_AVX2 BLAKE3_NO_AVX512)
endif()
target_include_directories(blake3 SYSTEM PUBLIC ${BLAKE3_C_DIR})
set_target_properties(blake3 PROPERTIES POSITION_INDEPENDENT_CODE ON)
