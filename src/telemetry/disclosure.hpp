#pragma once
/// What FerrLabs tells the public about telemetry besides the catalog itself: why anything is
/// collected, how to opt out, how identifiers are pseudonymised. The manifest and the /telemetry
/// pages both read these texts, so the two cannot tell different stories.

#include <array>
#include <string_view>

#include "telemetry/catalog.hpp"

namespace ferr::telemetry {

/// One way to opt out.
struct OptOutPath {
  std::string_view id;  ///< stable identifier in the manifest
  Text title;
  Text how;
};

/// The three opt-out paths of telemetry.md §6.
inline constexpr auto kOptOutPaths = std::to_array<OptOutPath>({
    {"cli",
     {"The FerrFlow CLI", "La CLI FerrFlow"},
     {"Set FERRFLOW_TELEMETRY=0 or DO_NOT_TRACK=1 in the environment: the CLI then sends nothing.",
      "Définissez FERRFLOW_TELEMETRY=0 ou DO_NOT_TRACK=1 dans l'environnement : la CLI n'envoie "
      "alors rien."}},
    {"personal",
     {"Your account", "Votre compte"},
     {"PUT /v1/me/telemetry-prefs with {\"telemetry_opt_out\": true}: events about you (sign-up, "
      "log-in) are no longer recorded, from the next one on.",
      "PUT /v1/me/telemetry-prefs avec {\"telemetry_opt_out\": true} : les événements qui vous "
      "concernent (inscription, connexion) ne sont plus enregistrés, dès le suivant."}},
    {"organization",
     {"Your organization", "Votre organisation"},
     {"An owner or admin sends PUT /v1/orgs/{slug}/telemetry-prefs with "
      "{\"telemetry_opt_out\": true}: no event about the organization is recorded any more.",
      "Un propriétaire ou un administrateur envoie PUT /v1/orgs/{slug}/telemetry-prefs avec "
      "{\"telemetry_opt_out\": true} : plus aucun événement concernant l'organisation n'est "
      "enregistré."}},
});

/// Why anything is collected.
inline constexpr Text kWhyCollected{
    "FerrLabs counts how its products are used — which features, how often, whether they work — "
    "to decide what to build and fix. Counting needs no names: every identifier is replaced by a "
    "keyed pseudonym before it is stored, raw events are deleted after the retention window, and "
    "only daily totals are kept.",
    "FerrLabs compte la façon dont ses produits sont utilisés — quelles fonctions, à quelle "
    "fréquence, si elles marchent — pour décider quoi construire et corriger. Compter n'exige "
    "aucun nom : chaque identifiant est remplacé par un pseudonyme à clé avant d'être enregistré, "
    "les événements bruts sont supprimés après la durée de conservation, et seuls des totaux "
    "journaliers sont gardés."};

/// Hashing, as published (telemetry.md §2).
inline constexpr std::string_view kHashAlgorithm = "BLAKE3 keyed";
inline constexpr std::string_view kHashInput = "16 raw UUID bytes";
inline constexpr int kHashOutputHexChars = 32;
inline constexpr int kKeyRotationDays = 90;

}  // namespace ferr::telemetry
