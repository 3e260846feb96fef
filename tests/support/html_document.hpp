#pragma once
// A strict little HTML checker for the pages the server renders (/telemetry, /v1/docs): they
// must parse as written, with every element closed in order, so a broken page fails its tests.

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace ferr::testing {

/// One start tag.
struct HtmlTag {
  std::string name;
  std::map<std::string, std::string> attrs;  ///< values as written (still escaped)
};

/// What parse_html found.
struct HtmlDocument {
  std::string error;  ///< empty when well formed
  std::vector<HtmlTag> tags;
  std::string text;  ///< the character data, tags removed, <style> skipped
};

/// Parses `html` as the renderers write it: a doctype, then elements that are all closed
/// explicitly and in order (void elements aside; SVG elements may self-close), attributes
/// double-quoted and unique, no raw `<` or `>` in text and none in attribute values.
HtmlDocument parse_html(std::string_view html);

}  // namespace ferr::testing
