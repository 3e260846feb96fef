#include "support/html_document.hpp"

#include <algorithm>
#include <cctype>
#include <set>

namespace ferr::testing {

namespace {

bool is_void(std::string_view name) {
  static const std::set<std::string_view> kVoid = {"area",   "base",  "br",    "col",  "embed",
                                                   "hr",     "img",   "input", "link", "meta",
                                                   "source", "track", "wbr"};
  return kVoid.contains(name);
}

}  // namespace

HtmlDocument parse_html(std::string_view html) {
  HtmlDocument doc;
  std::vector<std::string> open;
  std::size_t i = 0;
  auto fail = [&](const std::string& what) {
    doc.error = what + " at offset " + std::to_string(i) + ": " +
                std::string(html.substr(i, std::min<std::size_t>(80, html.size() - i)));
    return doc;
  };
  constexpr std::string_view kDoctype = "<!DOCTYPE html>";
  if (!html.starts_with(kDoctype)) return fail("no doctype");
  i = kDoctype.size();
  while (i < html.size()) {
    if (html[i] != '<') {
      if (html[i] == '>') return fail("raw > in text");
      doc.text += html[i++];
      continue;
    }
    if (html.substr(i, 2) == "</") {
      auto end = html.find('>', i);
      if (end == std::string_view::npos) return fail("unterminated end tag");
      std::string name(html.substr(i + 2, end - i - 2));
      if (open.empty()) return fail("</" + name + "> closes nothing");
      if (open.back() != name) return fail("</" + name + "> closes <" + open.back() + ">");
      open.pop_back();
      i = end + 1;
      continue;
    }
    ++i;
    std::size_t name_end = i;
    while (name_end < html.size() && std::isalnum(static_cast<unsigned char>(html[name_end])))
      ++name_end;
    if (name_end == i) return fail("< that starts no tag");
    HtmlTag tag{std::string(html.substr(i, name_end - i)), {}};
    i = name_end;
    bool self_closed = false;
    for (;;) {
      while (i < html.size() && html[i] == ' ') ++i;
      if (i >= html.size()) return fail("unterminated tag");
      if (html[i] == '>') {
        ++i;
        break;
      }
      if (html.substr(i, 2) == "/>") {  // a self-closed element (SVG)
        self_closed = true;
        i += 2;
        break;
      }
      std::size_t attr_end = i;
      while (attr_end < html.size() &&
             (std::isalnum(static_cast<unsigned char>(html[attr_end])) || html[attr_end] == '-'))
        ++attr_end;
      if (attr_end == i) return fail("bad attribute");
      std::string attr(html.substr(i, attr_end - i));
      if (html.substr(attr_end, 2) != "=\"") return fail("attribute " + attr + " not quoted");
      auto close = html.find('"', attr_end + 2);
      if (close == std::string_view::npos) return fail("unterminated attribute");
      std::string value(html.substr(attr_end + 2, close - attr_end - 2));
      if (value.find_first_of("<>") != std::string::npos) return fail("raw < or > in attribute");
      if (!tag.attrs.emplace(attr, value).second) return fail("attribute " + attr + " twice");
      i = close + 1;
    }
    if (tag.name == "style") {  // raw text: CSS may contain `>`
      auto end = html.find("</style>", i);
      if (end == std::string_view::npos) return fail("unterminated style");
      i = end + std::string_view("</style>").size();
    } else if (!is_void(tag.name) && !self_closed) {
      open.push_back(tag.name);
    }
    doc.tags.push_back(std::move(tag));
  }
  if (!open.empty()) return fail("<" + open.back() + "> never closed");
  return doc;
}

}  // namespace ferr::testing
