#include "domain/telemetry/emitting_events.hpp"

namespace ferr::domain::telemetry {

using ::ferr::telemetry::ServerEvent;

void EmittingAccountEvents::signed_up(const core::Uuid& user_id) {
  emitter_.emit(
      ServerEvent::make<"auth.signup">().with<"user_hash">(user_id).with<"method">("password"));
}

void EmittingAccountEvents::logged_in(const core::Uuid& user_id) {
  emitter_.emit(
      ServerEvent::make<"auth.login">().with<"user_hash">(user_id).with<"method">("password"));
}

void EmittingOrgEvents::org_created(const core::Uuid& org_id, const core::Uuid& creator) {
  emitter_.emit(
      ServerEvent::make<"org.created">().with<"org_hash">(org_id).with<"user_hash">(creator));
}

void EmittingOrgEvents::member_added(const core::Uuid& org_id, const core::Uuid& actor,
                                     orgs::Role role) {
  emitter_.emit(ServerEvent::make<"org.member.added">()
                    .with<"org_hash">(org_id)
                    .with<"actor_hash">(actor)
                    .with<"role">(orgs::role_name(role)));
}

void EmittingOrgEvents::product_activated(const core::Uuid& org_id, orgs::Product product,
                                          orgs::Tier tier) {
  emitter_.emit(ServerEvent::make<"product.activated">()
                    .with<"org_hash">(org_id)
                    .with<"product">(orgs::product_name(product))
                    .with<"tier">(orgs::tier_name(tier)));
}

void EmittingOrgEvents::product_tier_changed(const core::Uuid& org_id, orgs::Product product,
                                             orgs::Tier from, orgs::Tier to) {
  emitter_.emit(ServerEvent::make<"product.tier_changed">()
                    .with<"org_hash">(org_id)
                    .with<"product">(orgs::product_name(product))
                    .with<"tier_from">(orgs::tier_name(from))
                    .with<"tier_to">(orgs::tier_name(to)));
}

void EmittingOrgEvents::product_canceled(const core::Uuid& org_id, orgs::Product product) {
  emitter_.emit(ServerEvent::make<"product.canceled">().with<"org_hash">(org_id).with<"product">(
      orgs::product_name(product)));
}

}  // namespace ferr::domain::telemetry
