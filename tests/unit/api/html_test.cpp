// Escaping text into HTML: every markup character, nothing else.

#include "api/html.hpp"

#include <gtest/gtest.h>

#include <string>

namespace ferr::api {
namespace {

TEST(HtmlEscaping, EscapesEveryMarkupCharacter) {
  EXPECT_EQ(html_escape("<a href=\"x\">Tom & Jerry's</a>"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
  EXPECT_EQ(html_escape("plain text, é ü 😀"), "plain text, é ü 😀");
  EXPECT_EQ(html_escape(""), "");
  std::string out = "<p>";
  append_html_escaped(out, "&amp;");
  EXPECT_EQ(out, "<p>&amp;amp;");
}

TEST(HtmlEscaping, AnAttributeIsNameThenTheEscapedValueInDoubleQuotes) {
  std::string out = "<a";
  append_html_attribute(out, "title", "Tom & \"Jerry\"");
  EXPECT_EQ(out, "<a title=\"Tom &amp; &quot;Jerry&quot;\"");
}

}  // namespace
}  // namespace ferr::api
