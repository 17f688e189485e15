#include "integration/jobs_crash_environment.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <sstream>
#include <thread>

namespace mailsift::testing {
namespace {

using fakes::FakeSmtpBehaviour;
using Ms = std::chrono::milliseconds;

const std::string kJobs = "/v1/email/validate/job";
const std::string kBoundary = "----mailsiftCrashBoundary5e1f0c";
constexpr int kMailDomains = 5;  // crash1..4.test know some mailboxes, crash5.test accepts all

std::string domain(int n) {
    return "crash" + std::to_string(n) + ".test";
}
std::string mxIp(int n) {
    return "127.21.0." + std::to_string(n);
}

Poco::Dynamic::Var parse(const std::string& text) {
    Poco::JSON::Parser parser;
    return parser.parse(text);
}

}  // namespace

JobsCrashEnvironment::JobsCrashEnvironment(int replyDelayMs) {
    emails_.reserve(kRows);
    expected_.reserve(kRows);
    for (int i = 0; i < kRows; ++i) {
        if (isRepeat(i)) {
            emails_.push_back(emails_[static_cast<std::size_t>(i - 50)]);
            expected_.push_back(expected_[static_cast<std::size_t>(i - 50)]);
        } else if (i % 100 == 3) {
            emails_.push_back("not-an-address-" + std::to_string(i));
            expected_.push_back("invalid");
        } else {
            const int d = 1 + i % kMailDomains;
            emails_.push_back("u" + std::to_string(i) + "@" + domain(d));
            expected_.push_back(d == kMailDomains ? "risky" : i % 3 != 0 ? "valid" : "invalid");
        }
    }
    for (int d = 1; d <= kMailDomains; ++d) {
        FakeSmtpBehaviour b;
        b.hostname = "mx." + domain(d);
        b.replyDelay = Ms(replyDelayMs);
        b.catchAll = d == kMailDomains;
        for (int i = 0; i < kRows; ++i) {
            if (i % 3 != 0)
                b.knownLocal.insert("u" + std::to_string(i));
        }
        smtp_.addAddress(mxIp(d), b);
        dns_.zone().mx(domain(d), 10, "mx." + domain(d));
        dns_.zone().a("mx." + domain(d), mxIp(d));
    }
    smtp_.start();
    dns_.start();
}

JobsCrashEnvironment::~JobsCrashEnvironment() {
    smtp_.stop();
    dns_.stop();
}

bool JobsCrashEnvironment::isProbed(int pos) const {
    return !isRepeat(pos) && pos % 100 != 3 && 1 + pos % kMailDomains != kMailDomains;
}

std::string JobsCrashEnvironment::serverYaml(int workers, int leaseTtlMs, int heartbeatMs) const {
    const std::string lists = std::string(MAILSIFT_SOURCE_DIR) + "/config/lists/";
    const auto file = [&lists](const std::string& key, const std::string& name) {
        return "        " + key + ": '" + lists + name + "'\n";
    };
    return "plugins:\n"
           "  stages:\n"
           "    - name: mailsift.stage.syntax\n"
           "      config: {}\n"
           "    - name: mailsift.stage.lists\n"
           "      config:\n" +
           file("role_file", "role_local_parts.txt") +
           file("disposable_file", "disposable_domains.txt") +
           file("disposable_wildcard_file", "disposable_wildcard_domains.txt") +
           file("free_file", "free_domains.txt") +
           "    - name: mailsift.stage.typo\n"
           "      config:\n" +
           file("providers_file", "well_known_providers.txt") +
           file("free_file", "free_domains.txt") +
           file("disposable_file", "disposable_domains.txt") +
           "    - name: mailsift.stage.dns\n"
           "      config: {servers: ['" +
           dns_.address() +
           "'], timeout_ms: 500, tries: 2, failure_ttl: 0}\n"
           "    - name: mailsift.stage.smtp\n"
           "      config:\n"
           "        port: " +
           std::to_string(smtp_.port()) +
           "\n"
           "        helo_name: probe.mailsift.test\n"
           "        connect_timeout_ms: 2000\n"
           "        banner_timeout_ms: 2000\n"
           "        command_timeout_ms: 2000\n"
           "        per_host_connections: 2\n"
           "        max_connections: 50\n"
           "        starttls: false\n"
           "  connectors:\n"
           "    - {name: mailsift.connector.file, config: {}}\n"
           "jobs:\n"
           "  workers: " +
           std::to_string(workers) + "\n  chunk_size: " + std::to_string(kChunkSize) +
           "\n  lease_ttl_ms: " + std::to_string(leaseTtlMs) +
           "\n  heartbeat_ms: " + std::to_string(heartbeatMs) +
           "\n  poll_ms: 50\n  max_attempts: 5\n";
}

std::string JobsCrashEnvironment::csv() const {
    std::string out = "email\n";
    out.reserve(kRows * 24);
    for (const std::string& email : emails_)
        out += email + "\n";
    return out;
}

std::map<std::string, int> JobsCrashEnvironment::rcptCounts() const {
    std::map<std::string, int> counts;
    for (const auto& connection : smtp_.connections()) {
        for (const auto& command : connection.commands) {
            std::string line = command.line;
            std::transform(line.begin(), line.end(), line.begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
            if (line.rfind("rcpt to:<", 0) != 0)
                continue;
            const auto end = line.find('>');
            if (end != std::string::npos)
                ++counts[line.substr(9, end - 9)];
        }
    }
    return counts;
}

std::int64_t JobsApi::upload(const std::string& csv) const {
    const std::string body = "--" + kBoundary +
                             "\r\nContent-Disposition: form-data; name=\"source\"\r\n\r\nfile\r\n"
                             "--" +
                             kBoundary +
                             "\r\nContent-Disposition: form-data; name=\"file\"; "
                             "filename=\"list.csv\"\r\nContent-Type: text/csv\r\n\r\n" +
                             csv + "\r\n--" + kBoundary + "--\r\n";
    const auto response =
        client_.request("POST", kJobs, key_, body, "multipart/form-data; boundary=" + kBoundary);
    EXPECT_EQ(response.status, 201) << response.body;
    if (response.status != 201)
        return 0;
    return parse(response.body).extract<Poco::JSON::Object::Ptr>()->getValue<std::int64_t>("id");
}

Poco::JSON::Object::Ptr JobsApi::job(std::int64_t id) const {
    const auto response = client_.get(kJobs + "/" + std::to_string(id), key_);
    EXPECT_EQ(response.status, 200) << response.body;
    if (response.status != 200)
        return nullptr;
    return parse(response.body).extract<Poco::JSON::Object::Ptr>();
}

std::string JobsApi::state(std::int64_t id) const {
    const auto object = job(id);
    return object ? object->getValue<std::string>("state") : "";
}

std::int64_t JobsApi::finishedRows(std::int64_t id) const {
    const auto object = job(id);
    return object ? object->getObject("summary")->getValue<std::int64_t>("totalEmails") : -1;
}

double JobsApi::metric(const std::string& name, const std::string& labels) const {
    const auto response = client_.get("/metrics");
    EXPECT_EQ(response.status, 200);
    const std::string wanted = labels.empty() ? name + " " : name + "{" + labels;
    std::istringstream in(response.body);
    for (std::string line; std::getline(in, line);) {
        if (line.rfind(wanted, 0) != 0)
            continue;
        const auto space = line.rfind(' ');
        return std::strtod(line.c_str() + space + 1, nullptr);
    }
    return 0;
}

void JobsApi::expectCompleteJob(std::int64_t id, const JobsCrashEnvironment& env) const {
    using Env = JobsCrashEnvironment;
    const auto object = job(id);
    ASSERT_TRUE(object);
    EXPECT_EQ(object->getValue<std::string>("state"), "done");
    EXPECT_EQ(object->getValue<std::int64_t>("emailCount"), Env::kRows);
    const auto summary = object->getObject("summary");
    const auto valid = summary->getValue<std::int64_t>("deliverableCount");
    const auto invalid = summary->getValue<std::int64_t>("undeliverableCount");
    const auto risky = summary->getValue<std::int64_t>("riskyCount");
    EXPECT_EQ(summary->getValue<std::int64_t>("totalEmails"), Env::kRows);
    EXPECT_EQ(valid + invalid + risky, Env::kRows);
    EXPECT_EQ(valid, std::count(env.expected().begin(), env.expected().end(), "valid"));
    EXPECT_EQ(risky, std::count(env.expected().begin(), env.expected().end(), "risky"));

    int rows = 0;
    int wrong = 0;
    for (int pos = 0; pos <= Env::kRows; pos = rows) {
        const auto page = client_.get(
            kJobs + "/" + std::to_string(id) + "/result?pos=" + std::to_string(pos), key_);
        ASSERT_EQ(page.status, 200) << page.body;
        const auto array = parse(page.body).extract<Poco::JSON::Array::Ptr>();
        if (array->size() == 0)
            break;
        for (std::size_t i = 0; i < array->size(); ++i, ++rows) {
            ASSERT_LT(rows, Env::kRows) << "more result rows than file rows";
            const auto item = array->getObject(static_cast<unsigned>(i));
            const auto at = static_cast<std::size_t>(rows);
            ASSERT_EQ(item->getValue<std::string>("email"), env.emails()[at]) << "row " << rows;
            const auto result = item->getObject("result");
            ASSERT_TRUE(result) << "row " << rows << " has no result";
            if (result->getValue<std::string>("classifier") != env.expected()[at] && ++wrong <= 5) {
                std::ostringstream text;
                result->stringify(text);
                ADD_FAILURE() << "row " << rows << " (" << env.emails()[at] << "): expected "
                              << env.expected()[at] << ", got " << text.str();
            }
        }
    }
    EXPECT_EQ(rows, Env::kRows);
    EXPECT_EQ(wrong, 0);

    const auto download = client_.get(kJobs + "/" + std::to_string(id) + "/download", key_);
    ASSERT_EQ(download.status, 200);
    std::istringstream in(download.body);
    std::string line;
    std::getline(in, line);
    EXPECT_EQ(line.rfind("email,", 0), 0u) << line;
    int lines = 0;
    for (; std::getline(in, line); ++lines) {
        if (lines < Env::kRows) {
            const std::string email = line.substr(0, line.find(','));
            ASSERT_EQ(email, env.emails()[static_cast<std::size_t>(lines)]) << "line " << lines;
        }
    }
    EXPECT_EQ(lines, Env::kRows);
}

std::string freshMariaDbUrl(const std::string& suffix) {
    const char* base = std::getenv("MAILSIFT_TEST_MYSQL_URL");
    if (base == nullptr || *base == '\0') {
        ADD_FAILURE() << "MAILSIFT_TEST_MYSQL_URL is not set: run through ctest (mariadb fixture)";
        return "";
    }
    const std::string url(base);  // mysql://user:pass@host:port/db
    const auto at = url.find('@');
    const auto slash = url.rfind('/');
    const std::string cred = url.substr(8, at - 8);
    const std::string hostPort = url.substr(at + 1, slash - at - 1);
    const std::string db = "mailsift_crash_" + std::to_string(getpid()) + "_" + suffix;
    const auto made = runCommand(
        "/usr/bin/mariadb", {"--no-defaults", "-h", hostPort.substr(0, hostPort.find(':')), "-P",
                             hostPort.substr(hostPort.find(':') + 1), "-u",
                             cred.substr(0, cred.find(':')), "-p" + cred.substr(cred.find(':') + 1),
                             "-e", "DROP DATABASE IF EXISTS " + db + "; CREATE DATABASE " + db});
    EXPECT_EQ(made.exitCode, 0) << made.err;
    return made.exitCode == 0 ? url.substr(0, slash + 1) + db : "";
}

bool waitUntil(const std::function<bool()>& done, int timeoutMs) {
    const auto until = std::chrono::steady_clock::now() + Ms(timeoutMs);
    while (std::chrono::steady_clock::now() < until) {
        if (done())
            return true;
        std::this_thread::sleep_for(Ms(20));
    }
    return done();
}

}  // namespace mailsift::testing
