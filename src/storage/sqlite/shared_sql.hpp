#pragma once
/// SQL used by more than one SQLite repository, kept here once.

#include <string_view>

namespace ferr::storage::sqlite {

/// True when credential ?1 — a session, or a personal API token — is live and belongs to user ?2
/// (the live_credentials view, migration 0011): the session check every principal's request
/// makes, as a fragment, so that it rides in the statement of the request's
/// first read or write instead of costing one of its own. A statement that embeds it binds the
/// session id to ?1 and the principal's user id to ?2.
inline constexpr std::string_view kSessionIsLive =
    "EXISTS (SELECT 1 FROM live_credentials WHERE id = ?1 AND user_id = ?2)";

}  // namespace ferr::storage::sqlite
