#include "core/metrics.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

namespace ferr::core {
namespace {

void append_escaped_label(std::string& out, const std::string& value) {
  for (char c : value) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out.push_back(c);
  }
}

std::string render_labels(const Labels& labels,
                          const std::pair<std::string, std::string>* extra = nullptr) {
  if (labels.empty() && !extra) return "";
  std::string out = "{";
  bool first = true;
  auto add = [&](const std::pair<std::string, std::string>& kv) {
    if (!first) out.push_back(',');
    first = false;
    out += kv.first;
    out += "=\"";
    append_escaped_label(out, kv.second);
    out.push_back('"');
  };
  for (const auto& kv : labels) add(kv);
  if (extra) add(*extra);
  out.push_back('}');
  return out;
}

std::string format_number(double v) { return fmt::format("{}", v); }

}  // namespace

Histogram::Histogram(std::vector<double> upper_bounds)
    : bounds_(std::move(upper_bounds)),
      counts_(new std::atomic<std::uint64_t>[bounds_.size() + 1]) {
  std::sort(bounds_.begin(), bounds_.end());
  for (std::size_t i = 0; i <= bounds_.size(); ++i) counts_[i] = 0;
}

void Histogram::observe(double value) {
  auto it = std::lower_bound(bounds_.begin(), bounds_.end(), value);
  counts_[static_cast<std::size_t>(it - bounds_.begin())].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
}

std::vector<double> latency_buckets() {
  return {0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

// Name, help and type in the order of the exposition format's HELP and TYPE lines.
// NOLINTNEXTLINE(bugprone-easily-swappable-parameters)
MetricsRegistry::Family& MetricsRegistry::family(const std::string& name, const std::string& help,
                                                 const char* type) {
  auto [it, inserted] = families_.try_emplace(name);
  if (inserted) {
    it->second.help = help;
    it->second.type = type;
  } else if (it->second.type != type) {
    throw std::logic_error("metric " + name + " registered with two types");
  }
  return it->second;
}

Counter& MetricsRegistry::counter(const std::string& name, const std::string& help,
                                  const Labels& labels) {
  std::lock_guard lock(mutex_);
  auto& slot = family(name, help, "counter").counters[labels];
  if (!slot) slot = std::make_unique<Counter>();
  return *slot;
}

Histogram& MetricsRegistry::histogram(const std::string& name, const std::string& help,
                                      const Labels& labels, const std::vector<double>& buckets) {
  std::lock_guard lock(mutex_);
  auto& slot = family(name, help, "histogram").histograms[labels];
  if (!slot) slot = std::make_unique<Histogram>(buckets);
  return *slot;
}

void MetricsRegistry::gauge(const std::string& name, const std::string& help,
                            std::function<double()> read) {
  std::lock_guard lock(mutex_);
  family(name, help, "gauge").gauge = std::move(read);
}

std::string MetricsRegistry::render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  for (const auto& [name, fam] : families_) {
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, fam.help, name, fam.type);
    if (fam.gauge) out += fmt::format("{} {}\n", name, format_number(fam.gauge()));
    for (const auto& [labels, c] : fam.counters)
      out += fmt::format("{}{} {}\n", name, render_labels(labels), c->value());
    for (const auto& [labels, h] : fam.histograms) {
      std::uint64_t cumulative = 0;
      const auto& bounds = h->upper_bounds();
      for (std::size_t i = 0; i <= bounds.size(); ++i) {
        cumulative += h->bucket_count(i);
        std::pair<std::string, std::string> le{
            "le", i < bounds.size() ? format_number(bounds[i]) : "+Inf"};
        out += fmt::format("{}_bucket{} {}\n", name, render_labels(labels, &le), cumulative);
      }
      out += fmt::format("{}_sum{} {}\n", name, render_labels(labels), format_number(h->sum()));
      out += fmt::format("{}_count{} {}\n", name, render_labels(labels), h->count());
    }
  }
  return out;
}

}  // namespace ferr::core
