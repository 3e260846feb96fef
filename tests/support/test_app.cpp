#include "support/test_app.hpp"

#include <cstdlib>
#include <memory>
#include <stdexcept>

#include "postgres/pg_test_support.hpp"

namespace ferr::testing {

namespace {

/// Under the PostgreSQL fixture (FERR_TEST_PG_URL_FILE set), a scratch database of the running
/// test's own; the previous test's, whose application is gone, is dropped first.
std::string default_database_url() {
  if (std::getenv("FERR_TEST_PG_URL_FILE") == nullptr) return "sqlite::memory:";
  static std::unique_ptr<pgtest::ScratchDatabase> current;
  current.reset();
  current = std::make_unique<pgtest::ScratchDatabase>();
  return current->url();
}

}  // namespace

app::Config test_config(const app::RawSettings& overrides) {
  app::RawSettings raw{
      {"DATABASE_URL",
       overrides.contains("DATABASE_URL") ? overrides.at("DATABASE_URL") : default_database_url()},
      {"FERRLABS_LISTEN", "127.0.0.1:0"},
      {"FERRLABS_THREADS", "2"},
      {"FERRLABS_LOG", "off"},
      // Every read of the statistics computes afresh unless a test says otherwise: tests read
      // them right after writing events.
      {"FERRLABS_STATS_CACHE_S", "0"}};
  for (const auto& [k, v] : overrides) raw[k] = v;
  app::Config config;
  if (auto error = app::parse_config(raw, 2, config)) throw std::runtime_error(error->line());
  return config;
}

std::unique_ptr<app::Application> start_app(
    const app::Config& config, app::Tuning tuning,
    const std::function<void(app::Application&)>& before_start) {
  auto created = app::Application::create(config, tuning);
  if (!created) throw std::runtime_error(created.error().log_detail);
  auto app = std::move(*created);
  if (before_start) before_start(*app);
  if (auto started = app->start(); !started) throw std::runtime_error(started.error().log_detail);
  return app;
}

}  // namespace ferr::testing
