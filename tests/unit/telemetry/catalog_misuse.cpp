// Never built into a program: compile_fail.cmake compiles it once as is, which must succeed, and
// once per FERR_MISUSE_* case, which must fail with that case's message from catalog.hpp. The
// check is the very one applied to the real catalog (check_string_patterns), run here on a small
// catalog of one event whose single string field changes per case.
#include "telemetry/catalog.hpp"

namespace ferr::telemetry {

inline constexpr Pattern kGoodPattern{"^[a-z]{1,8}$", "abc"};

#if defined(FERR_MISUSE_STRING_WITHOUT_PATTERN)
inline constexpr auto kFields = std::to_array<Field>({
    {"note", FieldKind::string, Placement::properties, {"free text", "texte libre"}},
});
#elif defined(FERR_MISUSE_PATTERN_ON_A_NON_STRING)
inline constexpr auto kFields = std::to_array<Field>({
    {"count",
     FieldKind::integer,
     Placement::properties,
     {"a number", "un nombre"},
     {},
     {},
     &kGoodPattern},
});
#elif defined(FERR_MISUSE_INVALID_PATTERN)
inline constexpr Pattern kUnclosed{"^([a-z]{1,8}$", "abc"};
inline constexpr auto kFields = std::to_array<Field>({
    {"note", FieldKind::string, Placement::properties, {"a word", "un mot"}, {}, {}, &kUnclosed},
});
#elif defined(FERR_MISUSE_EXAMPLE_NOT_MATCHING)
inline constexpr Pattern kWrongExample{"^[a-z]{1,8}$", "ABC"};
inline constexpr auto kFields = std::to_array<Field>({
    {"note",
     FieldKind::string,
     Placement::properties,
     {"a word", "un mot"},
     {},
     {},
     &kWrongExample},
});
#else
inline constexpr auto kFields = std::to_array<Field>({
    {"note", FieldKind::string, Placement::properties, {"a word", "un mot"}, {}, {}, &kGoodPattern},
});
#endif

inline constexpr auto kTestEvents = std::to_array<Event>({
    {"test.event", Surface::ferrflow, Subject::none, {"in a test", "dans un test"}, kFields},
});

static_assert(check_string_patterns<kTestEvents>());

}  // namespace ferr::telemetry
