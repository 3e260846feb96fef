#pragma once
/// The metrics registry, rendered in the Prometheus text format 0.0.4.
///
/// Series are created once and then updated lock-free; hot paths keep a pointer to their
/// series instead of looking it up on every event.

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace ferr::core {

/// Label pairs in the order they are rendered.
using Labels = std::vector<std::pair<std::string, std::string>>;

/// A monotonically increasing count.
class Counter {
 public:
  void inc(std::uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

/// A distribution of observations in fixed cumulative buckets.
class Histogram {
 public:
  explicit Histogram(std::vector<double> upper_bounds);
  void observe(double value);
  const std::vector<double>& upper_bounds() const { return bounds_; }
  /// Count of observations <= bound i (non-cumulative per bucket; the last is +Inf).
  std::uint64_t bucket_count(std::size_t i) const {
    return counts_[i].load(std::memory_order_relaxed);
  }
  std::uint64_t count() const { return count_.load(std::memory_order_relaxed); }
  double sum() const { return sum_.load(std::memory_order_relaxed); }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> counts_;
  std::atomic<std::uint64_t> count_{0};
  std::atomic<double> sum_{0};
};

/// Default latency buckets in seconds (0.25 ms to 10 s).
std::vector<double> latency_buckets();

/// Owns every series; safe to use from several threads.
class MetricsRegistry {
 public:
  /// The counter `name{labels}`, created on first use; the reference stays valid.
  Counter& counter(const std::string& name, const std::string& help, const Labels& labels = {});
  /// The histogram `name{labels}`, created on first use; the reference stays valid.
  Histogram& histogram(const std::string& name, const std::string& help, const Labels& labels,
                       const std::vector<double>& buckets = latency_buckets());
  /// A gauge whose value is read at render time.
  void gauge(const std::string& name, const std::string& help, std::function<double()> read);
  /// The whole registry in the Prometheus text format.
  std::string render() const;

 private:
  struct Family {
    std::string help;
    std::string type;
    std::map<Labels, std::unique_ptr<Counter>> counters;
    std::map<Labels, std::unique_ptr<Histogram>> histograms;
    std::function<double()> gauge;
  };
  Family& family(const std::string& name, const std::string& help, const char* type);

  mutable std::mutex mutex_;
  std::map<std::string, Family> families_;
};

}  // namespace ferr::core
