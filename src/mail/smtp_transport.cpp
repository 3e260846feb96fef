#include "mail/smtp_transport.hpp"

#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <string_view>

#include "mail/message_format.hpp"

namespace ferr::mail {
namespace {

struct EasyDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
using EasyHandle = std::unique_ptr<CURL, EasyDeleter>;

struct ListDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using StringList = std::unique_ptr<curl_slist, ListDeleter>;

struct UrlDeleter {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};
using UrlHandle = std::unique_ptr<CURLU, UrlDeleter>;

struct CurlStringDeleter {
  void operator()(char* text) const { curl_free(text); }
};
using CurlString = std::unique_ptr<char, CurlStringDeleter>;

// curl_global_init is not thread-safe in curl 7.88: run it once, before any handle exists.
CURLcode global_init() {
  static std::once_flag once;
  static CURLcode result = CURLE_OK;
  std::call_once(once, [] { result = curl_global_init(CURL_GLOBAL_DEFAULT); });
  return result;
}

// One URL part, or empty when absent.
std::string url_part(CURLU* url, CURLUPart part) {
  char* raw = nullptr;
  if (curl_url_get(url, part, &raw, 0) != CURLUE_OK) return {};
  CurlString owned(raw);
  return owned ? std::string(owned.get()) : std::string();
}

// The message text as curl reads it while uploading.
struct Upload {
  std::string_view data;
  std::size_t offset = 0;
};

std::size_t read_message(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  std::size_t n = std::min(size * count, upload->data.size() - upload->offset);
  std::memcpy(buffer, upload->data.data() + upload->offset, n);
  upload->offset += n;
  return n;
}

// SMTP sends no body back, but a server reply to a custom command would land on stdout.
std::size_t discard(char*, std::size_t size, std::size_t count, void*) { return size * count; }

int check_interrupted(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<const std::atomic<bool>*>(user)->load() ? 1 : 0;  // non-zero aborts
}

}  // namespace

core::Result<std::unique_ptr<SmtpTransport>> SmtpTransport::create(std::string url,
                                                                   std::string from,
                                                                   SmtpOptions options) {
  if (global_init() != CURLE_OK) return core::fail(core::Error::internal("curl_global_init"));
  auto address = sender_address(from);
  if (!address) return core::fail(address.error());
  // The URL is checked by curl's own parser so that what passes here is what curl will use;
  // the messages never quote it, as it may hold a password.
  UrlHandle parsed(curl_url());
  if (!parsed || curl_url_set(parsed.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK)
    return core::fail(core::Error::validation("url", "not a valid SMTP URL"));
  std::string scheme = url_part(parsed.get(), CURLUPART_SCHEME);
  if (scheme != "smtp" && scheme != "smtps")
    return core::fail(core::Error::validation("url", "the scheme must be smtp or smtps"));
  if (url_part(parsed.get(), CURLUPART_HOST).empty())
    return core::fail(core::Error::validation("url", "the URL has no host"));
  return std::unique_ptr<SmtpTransport>(
      new SmtpTransport(std::move(url), std::move(from), std::move(*address), std::move(options)));
}

core::Result<void> SmtpTransport::deliver(const domain::MailMessage& message) {
  if (interrupted_.load()) return core::fail(core::Error::internal("smtp: interrupted"));
  auto text = format_message(message, from_,
                             {std::chrono::system_clock::now(), new_message_id(from_address_)});
  if (!text) return core::fail(text.error());

  EasyHandle easy(curl_easy_init());
  if (!easy) return core::fail(core::Error::internal("smtp: curl_easy_init failed"));
  StringList recipients(curl_slist_append(nullptr, ("<" + message.to + ">").c_str()));
  if (!recipients) return core::fail(core::Error::internal("smtp: out of memory"));
  std::string mail_from = "<" + from_address_ + ">";
  Upload upload{*text};
  char error_buffer[CURL_ERROR_SIZE] = {};

  CURL* h = easy.get();
  CURLcode rc = CURLE_OK;
  auto set = [&](CURLoption option, auto value) {
    if (rc == CURLE_OK) rc = curl_easy_setopt(h, option, value);
  };
  set(CURLOPT_ERRORBUFFER, error_buffer);
  set(CURLOPT_URL, url_.c_str());
  set(CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  // smtp:// upgrades with STARTTLS: always when required (no upgrade, no delivery: codes and
  // reset links never cross the network in clear), otherwise whenever the server offers it.
  // A certificate that does not verify fails the delivery either way. No effect on smtps://.
  set(CURLOPT_USE_SSL,
      options_.require_tls ? static_cast<long>(CURLUSESSL_ALL) : static_cast<long>(CURLUSESSL_TRY));
  if (!options_.ca_file.empty()) set(CURLOPT_CAINFO, options_.ca_file.c_str());
  set(CURLOPT_NOSIGNAL, 1L);  // no SIGALRM for DNS timeouts: we run on a worker thread
  set(CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout.count()));
  set(CURLOPT_TIMEOUT_MS, static_cast<long>(options_.total_timeout.count()));
  set(CURLOPT_MAIL_FROM, mail_from.c_str());
  set(CURLOPT_MAIL_RCPT, recipients.get());
  set(CURLOPT_UPLOAD, 1L);
  set(CURLOPT_READFUNCTION, &read_message);
  set(CURLOPT_READDATA, &upload);
  set(CURLOPT_WRITEFUNCTION, &discard);
  set(CURLOPT_NOPROGRESS, 0L);
  set(CURLOPT_XFERINFOFUNCTION, &check_interrupted);
  set(CURLOPT_XFERINFODATA, &interrupted_);
  if (rc != CURLE_OK)
    return core::fail(core::Error::internal(fmt::format("smtp: {}", curl_easy_strerror(rc))));

  rc = curl_easy_perform(h);
  if (rc != CURLE_OK) {
    std::string_view detail(error_buffer);
    return core::fail(core::Error::internal(
        detail.empty() ? fmt::format("smtp: {}", curl_easy_strerror(rc))
                       : fmt::format("smtp: {}: {}", curl_easy_strerror(rc), detail)));
  }
  return {};
}

}  // namespace ferr::mail
