#pragma once
/// The texts of the /telemetry pages themselves, in English and French side by side (the page
/// reads them by language). Everything about events, fields, never-collected items, opt-out
/// paths and why comes from the catalog and the disclosure texts instead.

#include <array>
#include <string_view>

#include "telemetry/catalog.hpp"

namespace ferr::api::page_texts {

namespace tel = ::ferr::telemetry;

inline constexpr tel::Text kTitle{"Telemetry — FerrLabs", "Télémétrie — FerrLabs"};
inline constexpr tel::Text kDescription{
    "Every event FerrLabs products may report, how identifiers are pseudonymised, how long events "
    "are kept and how to opt out, with live counts.",
    "Chaque événement que les produits FerrLabs peuvent transmettre, la pseudonymisation des "
    "identifiants, la durée de conservation et les moyens de refuser, avec des compteurs en "
    "direct."};
inline constexpr tel::Text kSkip{"Skip to content", "Aller au contenu"};
inline constexpr tel::Text kBrandPage{"Telemetry", "Télémétrie"};
inline constexpr tel::Text kLanguage{"Language", "Langue"};
inline constexpr tel::Text kOnThisPage{"On this page", "Sur cette page"};
inline constexpr tel::Text kHeading{"What FerrLabs collects, and why",
                                    "Ce que FerrLabs collecte, et pourquoi"};
inline constexpr tel::Text kLede{
    "This page lists every event FerrLabs products can report; nothing else is accepted. It is "
    "generated from the source code on every request, like the JSON manifest, so neither can "
    "drift from what is actually collected.",
    "Cette page énumère chaque événement que les produits FerrLabs peuvent transmettre ; rien "
    "d'autre n'est accepté. Elle est générée à chaque requête à partir du code source, comme le "
    "manifeste JSON : ni l'une ni l'autre ne peut s'écarter de ce qui est réellement collecté."};
inline constexpr tel::Text kAtAGlance{"At a glance", "En bref"};
inline constexpr tel::Text kFactEvents{"Events listed", "Événements répertoriés"};
inline constexpr tel::Text kFactRetention{"Raw events kept", "Événements bruts conservés"};
inline constexpr tel::Text kFactKeyId{"Current key id", "Identifiant de clé actuel"};
inline constexpr tel::Text kFactK{"Counts withheld below", "Comptes masqués en dessous de"};

inline constexpr tel::Text kWhyTitle{"Why anything is collected",
                                     "Pourquoi collecter quoi que ce soit"};
inline constexpr tel::Text kNeverTitle{"What is never collected", "Ce qui n'est jamais collecté"};
inline constexpr tel::Text kNeverIntro{"The telemetry never records any of the following:",
                                       "La télémétrie n'enregistre jamais les éléments suivants :"};
inline constexpr tel::Text kCountsTitle{"Live counts", "Compteurs en direct"};
inline constexpr tel::Text kCountsCaption{"Events recorded, per event",
                                          "Événements enregistrés, par type"};
inline constexpr tel::Text kEventsTitle{"Every event, product by product",
                                        "Chaque événement, produit par produit"};
inline constexpr tel::Text kEventsIntro{
    "An event is a short record: its name, the product, the time and only the fields listed "
    "under it. This list is also the allowlist the API checks incoming events against: an event, "
    "a field or a value that is not listed here is refused.",
    "Un événement est un enregistrement succinct : son nom, le produit, l'heure, et uniquement les "
    "champs indiqués. Cette liste sert aussi de liste d'autorisation à l'API pour vérifier les "
    "événements reçus : un événement, un champ ou une valeur qui n'y figure pas est refusé."};
inline constexpr tel::Text kHashTitle{"Pseudonyms instead of identifiers",
                                      "Des pseudonymes à la place des identifiants"};
inline constexpr tel::Text kRetentionTitle{"How long events are kept", "Durée de conservation"};
inline constexpr tel::Text kOptOutTitle{"How to opt out", "Comment refuser la télémétrie"};
inline constexpr tel::Text kOptOutIntro{"Three ways, depending on what you want to cover:",
                                        "Trois moyens, selon ce que vous voulez couvrir :"};
inline constexpr tel::Text kDataTitle{"The same data, as JSON", "Les mêmes données en JSON"};

inline constexpr tel::Text kWhen{"When", "Quand"};
inline constexpr tel::Text kAbout{"About", "Concerne"};
inline constexpr tel::Text kFieldsOf{"Fields of ", "Champs de "};
inline constexpr tel::Text kNoFields{"No fields.", "Aucun champ."};
inline constexpr tel::Text kColField{"Field", "Champ"};
inline constexpr tel::Text kColType{"Type", "Type"};
inline constexpr tel::Text kColMeaning{"Meaning", "Signification"};
inline constexpr tel::Text kColValues{"Values", "Valeurs"};
inline constexpr tel::Text kColEvent{"Event", "Événement"};
inline constexpr tel::Text kColProduct{"Product", "Produit"};
inline constexpr tel::Text kCol24h{"Last 24 hours", "Dernières 24 heures"};
inline constexpr tel::Text kCol7d{"Last 7 days", "7 derniers jours"};
inline constexpr tel::Text kUnavailable{"unavailable", "indisponible"};

// The daily charts: their caption and title, and the sentence that says what they show.
inline constexpr tel::Text kEventsPerDay{"Events per day, ", "Événements par jour, "};
inline constexpr tel::Text kPerDay{" per day, ", " par jour, "};
inline constexpr tel::Text kDailyCountsOf{"Daily counts of ", "Comptes quotidiens de "};
inline constexpr tel::Text kFromDay{" from ", " du "};
inline constexpr tel::Text kToDay{" to ", " au "};
inline constexpr tel::Text kColon{": ", " : "};
inline constexpr tel::Text kNone{"none", "aucun"};
inline constexpr tel::Text kInAll{" in all", " au total"};
inline constexpr tel::Text kOnTheDaysShown{" on the days shown", " sur les jours publiés"};
inline constexpr tel::Text kAtMost{", at most ", ", au plus "};
inline constexpr tel::Text kOnOneDay{" on one day (", " en un jour ("};
inline constexpr tel::Text kThenWithheld{"; ", " ; "};
inline constexpr tel::Text kDayWithheld{"day withheld", "jour masqué"};
inline constexpr tel::Text kDaysWithheld{"days withheld", "jours masqués"};
inline constexpr tel::Text kEach{" each", " chacun"};
inline constexpr tel::Text kHatchedDays{"Hatched days: withheld, ", "Jours hachurés : masqués, "};

inline constexpr tel::Text kHashValues{"32 hexadecimal characters", "32 caractères hexadécimaux"};
inline constexpr tel::Text kIntValues{"a whole number", "un nombre entier"};
inline constexpr tel::Text kStringMatching{"text matching ", "texte conforme au motif "};
inline constexpr tel::Text kStringLimit{", 128 bytes at most; for example ",
                                        ", 128 octets au plus ; par exemple "};

inline constexpr tel::Text kGeneratedAt{"Counted on ", "Comptés le "};
inline constexpr tel::Text kReload{
    ". Reload the page to see new events arrive.",
    ". Rechargez la page pour voir arriver les nouveaux événements."};
inline constexpr tel::Text kFooterGenerated{
    "Generated by the FerrLabs API from its telemetry catalog, ",
    "Générée par l'API FerrLabs à partir de son catalogue de "
    "télémétrie, le "};
inline constexpr tel::Text kFooterJson{"The same catalog as JSON: ",
                                       "Le même catalogue en JSON : "};

// Section ids and their table-of-contents labels, in page order.
struct SectionLink {
  std::string_view id;
  tel::Text label;
};
inline constexpr auto kSections = std::to_array<SectionLink>({
    {"why", {"Why", "Pourquoi"}},
    {"never-collected", {"Never collected", "Jamais collecté"}},
    {"live-counts", {"Live counts", "Compteurs en direct"}},
    {"events", {"Events", "Événements"}},
    {"pseudonyms", {"Pseudonyms", "Pseudonymes"}},
    {"retention", {"Retention", "Conservation"}},
    {"opt-out", {"Opting out", "Refuser"}},
    {"json", {"JSON", "JSON"}},
});

}  // namespace ferr::api::page_texts
