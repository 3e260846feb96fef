#include "api/openapi/reference.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <map>
#include <string>
#include <vector>

#include "api/html.hpp"
#include "api/openapi/reference_css.hpp"

namespace ferr::api::openapi {

namespace {

using boost::json::array;
using boost::json::object;
using boost::json::value;

constexpr std::string_view kStylesheet = embedded::reference_css;
constexpr std::string_view kSchemaPrefix = "#/components/schemas/";
/// The operations of a path item: the OpenAPI key and the method as HTTP spells it.
struct MethodNames {
  std::string_view key;
  std::string_view verb;
};
constexpr MethodNames kMethods[] = {
    {"get", "GET"}, {"post", "POST"}, {"put", "PUT"}, {"patch", "PATCH"}, {"delete", "DELETE"}};

std::string_view text_of(const object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string_view(v->as_string()) : std::string_view();
}

// Escaped text, with `backquoted` spans as <code> (the descriptions' only markup).
void append_prose(std::string& out, std::string_view text) {
  bool in_code = false;
  std::size_t start = 0;
  for (std::size_t tick = text.find('`'); tick != std::string_view::npos;
       tick = text.find('`', start)) {
    append_html_escaped(out, text.substr(start, tick - start));
    out += in_code ? "</code>" : "<code>";
    in_code = !in_code;
    start = tick + 1;
  }
  append_html_escaped(out, text.substr(start));
  if (in_code) out += "</code>";  // an odd backquote: close what it opened
}

void append_code(std::string& out, std::string_view text) {
  out += "<code>";
  append_html_escaped(out, text);
  out += "</code>";
}

// `kind-name`: the id of a name of some kind (tag, operation, schema), kind first as it reads.
// NOLINTNEXTLINE(bugprone-easily-swappable-parameters)
std::string anchor(std::string_view kind, std::string_view name) {
  std::string id(kind);
  id += '-';
  for (char c : name) id += (std::isalnum(static_cast<unsigned char>(c)) != 0) ? c : '-';
  return id;
}

void append_schema_link(std::string& out, std::string_view name) {
  out += "<a href=\"#" + anchor("schema", name) + "\">";
  append_html_escaped(out, name);
  out += "</a>";
}

// What a schema is, in a few words: a type, a link to a named schema, a list of values.
void append_type(std::string& out, const object& schema) {
  if (auto ref = text_of(schema, "$ref"); ref.starts_with(kSchemaPrefix)) {
    append_schema_link(out, ref.substr(kSchemaPrefix.size()));
    return;
  }
  if (const auto* one_of = schema.if_contains("oneOf")) {
    bool first = true;
    for (const auto& option : one_of->as_array()) {
      if (!first) out += " or ";
      first = false;
      append_type(out, option.as_object());
    }
    return;
  }
  if (const auto* values = schema.if_contains("enum")) {
    out += "one of ";
    bool first = true;
    for (const auto& v : values->as_array()) {
      if (!first) out += ", ";
      first = false;
      append_code(out, v.is_string() ? std::string(v.as_string()) : boost::json::serialize(v));
    }
    return;
  }
  if (const auto* constant = schema.if_contains("const")) {
    append_code(out, boost::json::serialize(*constant));
    return;
  }
  const value* type = schema.if_contains("type");
  if (type == nullptr) {
    out += "any";
    return;
  }
  std::vector<std::string_view> types;
  if (type->is_string()) {
    types.push_back(type->as_string());
  } else {
    for (const auto& t : type->as_array()) types.push_back(t.as_string());
  }
  for (std::size_t i = 0; i < types.size(); ++i) {
    if (i > 0) out += " or ";
    if (types[i] == "array" && schema.contains("items")) {
      out += "array of ";
      append_type(out, schema.at("items").as_object());
    } else if (const auto* properties = schema.if_contains("properties");
               types[i] == "object" && properties != nullptr) {
      out += "object with ";
      bool first = true;
      for (const auto& [name, member] : properties->as_object()) {
        if (!first) out += ", ";
        first = false;
        append_code(out, name);
      }
    } else {
      append_html_escaped(out, types[i]);
    }
  }
  if (auto format = text_of(schema, "format"); !format.empty()) {
    out += " (";
    append_html_escaped(out, format);
    out += ')';
  }
}

// The limits of a schema (of its first option when it may also be null): lengths, ranges,
// item counts, default, pattern.
void append_rules(std::string& out, const object& schema) {
  const object& s =
      schema.contains("oneOf") ? schema.at("oneOf").as_array().at(0).as_object() : schema;
  auto number = [&](std::string_view key) -> std::string {
    const auto* v = s.if_contains(key);
    return v == nullptr ? "" : boost::json::serialize(*v);
  };
  std::vector<std::string> rules;
  // The keywords of a lower and an upper bound, low first as in the rules they print.
  // NOLINTNEXTLINE(bugprone-easily-swappable-parameters)
  auto range = [&](std::string_view low, std::string_view high, std::string_view unit) {
    auto a = number(low);
    auto b = number(high);
    if (!a.empty() && !b.empty()) {
      rules.push_back(a + "–" + b + std::string(unit));
    } else if (!a.empty()) {
      rules.push_back("at least " + a + std::string(unit));
    } else if (!b.empty()) {
      rules.push_back("at most " + b + std::string(unit));
    }
  };
  range("minLength", "maxLength", " characters");
  range("minimum", "maximum", "");
  range("minItems", "maxItems", " items");
  if (auto d = number("default"); !d.empty()) rules.push_back("default " + d);
  if (auto pattern = text_of(s, "pattern"); !pattern.empty())
    rules.push_back("pattern <code>" + html_escape(pattern) + "</code>");
  for (std::size_t i = 0; i < rules.size(); ++i) {
    if (i > 0) out += "; ";
    out += rules[i];  // numbers and already escaped markup
  }
}

class Reference {
 public:
  explicit Reference(const object& document) : doc_(document) { collect_aliases(); }

