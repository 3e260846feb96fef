#pragma once
// A deliberately small HTTP/1.1 client over a raw socket, for driving the real server in tests.
// Raw bytes let tests send what no well-behaved client would: malformed lines, huge headers,
// partial requests, pipelined requests.

#include <chrono>
#include <map>
#include <optional>
#include <string>

namespace ferr::testing {

struct HttpReply {
  int status = 0;
  std::map<std::string, std::string> headers;  ///< names lower-cased; last value wins
  std::string body;

  /// The header value, or "" when absent.
  std::string header(const std::string& lower_name) const;
};

/// One TCP connection to 127.0.0.1:port.
class Connection {
 public:
  explicit Connection(unsigned short port);
  /// A connection from the local address `from` (any of 127.0.0.0/8): another client.
  Connection(unsigned short port, const std::string& from);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  /// Whether connect() succeeded.
  bool connected() const { return fd_ >= 0; }
  /// Sends raw bytes; false when the peer has closed.
  bool send(const std::string& bytes);
  /// Reads one response (Content-Length framed; no body after HEAD); nullopt on close or timeout.
  std::optional<HttpReply> read_reply(std::chrono::milliseconds timeout = std::chrono::seconds(10),
                                      bool head_request = false);
  /// True when the server closes the connection within `timeout` (no more bytes arrive).
  bool closed_by_peer(std::chrono::milliseconds timeout);
  /// Closes the connection from this side.
  void close();

 private:
  bool fill(std::chrono::steady_clock::time_point deadline);
  int fd_ = -1;
  std::string pending_;
};

/// Builds a request with `Host`, optional body with Content-Length and extra header lines.
std::string build_request(const std::string& method, const std::string& target,
                          const std::string& extra_headers = "", const std::string& body = "");

/// Sends one request on a fresh connection and reads the reply.
std::optional<HttpReply> request(unsigned short port, const std::string& method,
                                 const std::string& target, const std::string& extra_headers = "",
                                 const std::string& body = "");

}  // namespace ferr::testing
