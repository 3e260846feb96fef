#pragma once
/// Reading a JSON request body into a typed input with the strict reader.

#include <boost/json/value.hpp>

#include "api/json_body.hpp"
#include "api/object_reader.hpp"
#include "core/error.hpp"
#include "http/request.hpp"

namespace ferr::api {

/// Parses `request.body`, runs `read(ObjectReader&) -> Result<T>` over its object and rejects
/// members `read` did not ask for.
template <typename T, typename F>
core::Result<T> read_body(const http::Request& request, F&& read) {
  auto value = parse_json_body(request.body);
  if (!value) return core::fail(value.error());
  auto reader = ObjectReader::of(*value);
  if (!reader) return core::fail(reader.error());
  core::Result<T> input = read(*reader);
  if (!input) return input;
  if (auto complete = reader->finish(); !complete) return core::fail(complete.error());
  return input;
}

}  // namespace ferr::api