  std::string render() {
    out_.reserve(std::size_t{256} << 10);  // the page is about 130 KiB
    const auto& info = doc_.at("info").as_object();
    out_ +=
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        "<title>";
    append_html_escaped(out_, text_of(info, "title"));
    out_ += " reference</title><meta name=\"description\" content=\"Every route of the ";
    append_html_escaped(out_, text_of(info, "title"));
    out_ += ": parameters, bodies, answers and error codes.\"><style>";
    out_ += kStylesheet;
    out_ +=
        "</style></head><body><a class=\"skip\" href=\"#main\">Skip to content</a>"
        "<header class=\"top\"><div class=\"wrap\"><p class=\"brand\">FerrLabs "
        "<span>API reference</span></p><p><a href=\"/v1/openapi.json\">OpenAPI document "
        "(JSON)</a></p></div></header><div class=\"wrap layout\">";
    nav();
    out_ += "<main id=\"main\"><h1>";
    append_html_escaped(out_, text_of(info, "title"));
    out_ += "</h1><p class=\"lede\">Version ";
    append_html_escaped(out_, text_of(info, "version"));
    out_ += ", OpenAPI ";
    append_html_escaped(out_, text_of(doc_, "openapi"));
    out_ += ".</p><p>";
    append_prose(out_, text_of(info, "description"));
    out_ += "</p>";
    authentication();
    for (const auto& tag : doc_.at("tags").as_array()) operations_of(tag.as_object());
    schemas();
    out_ += "</main></div></body></html>\n";
    return std::move(out_);
  }

 private:
  // `/auth/x` → the operations it is an alias of, shown with them rather than twice.
  void collect_aliases() {
    for (const auto& [path, item] : doc_.at("paths").as_object())
      for (const auto& [method, op] : item.as_object())
        if (auto of = text_of(op.as_object(), "x-alias-of"); !of.empty())
          aliases_[std::string(method) + " " + std::string(of)].emplace_back(path);
  }

  // `<element …>` named by the `<h3>` that follows, left open for the title: the caller writes
  // the title, `</h3>`, the body and the closing tag.
  void open_titled(std::string_view element, const std::string& id) {
    out_ += '<';
    out_ += element;
    out_ += " aria-labelledby=\"" + id + "\"><h3 id=\"" + id + "\">";
  }

