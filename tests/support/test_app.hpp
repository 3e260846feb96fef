#pragma once
// Starts the real application in-process on 127.0.0.1:0.

#include <functional>
#include <memory>

#include "app/application.hpp"
#include "app/config.hpp"

namespace ferr::testing {

/// Settings every in-process test server shares; `overrides` are applied on top. The database is
/// in-memory SQLite, or a scratch PostgreSQL database when the suite runs under the PostgreSQL
/// fixture (the `postgres/…` instances of the integration suites).
app::Config test_config(const app::RawSettings& overrides = {});

/// A started application. `before_start` may add test routes to the router.
std::unique_ptr<app::Application> start_app(
    const app::Config& config, app::Tuning tuning = {},
    const std::function<void(app::Application&)>& before_start = {});

}  // namespace ferr::testing
