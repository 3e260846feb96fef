#include "api/idempotent.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <exception>

#include "api/authentication.hpp"
#include "core/log.hpp"
#include "crypto/tokens.hpp"
#include "http/error_response.hpp"

namespace ferr::api {

namespace {

using domain::idempotency::Decision;
using http::Response;

// How a retry waits for the first request of its key to finish: short polls, bounded in total so
// that a request never hangs on a key whose holder is stuck.
constexpr auto kPollEvery = std::chrono::milliseconds(20);
constexpr auto kWaitAtMost = std::chrono::seconds(10);

/// The request a key is bound to: method, path and the exact body bytes.
std::string fingerprint(const http::Request& request) {
  std::string text(http::method_name(request.method));
  text += ' ';
  text += request.path;
  text += '\n';
  text += request.body;
  return crypto::sha256_hex(text);
}

}  // namespace

boost::asio::awaitable<Response> idempotent(http::Request& request,
                                            const domain::accounts::Principal& caller,
                                            const IdempotencyDeps& deps, IdempotentWork work) {
  auto header = request.headers.get("Idempotency-Key");
  if (!header) co_return co_await work();
  std::string key(*header);
  if (!domain::idempotency::is_valid_key(key))
    co_return co_await deps.auth.refuse(
        request, caller,
        core::Error::validation("Idempotency-Key",
                                "Idempotency-Key must be 1 to 255 printable characters"));

  auto print = fingerprint(request);
  auto give_up_at = std::chrono::steady_clock::now() + kWaitAtMost;
  for (;;) {
    auto claim = co_await deps.idempotency.claim(caller, key, print);
    if (!claim) co_return http::respond_error(request, claim.error());
    if (claim->decision == Decision::run) break;
    if (claim->decision == Decision::replay) {
      auto replay = Response::json(static_cast<unsigned>(claim->stored.status), claim->stored.body);
      replay.headers.set("Idempotent-Replayed", "true");
      co_return replay;
    }
    if (claim->decision == Decision::key_reused)
      co_return http::respond_error(
          request, core::Error::make(core::ErrorCode::idempotency_key_reused,
                                     "this Idempotency-Key was used with a different request"));
    if (std::chrono::steady_clock::now() >= give_up_at) {
      core::Error busy{core::ErrorCode::service_unavailable,
                       "a request with this Idempotency-Key is still running, retry shortly"};
      busy.retry_after_seconds = 1;
      co_return http::respond_error(request, busy);
    }
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, kPollEvery);
    co_await timer.async_wait(boost::asio::use_awaitable);
  }

  std::optional<Response> response;
  std::exception_ptr thrown;
  try {
    response = co_await work();
  } catch (...) {
    thrown = std::current_exception();
  }
  // A server error is not an answer worth keeping: free the key so that a retry runs again.
  bool keep = response && response->status < 500;
  core::Result<void> recorded;
  if (keep) {
    domain::idempotency::StoredResponse stored{static_cast<int>(response->status), response->body};
    recorded = co_await deps.idempotency.complete(caller.key_owner(), key, stored);
  } else {
    recorded = co_await deps.idempotency.release(caller.key_owner(), key);
  }
  if (!recorded)
    core::log::warn("idempotency key not recorded",
                    {{"request_id", request.request_id}, {"error", recorded.error().log_detail}});
  if (thrown) std::rethrow_exception(thrown);
  co_return std::move(*response);
}

}  // namespace ferr::api
