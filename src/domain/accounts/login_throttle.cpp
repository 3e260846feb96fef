#include "domain/accounts/login_throttle.hpp"

namespace ferr::domain::accounts {

std::chrono::seconds login_lock_for(int failures) {
  using std::chrono::seconds;
  if (failures >= 20) return seconds(3600);
  if (failures >= 10) return seconds(300);
  if (failures >= 5) return seconds(60);
  return seconds(0);
}

}  // namespace ferr::domain::accounts
