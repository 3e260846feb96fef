# ferr_embed_sql(TARGET OUT_CPP NAMESPACE FILES...) turns numbered .sql migration files into a
# C++ source holding them as string literals, so the binary carries its own schema.
function(ferr_embed_sql out_cpp namespace)
  set(files ${ARGN})
  add_custom_command(
    OUTPUT ${out_cpp}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out_cpp} -DNAMESPACE=${namespace} "-DFILES=${files}"
            -P ${PROJECT_SOURCE_DIR}/cmake/embed_sql.cmake
    DEPENDS ${files} ${PROJECT_SOURCE_DIR}/cmake/embed_sql.cmake
    COMMENT "Embedding SQL migrations into ${out_cpp}"
    VERBATIM)
endfunction()
