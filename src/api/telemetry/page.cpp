#include "api/telemetry/page.hpp"

#include <array>
#include <chrono>
#include <cstddef>
#include <string>

#include "api/telemetry/chart.hpp"
#include "api/telemetry/page_css.hpp"
#include "api/telemetry/page_texts.hpp"
#include "core/time_format.hpp"
#include "telemetry/catalog.hpp"
#include "telemetry/disclosure.hpp"

namespace ferr::api {

namespace tel = ::ferr::telemetry;
using namespace page_texts;  // NOLINT(google-build-using-namespace): the page reads its texts
using domain::telemetry::DailySeries;
using domain::telemetry::RecentCounts;

namespace {

// The stylesheet: src/api/telemetry/page.css, embedded at build time (telemetry_page_css.hpp).
constexpr std::string_view kStylesheet = embedded::telemetry_page_css;

// Where a number or a date is followed by a unit: a no-break space in both languages.
constexpr std::string_view kNbsp = "\u00a0";

// ---- Helpers ------------------------------------------------------------------------------------

std::string_view pick(PageLanguage language, const tel::Text& text) {
  return language == PageLanguage::fr ? text.fr : text.en;
}

std::string_view lang_code(PageLanguage language) {
  return language == PageLanguage::fr ? "fr" : "en";
}

std::string_view surface_title(tel::Surface surface) {
  switch (surface) {
    case tel::Surface::ferrlabs: return "FerrLabs";
    case tel::Surface::ferrflow: return "FerrFlow";
    case tel::Surface::ferrvault: return "FerrVault";
    case tel::Surface::ferrtrack: return "FerrTrack";
    case tel::Surface::ferrgrowth: return "FerrGrowth";
    case tel::Surface::ferrfleet: return "FerrFleet";
  }
  return "";
}

tel::Text surface_description(tel::Surface surface) {
  switch (surface) {
    case tel::Surface::ferrlabs:
      return {
          "Accounts, organizations and subscriptions. Recorded by this server, once the action "
          "has succeeded.",
          "Comptes, organisations et abonnements. Enregistrés par ce serveur, une fois l'action "
          "réussie."};
    case tel::Surface::ferrflow:
      return {
          "The FerrFlow release command-line tool. Sent by the CLI unless telemetry is turned "
          "off.",
          "L'outil en ligne de commande de publication FerrFlow. Envoyés par la CLI, sauf si la "
          "télémétrie est désactivée."};
    case tel::Surface::ferrvault:
      return {"Secrets management. Sent by the FerrVault operator running in your cluster.",
              "Gestion des secrets. Envoyés par l'opérateur FerrVault qui tourne dans votre "
              "cluster."};
    case tel::Surface::ferrtrack:
      return {"Issue tracking. Sent by FerrTrack.", "Suivi des tickets. Envoyés par FerrTrack."};
    case tel::Surface::ferrgrowth:
      return {"Site publishing. Sent by FerrGrowth.",
              "Publication de sites. Envoyés par FerrGrowth."};
    case tel::Surface::ferrfleet:
      return {"Agent runs. Sent by FerrFleet.", "Exécution d'agents. Envoyés par FerrFleet."};
  }
  return {};
}

tel::Text subject_text(tel::Subject subject) {
  switch (subject) {
    case tel::Subject::org:
      return {"an organization, by its pseudonym", "une organisation, par son pseudonyme"};
    case tel::Subject::user:
      return {"a user, by their pseudonym", "un utilisateur, par son pseudonyme"};
    case tel::Subject::none:
      return {"no one: the event carries no identifier",
              "personne : l'événement ne porte aucun identifiant"};
  }
  return {};
}

// "1234567" grouped by thousands: `1,234,567` in English, `1 234 567` (narrow no-break spaces) in
// French.
std::string format_count(std::int64_t n, PageLanguage language) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string_view separator = language == PageLanguage::fr ? "\u202f" : ",";
  std::string out = n < 0 ? "-" : "";
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += separator;
    out += digits[i];
  }
  return out;
}

constexpr std::array<std::string_view, 12> kMonthsEn = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};
constexpr std::array<std::string_view, 12> kMonthsFr = {
    "janvier", "février", "mars",      "avril",   "mai",      "juin",
    "juillet", "août",    "septembre", "octobre", "novembre", "décembre"};
