#include "mail/queued_mailer.hpp"

#include <exception>
#include <string>
#include <utility>

#include "core/log.hpp"
#include "core/thread_name.hpp"
#include "mail/message_format.hpp"

namespace ferr::mail {
namespace {

constexpr const char* kMetricName = "mail_messages_total";
constexpr const char* kMetricHelp = "Outgoing e-mails by outcome (delivered, failed, dropped).";

}  // namespace

QueuedMailer::QueuedMailer(std::unique_ptr<Transport> transport, Options options)
    : transport_(std::move(transport)), options_(options) {
  if (options_.max_attempts == 0) options_.max_attempts = 1;
  if (options_.metrics) {
    // Registered up front so all three series read 0 before the first message.
    delivered_metric_ =
        &options_.metrics->counter(kMetricName, kMetricHelp, {{"outcome", "delivered"}});
    failed_metric_ = &options_.metrics->counter(kMetricName, kMetricHelp, {{"outcome", "failed"}});
    dropped_metric_ =
        &options_.metrics->counter(kMetricName, kMetricHelp, {{"outcome", "dropped"}});
  }
  worker_ = std::thread([this] { run(); });
  core::name_thread(worker_, "ferr-mail");
}

QueuedMailer::~QueuedMailer() {
  drain(options_.shutdown_drain);
  stop();
}

void QueuedMailer::send(domain::MailMessage message) {
  std::string_view refusal;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) {
      refusal = "mail dropped: mailer stopped";
    } else if (queue_.size() >= options_.capacity) {
      refusal = "mail dropped: queue full";
    } else {
      queue_.push_back(std::move(message));
      wake_.notify_one();
      return;
    }
  }
  count_drop(refusal, 1, address_domain(message.to));
}

bool QueuedMailer::drain(std::chrono::milliseconds deadline) {
  std::unique_lock lock(mutex_);
  return idle_.wait_for(lock, deadline, [this] { return idle(); });
}

void QueuedMailer::flush() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [this] { return idle(); });
}

void QueuedMailer::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (!worker_.joinable()) return;
  transport_->interrupt();
  worker_.join();
  std::uint64_t abandoned = 0;
  {
    std::lock_guard lock(mutex_);
    abandoned = queue_.size();
    queue_.clear();
  }
  idle_.notify_all();
  if (abandoned > 0) count_drop("mail dropped: still queued at shutdown", abandoned, "");
}

void QueuedMailer::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (stopping_) return;  // stop() counts what is left
    domain::MailMessage message = std::move(queue_.front());
    queue_.pop_front();
    busy_ = true;
    lock.unlock();
    deliver_with_retries(message);
    lock.lock();
    busy_ = false;
    if (idle()) idle_.notify_all();
  }
}

void QueuedMailer::deliver_with_retries(const domain::MailMessage& message) {
  core::Error last;
  unsigned attempts = 0;
  auto wait = options_.backoff;
  for (;;) {
    ++attempts;
    core::Result<void> result;
    try {
      result = transport_->deliver(message);
    } catch (const std::exception& e) {
      // A throwing transport would otherwise end the worker thread, and with it the process.
      result = core::fail(core::Error::internal(std::string("transport threw: ") + e.what()));
    }
    if (result) {
      delivered_.fetch_add(1);
      if (delivered_metric_) delivered_metric_->inc();
      return;
    }
    last = std::move(result.error());
    // A message the transport refuses as malformed fails the same way every time.
    if (last.code == core::ErrorCode::validation_failed || attempts >= options_.max_attempts) break;
    std::unique_lock lock(mutex_);
    if (wake_.wait_for(lock, wait, [this] { return stopping_; })) break;
    wait *= 2;
  }
  failed_.fetch_add(1);
  if (failed_metric_) failed_metric_->inc();
  // The log detail comes from the transport and never holds the address or the body.
  core::log::warn("mail delivery failed",
                  {{"domain", address_domain(message.to)},
                   {"attempts", attempts},
                   {"error", last.log_detail.empty() ? last.message : last.log_detail}});
}

void QueuedMailer::count_drop(std::string_view reason, std::uint64_t n, std::string_view domain) {
  dropped_.fetch_add(n);
  if (dropped_metric_) dropped_metric_->inc(n);
  if (domain.empty())
    core::log::warn(reason, {{"count", n}});
  else
    core::log::warn(reason, {{"domain", domain}, {"capacity", options_.capacity}});
}

}  // namespace ferr::mail
