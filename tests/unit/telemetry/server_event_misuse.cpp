// Never built into a program: compile_fail.cmake compiles it once as is, which must succeed, and
// once per FERR_MISUSE_* case, which must fail with that case's message from server_event.hpp.
// Each case changes one thing in the valid emit site below.
#include "telemetry/server_event.hpp"

namespace ferr::telemetry {

ServerEvent emit_site(const core::Uuid& org) {
#if defined(FERR_MISUSE_UNDECLARED_EVENT)
  return ServerEvent::make<"product.cancelled">().with<"org_hash">(org).with<"product">("ferrflow");
#elif defined(FERR_MISUSE_UNDECLARED_PROPERTY)
  return ServerEvent::make<"product.canceled">()
      .with<"org_hash">(org)
      .with<"product">("ferrflow")
      .with<"reason">("too expensive");
#elif defined(FERR_MISUSE_CLIENT_EVENT)
  return ServerEvent::make<"track.issue.created">().with<"org_hash">(org).with<"source">("ui");
#elif defined(FERR_MISUSE_WRONG_KIND)
  return ServerEvent::make<"product.canceled">()
      .with<"org_hash">(org.to_string())
      .with<"product">("ferrflow");
#elif defined(FERR_MISUSE_SET_TWICE)
  return ServerEvent::make<"product.canceled">()
      .with<"org_hash">(org)
      .with<"product">("ferrflow")
      .with<"product">("ferrvault");
#elif defined(FERR_MISUSE_MISSING_FIELD)
  return ServerEvent::make<"product.canceled">().with<"org_hash">(org);
#else
  return ServerEvent::make<"product.canceled">().with<"org_hash">(org).with<"product">("ferrflow");
#endif
}

}  // namespace ferr::telemetry
