#pragma once
/// The `domain::Mailer` the application uses: a bounded queue and one background thread in
/// front of a Transport, so a request never waits on, or fails because of, a mail server.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string_view>
#include <thread>

#include "core/metrics.hpp"
#include "domain/mail.hpp"
#include "mail/transport.hpp"

namespace ferr::mail {

/// How a QueuedMailer queues and retries (the defaults suit production; tests shorten waits).
struct QueuedMailerOptions {
  std::size_t capacity = 1024;                     ///< queued messages beyond it are dropped
  unsigned max_attempts = 3;                       ///< deliveries tried per message (>= 1)
  std::chrono::milliseconds backoff{1000};         ///< wait before a retry, doubled each time
  std::chrono::milliseconds shutdown_drain{2000};  ///< how long the destructor lets it drain
  core::MetricsRegistry* metrics = nullptr;        ///< gets mail_messages_total{outcome}
};

/// Delivers queued messages on one worker thread, in order, with bounded retries. Logs name the
/// recipient's domain only: addresses are personal data and bodies hold codes and tokens.
class QueuedMailer final : public domain::Mailer {
 public:
  using Options = QueuedMailerOptions;

  /// Starts the worker thread that delivers through `transport`.
  explicit QueuedMailer(std::unique_ptr<Transport> transport, Options options = {});
  /// Drains for at most `options.shutdown_drain`, then stops.
  ~QueuedMailer() override;
  QueuedMailer(const QueuedMailer&) = delete;
  QueuedMailer& operator=(const QueuedMailer&) = delete;

  /// Queues `message` and returns at once; a full queue or a stopped mailer drops it (logged).
  void send(domain::MailMessage message) override;
  /// Waits until nothing is queued or being delivered, or `deadline` passes; true if drained.
  bool drain(std::chrono::milliseconds deadline);
  /// Waits until nothing is queued or being delivered, however long retries take.
  void flush();
  /// Stops the worker: a retry wait ends at once, a running delivery is interrupted, and what
  /// is still queued is dropped (counted). Idempotent; call from one thread.
  void stop();

  /// Messages the transport accepted.
  std::uint64_t delivered() const { return delivered_.load(); }
  /// Messages given up after their last attempt.
  std::uint64_t failed() const { return failed_.load(); }
  /// Messages never attempted: queue full, or still queued when the mailer stopped.
  std::uint64_t dropped() const { return dropped_.load(); }

 private:
  void run();
  void deliver_with_retries(const domain::MailMessage& message);
  void count_drop(std::string_view reason, std::uint64_t n, std::string_view domain);
  bool idle() const { return queue_.empty() && !busy_; }

  std::unique_ptr<Transport> transport_;
  Options options_;

  std::mutex mutex_;
  std::condition_variable wake_;  // worker: a message arrived, or stop
  std::condition_variable idle_;  // drain(): the queue emptied and no delivery is running
  std::deque<domain::MailMessage> queue_;
  bool busy_ = false;
  bool stopping_ = false;

  std::atomic<std::uint64_t> delivered_{0};
  std::atomic<std::uint64_t> failed_{0};
  std::atomic<std::uint64_t> dropped_{0};
  core::Counter* delivered_metric_ = nullptr;
  core::Counter* failed_metric_ = nullptr;
  core::Counter* dropped_metric_ = nullptr;

  std::thread worker_;  // joined by stop(), which the destructor always calls
};

}  // namespace ferr::mail