constexpr std::array<std::string_view, 12> kShortMonthsEn = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::array<std::string_view, 12> kShortMonthsFr = {"janv.", "févr.", "mars",  "avr.",
                                                             "mai",   "juin",  "juil.", "août",
                                                             "sept.", "oct.",  "nov.",  "déc."};

// `5 May 2026` / `5 mai 2026`; with `short_form`, `5 May` / `5 mai` (the charts' axis).
std::string format_day(std::chrono::sys_days day, PageLanguage language, bool short_form = false) {
  std::chrono::year_month_day ymd{day};
  auto month = static_cast<unsigned>(ymd.month()) - 1;
  const auto& months = language == PageLanguage::fr ? (short_form ? kShortMonthsFr : kMonthsFr)
                                                    : (short_form ? kShortMonthsEn : kMonthsEn);
  std::string out = std::to_string(static_cast<unsigned>(ymd.day()));
  out += kNbsp;
  out += months.at(month);
  if (!short_form) {
    out += kNbsp;
    out += std::to_string(static_cast<int>(ymd.year()));
  }
  return out;
}

// `5 May 2026, 14:03 UTC` / `5 mai 2026 à 14:03 UTC`.
std::string format_date(core::TimePoint t, PageLanguage language) {
  auto day = std::chrono::floor<std::chrono::days>(t);
  std::chrono::hh_mm_ss hms{std::chrono::floor<std::chrono::minutes>(t - day)};
  auto two = [](long v) { return std::string(v < 10 ? "0" : "") + std::to_string(v); };
  std::string out = format_day(day, language);
  out += language == PageLanguage::fr ? " à " : ", ";
  out += two(hms.hours().count()) + ":" + two(hms.minutes().count());
  out += kNbsp;
  out += "UTC";
  return out;
}

// A plural noun after a number: French treats 0 and 1 as singular.
std::string_view plural(std::int64_t n, PageLanguage language, std::string_view one,
                        std::string_view many) {
  bool singular = language == PageLanguage::fr ? n <= 1 : n == 1;
  return singular ? one : many;
}

// The length of the technical token at the start of `rest`, 0 when there is none: an environment
// assignment (`FERRFLOW_TELEMETRY=0`), a request (`PUT /v1/…`) or a JSON body (`{…}`).
std::size_t code_token_length(std::string_view rest) {
  auto word_end = [&](std::size_t from) {
    auto end = rest.find(' ', from);
    if (end == std::string_view::npos) end = rest.size();
    while (end > from && std::string_view(".,:;").find(rest[end - 1]) != std::string_view::npos)
      --end;
    return end;
  };
  for (std::string_view verb : {"GET /", "PUT /", "POST /", "PATCH /", "DELETE /"})
    if (rest.starts_with(verb)) return word_end(verb.size());
  if (rest.starts_with('{')) {
    auto close = rest.find('}');
    return close == std::string_view::npos ? 0 : close + 1;
  }
  std::size_t name = 0;
  while (name < rest.size() && ((rest[name] >= 'A' && rest[name] <= 'Z') || rest[name] == '_'))
    ++name;
  if (name > 0 && name + 1 < rest.size() && rest[name] == '=') return word_end(name + 1);
  return 0;
}

/// The document being written.
class Page {
 public:
  explicit Page(const TelemetryPageData& data) : data_(data), lang_(data.language) {
    out_.reserve(std::size_t{64} * 1024);
  }

  std::string render() {
    raw("<!DOCTYPE html>\n<html lang=\"");
    raw(lang_code(lang_));
    raw("\">\n");
    head();
    raw("<body>\n");
    raw("<a class=\"skip\" href=\"#main\">");
    text(t(kSkip));
    raw("</a>\n");
    header();
    raw("<div class=\"wrap layout\">\n");
    toc();
    raw("<main id=\"main\">\n");
    intro();
    why();
    never_collected();
    live_counts();
    events();
    pseudonyms();
    retention();
    opt_out();
    json_links();
    raw("</main>\n</div>\n");
    footer();
    raw("</body>\n</html>\n");
    return std::move(out_);
  }