  // A scrollable table with its caption (when not empty) and column heads; the caller writes the
  // rows and closes it with close_table().
  void open_table(std::string_view caption, std::initializer_list<std::string_view> columns) {
    out_ += "<div class=\"scroll\"><table>";
    if (!caption.empty()) {
      out_ += "<caption>";
      append_html_escaped(out_, caption);
      out_ += "</caption>";
    }
    out_ += "<thead><tr>";
    for (auto column : columns) {
      out_ += "<th scope=\"col\">";
      append_html_escaped(out_, column);
      out_ += "</th>";
    }
    out_ += "</tr></thead><tbody>";
  }

  void close_table() { out_ += "</tbody></table></div>"; }

  // `<section>` named by its `<h2>`; closed by the caller.
  void open_section(const std::string& id, std::string_view title) {
    out_ += "<section aria-labelledby=\"" + id + "\"><h2 id=\"" + id + "\">";
    append_html_escaped(out_, title);
    out_ += "</h2>";
  }

  void nav() {
    out_ +=
        "<nav class=\"toc\" aria-label=\"Contents\"><ol>"
        "<li><a href=\"#authentication\">Authentication</a></li>";
    for (const auto& tag : doc_.at("tags").as_array()) {
      auto name = text_of(tag.as_object(), "name");
      out_ += "<li><a href=\"#" + anchor("tag", name) + "\">";
      append_html_escaped(out_, name);
      out_ += "</a></li>";
    }
    out_ += "<li><a href=\"#schemas\">Schemas</a></li></ol></nav>";
  }

  void authentication() {
    open_section("authentication", "Authentication");
    out_ += "<dl>";
    for (const auto& [name, scheme] : doc_.at("components").at("securitySchemes").as_object()) {
      const auto& s = scheme.as_object();
      out_ += "<dt>";
      append_html_escaped(out_, name);
      out_ += " <span class=\"muted\">(";
      if (text_of(s, "type") == "apiKey") {
        append_html_escaped(out_, text_of(s, "in"));
        out_ += ' ';
        append_code(out_, text_of(s, "name"));
      } else {
        out_ += "HTTP ";
        append_html_escaped(out_, text_of(s, "scheme"));
      }
      out_ += ")</span></dt><dd>";
      append_prose(out_, text_of(s, "description"));
      out_ += "</dd>";
    }
    out_ += "</dl></section>";
  }

  void operations_of(const object& tag) {
    auto name = text_of(tag, "name");
    open_section(anchor("tag", name), name);
    out_ += "<p>";
    append_prose(out_, text_of(tag, "description"));
    out_ += "</p>";
    for (const auto& [path, item] : doc_.at("paths").as_object())
      for (const MethodNames& method : kMethods)
        if (const auto* op = item.as_object().if_contains(method.key)) {
          const auto& o = op->as_object();
          if (o.contains("x-alias-of")) continue;
          const auto& tags = o.at("tags").as_array();
          if (!tags.empty() && tags.at(0).as_string() == name) operation(path, method, o);
        }
    out_ += "</section>";
  }

  void operation(std::string_view path, const MethodNames& method, const object& op) {
    auto id = anchor("op", text_of(op, "operationId"));
    open_titled("article class=\"op\"", id);
    out_ += "<span class=\"verb verb-";
    out_ += method.key;
    out_ += "\">";
    out_ += method.verb;
    out_ += "</span> ";
    append_code(out_, path);
    out_ += "</h3><p><strong>";
    append_html_escaped(out_, text_of(op, "summary"));
    out_ += ".</strong> ";
    append_prose(out_, text_of(op, "description"));
    out_ += "</p>";
    if (auto it = aliases_.find(std::string(method.key) + " " + std::string(path));
        it != aliases_.end()) {
      out_ += "<p>Also served at ";
      for (std::size_t i = 0; i < it->second.size(); ++i) {
        if (i > 0) out_ += ", ";
        append_code(out_, it->second[i]);
      }
      out_ += " (the first version's path, same handler).</p>";
    }
    if (const auto* params = op.if_contains("parameters")) parameters(params->as_array());
    if (const auto* body = op.if_contains("requestBody")) {
      out_ += "<p>Body (<code>application/json</code>): ";
      append_type(out_, body->at("content").at("application/json").at("schema").as_object());
      out_ += ".</p>";
    }
    responses(op.at("responses").as_object());
    out_ += "</article>";
  }

