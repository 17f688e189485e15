#include "integration/webhooks_environment.h"

#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <sstream>
#include <thread>

namespace mailsift::testing {

namespace {

const std::string kBoundary = "----mailsiftWebhookTestBoundary";

std::string inputForm(const std::string& emails) {
    return "--" + kBoundary +
           "\r\nContent-Disposition: form-data; name=\"source\"\r\n\r\ninput\r\n" + "--" +
           kBoundary + "\r\nContent-Disposition: form-data; name=\"input\"\r\n\r\n" + emails +
           "\r\n--" + kBoundary + "--\r\n";
}

}  // namespace

std::string webhookServerYaml(bool allowPrivate, int timeoutMs, int maxAttempts,
                              int retryInitialMs) {
    return "plugins:\n"
           "  stages:\n"
           "    - name: mailsift.stage.syntax\n"
           "      config: {}\n"
           "  connectors:\n"
           "    - {name: mailsift.connector.input, config: {}}\n"
           "jobs:\n"
           "  poll_ms: 20\n"
           "  chunk_size: 2\n"
           "webhooks:\n"
           "  timeout_ms: " +
           std::to_string(timeoutMs) +
           "\n"
           "  max_attempts: " +
           std::to_string(maxAttempts) +
           "\n"
           "  retry_initial_ms: " +
           std::to_string(retryInitialMs) +
           "\n"
           "  retry_multiplier: 2\n"
           "  retry_max_ms: 5000\n"
           "  retry_jitter_percent: 10\n"
           "  allow_private_targets: " +
           std::string(allowPrivate ? "true" : "false") +
           "\n"
           "  poll_ms: 50\n"
           "  concurrency: 4\n";
}

std::int64_t createInputJob(const HttpClient& client, const std::string& key,
                            const std::string& emails) {
    const auto response = client.request("POST", "/v1/email/validate/job", key, inputForm(emails),
                                         "multipart/form-data; boundary=" + kBoundary);
    if (response.status != 201) {
        ADD_FAILURE() << "creating a job answered " << response.status << ": " << response.body;
        return 0;
    }
    return parseObject(response.body)->getValue<std::int64_t>("id");
}

Poco::JSON::Object::Ptr createWebhook(const HttpClient& client, const std::string& key,
                                      const std::string& url, const std::string& events) {
    const auto response = client.request("POST", "/v1/webhooks", key,
                                         R"({"url":")" + url + R"(","events":)" + events + "}");
    if (response.status != 201) {
        ADD_FAILURE() << "creating a webhook answered " << response.status << ": " << response.body;
        return new Poco::JSON::Object;
    }
    return parseObject(response.body);
}

Poco::JSON::Array::Ptr deliveries(const HttpClient& client, const std::string& key,
                                  std::int64_t webhookId) {
    const auto response =
        client.get("/v1/webhooks/" + std::to_string(webhookId) + "/deliveries", key);
    if (response.status != 200) {
        ADD_FAILURE() << "deliveries answered " << response.status << ": " << response.body;
        return new Poco::JSON::Array;
    }
    Poco::JSON::Parser parser;
    return parser.parse(response.body).extract<Poco::JSON::Array::Ptr>();
}

double metricValue(const HttpClient& client, const std::string& series) {
    const std::string text = client.get("/metrics").body;
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.rfind(series + " ", 0) == 0) {
            return std::stod(line.substr(series.size() + 1));
        }
    }
    return 0;
}

std::string hmacSha256Hex(const std::string& key, const std::string& data) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest, &length);
    static const char* const kHex = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < length; ++i) {
        out += kHex[digest[i] >> 4];
        out += kHex[digest[i] & 15];
    }
    return out;
}

bool waitUntil(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < until) {
        if (done()) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return done();
}

Poco::JSON::Object::Ptr parseObject(const std::string& text) {
    Poco::JSON::Parser parser;
    return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
}

}  // namespace mailsift::testing
