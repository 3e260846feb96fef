#pragma once
// Spies for the fire-and-forget seams of the use cases: the mailer and the telemetry events.
// Each keeps what it was handed, and may also write one line per call to a shared trace, so a
// test sees the order of events among repository calls (see Hooks::on_return).

#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "domain/accounts/account_events.hpp"
#include "domain/mail.hpp"
#include "domain/orgs/org_events.hpp"

namespace ferr::fakes {

class RecordingMailer final : public domain::Mailer {
 public:
  void send(domain::MailMessage message) override {
    std::lock_guard lock(mutex_);
    sent_.push_back(std::move(message));
  }
  /// Every message sent so far, in order.
  std::vector<domain::MailMessage> sent() const {
    std::lock_guard lock(mutex_);
    return sent_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<domain::MailMessage> sent_;
};

/// Writes `auth.signup <user id>` and `auth.login <user id>`.
class RecordingAccountEvents final : public domain::accounts::AccountEvents {
 public:
  void signed_up(const core::UserId& user_id) override {
    record("auth.signup " + user_id.to_string());
  }
  void logged_in(const core::UserId& user_id) override {
    record("auth.login " + user_id.to_string());
  }
  /// Every event so far, in order.
  std::vector<std::string> events() const {
    std::lock_guard lock(mutex_);
    return events_;
  }

 private:
  void record(std::string line) {
    std::lock_guard lock(mutex_);
    events_.push_back(std::move(line));
  }
  mutable std::mutex mutex_;
  std::vector<std::string> events_;
};

/// Writes each event as its name and arguments, e.g. `product.activated ferrflow pro`, with the
/// org id of each kept apart in `org_ids` (ids are long; a test compares them once).
class RecordingOrgEvents final : public domain::orgs::OrgEvents {
 public:
  /// `trace`, when given, receives the lines too, in the same order.
  explicit RecordingOrgEvents(std::vector<std::string>* trace = nullptr) : trace_(trace) {}

  void org_created(const core::OrgId& org_id, const core::UserId& creator) override {
    record(org_id, "org.created " + creator.to_string());
  }
  void member_added(const core::OrgId& org_id, const std::optional<core::UserId>& actor,
                    domain::orgs::Role role) override {
    record(org_id, "org.member.added " + (actor ? actor->to_string() : "null") + " " +
                       std::string(domain::orgs::role_name(role)));
  }
  void product_activated(const core::OrgId& org_id, domain::subscriptions::Product product,
                         domain::subscriptions::Tier tier) override {
    record(org_id, "product.activated " +
                       std::string(domain::subscriptions::product_name(product)) + " " +
                       std::string(domain::subscriptions::tier_name(tier)));
  }
  void product_tier_changed(const core::OrgId& org_id, domain::subscriptions::Product product,
                            domain::subscriptions::Tier from,
                            domain::subscriptions::Tier to) override {
    record(org_id, "product.tier_changed " +
                       std::string(domain::subscriptions::product_name(product)) + " " +
                       std::string(domain::subscriptions::tier_name(from)) + " " +
                       std::string(domain::subscriptions::tier_name(to)));
  }
  void product_canceled(const core::OrgId& org_id,
                        domain::subscriptions::Product product) override {
    record(org_id, "product.canceled " + std::string(domain::subscriptions::product_name(product)));
  }

  /// Every event so far, in order.
  std::vector<std::string> events() const {
    std::lock_guard lock(mutex_);
    return events_;
  }
  /// The org of each event, in the same order.
  std::vector<core::OrgId> org_ids() const {
    std::lock_guard lock(mutex_);
    return org_ids_;
  }

 private:
  void record(const core::OrgId& org_id, std::string line) {
    std::lock_guard lock(mutex_);
    if (trace_ != nullptr) trace_->push_back(line);
    events_.push_back(std::move(line));
    org_ids_.push_back(org_id);
  }
  mutable std::mutex mutex_;
  std::vector<std::string>* trace_;
  std::vector<std::string> events_;
  std::vector<core::OrgId> org_ids_;
};

}  // namespace ferr::fakes
