#pragma once

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/stage_config.h"
#include "mailsift/connector.h"

namespace mailsift::connectors {

/// How a connector talks to its provider's REST API (from its config block).
struct ProviderClientOptions {
    std::string provider;  ///< "HubSpot", for sentences
    std::string baseUrl;   ///< e.g. https://api.hubapi.com; http:// only for loopback fakes
    int timeoutMs = 30000;
    int maxAttempts = 5;         ///< tries of one request (429, 5xx, network errors)
    int backoffInitialMs = 500;  ///< first wait after a 5xx or a network error, doubled each time
    int backoffMaxMs = 30000;
    int maxRetryAfterS = 120;              ///< a longer Retry-After is capped to this
    std::size_t maxBodyBytes = 32u << 20;  ///< a longer answer is an error
    std::string authHint;                  ///< what to check after a 401/403 (token, scopes)
};

/// A provider connector's config block: how to talk to the service, and contacts per page.
struct ProviderSettings {
    ProviderClientOptions client;
    int pageSize = 0;
};

/// Reads the config block every provider connector takes (base_url, timeout_ms, max_attempts,
/// backoff_ms, max_retry_after_s, page_size) and refuses any other key. `defaultBaseUrl` is the
/// provider's public API; page_size runs from 1 to `maxPageSize`, its default.
ProviderSettings providerSettings(std::string_view pluginName, std::string_view configJson,
                                  std::string provider, std::string defaultBaseUrl,
                                  std::string authHint, int maxPageSize);

struct ProviderResponse {
    int status = 0;
    std::string body;
};

/// One HTTP request to the provider, answered with the policy every integration shares: a 429 is
/// retried after its Retry-After (seconds) or a back-off, a 5xx or a network error after an
/// exponential back-off, up to maxAttempts; 401 and 403 are ConnectorError badInput naming the
/// provider and authHint; a 404 or 409 is returned for the caller to explain (a missing list, a
/// property that exists already); any other
/// 4xx is ConnectorError badInput with the provider's own message. HTTPS verifies the server's
/// certificate against the system's CAs. Waits end early when `stop` says so. One import (one
/// thread) owns it.
class ProviderClient {
  public:
    using Sleep = std::function<void(std::chrono::milliseconds)>;
    using Headers = std::vector<std::pair<std::string, std::string>>;

    ProviderClient(ProviderClientOptions options, std::function<bool()> stop, Sleep sleep = {});
    ~ProviderClient();

    ProviderResponse send(const std::string& method, const std::string& pathAndQuery,
                          const Headers& headers, const std::string& body = "");

    /// Parses a 2xx body that must be a JSON object; ConnectorError naming the provider otherwise.
    Poco::JSON::Object::Ptr parseObject(const ProviderResponse& response) const;

    const ProviderClientOptions& options() const { return options_; }

  private:
    struct Session;
    void wait(std::chrono::milliseconds delay);

    ProviderClientOptions options_;
    std::function<bool()> stop_;
    Sleep sleep_;
    std::unique_ptr<Session> session_;
};

/// `text` percent-encoded for a query string or path segment.
std::string urlEncode(std::string_view text);

/// The write-back loop of the provider connectors: hands the job's results to `send` as JSON
/// arrays of at most `batchSize` entries, each made from one row by `entry`; `send` is not called
/// for a job without results.
template <class Entry, class Send>
void sendInBatches(ResultSource& results, std::size_t batchSize, Entry entry, Send send) {
    WriteBackRow row;
    bool more = true;
    while (more) {
        Poco::JSON::Array::Ptr batch = new Poco::JSON::Array;
        while (batch->size() < batchSize && (more = results.next(row)))
            batch->add(entry(row));
        if (batch->size() == 0)
            break;
        send(batch);
    }
}

}  // namespace mailsift::connectors
