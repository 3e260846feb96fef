#include "support/mailbox.hpp"

#include <algorithm>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

namespace ferr::testing {

std::vector<std::string> Mailbox::messages_to(const std::string& to) const {
  std::vector<std::pair<std::string, std::string>> found;  // (file name, content)
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir_, ec)) {
    if (entry.path().extension() != ".eml") continue;
    std::ifstream in(entry.path());
    std::stringstream content;
    content << in.rdbuf();
    std::string text = content.str();
    std::regex to_line("(^|\\n)To: ([^\\r\\n]*)");
    std::smatch m;
    if (std::regex_search(text, m, to_line) && m[2].str().find(to) != std::string::npos)
      found.emplace_back(entry.path().filename().string(), text);
  }
  std::sort(found.begin(), found.end());  // file names sort by the time they were written
  std::vector<std::string> out;
  for (auto& [name, text] : found) out.push_back(std::move(text));
  return out;
}

std::optional<std::string> Mailbox::wait_for(const std::string& to, std::size_t count,
                                             std::chrono::milliseconds timeout) const {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto messages = messages_to(to);
    if (messages.size() >= count) return messages.back();
    if (std::chrono::steady_clock::now() > deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));  // polling an observable file
  }
}

std::optional<std::string> Mailbox::code_for(const std::string& to, std::size_t count) const {
  auto message = wait_for(to, count);
  if (!message) return std::nullopt;
  std::smatch m;
  if (!std::regex_search(*message, m, std::regex("code is ([0-9]{6})"))) return std::nullopt;
  return m[1].str();
}

std::optional<std::string> Mailbox::reset_token_for(const std::string& to,
                                                    std::size_t count) const {
  auto message = wait_for(to, count);
  if (!message) return std::nullopt;
  std::smatch m;
  if (!std::regex_search(*message, m, std::regex("token=([A-Za-z0-9_-]+)"))) return std::nullopt;
  return m[1].str();
}

}  // namespace ferr::testing
