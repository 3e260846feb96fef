#pragma once
/// A numbered schema change embedded in the binary (see cmake/embed_sql.cmake).

#include <string>
#include <vector>

namespace ferr::storage {

/// One migration: applied in `version` order, each exactly once, recorded in `schema_migrations`.
struct Migration {
  int version;
  std::string name;
  std::string sql;
};

}  // namespace ferr::storage