  void parameters(const array& params) {
    open_table("Parameters", {"Name", "In", "Type", "Rules", "Meaning"});
    for (const auto& p : params) {
      const object* param = &p.as_object();
      if (auto ref = text_of(*param, "$ref"); !ref.empty())
        param =
            &doc_.at("components").at("parameters").at(ref.substr(ref.rfind('/') + 1)).as_object();
      const auto& schema = param->at("schema").as_object();
      out_ += "<tr><th scope=\"row\">";
      append_code(out_, text_of(*param, "name"));
      out_ += "</th><td>";
      append_html_escaped(out_, text_of(*param, "in"));
      out_ += "</td><td>";
      append_type(out_, schema);
      out_ += "</td><td>";
      append_rules(out_, schema);
      out_ += "</td><td>";
      append_prose(out_, text_of(*param, "description"));
      out_ += "</td></tr>";
    }
    close_table();
  }

  void responses(const object& responses) {
    open_table("Answers", {"Status", "Body"});
    for (const auto& [status, r] : responses) {
      const auto& response = r.as_object();
      out_ += "<tr><th scope=\"row\">";
      append_html_escaped(out_, status);
      out_ += "</th><td>";
      const auto* content = response.if_contains("content");
      if (content == nullptr) {
        out_ += "none";
      } else {
        const auto& [media, body] = *content->as_object().begin();
        const auto& schema = body.at("schema").as_object();
        if (const auto* all_of = schema.if_contains("allOf")) {
          append_type(out_, all_of->as_array().at(0).as_object());
          out_ += ", <code>code</code> ";
          append_type(out_, all_of->as_array().at(1).at("properties").at("code").as_object());
        } else if (media == "application/json") {
          append_type(out_, schema);
        } else {
          append_code(out_, media);
        }
      }
      for (const auto& [name, header] : response.at("headers").as_object()) {
        if (name == "x-request-id") continue;  // on every answer
        out_ += "; header ";
        append_code(out_, name);
      }
      out_ += "</td></tr>";
    }
    close_table();
  }

  void schemas() {
    open_section("schemas", "Schemas");
    out_ +=
        "<p>Objects accept and contain exactly the members listed: an unknown member in a "
        "request is refused.</p>";
    for (const auto& [name, s] : doc_.at("components").at("schemas").as_object()) {
      const auto& schema = s.as_object();
      open_titled("section class=\"schema\"", anchor("schema", name));
      append_html_escaped(out_, name);
      out_ += "</h3>";
      if (auto description = text_of(schema, "description"); !description.empty()) {
        out_ += "<p>";
        append_prose(out_, description);
        out_ += "</p>";
      }
      if (const auto* properties = schema.if_contains("properties")) {
        members(properties->as_object(), schema.if_contains("required"));
      } else {
        out_ += "<p>";
        append_type(out_, schema);
        out_ += "</p>";
      }
      out_ += "</section>";
    }
    out_ += "</section>";
  }

  // The member table of an object schema: its "properties" and its "required" list (if any).
  void members(const object& properties, const value* required_names) {
    std::vector<std::string_view> required;
    if (required_names)
      for (const auto& name : required_names->as_array()) required.push_back(name.as_string());
    open_table("", {"Member", "Type", "Required", "Rules", "Meaning"});
    for (const auto& [name, member] : properties) {
      const auto& m = member.as_object();
      out_ += "<tr><th scope=\"row\">";
      append_code(out_, name);
      out_ += "</th><td>";
      append_type(out_, m);
      out_ += "</td><td>";
      out_ += std::find(required.begin(), required.end(), std::string_view(name)) != required.end()
                  ? "yes"
                  : "no";
      out_ += "</td><td>";
      append_rules(out_, m);
      out_ += "</td><td>";
      append_prose(out_, text_of(m, "description"));
      out_ += "</td></tr>";
    }
    close_table();
  }

  const object& doc_;
  std::string out_;
  std::map<std::string, std::vector<std::string>> aliases_;
};

}  // namespace

std::string render_reference(const object& document) { return Reference(document).render(); }

std::string_view reference_stylesheet() { return kStylesheet; }

std::string reference_csp() {
  return "default-src 'none'; style-src " + csp_hash_source(kStylesheet) +
         "; img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
}

}  // namespace ferr::api::openapi
