#include "pg_test_support.hpp"

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <boost/asio/executor_work_guard.hpp>

#include <array>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace ferr::pgtest {
namespace {

namespace asio = boost::asio;

std::string trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  return s;
}

// A blocking connection with a bounded connect time.
pg_conn* open_blocking(const std::string& url) {
  const char* keywords[] = {"dbname", "connect_timeout", nullptr};
  const char* values[] = {url.c_str(), "10", nullptr};
  pg_conn* conn = PQconnectdbParams(keywords, values, 1);
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn);
    PQfinish(conn);
    throw std::runtime_error("admin connection failed: " + message);
  }
  // Notices such as "database … does not exist, skipping" are expected: keep stderr quiet.
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  return conn;
}

// `result` of `sql` when it succeeded; otherwise cleared, and the server's message thrown.
pg_result* checked(pg_result* result, const std::string& sql) {
  ExecStatusType status = PQresultStatus(result);
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    std::string message = PQresultErrorMessage(result);
    PQclear(result);
    throw std::runtime_error(sql + ": " + message);
  }
  return result;
}

std::string exec_scalar(pg_conn* conn, const std::string& sql) {
  pg_result* result = checked(PQexec(conn, sql.c_str()), sql);
  std::string value;
  if (PQntuples(result) > 0 && PQnfields(result) > 0) value = PQgetvalue(result, 0, 0);
  PQclear(result);
  return value;
}

std::string scripts_dir() { return FERR_SOURCE_DIR "/scripts"; }

}  // namespace

std::string shared_cluster_url() {
  const char* file = std::getenv("FERR_TEST_PG_URL_FILE");
  if (!file) throw std::runtime_error("FERR_TEST_PG_URL_FILE is not set: run through ctest");
  std::ifstream in(file);
  std::string url;
  if (!std::getline(in, url) || url.empty()) {
    throw std::runtime_error(std::string("no URL in ") + file + ": did the fixture start?");
  }
  return trim(url);
}

std::string with_database(const std::string& url, const std::string& database) {
  auto authority = url.find("://");
  auto slash = url.find('/', authority == std::string::npos ? 0 : authority + 3);
  auto query = url.find('?');
  std::string base = url.substr(0, slash);
  std::string rest = query == std::string::npos ? "" : url.substr(query);
  return base + "/" + database + rest;
}

std::string admin_scalar(const std::string& url, const std::string& sql) {
  AdminSession session(url);
  return session.scalar(sql);
}

std::vector<std::vector<std::optional<std::string>>> admin_rows(
    const std::string& url, const std::string& sql, const std::vector<std::string>& params) {
  AdminSession session(url);
  return session.rows(sql, params);
}

AdminSession::AdminSession(const std::string& url) : conn_(open_blocking(url)) {}
AdminSession::~AdminSession() { PQfinish(conn_); }
std::string AdminSession::scalar(const std::string& sql) { return exec_scalar(conn_, sql); }

std::vector<std::vector<std::optional<std::string>>> AdminSession::rows(
    const std::string& sql, const std::vector<std::string>& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p.c_str());
  pg_result* result = checked(PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()),
                                           nullptr, values.data(), nullptr, nullptr, 0),
                              sql);
  std::vector<std::vector<std::optional<std::string>>> out(
      static_cast<std::size_t>(PQntuples(result)));
  for (int r = 0; r < PQntuples(result); ++r) {
    for (int f = 0; f < PQnfields(result); ++f) {
      if (PQgetisnull(result, r, f)) {
        out[static_cast<std::size_t>(r)].emplace_back(std::nullopt);
      } else {
        out[static_cast<std::size_t>(r)].emplace_back(PQgetvalue(result, r, f));
      }
    }
  }
  PQclear(result);
  return out;
}

std::string test_identifier(const std::string& prefix) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string raw = prefix + "_" + info->test_suite_name() + "_" + info->name();
  std::string id;
  for (char c : raw) {
    id += std::isalnum(static_cast<unsigned char>(c))
              ? static_cast<char>(std::tolower(static_cast<unsigned char>(c)))
              : '_';
  }
  return id.substr(0, 63);  // PostgreSQL identifiers
}

ScratchDatabase::ScratchDatabase(std::string server_url)
    : server_url_(std::move(server_url)), name_(test_identifier("ferr")) {
  // FORCE: a previous run of this test that crashed may have left sessions behind.
  admin_scalar(server_url_, "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  admin_scalar(server_url_, "CREATE DATABASE " + name_);
  url_ = with_database(server_url_, name_);
}

ScratchDatabase::~ScratchDatabase() {
  try {
    admin_scalar(server_url_, "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  } catch (const std::exception&) {
    // The cluster may be gone already (outage tests); the fixture's cleanup removes it anyway.
  }
}

PrivateCluster::PrivateCluster()
    : dir_(std::string(FERR_TEST_SCRATCH_DIR) + "/" + test_identifier("cluster")) {
  url_ = run("start");
  running_ = true;
}

PrivateCluster::~PrivateCluster() {
  try {
    if (running_) stop();
  } catch (const std::exception& e) {
    ADD_FAILURE() << e.what();
  }
}

void PrivateCluster::restart() { url_ = run("restart"); }

void PrivateCluster::pause() { run("pause"); }

void PrivateCluster::resume() { url_ = run("resume"); }

void PrivateCluster::stop() {
  running_ = false;
  run("stop");
}

std::string PrivateCluster::run(const std::string& command) {
  std::string line = scripts_dir() + "/pg-test-cluster.sh " + command + " '" + dir_ + "'";
  std::FILE* pipe = ::popen(line.c_str(), "r");
  if (!pipe) throw std::runtime_error("cannot run " + line);
  std::string output;
  std::array<char, 256> buffer{};
  while (std::fgets(buffer.data(), buffer.size(), pipe)) output += buffer.data();
  int status = ::pclose(pipe);
  if (status != 0) throw std::runtime_error(line + " failed (" + std::to_string(status) + ")");
  return trim(output);
}

struct IoThreads::Worker {
  asio::io_context context{1};
  asio::executor_work_guard<asio::io_context::executor_type> guard{context.get_executor()};
};

IoThreads::IoThreads(std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) workers_.push_back(std::make_unique<Worker>());
  for (auto& w : workers_) threads_.emplace_back([&context = w->context] { context.run(); });
}

IoThreads::~IoThreads() {
  for (auto& w : workers_) w->context.stop();
  for (auto& t : threads_) t.join();
}

asio::io_context::executor_type IoThreads::executor(std::size_t i) {
  return workers_.at(i)->context.get_executor();
}

}  // namespace ferr::pgtest