 private:
  std::string_view t(const tel::Text& text) const { return pick(lang_, text); }
  bool fr() const { return lang_ == PageLanguage::fr; }
  void raw(std::string_view s) { out_ += s; }
  void text(std::string_view s) {
    if (fr())
      append_html_escaped(out_, typeset(lang_, s));
    else
      append_html_escaped(out_, s);
  }
  // Code and attribute values are escaped as they are, never typeset.
  void code(std::string_view s) {
    raw("<code>");
    append_html_escaped(out_, s);
    raw("</code>");
  }
  // `s` escaped, with its technical tokens (see code_token_length) set as code.
  void text_with_code(std::string_view s) {
    std::size_t plain = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (i > 0 && s[i - 1] != ' ' && s[i - 1] != '(') continue;
      auto length = code_token_length(s.substr(i));
      if (length == 0) continue;
      text(s.substr(plain, i - plain));
      code(s.substr(i, length));
      plain = i + length;
      i = plain - 1;
    }
    text(s.substr(plain));
  }
  // `<tag attrs>escaped text</tag>`; `attrs` is trusted markup (leading space included).
  // In the order they appear in the markup.
  // NOLINTNEXTLINE(bugprone-easily-swappable-parameters)
  void element(std::string_view tag, std::string_view attrs, std::string_view content) {
    raw("<");
    raw(tag);
    raw(attrs);
    raw(">");
    text(content);
    raw("</");
    raw(tag);
    raw(">");
  }
  // ` name="value"` with the value escaped.
  // NOLINTNEXTLINE(bugprone-easily-swappable-parameters)
  void attr(std::string_view name, std::string_view value) {
    append_html_attribute(out_, name, value);
  }
  void open_section(std::string_view id, const tel::Text& title) {
    raw("<section");
    attr("id", id);
    attr("aria-labelledby", std::string(id) + "-title");
    raw(">\n<h2");
    attr("id", std::string(id) + "-title");
    raw(">");
    text(t(title));
    raw("</h2>\n");
  }

  void head() {
    raw("<head>\n<meta charset=\"utf-8\">\n");
    raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    raw("<meta name=\"color-scheme\" content=\"light dark\">\n");
    element("title", "", t(kTitle));
    raw("\n<meta name=\"description\"");
    attr("content", t(kDescription));
    raw(">\n");
    for (auto language : {PageLanguage::en, PageLanguage::fr}) {
      raw("<link rel=\"alternate\"");
      attr("hreflang", lang_code(language));
      attr("href", telemetry_page_path(language));
      raw(">\n");
    }
    raw("<link rel=\"alternate\" type=\"application/json\" href=\"/v1/telemetry/catalog\">\n");
    raw("<style>");
    raw(kStylesheet);
    raw("</style>\n</head>\n");
  }

  void header() {
    raw("<header class=\"top\">\n<div class=\"wrap\">\n<p class=\"brand\">FerrLabs <span>");
    text(t(kBrandPage));
    raw("</span></p>\n<nav class=\"lang\"");
    attr("aria-label", t(kLanguage));
    raw(">\n<ul>\n");
    // The current language first in both pages, so the switch does not move under the pointer.
    for (auto language : {PageLanguage::en, PageLanguage::fr}) {
      std::string_view name = language == PageLanguage::fr ? "Français" : "English";
      raw("<li>");
      if (language == lang_) {
        raw("<span aria-current=\"page\"");
        attr("lang", lang_code(language));
        raw(">");
        text(name);
        raw("</span>");
      } else {
        raw("<a");
        attr("href", telemetry_page_path(language));
        attr("hreflang", lang_code(language));
        attr("lang", lang_code(language));
        raw(" rel=\"alternate\">");
        text(name);
        raw("</a>");
      }
      raw("</li>\n");
    }
    raw("</ul>\n</nav>\n</div>\n</header>\n");
  }

  void toc() {
    raw("<nav class=\"toc\" aria-labelledby=\"toc-title\">\n<p class=\"toc-title\" "
        "id=\"toc-title\">");
    text(t(kOnThisPage));
    raw("</p>\n<ol>\n");
    for (const auto& section : kSections) {
      raw("<li><a");
      std::string href(1, '#');  // not "#" + id: GCC 12 -O3 misreports it (-Wrestrict)
      href += section.id;
      attr("href", href);
      raw(">");
      text(t(section.label));
      raw("</a></li>\n");
    }
    raw("</ol>\n</nav>\n");
  }

  void intro() {
    element("h1", "", t(kHeading));
    raw("\n");
    element("p", " class=\"lede\"", t(kLede));
    raw("\n<h2 class=\"vh\" id=\"facts-title\">");
    text(t(kAtAGlance));
    raw("</h2>\n<dl class=\"facts\" aria-labelledby=\"facts-title\">\n<div><dt>");
    text(t(kFactEvents));
    raw("</dt><dd><strong>");
    auto surfaces = static_cast<std::int64_t>(tel::kSurfaces.size());
    text(format_count(static_cast<std::int64_t>(tel::kEvents.size()), lang_));
    raw("</strong>");
    text(fr() ? "dans " : "in ");
    text(format_count(surfaces, lang_));
    raw(kNbsp);
    text(plural(surfaces, lang_, fr() ? "produit" : "product", fr() ? "produits" : "products"));
    raw("</dd></div>\n<div><dt>");
    text(t(kFactRetention));
    raw("</dt><dd><strong>");
    text(format_count(data_.retention_days, lang_));
    raw("</strong>");
    text(plural(data_.retention_days, lang_, fr() ? "jour" : "day", fr() ? "jours" : "days"));
    raw("</dd></div>\n<div><dt>");
    text(t(kFactKeyId));
    raw("</dt><dd>");
    code(data_.key_id);
    text(fr() ? "renouvelée tous les " : "rotated every ");
    days(tel::kKeyRotationDays);
    raw("</dd></div>\n<div><dt>");
    text(t(kFactK));
    raw("</dt><dd><strong>k = ");
    text(format_count(data_.k, lang_));
    raw("</strong>");
    text(fr() ? "utilisateurs ou organisations" : "users or organizations");
    raw("</dd></div>\n</dl>\n");
  }

  void days(std::int64_t n) {
    text(format_count(n, lang_));
    raw(kNbsp);
    text(plural(n, lang_, fr() ? "jour" : "day", fr() ? "jours" : "days"));
  }

  void why() {
    open_section("why", kWhyTitle);
    element("p", "", t(tel::kWhyCollected));
    raw("\n</section>\n");
  }

  void never_collected() {
    open_section("never-collected", kNeverTitle);
    element("p", "", t(kNeverIntro));
    raw("\n<ul class=\"never\">\n");
    for (const auto& item : tel::kNeverCollected) {
      element("li", "", t(item));
      raw("\n");
    }
    raw("</ul>\n</section>\n");
  }

  // "fewer than 5 users" for a count withheld by the k rule.
  std::string withheld(const tel::Event& event) const {
    std::string out = fr() ? "moins de " : "fewer than ";
    out += format_count(data_.k, lang_);
    out += " ";
    bool org = event.subject == tel::Subject::org;
    if (fr())
      out += plural(data_.k, lang_, org ? "organisation" : "utilisateur",
                    org ? "organisations" : "utilisateurs");
    else
      out += plural(data_.k, lang_, org ? "organization" : "user", org ? "organizations" : "users");
    return out;
  }

  const RecentCounts* counts_of(const tel::Event& event) const {
    for (const auto& c : data_.counts)
      if (c.event != nullptr && c.event->name == event.name) return &c;
    return nullptr;
  }

  void count_cell(const tel::Event& event, const RecentCounts* counts, bool day,
                  std::string_view window) {
    raw("<td class=\"num\"");
    attr("data-window", window);
    attr("data-label", t(day ? kCol24h : kCol7d));
    if (counts == nullptr) {
      raw(" data-unavailable=\"true\"><span class=\"withheld\">");
      text(t(kUnavailable));
      raw("</span></td>");
      return;
    }
    const auto& value = day ? counts->last_24h : counts->last_7d;
    if (!value) {
      raw(" data-suppressed=\"true\"><span class=\"withheld\">");
      text(withheld(event));
      raw("</span></td>");
      return;
    }
    attr("data-count", std::to_string(*value));
    raw(">");
    text(format_count(*value, lang_));
    raw("</td>");
  }

  void live_counts() {
    open_section("live-counts", kCountsTitle);
    raw("<p class=\"generated\">");
    text(t(kGeneratedAt));
    raw("<time");
    attr("datetime", core::format_rfc3339_ms(data_.generated_at));
    raw(">");
    text(format_date(data_.generated_at, lang_));
    raw("</time>");
    text(t(kReload));
    raw("</p>\n<div class=\"counts\">\n<table id=\"counts-table\">\n<caption>");
    text(t(kCountsCaption));
    raw("</caption>\n<thead><tr><th scope=\"col\">");
    text(t(kColEvent));
    raw("</th><th scope=\"col\" class=\"product\">");
    text(t(kColProduct));
    raw("</th><th scope=\"col\" class=\"num\">");
    text(t(kCol24h));
    raw("</th><th scope=\"col\" class=\"num\">");
    text(t(kCol7d));
    raw("</th></tr></thead>\n<tbody>\n");
    for (const auto& event : tel::kEvents) {
      const auto* counts = counts_of(event);
      raw("<tr");
      attr("id", "count-" + std::string(event.name));
      attr("data-event", event.name);
      raw("><th scope=\"row\"><a");
      attr("href", "#event-" + std::string(event.name));
      raw("><code>");
      text(event.name);
      raw("</code></a></th><td class=\"product\">");
      text(surface_title(event.surface));
      raw("</td>");
      count_cell(event, counts, true, "24h");
      count_cell(event, counts, false, "7d");
      raw("</tr>\n");
    }
    raw("</tbody>\n</table>\n</div>\n");
    k_explanation();
    raw("</section>\n");
  }

  void k_explanation() {
    auto k = format_count(data_.k, lang_);
    raw("<div class=\"note\" id=\"k-explanation\">\n<p><strong>");
    text(fr() ? "Pourquoi certains comptes sont masqués." : "Why some counts are withheld.");
    raw("</strong> ");
    if (fr()) {
      text("Un compte n'est publié que si ses événements proviennent d'au moins k = " + k +
           " utilisateurs ou organisations distincts (comptés par pseudonyme), afin qu'aucun "
           "petit groupe — un seul client, par exemple — ne puisse être isolé. À sa place, le "
           "tableau indique par exemple «\u00a0moins de " +
           k +
           " utilisateurs\u00a0». Zéro est toujours affiché, de même que les événements qui "
           "n'identifient personne, comme ");
    } else {
      text("A count is published only when its events come from at least k = " + k +
           " different users or organizations (counted by pseudonym), so that no small group — "
           "a single customer, say — can be singled out. In its place the table says, for "
           "example, “fewer than " +
           k + " users”. Zero is always shown, and so are events that identify no one, such as ");
    }
    code("cli.run");
    raw(".</p>\n</div>\n");
  }

  // `s` as the page prints it, for text placed by another writer (the chart escapes it).
  std::string words(std::string_view s) const { return fr() ? typeset(lang_, s) : std::string(s); }

  const DailySeries* series_of(const tel::Event& event) const {
    if (data_.daily == nullptr) return nullptr;
    for (const auto& series : data_.daily->series)
      if (series.event != nullptr && series.event->name == event.name) return &series;
    return nullptr;
  }

  // The event's daily counts over the window as a bar chart (chart.hpp), with a caption, its
  // accessible name and, in words, what it shows; the withheld days hatched and explained.
  void daily_chart(const tel::Event& event) {
    const auto* series = series_of(event);
    if (series == nullptr || series->counts.empty()) return;
    const auto& daily = *data_.daily;
    std::int64_t total = 0, peak = 0, withheld_days = 0;
    std::size_t peak_at = 0;
    for (std::size_t i = 0; i < series->counts.size(); ++i) {
      const auto& count = series->counts[i];
      if (!count) {
        ++withheld_days;
        continue;
      }
      total += *count;
      if (*count > peak) peak = *count, peak_at = i;
    }
    auto day = [&](std::size_t i, bool short_form) {
      return format_day(daily.first_day + std::chrono::days(i), lang_, short_form);
    };
    const auto last = series->counts.size() - 1;
    const std::string nbsp(kNbsp);
    // "last 90 days" / "90 derniers jours".
    const auto window = fr() ? format_count(daily.days, lang_) + nbsp + "derniers jours"
                             : "last " + format_count(daily.days, lang_) + nbsp + "days";
    const auto caption = std::string(t(kEventsPerDay)) + window;
    const auto title = std::string(event.name) + std::string(t(kPerDay)) + window;
    auto description = std::string(t(kDailyCountsOf)) + std::string(event.name) +
                       std::string(t(kFromDay)) + day(0, false) + std::string(t(kToDay)) +
                       day(last, false) + std::string(t(kColon));
    description +=
        total == 0 ? std::string(t(kNone)) : format_count(total, lang_) + std::string(t(kInAll));
    if (withheld_days > 0) description += t(kOnTheDaysShown);
    if (peak > 0)
      description += std::string(t(kAtMost)) + format_count(peak, lang_) +
                     std::string(t(kOnOneDay)) + day(peak_at, false) + ")";
    if (withheld_days > 0)
      description += std::string(t(kThenWithheld)) + format_count(withheld_days, lang_) + nbsp +
                     std::string(plural(withheld_days, lang_, t(kDayWithheld), t(kDaysWithheld))) +
                     ", " + withheld(event) + std::string(t(kEach));
    description += ".";
    raw("<figure class=\"daily\">\n<figcaption>");
    text(caption);
    raw("</figcaption>\n");
    const auto id = "chart-" + std::string(event.name);
    const auto title_text = words(title), description_text = words(description);
    const auto first_label = day(0, true), last_label = day(last, true);
    const auto peak_label = format_count(peak, lang_);
    append_daily_chart(out_, {.id = id,
                              .title = title_text,
                              .description = description_text,
                              .first_day = first_label,
                              .last_day = last_label,
                              .peak = peak_label,
                              .counts = series->counts});
    if (withheld_days > 0) {
      raw("\n<p class=\"legend\"><span class=\"swatch\" aria-hidden=\"true\"></span>");
      text(std::string(t(kHatchedDays)) + withheld(event) + ".");
      raw("</p>");
    }
    raw("\n</figure>\n");
  }

  void events() {
    open_section("events", kEventsTitle);
    element("p", "", t(kEventsIntro));
    raw("\n");
    for (auto surface : tel::kSurfaces) {
      std::string slug(tel::surface_name(surface));
      raw("<section class=\"surface\"");
      attr("id", "surface-" + slug);
      attr("aria-labelledby", "surface-" + slug + "-title");
      raw(">\n<h3");
      attr("id", "surface-" + slug + "-title");
      raw(">");
      text(surface_title(surface));
      raw(" ");
      code(slug);
      raw("</h3>\n");
      element("p", "", t(surface_description(surface)));
      raw("\n");
      for (const auto& event : tel::kEvents)
        if (event.surface == surface) event_card(event);
      raw("</section>\n");
    }
    raw("</section>\n");
  }

  void event_card(const tel::Event& event) {
    std::string id = "event-" + std::string(event.name);
    raw("<article class=\"event\"");
    attr("id", id);
    attr("aria-labelledby", id + "-title");
    attr("data-event", event.name);
    raw(">\n<h4");
    attr("id", id + "-title");
    raw(">");
    code(event.name);
    raw("</h4>\n<dl class=\"meta\"><dt>");
    text(t(kWhen));
    raw("</dt><dd>");
    text(t(event.when));
    raw("</dd><dt>");
    text(t(kAbout));
    raw("</dt><dd>");
    text(t(subject_text(event.subject)));
    raw("</dd></dl>\n");
    daily_chart(event);
    if (event.fields.empty()) {
      element("p", " class=\"dim\"", t(kNoFields));
      raw("\n</article>\n");
      return;
    }
    raw("<table class=\"fields\">\n<caption class=\"vh\">");
    text(t(kFieldsOf));
    text(event.name);
    raw("</caption>\n<thead><tr>");
    for (const auto* column : {&kColField, &kColType, &kColMeaning, &kColValues}) {
      raw("<th scope=\"col\">");
      text(t(*column));
      raw("</th>");
    }
    raw("</tr></thead>\n<tbody>\n");
    for (const auto& field : event.fields) field_row(event, field);
    raw("</tbody>\n</table>\n</article>\n");
  }

  void field_row(const tel::Event& event, const tel::Field& field) {
    raw("<tr");
    attr("id", "field-" + std::string(event.name) + "." + std::string(field.name));
    attr("data-field", field.name);
    raw("><th scope=\"row\">");
    code(field.name);
    raw("</th><td");
    attr("data-label", t(kColType));
    raw(">");
    code(tel::kind_name(field.kind));
    raw("</td><td");
    attr("data-label", t(kColMeaning));
    raw(">");
    text(t(field.doc));
    raw("</td><td");
    attr("data-label", t(kColValues));
    raw(">");
    switch (field.kind) {
      case tel::FieldKind::enumeration:
        raw("<ul class=\"values\">");
        for (auto value : field.values) {
          raw("<li>");
          code(value);
          raw("</li>");
        }
        raw("</ul>");
        break;
      case tel::FieldKind::boolean:
        code("true");
        text(fr() ? " ou " : " or ");
        code("false");
        break;
      case tel::FieldKind::hash: text(t(kHashValues)); break;
      case tel::FieldKind::integer: text(t(kIntValues)); break;
      case tel::FieldKind::string:
        // The pattern the validator enforces, as written in the catalog (never null for a
        // string field: catalog.hpp asserts it at build time).
        text(t(kStringMatching));
        raw("<code class=\"pattern\">");
        append_html_escaped(out_, field.pattern->source());
        raw("</code>");
        text(t(kStringLimit));
        code(field.pattern->example());
        break;
    }
    raw("</td></tr>\n");
  }

  void pseudonyms() {
    open_section("pseudonyms", kHashTitle);
    element("p", "",
            fr() ? "Les identifiants d'organisation et d'utilisateur n'arrivent jamais dans les "
                   "tables de télémétrie. Avant l'enregistrement d'un événement, chacun est "
                   "remplacé par un pseudonyme calculé avec une clé secrète que seul le serveur "
                   "détient : sans la clé, impossible de remonter d'un pseudonyme à un "
                   "identifiant, ni de calculer le pseudonyme d'un identifiant connu."
                 : "Organization and user ids never reach the telemetry tables. Before an event "
                   "is stored, each one is replaced by a pseudonym computed with a secret key that "
                   "only the server holds: without the key, a pseudonym cannot be traced back to "
                   "an id, nor computed from a known id.");
    raw("\n<dl class=\"hash\">\n<dt>");
    text(fr() ? "Algorithme" : "Algorithm");
    raw("</dt><dd>");
    text(fr() ? "BLAKE3 en mode à clé" : "BLAKE3 in keyed mode");
    raw("</dd>\n<dt>");
    text(fr() ? "Entrée" : "Input");
    raw("</dt><dd>");
    text(fr() ? "les 16 octets bruts de l'identifiant (un UUID), pas sa forme textuelle"
              : "the 16 raw bytes of the id (a UUID), not its text form");
    raw("</dd>\n<dt>");
    text(fr() ? "Sortie" : "Output");
    raw("</dt><dd>");
    auto hex = std::to_string(tel::kHashOutputHexChars);
    text(fr() ? "les " + std::to_string(tel::kHashOutputHexChars / 2) +
                    " premiers octets, écrits en " + hex + " caractères hexadécimaux minuscules"
              : "the first " + std::to_string(tel::kHashOutputHexChars / 2) +
                    " bytes, written as " + hex + " lowercase hexadecimal characters");
    raw("</dd>\n<dt>");
    text(t(kFactKeyId));
    raw("</dt><dd>");
    code(data_.key_id);
    raw("</dd>\n<dt>");
    text(fr() ? "Renouvellement de la clé" : "Key rotation");
    raw("</dt><dd>");
    text(fr() ? "tous les " : "every ");
    days(tel::kKeyRotationDays);
    raw("</dd>\n</dl>\n<p>");
    text(fr() ? "L'identifiant de clé correspond aux 4 premiers octets de BLAKE3, avec la même "
                "clé, appliqué au texte "
              : "The key id is the first 4 bytes of BLAKE3 keyed with the same key over the "
                "text ");
    code("ferrlabs.telemetry.key-id");
    text(fr() ? " : il indique quelle clé a produit un pseudonyme sans rien révéler de la clé. Il "
                "est enregistré avec chaque événement produit par le serveur."
              : ": it tells which key produced a pseudonym without revealing anything about the "
                "key. It is stored with every event the server records.");
    raw("</p>\n<p>");
    text(fr() ? "La clé est remplacée tous les " : "The key is replaced every ");
    days(tel::kKeyRotationDays);
    text(fr() ? ". Les pseudonymes calculés avant et après un changement ne correspondent pas : "
                "on ne peut pas suivre une organisation ou un utilisateur d'une période à l'autre."
              : ". Pseudonyms computed before and after a change do not match, so an "
                "organization or a user cannot be followed across the boundary.");
    raw("</p>\n</section>\n");
  }

  void retention() {
    open_section("retention", kRetentionTitle);
    raw("<p>");
    text(fr() ? "Les événements bruts sont conservés " : "Raw events are kept for ");
    days(data_.retention_days);
    text(fr() ? ", comptés en jours UTC entiers, puis supprimés. Avant leur suppression, les "
                "événements de chaque journée sont résumés en totaux journaliers : pour chaque "
                "événement, le nombre d'événements, d'organisations distinctes et d'utilisateurs "
                "distincts, sans aucun pseudonyme. Seuls ces totaux sont gardés ensuite."
              : ", counted in whole UTC days, then deleted. Before a day's raw events are "
                "deleted, they are summed into daily totals: for each event, the number of "
                "events, of distinct organizations and of distinct users, without any pseudonym. "
                "Only these totals are kept afterwards.");
    raw("</p>\n</section>\n");
  }

  void opt_out() {
    open_section("opt-out", kOptOutTitle);
    element("p", "", t(kOptOutIntro));
    raw("\n<ol class=\"paths\">\n");
    for (const auto& path : tel::kOptOutPaths) {
      std::string id = "opt-out-" + std::string(path.id);
      raw("<li");
      attr("id", id);
      raw(">");
      element("h3", "", t(path.title));
      raw("<p>");
      text_with_code(t(path.how));
      raw("</p>");
      raw("</li>\n");
    }
    raw("</ol>\n</section>\n");
  }

  void json_links() {
    open_section("json", kDataTitle);
    raw("<ul class=\"links\">\n<li><a href=\"/v1/telemetry/catalog\"><code>GET "
        "/v1/telemetry/catalog</code></a>");
    text(fr() ? " : le manifeste — le même catalogue, l'identifiant de clé et la durée de "
                "conservation, générés à partir de la même source."
              : ": the manifest — the same catalog, key id and retention, generated from the "
                "same source.");
    raw("</li>\n<li><a href=\"/v1/telemetry/stats\"><code>GET /v1/telemetry/stats</code></a>");
    text(fr() ? " : les comptes journaliers par événement (paramètre "
              : ": daily counts per event (parameter ");
    code("days");
    text(fr() ? ", de 1 à 365, 30 par défaut), avec la même règle de masquage."
              : ", 1 to 365, 30 by default), with the same withholding rule.");
    raw("</li>\n</ul>\n</section>\n");
  }

  void footer() {
    raw("<footer class=\"foot\">\n<div class=\"wrap\">\n<p>");
    text(t(kFooterGenerated));
    text(format_date(data_.generated_at, lang_));
    raw(".</p>\n<p>");
    text(t(kFooterJson));
    raw("<a href=\"/v1/telemetry/catalog\">/v1/telemetry/catalog</a></p>\n</div>\n</footer>\n");
  }

  const TelemetryPageData& data_;
  PageLanguage lang_;
  std::string out_;
};

}  // namespace

