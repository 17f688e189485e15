#include "common/provider_client.h"

#include <Poco/Base64Encoder.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <sstream>
#include <thread>

#include "common/json_text.h"
#include "mailsift/connector.h"

namespace mailsift::connectors {
namespace {

using std::chrono::milliseconds;

std::string snippet(const std::string& body) {
    // The provider's own message, when it sent one, helps the user more than ours.
    try {
        Poco::JSON::Object::Ptr object =
            Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
        for (const char* key : {"message", "detail", "ErrorMessage", "title", "error"}) {
            if (object && object->has(key) && object->get(key).isString()) {
                std::string text = object->getValue<std::string>(key);
                return text.size() > 300 ? text.substr(0, 300) : text;
            }
        }
    } catch (const std::exception&) {
    }
    return "";
}

std::string sentenceEnd(const std::string& detail) {
    return detail.empty() ? "." : " (it said: " + detail + ").";
}

}  // namespace

struct ProviderClient::Session {
    std::unique_ptr<Poco::Net::HTTPClientSession> http;
    std::string basePath;
};

ProviderSettings providerSettings(std::string_view pluginName, std::string_view configJson,
                                  std::string provider, std::string defaultBaseUrl,
                                  std::string authHint, int maxPageSize) {
    using Type = stages::StageConfig::Type;
    const stages::StageConfig config(pluginName, configJson,
                                     {{"base_url", Type::string},
                                      {"timeout_ms", Type::integer},
                                      {"max_attempts", Type::integer},
                                      {"backoff_ms", Type::integer},
                                      {"max_retry_after_s", Type::integer},
                                      {"page_size", Type::integer}});
    ProviderSettings settings;
    ProviderClientOptions& o = settings.client;
    o.provider = std::move(provider);
    o.authHint = std::move(authHint);
    o.baseUrl = config.string("base_url", defaultBaseUrl);
    auto bounded = [&](std::string_view key, int fallback, int low, int high) {
        const std::int64_t value = config.integer(key, fallback);
        if (value < low || value > high) {
            throw std::invalid_argument(config.about(key) + "must be between " +
                                        std::to_string(low) + " and " + std::to_string(high));
        }
        return static_cast<int>(value);
    };
    o.timeoutMs = bounded("timeout_ms", o.timeoutMs, 100, 600000);
    o.maxAttempts = bounded("max_attempts", o.maxAttempts, 1, 100);
    o.backoffInitialMs = bounded("backoff_ms", o.backoffInitialMs, 1, 600000);
    o.maxRetryAfterS = bounded("max_retry_after_s", o.maxRetryAfterS, 0, 3600);
    std::string checked = o.baseUrl;  // {dc} (Mailchimp's data centre) is filled in per key
    if (const auto at = checked.find("{dc}"); at != std::string::npos)
        checked.replace(at, 4, "dc");
    const Poco::URI uri(checked);
    if ((uri.getScheme() != "https" && uri.getScheme() != "http") || uri.getHost().empty())
        throw std::invalid_argument(config.about("base_url") + "must be an http(s):// URL");
    settings.pageSize = bounded("page_size", maxPageSize, 1, maxPageSize);
    return settings;
}

ProviderClient::ProviderClient(ProviderClientOptions options, std::function<bool()> stop,
                               Sleep sleep)
    : options_(std::move(options)), stop_(std::move(stop)), sleep_(std::move(sleep)) {}

ProviderClient::~ProviderClient() = default;

void ProviderClient::wait(milliseconds delay) {
    if (sleep_) {
        sleep_(delay);
        return;
    }
    const auto until = std::chrono::steady_clock::now() + delay;
    while (std::chrono::steady_clock::now() < until) {
        if (stop_ && stop_())
            return;
        std::this_thread::sleep_for(std::min(milliseconds(50), delay));
    }
}

ProviderResponse ProviderClient::send(const std::string& method, const std::string& pathAndQuery,
                                      const Headers& headers, const std::string& body) {
    const std::string& who = options_.provider;
    milliseconds backoff(options_.backoffInitialMs);
    std::string lastProblem;
    for (int attempt = 1; attempt <= options_.maxAttempts; ++attempt) {
        if (stop_ && stop_())
            throw ConnectorError(ConnectorError::Kind::unavailable, "The import was stopped.");
        milliseconds delay = backoff;
        try {
            if (!session_) {
                const Poco::URI base(options_.baseUrl);
                session_ = std::make_unique<Session>();
                if (base.getScheme() == "https") {
                    Poco::Net::Context::Ptr context =
                        new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", "",
                                               Poco::Net::Context::VERIFY_RELAXED, 9, true);
                    session_->http = std::make_unique<Poco::Net::HTTPSClientSession>(
                        base.getHost(), base.getPort(), context);
                } else {
                    session_->http = std::make_unique<Poco::Net::HTTPClientSession>(base.getHost(),
                                                                                    base.getPort());
                }
                session_->http->setTimeout(Poco::Timespan(options_.timeoutMs * 1000LL));
                session_->http->setKeepAlive(true);
                session_->basePath = base.getPath();
                if (!session_->basePath.empty() && session_->basePath.back() == '/')
                    session_->basePath.pop_back();
            }
            Poco::Net::HTTPRequest request(method, session_->basePath + pathAndQuery,
                                           Poco::Net::HTTPMessage::HTTP_1_1);
            request.set("Accept", "application/json");
            request.set("User-Agent", "mailsift");
            for (const auto& [name, value] : headers)
                request.set(name, value);
            if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
                request.setContentType("application/json");
                request.setContentLength(static_cast<std::streamsize>(body.size()));
            }
            session_->http->sendRequest(request) << body;
            Poco::Net::HTTPResponse response;
            std::istream& in = session_->http->receiveResponse(response);
            ProviderResponse out;
            out.status = static_cast<int>(response.getStatus());
            char buffer[8192];
            while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
                out.body.append(buffer, static_cast<std::size_t>(in.gcount()));
                if (out.body.size() > options_.maxBodyBytes) {
                    session_.reset();
                    throw ConnectorError(ConnectorError::Kind::unavailable,
                                         who + " sent an answer larger than " +
                                             std::to_string(options_.maxBodyBytes >> 20) +
                                             " MiB; the import stopped.");
                }
            }
            if (out.status >= 200 && out.status < 300)
                return out;
            if (out.status == 401 || out.status == 403) {
                throw ConnectorError(ConnectorError::Kind::badInput,
                                     who + " refused the integration's credentials (HTTP " +
                                         std::to_string(out.status) + "): " + options_.authHint +
                                         sentenceEnd(snippet(out.body)));
            }
            if (out.status == 404 || out.status == 409)
                return out;
            if (out.status == 429) {
                lastProblem = "kept answering 429 Too Many Requests";
                const std::string retryAfter = response.get("Retry-After", "");
                int seconds = -1;
                const auto [end, ec] = std::from_chars(
                    retryAfter.data(), retryAfter.data() + retryAfter.size(), seconds);
                if (ec == std::errc() && end == retryAfter.data() + retryAfter.size() &&
                    seconds >= 0)
                    delay = milliseconds(1000LL * std::min(seconds, options_.maxRetryAfterS));
            } else if (out.status >= 500) {
                lastProblem = "kept failing with HTTP " + std::to_string(out.status);
            } else {
                throw ConnectorError(ConnectorError::Kind::badInput,
                                     who + " refused a request with HTTP " +
                                         std::to_string(out.status) +
                                         sentenceEnd(snippet(out.body)));
            }
        } catch (const Poco::Exception& e) {
            session_.reset();  // a broken connection is not reused
            lastProblem =
                "could not be reached at " + options_.baseUrl + " (" + e.displayText() + ")";
        }
        if (attempt < options_.maxAttempts) {
            wait(delay);
            backoff = std::min(backoff * 2, milliseconds(options_.backoffMaxMs));
        }
    }
    throw ConnectorError(ConnectorError::Kind::unavailable,
                         who + " " + lastProblem + " after " +
                             std::to_string(options_.maxAttempts) +
                             " attempts; the import stopped. Try again later.");
}

Poco::JSON::Object::Ptr ProviderClient::parseObject(const ProviderResponse& response) const {
    try {
        Poco::JSON::Object::Ptr object =
            Poco::JSON::Parser().parse(response.body).extract<Poco::JSON::Object::Ptr>();
        if (object)
            return object;
    } catch (const std::exception&) {
    }
    throw ConnectorError(ConnectorError::Kind::unavailable,
                         options_.provider +
                             " answered with something that is not the JSON "
                             "object its API documents; the import stopped.");
}

std::string urlEncode(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += c;
        } else {
            out += '%';
            out += kHex[u >> 4];
            out += kHex[u & 15];
        }
    }
    return out;
}

}  // namespace mailsift::connectors

namespace mailsift::connectors {

std::string basicAuth(const std::string& user, const std::string& password) {
    std::ostringstream out;
    Poco::Base64Encoder encoder(out);
    encoder.rdbuf()->setLineLength(0);
    encoder << user << ':' << password;
    encoder.close();
    return "Basic " + out.str();
}

}  // namespace mailsift::connectors
