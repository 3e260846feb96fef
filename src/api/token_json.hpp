#pragma once
/// API tokens as JSON (api.md "API tokens").

#include <boost/json/array.hpp>

#include <string>
#include <vector>

#include "core/clock.hpp"
#include "domain/tokens/api_token.hpp"
#include "domain/tokens/token_service.hpp"

namespace ferr::api {

/// Personal token objects (metadata only), as the token list and the data export show them.
boost::json::array personal_tokens_array(const std::vector<domain::tokens::ApiToken>& tokens);
/// `[token…]`, personal token objects.
std::string personal_tokens_json(const std::vector<domain::tokens::ApiToken>& tokens);
/// A personal token object with its `plaintext` (the creation answer).
std::string created_personal_token_json(const domain::tokens::CreatedToken& created);
/// `[org token…]`; `stale` as of `now`.
std::string org_tokens_json(const std::vector<domain::tokens::ApiToken>& tokens,
                            core::TimePoint now);
/// `{"token": {…}, "plaintext": "fl_org_…"}`.
std::string created_org_token_json(const domain::tokens::CreatedToken& created,
                                   core::TimePoint now);

}  // namespace ferr::api
