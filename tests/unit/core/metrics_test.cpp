#include "core/metrics.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace ferr::core {
namespace {

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

int occurrences(const std::string& haystack, const std::string& needle) {
  int n = 0;
  for (auto pos = haystack.find(needle); pos != std::string::npos;
       pos = haystack.find(needle, pos + 1))
    ++n;
  return n;
}

TEST(Metrics, EmptyRegistryRendersNothing) { EXPECT_EQ(MetricsRegistry().render(), ""); }

TEST(Metrics, CounterWithoutLabels) {
  MetricsRegistry registry;
  registry.counter("jobs_total", "Jobs run.").inc();
  registry.counter("jobs_total", "Jobs run.").inc(4);
  EXPECT_EQ(registry.render(),
            "# HELP jobs_total Jobs run.\n"
            "# TYPE jobs_total counter\n"
            "jobs_total 5\n");
}

TEST(Metrics, CounterWithLabelsKeepsTheirOrder) {
  MetricsRegistry registry;
  registry.counter("http_requests_total", "Requests.", {{"route", "/health"}, {"status", "200"}})
      .inc(3);
  EXPECT_EQ(registry.render(),
            "# HELP http_requests_total Requests.\n"
            "# TYPE http_requests_total counter\n"
            "http_requests_total{route=\"/health\",status=\"200\"} 3\n");
}

TEST(Metrics, SameLabelsGiveTheSameSeries) {
  MetricsRegistry registry;
  Counter& a = registry.counter("hits_total", "Hits.", {{"route", "/a"}});
  Counter& b = registry.counter("hits_total", "Hits.", {{"route", "/a"}});
  Counter& other = registry.counter("hits_total", "Hits.", {{"route", "/b"}});
  EXPECT_EQ(&a, &b);
  EXPECT_NE(&a, &other);
  a.inc();
  b.inc();
  other.inc(7);
  std::string text = registry.render();
  EXPECT_EQ(occurrences(text, "# TYPE hits_total counter\n"), 1);
  EXPECT_EQ(occurrences(text, "hits_total{route=\"/a\"}"), 1);
  EXPECT_TRUE(contains(text, "hits_total{route=\"/a\"} 2\n")) << text;
  EXPECT_TRUE(contains(text, "hits_total{route=\"/b\"} 7\n")) << text;
}

TEST(Metrics, EscapesLabelValues) {
  MetricsRegistry registry;
  registry.counter("odd_total", "Odd labels.", {{"v", "a\"b\\c\nd"}}).inc();
  EXPECT_TRUE(contains(registry.render(), "odd_total{v=\"a\\\"b\\\\c\\nd\"} 1\n"))
      << registry.render();
}

TEST(Metrics, HistogramRendersCumulativeBucketsSumAndCount) {
  MetricsRegistry registry;
  Histogram& h =
      registry.histogram("latency_seconds", "Latency.", {{"route", "/x"}}, {0.5, 1, 2.5});
  // Values chosen to be exact in binary so that the sum prints exactly.
  h.observe(0.25);
  h.observe(0.5);  // on a bound: counted in that bucket (le means <=)
  h.observe(0.75);
  h.observe(3);  // above every bound: only +Inf
  EXPECT_EQ(registry.render(),
            "# HELP latency_seconds Latency.\n"
            "# TYPE latency_seconds histogram\n"
            "latency_seconds_bucket{route=\"/x\",le=\"0.5\"} 2\n"
            "latency_seconds_bucket{route=\"/x\",le=\"1\"} 3\n"
            "latency_seconds_bucket{route=\"/x\",le=\"2.5\"} 3\n"
            "latency_seconds_bucket{route=\"/x\",le=\"+Inf\"} 4\n"
            "latency_seconds_sum{route=\"/x\"} 4.5\n"
            "latency_seconds_count{route=\"/x\"} 4\n");
}

TEST(Metrics, HistogramWithoutLabelsStillLabelsBuckets) {
  MetricsRegistry registry;
  registry.histogram("size_bytes", "Sizes.", {}, {10}).observe(1);
  std::string text = registry.render();
  EXPECT_TRUE(contains(text, "size_bytes_bucket{le=\"10\"} 1\n")) << text;
  EXPECT_TRUE(contains(text, "size_bytes_bucket{le=\"+Inf\"} 1\n")) << text;
  EXPECT_TRUE(contains(text, "size_bytes_sum 1\n")) << text;
  EXPECT_TRUE(contains(text, "size_bytes_count 1\n")) << text;
}

TEST(Histogram, CountsPerBucketAndSortsBounds) {
  Histogram h({1, 0.1, 0.5});
  EXPECT_EQ(h.upper_bounds(), (std::vector<double>{0.1, 0.5, 1}));
  h.observe(0.05);
  h.observe(0.3);
  h.observe(0.4);
  h.observe(5);
  EXPECT_EQ(h.bucket_count(0), 1u);
  EXPECT_EQ(h.bucket_count(1), 2u);
  EXPECT_EQ(h.bucket_count(2), 0u);
  EXPECT_EQ(h.bucket_count(3), 1u);  // +Inf
  EXPECT_EQ(h.count(), 4u);
  EXPECT_DOUBLE_EQ(h.sum(), 5.75);
}

TEST(Metrics, GaugeIsReadAtRenderTime) {
  MetricsRegistry registry;
  double value = 1.5;
  registry.gauge("queue_depth", "Queued events.", [&value] { return value; });
  EXPECT_EQ(registry.render(),
            "# HELP queue_depth Queued events.\n"
            "# TYPE queue_depth gauge\n"
            "queue_depth 1.5\n");
  value = 42;
  EXPECT_TRUE(contains(registry.render(), "queue_depth 42\n"));
}

TEST(Metrics, FamiliesRenderInNameOrder) {
  MetricsRegistry registry;
  registry.counter("b_total", "B.").inc();
  registry.counter("a_total", "A.").inc();
  std::string text = registry.render();
  EXPECT_LT(text.find("a_total"), text.find("b_total"));
}

TEST(Metrics, OneNameCannotHaveTwoTypes) {
  MetricsRegistry registry;
  registry.counter("thing", "A counter.");
  EXPECT_THROW(registry.histogram("thing", "A histogram.", {}), std::logic_error);
  EXPECT_THROW(registry.gauge("thing", "A gauge.", [] { return 0.0; }), std::logic_error);
}

}  // namespace
}  // namespace ferr::core
