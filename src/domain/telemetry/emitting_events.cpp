#include "domain/telemetry/emitting_events.hpp"

namespace ferr::domain::telemetry {

using ::ferr::telemetry::ServerEvent;

void EmittingAccountEvents::signed_up(const core::UserId& user_id) {
  emitter_.emit(ServerEvent::make<"auth.signup">()
                    .with<"user_hash">(user_id.value)
                    .with<"method">("password"));
}

void EmittingAccountEvents::logged_in(const core::UserId& user_id) {
  emitter_.emit(ServerEvent::make<"auth.login">()
                    .with<"user_hash">(user_id.value)
                    .with<"method">("password"));
}

void EmittingOrgEvents::org_created(const core::OrgId& org_id, const core::UserId& creator) {
  emitter_.emit(ServerEvent::make<"org.created">()
                    .with<"org_hash">(org_id.value)
                    .with<"user_hash">(creator.value));
}

void EmittingOrgEvents::member_added(const core::OrgId& org_id,
                                     const std::optional<core::UserId>& actor, orgs::Role role) {
  std::optional<core::Uuid> actor_id;
  if (actor) actor_id = actor->value;
  emitter_.emit(ServerEvent::make<"org.member.added">()
                    .with<"org_hash">(org_id.value)
                    .with<"actor_hash">(actor_id)
                    .with<"role">(orgs::role_name(role)));
}

void EmittingOrgEvents::product_activated(const core::OrgId& org_id, subscriptions::Product product,
                                          subscriptions::Tier tier) {
  emitter_.emit(ServerEvent::make<"product.activated">()
                    .with<"org_hash">(org_id.value)
                    .with<"product">(subscriptions::product_name(product))
                    .with<"tier">(subscriptions::tier_name(tier)));
}

void EmittingOrgEvents::product_tier_changed(const core::OrgId& org_id,
                                             subscriptions::Product product,
                                             subscriptions::Tier from, subscriptions::Tier to) {
  emitter_.emit(ServerEvent::make<"product.tier_changed">()
                    .with<"org_hash">(org_id.value)
                    .with<"product">(subscriptions::product_name(product))
                    .with<"tier_from">(subscriptions::tier_name(from))
                    .with<"tier_to">(subscriptions::tier_name(to)));
}

void EmittingOrgEvents::product_canceled(const core::OrgId& org_id,
                                         subscriptions::Product product) {
  emitter_.emit(ServerEvent::make<"product.canceled">()
                    .with<"org_hash">(org_id.value)
                    .with<"product">(subscriptions::product_name(product)));
}

}  // namespace ferr::domain::telemetry
