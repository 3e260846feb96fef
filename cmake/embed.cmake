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

# ferr_embed_text(OUT_HPP NAMESPACE NAME FILE) turns a text file (a stylesheet, say) into a header
# holding it, byte for byte, as `inline constexpr std::string_view NAME` in NAMESPACE, so the file
# can be edited as what it is and still ship inside the binary.
function(ferr_embed_text out_hpp namespace name file)
  add_custom_command(
    OUTPUT ${out_hpp}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out_hpp} -DNAMESPACE=${namespace} -DNAME=${name}
            -DFILE=${file} -P ${PROJECT_SOURCE_DIR}/cmake/embed_text.cmake
    DEPENDS ${file} ${PROJECT_SOURCE_DIR}/cmake/embed_text.cmake
    COMMENT "Embedding ${file}"
    VERBATIM)
endfunction()