std::string render_telemetry_page(const TelemetryPageData& data) { return Page(data).render(); }

std::string_view telemetry_page_path(PageLanguage language) {
  return language == PageLanguage::fr ? "/fr/telemetry" : "/telemetry";
}

std::string_view telemetry_page_stylesheet() { return kStylesheet; }

std::string telemetry_page_csp() {
  return "default-src 'none'; style-src " + csp_hash_source(kStylesheet) +
         "; img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
}

std::string typeset(PageLanguage language, std::string_view text) {
  if (language != PageLanguage::fr) return std::string(text);
  constexpr std::string_view kNoBreak = "\u00a0";
  constexpr std::string_view kNarrowNoBreak = "\u202f";
  constexpr std::string_view kOpen = "«";
  constexpr std::string_view kClose = "»";
  std::string out;
  out.reserve(text.size() + 16);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != ' ') {
      out += text[i];
      continue;
    }
    auto rest = text.substr(i + 1);
    if (rest.starts_with(':') || rest.starts_with(kClose) || text.substr(0, i).ends_with(kOpen))
      out += kNoBreak;
    else if (rest.starts_with(';') || rest.starts_with('?') || rest.starts_with('!'))
      out += kNarrowNoBreak;
    else
      out += ' ';
  }
  return out;
}

}  // namespace ferr::api
