#include "support/http_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <mutex>

namespace ferr::testing {

std::string HttpReply::header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

Connection::Connection(unsigned short port) : Connection(port, "127.0.0.1") {}

Connection::Connection(unsigned short port, const std::string& from) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in local{};
  local.sin_family = AF_INET;
  if (from != "127.0.0.1" &&
      (::inet_pton(AF_INET, from.c_str(), &local.sin_addr) != 1 ||
       ::bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0)) {
    ::close(fd_);
    fd_ = -1;
    return;
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

Connection::~Connection() { close(); }

void Connection::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

bool Connection::send(const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

bool Connection::fill(std::chrono::steady_clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  if (left.count() <= 0) return false;
  pollfd p{fd_, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
  char chunk[16384];
  ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
  if (n <= 0) return false;
  pending_.append(chunk, static_cast<std::size_t>(n));
  return true;
}

std::optional<HttpReply> Connection::read_reply(std::chrono::milliseconds timeout,
                                                bool head_request) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::size_t end;
  while ((end = pending_.find("\r\n\r\n")) == std::string::npos)
    if (!fill(deadline)) return std::nullopt;

  HttpReply reply;
  std::string head = pending_.substr(0, end);
  std::size_t line_end = head.find("\r\n");
  std::string status_line = head.substr(0, line_end);
  if (status_line.size() < 12) return std::nullopt;
  reply.status = std::stoi(status_line.substr(9, 3));
  std::size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
  while (pos < head.size()) {
    std::size_t next = head.find("\r\n", pos);
    std::string line = head.substr(pos, next == std::string::npos ? std::string::npos : next - pos);
    auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return std::tolower(c); });
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      reply.headers[name] = value;
    }
    if (next == std::string::npos) break;
    pos = next + 2;
  }
  pending_.erase(0, end + 4);
  std::size_t length = !head_request && reply.headers.count("content-length")
                           ? std::stoul(reply.headers["content-length"])
                           : 0;
  while (pending_.size() < length)
    if (!fill(deadline)) return std::nullopt;
  reply.body = pending_.substr(0, length);
  pending_.erase(0, length);
  return reply;
}

bool Connection::closed_by_peer(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
    char chunk[4096];
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return true;
    pending_.append(chunk, static_cast<std::size_t>(n));
  }
}

std::string build_request(const std::string& method, const std::string& target,
                          const std::string& extra_headers, const std::string& body) {
  std::string r = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra_headers;
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH")
    r += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  return r + "\r\n" + body;
}

namespace {

// With FERR_EXCHANGE_LOG_DIR set (the tests of tests/openapi), every exchange of request() is
// appended to `<dir>/<pid>.jsonl`, one JSON object per line, for the check of every response
// against the OpenAPI document. One file per process: ctest runs test processes side by side.
void record_exchange(const std::string& method, const std::string& target, const HttpReply& reply) {
  const char* dir = std::getenv("FERR_EXCHANGE_LOG_DIR");
  if (dir == nullptr || *dir == '\0') return;
  boost::json::object headers;
  for (const auto& [name, value] : reply.headers) headers[name] = value;
  boost::json::object line{{"method", method},
                           {"target", target},
                           {"status", reply.status},
                           {"headers", std::move(headers)},
                           {"body", reply.body}};
  std::string text = boost::json::serialize(line);
  text += '\n';
  // Tests call request() from several threads at once (the refresh races): one writer at a time,
  // or two lines interleave and the file stops being JSON lines.
  static std::mutex file_mutex;
  std::lock_guard lock(file_mutex);
  std::ofstream out(std::string(dir) + "/" + std::to_string(::getpid()) + ".jsonl",
                    std::ios::app | std::ios::binary);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
}

}  // namespace

std::optional<HttpReply> request(unsigned short port, const std::string& method,
                                 const std::string& target, const std::string& extra_headers,
                                 const std::string& body) {
  Connection c(port);
  if (!c.connected() || !c.send(build_request(method, target, extra_headers, body)))
    return std::nullopt;
  auto reply = c.read_reply(std::chrono::seconds(10), method == "HEAD");
  if (reply) record_exchange(method, target, *reply);
  return reply;
}

}  // namespace ferr::testing
