#include "core/wakeup.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace ferr::core {

Task<void> Wakeup::sleep_for(std::chrono::steady_clock::duration timeout) {
  auto state = state_;
  if (state->notified.exchange(false)) co_return;
  state->timer.expires_after(timeout);
  // Cancelled by notify() or expired: either way the sleep is over. The flag is left as it is: a
  // notify() that woke this sleep may also end the next one at once, a spurious wake-up the
  // sleeper tolerates, where clearing it here could lose a notify() made meanwhile.
  co_await state->timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
}

void Wakeup::notify() {
  state_->notified.store(true);
  // The cancel runs on the sleeper's executor, after any sleep that began before this call has
  // armed its timer; a cancel with no sleep pending leaves the flag for the next one.
  boost::asio::post(state_->timer.get_executor(), [state = state_] { state->timer.cancel(); });
}

}  // namespace ferr::core
