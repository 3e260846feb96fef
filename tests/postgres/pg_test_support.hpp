#pragma once
/// Helpers of the PostgreSQL tests: the shared throwaway cluster (started by the ctest fixture),
/// one scratch database per test, private clusters for outage tests, and I/O threads.

#include <boost/asio/io_context.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

struct pg_conn;

namespace ferr::pgtest {

/// The URL of the shared cluster, read from the file named by FERR_TEST_PG_URL_FILE.
std::string shared_cluster_url();

/// `url` with its database replaced by `database`.
std::string with_database(const std::string& url, const std::string& database);

/// Runs one statement over a blocking libpq connection and returns the first value as text
/// ("" for none); throws std::runtime_error on failure. Independent of the code under test.
std::string admin_scalar(const std::string& url, const std::string& sql);

/// Every row of one query with text parameters ($1, $2, …) over a blocking libpq connection,
/// each value as text (nullopt for NULL); throws std::runtime_error on failure. Independent of
/// the code under test, for tests that read back what it stored.
std::vector<std::vector<std::optional<std::string>>> admin_rows(
    const std::string& url, const std::string& sql, const std::vector<std::string>& params = {});

/// A blocking libpq session for set-up steps that need to hold state (an open transaction).
class AdminSession {
 public:
  explicit AdminSession(const std::string& url);
  ~AdminSession();
  AdminSession(const AdminSession&) = delete;
  AdminSession& operator=(const AdminSession&) = delete;
  /// Runs `sql`; returns the first value as text; throws on failure.
  std::string scalar(const std::string& sql);
  /// Runs `sql` with text parameters; every row, as admin_rows returns them.
  std::vector<std::vector<std::optional<std::string>>> rows(
      const std::string& sql, const std::vector<std::string>& params = {});

 private:
  pg_conn* conn_;
};

/// A database of its own for the running test (named after it), dropped at the end.
class ScratchDatabase {
 public:
  /// Creates the database on the shared cluster (or on `server_url`).
  explicit ScratchDatabase(std::string server_url = shared_cluster_url());
  ~ScratchDatabase();
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;

  /// The URL of the scratch database.
  const std::string& url() const { return url_; }
  /// Its name.
  const std::string& name() const { return name_; }

 private:
  std::string server_url_;
  std::string name_;
  std::string url_;
};

/// A cluster of the test's own (scripts/pg-test-cluster.sh), so stopping or restarting it leaves
/// the shared one alone. Stopped and removed at the end.
class PrivateCluster {
 public:
  PrivateCluster();
  ~PrivateCluster();
  PrivateCluster(const PrivateCluster&) = delete;
  PrivateCluster& operator=(const PrivateCluster&) = delete;

  /// The URL printed by the script.
  const std::string& url() const { return url_; }
  /// `pg-test-cluster.sh restart`: fast stop, start on the same port.
  void restart();
  /// `pg-test-cluster.sh pause`: fast stop, keeping the data (an outage).
  void pause();
  /// `pg-test-cluster.sh resume`: start again on the same port.
  void resume();
  /// `pg-test-cluster.sh stop`.
  void stop();

 private:
  std::string run(const std::string& command);
  std::string dir_;
  std::string url_;
  bool running_ = false;
};

/// `count` I/O threads, one io_context each, as the server runs them. Stopped and joined at the
/// end (after the objects that used them have finished).
class IoThreads {
 public:
  explicit IoThreads(std::size_t count);
  ~IoThreads();
  IoThreads(const IoThreads&) = delete;
  IoThreads& operator=(const IoThreads&) = delete;

  /// The executor of thread `i`.
  boost::asio::io_context::executor_type executor(std::size_t i = 0);
  /// The id of thread `i`.
  std::thread::id thread_id(std::size_t i) const { return threads_.at(i).get_id(); }

 private:
  struct Worker;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<std::thread> threads_;
};

/// A name unique to the running test, usable as an identifier (lower case, digits, `_`).
std::string test_identifier(const std::string& prefix);

}  // namespace ferr::pgtest
