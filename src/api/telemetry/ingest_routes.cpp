#include "api/telemetry/ingest_routes.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/json_body.hpp"
#include "api/json_spans.hpp"
#include "api/object_reader.hpp"
#include "api/telemetry/envelope.hpp"
#include "core/uuid.hpp"
#include "domain/telemetry/outcomes.hpp"
#include "http/error_response.hpp"

namespace ferr::api {

namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using domain::telemetry::EventRow;
using domain::telemetry::IngestWriter;
using http::Request;
using http::Response;

// The counters of ingestion's outcomes, looked up once.
struct Outcomes {
  explicit Outcomes(core::MetricsRegistry& metrics)
      : written(domain::telemetry::outcome_counter(metrics, "written")),
        duplicate(domain::telemetry::outcome_counter(metrics, "duplicate")),
        rejected_invalid(domain::telemetry::outcome_counter(metrics, "rejected_invalid")),
        rate_limited(domain::telemetry::outcome_counter(metrics, "rate_limited")),
        failed(domain::telemetry::outcome_counter(metrics, "failed")) {}
  core::Counter& written;
  core::Counter& duplicate;
  core::Counter& rejected_invalid;
  core::Counter& rate_limited;
  core::Counter& failed;
};

// A storage failure is the client's cue to retry later: 503 with Retry-After, the detail logged.
core::Error unavailable(const core::Error& cause) {
  core::Error e{core::ErrorCode::service_unavailable, "telemetry storage is unavailable"};
  e.retry_after_seconds = cause.retry_after_seconds.value_or(1);
  e.log_detail = cause.log_detail.empty() ? cause.message : cause.log_detail;
  return e;
}

// The two answers a single envelope can get, written once rather than serialized per request.
constexpr std::string_view kStoredAnswer = R"({"accepted":1,"duplicates":0})";
constexpr std::string_view kDuplicateAnswer = R"({"accepted":0,"duplicates":1})";

class IngestRoutes {
 public:
  explicit IngestRoutes(const TelemetryIngestDeps& deps) : d_(deps), outcomes_(deps.metrics) {}

  asio::awaitable<Response> single(Request& req) {
    if (auto limited = d_.limiter.check(req)) {
      outcomes_.rate_limited.inc();
      co_return std::move(*limited);
    }
    auto row = read_single(req.body);
    if (!row) {
      outcomes_.rejected_invalid.inc();
      co_return http::respond_error(req, row.error());
    }
    std::vector<EventRow> rows;
    rows.push_back(std::move(*row));
    auto stored = co_await d_.writer.write(std::move(rows));
    if (!stored) {
      outcomes_.failed.inc();
      co_return http::respond_error(req, unavailable(stored.error()));
    }
    const bool inserted = stored->at(0);
    (inserted ? outcomes_.written : outcomes_.duplicate).inc();
    co_return Response::json(202, std::string(inserted ? kStoredAnswer : kDuplicateAnswer));
  }

  asio::awaitable<Response> batch(Request& req) {
    if (auto limited = d_.limiter.check(req)) {
      outcomes_.rate_limited.inc();
      co_return std::move(*limited);
    }
    // The document is read into rows and dropped: an arena for it (blocks that double as it
    // grows) rather than an allocation per member.
    json::monotonic_resource arena;
    auto parsed = parse_json_body(req.body, &arena);
    if (!parsed) {
      outcomes_.rejected_invalid.inc();
      co_return http::respond_error(req, parsed.error());
    }
    auto events = read_events(*parsed);
    if (!events) {
      outcomes_.rejected_invalid.inc();
      co_return http::respond_error(req, events.error());
    }
    // The raw text of each envelope, to measure `properties` as received; a body within the
    // properties limit cannot hold an oversized one, and is not scanned.
    std::vector<std::string_view> texts;
    if (req.body.size() > kMaxPropertiesBytes) {
      texts = raw_elements(raw_member(req.body, "events").value_or(std::string_view()));
    }
    const EnvelopeContext context{d_.clock.now(), d_.retention_days};
    std::vector<EventRow> rows;
    json::array rejected;
    for (std::size_t i = 0; i < (*events)->size(); ++i) {
      auto row =
          read_envelope((**events)[i], i < texts.size() ? texts[i] : std::string_view(), context);
      if (!row) {
        rejected.push_back(json::object{{"index", i},
                                        {"code", core::wire_name(row.error().code)},
                                        {"field", row.error().field.value_or("")},
                                        {"error", row.error().message}});
        continue;
      }
      row->id = core::Uuid::v7(d_.clock, d_.random);
      rows.push_back(std::move(*row));
    }
    outcomes_.rejected_invalid.inc(rejected.size());
    std::size_t accepted = 0;
    if (!rows.empty()) {
      const std::size_t count = rows.size();
      auto stored = co_await d_.writer.write(std::move(rows));
      if (!stored) {
        outcomes_.failed.inc(count);
        co_return http::respond_error(req, unavailable(stored.error()));
      }
      for (bool inserted : *stored) accepted += inserted ? 1 : 0;
    }
    const std::size_t duplicates = (*events)->size() - rejected.size() - accepted;
    outcomes_.written.inc(accepted);
    outcomes_.duplicate.inc(duplicates);
    co_return Response::json(200, json::serialize(json::object{{"accepted", accepted},
                                                               {"duplicates", duplicates},
                                                               {"rejected", std::move(rejected)}}));
  }

 private:
  core::Result<EventRow> read_single(const std::string& body) {
    // The envelope is read into a row and dropped: an arena on the stack holds it, so a usual
    // envelope is parsed without touching the heap.
    std::array<unsigned char, 4096> arena_buffer;
    json::monotonic_resource arena(arena_buffer.data(), arena_buffer.size());
    auto parsed = parse_json_body(body, &arena);
    if (!parsed) return core::fail(parsed.error());
    auto row = read_envelope(*parsed, body, {d_.clock.now(), d_.retention_days});
    if (row) row->id = core::Uuid::v7(d_.clock, d_.random);
    return row;
  }

  // `{"events": [...]}` with 1 to kMaxBatchEvents envelopes, and nothing else.
  static core::Result<const json::array*> read_events(const json::value& body) {
    auto reader = ObjectReader::of(body);
    if (!reader) return core::fail(reader.error());
    auto events = reader->optional_value("events");
    if (!events) return core::fail(events.error());
    if (auto complete = reader->finish(); !complete) return core::fail(complete.error());
    const json::array* array = *events ? (**events)->if_array() : nullptr;
    if (array == nullptr || array->empty() || array->size() > kMaxBatchEvents)
      return core::fail(core::Error::validation(
          "events",
          "events must be an array of 1 to " + std::to_string(kMaxBatchEvents) + " envelopes"));
    return array;
  }

  TelemetryIngestDeps d_;
  Outcomes outcomes_;
};

}  // namespace

void add_telemetry_ingest_routes(http::Router& router, const TelemetryIngestDeps& deps) {
  auto routes = std::make_shared<IngestRoutes>(deps);
  router.add(http::Method::post, "/v1/telemetry",
             [routes](Request& req) { return routes->single(req); },
             {.body_limit = kEnvelopeBodyLimit, .json_body = true});
  router.add(http::Method::post, "/v1/telemetry/batch",
             [routes](Request& req) { return routes->batch(req); },
             {.body_limit = kBatchBodyLimit, .json_body = true});
}

}  // namespace ferr::api
