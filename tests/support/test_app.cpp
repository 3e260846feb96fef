#include "support/test_app.hpp"

#include <stdexcept>

namespace ferr::testing {

app::Config test_config(const app::RawSettings& overrides) {
  app::RawSettings raw{{"DATABASE_URL", "sqlite::memory:"},
                       {"FERRLABS_LISTEN", "127.0.0.1:0"},
                       {"FERRLABS_THREADS", "2"},
                       {"FERRLABS_LOG", "off"}};
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
