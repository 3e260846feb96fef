#pragma once
/// The telemetry catalog of telemetry.md §1, defined once as constexpr data. The typed emit API,
/// the ingestion validator, the manifest and the public pages all read this table: adding an
/// event means adding its fields and one row below, and nothing else.

#include <array>
#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

#include "core/products.hpp"
#include "telemetry/pattern.hpp"

namespace ferr::telemetry {

/// The products that report events; enumerators are the wire slugs, in the spec's order.
enum class Surface { ferrlabs, ferrflow, ferrvault, ferrtrack, ferrgrowth, ferrfleet };

/// The pseudonymous subject an event is about; the statistics' k-anonymity counts distinct ones.
enum class Subject { org, user, none };

/// The value kinds of §1. The wire names (`enum`, `int`, `bool`) are C++ keywords, hence
/// `kind_name()` rather than enumerators spelled like the wire.
enum class FieldKind { hash, enumeration, integer, string, boolean };

/// Where a field travels: `org_hash` and `user_hash` are top-level envelope members, every other
/// field sits inside `properties`.
enum class Placement { envelope, properties };

/// A text of the public, bilingual page.
struct Text {
  std::string_view en;
  std::string_view fr;
};

/// A field that may be sent only when another field of the same event has a given value.
struct Condition {
  std::string_view field;  ///< empty: the field may always be sent
  std::string_view value;
};

/// One field an event may carry. Every field is optional on the wire: the allowlist says what an
/// envelope may hold, not what it must.
struct Field {
  std::string_view name;
  FieldKind kind;
  Placement placement;
  Text doc;
  std::span<const std::string_view> values{};  ///< the allowed values of an `enumeration`
  Condition only_when{};
  const Pattern* pattern = nullptr;  ///< what a `string` value must match (required for those)
};

/// One catalog entry.
struct Event {
  std::string_view name;  ///< dotted, e.g. `org.member.added`
  Surface surface;
  Subject subject;
  Text when;  ///< when it fires
  std::span<const Field> fields;
};

/// Longest `string` value, in bytes (§1).
inline constexpr std::size_t kMaxStringBytes = 128;
/// Length of a `hash` value: 16 bytes as lowercase hex (§2).
inline constexpr std::size_t kHashHexChars = 32;

/// The surfaces, in the spec's order.
inline constexpr std::array kSurfaces = {Surface::ferrlabs,   Surface::ferrflow,
                                         Surface::ferrvault,  Surface::ferrtrack,
                                         Surface::ferrgrowth, Surface::ferrfleet};

// ---- Enumerations shared by several fields ------------------------------------------------------

inline constexpr auto kRoles =
    std::to_array<std::string_view>({"owner", "admin", "member", "viewer", "billing", "auditor"});
// Products and tiers: the subscriptions' own table (core/products.hpp).
inline constexpr auto kProducts = core::kProductNames;
inline constexpr auto kTiers = core::kTierNames;
inline constexpr auto kAuthMethods =
    std::to_array<std::string_view>({"password", "oauth-google", "oauth-github", "sso"});
inline constexpr auto kCliCommands = std::to_array<std::string_view>(
    {"bump", "release", "changelog", "check", "init", "status", "version", "other"});
inline constexpr auto kOperatingSystems =
    std::to_array<std::string_view>({"linux", "macos", "windows"});
inline constexpr auto kArchitectures = std::to_array<std::string_view>({"x86_64", "aarch64"});
inline constexpr auto kSecretKinds =
    std::to_array<std::string_view>({"native", "external_helm", "external_other"});
inline constexpr auto kIssueSources =
    std::to_array<std::string_view>({"ui", "api", "git_link", "automation"});
inline constexpr auto kAgentKinds = std::to_array<std::string_view>({"first_party", "custom"});

// ---- Patterns of the string fields (pattern.hpp gives the syntax) ------------------------------

/// A semantic version (semver.org 2.0.0): `4.6.1`, `4.7.0-rc.1`, `4.6.1+build.5`.
inline constexpr Pattern kSemverPattern{
    R"(^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*))"
    R"((-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$)",
    "4.6.1"};
/// A FerrFlow error code, as the catalog documents it (`FF1001`) or as the CLI prints it
/// (`E1001`); never the message.
inline constexpr Pattern kCliErrorCodePattern{R"(^(FF[0-9]{4}|E[0-9]{4})$)", "FF1001"};
/// The slug of an agent FerrFleet provides.
inline constexpr Pattern kAgentSlugPattern{R"(^[a-z0-9][a-z0-9-]{0,39}$)", "triage"};

// ---- Fields shared word for word by several events ----------------------------------------------

inline constexpr Field kOrgHash{"org_hash",
                                FieldKind::hash,
                                Placement::envelope,
                                {"pseudonym (keyed hash) of the organization's id",
                                 "pseudonyme (hachage à clé) de l'identifiant de l'organisation"}};
inline constexpr Field kUserHash{"user_hash",
                                 FieldKind::hash,
                                 Placement::envelope,
                                 {"pseudonym (keyed hash) of the user's id",
                                  "pseudonyme (hachage à clé) de l'identifiant de l'utilisateur"}};
inline constexpr Field kCliVersion{"cli_version",
                                   FieldKind::string,
                                   Placement::properties,
                                   {"version of the CLI (semver)", "version de la CLI (semver)"},
                                   {},
                                   {},
                                   &kSemverPattern};
inline constexpr Field kDurationMs{
    "duration_ms",
    FieldKind::integer,
    Placement::properties,
    {"how long it ran, in milliseconds", "durée d'exécution, en millisecondes"}};

// ---- The fields of each event -------------------------------------------------------------------

inline constexpr auto kOrgCreatedFields = std::to_array<Field>({
    kOrgHash,
    {"user_hash",
     FieldKind::hash,
     Placement::envelope,
     {"pseudonym (keyed hash) of the user who created it",
      "pseudonyme (hachage à clé) de l'utilisateur qui l'a créée"}},
});

inline constexpr auto kOrgMemberAddedFields = std::to_array<Field>({
    kOrgHash,
    {"actor_hash",
     FieldKind::hash,
     Placement::properties,
     {"pseudonym (keyed hash) of the member who added them",
      "pseudonyme (hachage à clé) du membre qui a fait l'ajout"}},
    {"role",
     FieldKind::enumeration,
     Placement::properties,
     {"role given to the new member", "rôle attribué au nouveau membre"},
     kRoles},
});

inline constexpr auto kProductActivatedFields = std::to_array<Field>({
    kOrgHash,
    {"product",
     FieldKind::enumeration,
     Placement::properties,
     {"product activated", "produit activé"},
     kProducts},
    {"tier",
     FieldKind::enumeration,
     Placement::properties,
     {"subscription tier chosen", "formule d'abonnement choisie"},
     kTiers},
});

inline constexpr auto kProductTierChangedFields = std::to_array<Field>({
    kOrgHash,
    {"product",
     FieldKind::enumeration,
     Placement::properties,
     {"product whose subscription changed", "produit dont l'abonnement a changé"},
     kProducts},
    {"tier_from",
     FieldKind::enumeration,
     Placement::properties,
     {"tier before the change", "formule avant le changement"},
     kTiers},
    {"tier_to",
     FieldKind::enumeration,
     Placement::properties,
     {"tier after the change", "formule après le changement"},
     kTiers},
});

inline constexpr auto kProductCanceledFields = std::to_array<Field>({
    kOrgHash,
    {"product",
     FieldKind::enumeration,
     Placement::properties,
     {"product whose subscription was canceled", "produit dont l'abonnement a été résilié"},
     kProducts},
});

inline constexpr auto kAuthLoginFields = std::to_array<Field>({
    kUserHash,
    {"method",
     FieldKind::enumeration,
     Placement::properties,
     {"how the user logged in", "moyen de connexion utilisé"},
     kAuthMethods},
});

inline constexpr auto kAuthSignupFields = std::to_array<Field>({
    kUserHash,
    {"method",
     FieldKind::enumeration,
     Placement::properties,
     {"how the account was created", "moyen utilisé pour créer le compte"},
     kAuthMethods},
});

inline constexpr auto kCliRunFields = std::to_array<Field>({
    {"command",
     FieldKind::enumeration,
     Placement::properties,
     {"command that ran; a command not listed is reported as other",
      "commande exécutée ; une commande non listée est notée other"},
     kCliCommands},
    {"exit_code",
     FieldKind::integer,
     Placement::properties,
     {"exit status of the process", "code de sortie du processus"}},
    kDurationMs,
    kCliVersion,
    {"os",
     FieldKind::enumeration,
     Placement::properties,
     {"operating system", "système d'exploitation"},
     kOperatingSystems},
    {"arch",
     FieldKind::enumeration,
     Placement::properties,
     {"processor architecture", "architecture du processeur"},
     kArchitectures},
});

inline constexpr auto kCliErrorFields = std::to_array<Field>({
    {"command",
     FieldKind::enumeration,
     Placement::properties,
     {"command that failed; a command not listed is reported as other",
      "commande qui a échoué ; une commande non listée est notée other"},
     kCliCommands},
    {"error_code",
     FieldKind::string,
     Placement::properties,
     {"an FFxxxx (or Exxxx) error code, never the error message",
      "un code d'erreur FFxxxx (ou Exxxx), jamais le message d'erreur"},
     {},
     {},
     &kCliErrorCodePattern},
    kCliVersion,
});

inline constexpr auto kVaultSecretInjectedFields = std::to_array<Field>({
    kOrgHash,
    {"kind",
     FieldKind::enumeration,
     Placement::properties,
     {"kind of injection: native, or through an external integration (Helm or other)",
      "type d'injection : native, ou par une intégration externe (Helm ou autre)"},
     kSecretKinds},
});

inline constexpr auto kTrackIssueCreatedFields = std::to_array<Field>({
    kOrgHash,
    {"source",
     FieldKind::enumeration,
     Placement::properties,
     {"where the issue was created from", "d'où le ticket a été créé"},
     kIssueSources},
});

inline constexpr auto kGrowthSitePublishedFields = std::to_array<Field>({
    kOrgHash,
    {"custom_domain",
     FieldKind::boolean,
     Placement::properties,
     {"whether the site uses a custom domain", "si le site utilise un domaine personnalisé"}},
});

inline constexpr auto kFleetAgentRunFields = std::to_array<Field>({
    kOrgHash,
    {"agent_kind",
     FieldKind::enumeration,
     Placement::properties,
     {"an agent provided by FerrFleet (first_party) or a custom one (custom)",
      "un agent fourni par FerrFleet (first_party) ou un agent personnalisé (custom)"},
     kAgentKinds},
    {"first_party_slug",
     FieldKind::string,
     Placement::properties,
     {"which FerrFleet-provided agent ran (only when agent_kind is first_party)",
      "l'agent fourni par FerrFleet qui a été exécuté (seulement si agent_kind vaut first_party)"},
     {},
     {"agent_kind", "first_party"},
     &kAgentSlugPattern},
    {"exit_code",
     FieldKind::integer,
     Placement::properties,
     {"exit status of the run, 0 = success", "code de sortie de l'exécution, 0 = succès"}},
    kDurationMs,
});

// ---- The catalog --------------------------------------------------------------------------------

/// Every event, in the spec's order (the manifest and the pages list them in this order).
inline constexpr auto kEvents = std::to_array<Event>({
    {"org.created",
     Surface::ferrlabs,
     Subject::org,
     {"an organization is created", "une organisation est créée"},
     kOrgCreatedFields},
    {"org.member.added",
     Surface::ferrlabs,
     Subject::org,
     {"a user is added to an organization", "un utilisateur est ajouté à une organisation"},
     kOrgMemberAddedFields},
    {"product.activated",
     Surface::ferrlabs,
     Subject::org,
     {"an organization activates a product", "une organisation active un produit"},
     kProductActivatedFields},
    {"product.tier_changed",
     Surface::ferrlabs,
     Subject::org,
     {"a live subscription changes tier", "un abonnement en cours change de formule"},
     kProductTierChangedFields},
    {"product.canceled",
     Surface::ferrlabs,
     Subject::org,
     {"a subscription is canceled", "un abonnement est résilié"},
     kProductCanceledFields},
    {"auth.login",
     Surface::ferrlabs,
     Subject::user,
     {"a successful login", "une connexion réussie"},
     kAuthLoginFields},
    {"auth.signup",
     Surface::ferrlabs,
     Subject::user,
     {"an account becomes active (e-mail verified)",
      "un compte devient actif (adresse e-mail vérifiée)"},
     kAuthSignupFields},
    {"cli.run",
     Surface::ferrflow,
     Subject::none,
     {"once per CLI invocation, after the command ends",
      "une fois par lancement de la CLI, quand la commande se termine"},
     kCliRunFields},
    {"cli.error",
     Surface::ferrflow,
     Subject::none,
     {"an unhandled CLI error, sent instead of cli.run",
      "une erreur non gérée de la CLI, envoyée à la place de cli.run"},
     kCliErrorFields},
    {"vault.secret.injected",
     Surface::ferrvault,
     Subject::org,
     {"the FerrVault operator injects a secret into a workload",
      "l'opérateur FerrVault injecte un secret dans une charge de travail"},
     kVaultSecretInjectedFields},
    {"track.issue.created",
     Surface::ferrtrack,
     Subject::org,
     {"a FerrTrack issue is created", "un ticket FerrTrack est créé"},
     kTrackIssueCreatedFields},
    {"growth.site.published",
     Surface::ferrgrowth,
     Subject::org,
     {"a FerrGrowth site is published or republished", "un site FerrGrowth est publié ou republié"},
     kGrowthSitePublishedFields},
    {"fleet.agent.run",
     Surface::ferrfleet,
     Subject::org,
     {"a FerrFleet agent run finishes", "une exécution d'agent FerrFleet se termine"},
     kFleetAgentRunFields},
});

/// What is never collected (§1), published on the pages as written here.
inline constexpr auto kNeverCollected = std::to_array<Text>({
    {"e-mail addresses, names, avatars or any other personal string from an account",
     "les adresses e-mail, les noms, les avatars ou toute autre donnée personnelle d'un compte"},
    {"FerrVault secret values, their metadata or vault paths",
     "les valeurs des secrets FerrVault, leurs métadonnées ou leurs chemins dans le coffre"},
    {"FerrTrack issue titles or bodies", "les titres et descriptions des tickets FerrTrack"},
    {"FerrGrowth visitors' page content or analytics",
     "le contenu des pages et les statistiques de fréquentation des visiteurs des sites "
     "FerrGrowth"},
    {"source code, commit messages or file paths seen by the FerrFlow CLI",
     "le code source, les messages de commit ou les chemins de fichiers vus par la CLI FerrFlow"},
    {"FerrFleet prompts, completions or run payloads",
     "les prompts, les réponses générées ou les données d'exécution de FerrFleet"},
    {"IP addresses: dropped at the ingestion edge, never stored in an event, never written to a "
     "log line about a telemetry request, held only in memory as a keyed pseudonym for rate "
     "limiting",
     "les adresses IP : écartées dès la réception, jamais enregistrées dans un événement ni dans "
     "un journal concernant une requête de télémétrie, conservées seulement en mémoire sous forme "
     "de pseudonyme à clé pour limiter le débit"},
    {"cookies or browser fingerprints", "les cookies et les empreintes de navigateur"},
});

// ---- Build-time checks of the string patterns -----------------------------------------------

/// Whether every `string` field of `events` declares a pattern, and no other field does.
constexpr bool string_fields_have_patterns(std::span<const Event> events) {
  for (const Event& event : events)
    for (const Field& field : event.fields)
      if ((field.kind == FieldKind::string) != (field.pattern != nullptr)) return false;
  return true;
}

/// Whether every declared pattern compiles and matches its own example, which fits a string.
constexpr bool patterns_are_sound(std::span<const Event> events) {
  for (const Event& event : events)
    for (const Field& field : event.fields)
      if (field.pattern != nullptr &&
          (!field.pattern->valid() || field.pattern->example().size() > kMaxStringBytes ||
           !field.pattern->matches(field.pattern->example())))
        return false;
  return true;
}

/// The pattern rules of telemetry.md §1 as build errors, for any catalog (tests/unit/telemetry
/// checks that a string field without a pattern does not compile).
template <const auto& Events>
constexpr bool check_string_patterns() {
  static_assert(string_fields_have_patterns(Events),
                "telemetry: every string field needs a pattern, and only string fields have one "
                "(free text is how personal data slips into telemetry)");
  static_assert(patterns_are_sound(Events),
                "telemetry: a field pattern does not compile, or does not match its example");
  return true;
}

// GCC 12 cannot evaluate a pointer compared with null as a constant under
// -fsanitize=undefined, so the sanitizer build leaves this check to the other builds of the same
// sources (debug, release), which make it.
#ifndef __SANITIZE_ADDRESS__
static_assert(check_string_patterns<kEvents>());
#endif

/// The slug of a surface, e.g. `ferrflow`.
std::string_view surface_name(Surface surface);
/// The surface of a slug; nullopt for anything else.
std::optional<Surface> find_surface(std::string_view slug);
/// `org`, `user` or `none`.
std::string_view subject_name(Subject subject);
/// The wire name of a kind: `hash`, `enum`, `int`, `string` or `bool`.
std::string_view kind_name(FieldKind kind);

/// The event named `name`, dotted (`org.member.added`) or in its snake_case spelling
/// (`org_member_added`, which ingestion accepts and normalises); nullptr when there is none.
const Event* find_event(std::string_view name);
/// The field of `event` named `name`; nullptr when the event does not declare it.
const Field* find_field(const Event& event, std::string_view name);
/// Whether `value` is one of the listed values of the enumeration `field`.
bool allows_value(const Field& field, std::string_view value);

}  // namespace ferr::telemetry
