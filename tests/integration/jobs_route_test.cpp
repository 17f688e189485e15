// Validation jobs end to end through the real mailsift-server: multipart uploads (file before and
// after source), the URL-encoded form, polling until done, summary counts, result pages, CSV
// downloads with filters and formula neutralisation, pause/resume and delete while a large job
// runs, the 400/413 answers, and another account's job answering 404 everywhere. Stages: syntax,
// lists and typo only (no network).
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "integration/server_fixture.h"

using namespace mailsift::testing;

namespace {

using Ms = std::chrono::milliseconds;
const std::string kJobs = "/v1/email/validate/job";

std::string configYaml(const std::string& extra) {
    const std::string lists = std::string(MAILSIFT_SOURCE_DIR) + "/config/lists/";
    return "plugins:\n"
           "  stages:\n"
           "    - name: mailsift.stage.syntax\n"
           "      config: {}\n"
           "    - name: mailsift.stage.lists\n"
           "      config:\n"
           "        role_file: '" +
           lists +
           "role_local_parts.txt'\n"
           "        disposable_file: '" +
           lists +
           "disposable_domains.txt'\n"
           "        disposable_wildcard_file: '" +
           lists +
           "disposable_wildcard_domains.txt'\n"
           "        free_file: '" +
           lists +
           "free_domains.txt'\n"
           "    - name: mailsift.stage.typo\n"
           "      config:\n"
           "        providers_file: '" +
           lists +
           "well_known_providers.txt'\n"
           "        free_file: '" +
           lists +
           "free_domains.txt'\n"
           "        disposable_file: '" +
           lists +
           "disposable_domains.txt'\n"
           "  connectors:\n"
           "    - {name: mailsift.connector.file, config: {}}\n"
           "    - {name: mailsift.connector.input, config: {}}\n"
           "    - {name: mailsift.connector.excel, config: {}}\n" +
           extra;
}

struct FormField {
    std::string name;
    std::string value;
    std::string fileName;  ///< set for the file part
};

const std::string kBoundary = "----mailsiftTestBoundary7MA4YWxkTrZu0gW";

std::string multipart(const std::vector<FormField>& fields) {
    std::string body;
    for (const auto& field : fields) {
        body +=
            "--" + kBoundary + "\r\nContent-Disposition: form-data; name=\"" + field.name + "\"";
        if (!field.fileName.empty())
            body += "; filename=\"" + field.fileName + "\"\r\nContent-Type: text/csv";
        body += "\r\n\r\n" + field.value + "\r\n";
    }
    return body + "--" + kBoundary + "--\r\n";
}

Poco::Dynamic::Var parse(const std::string& text) {
    Poco::JSON::Parser parser;
    return parser.parse(text);
}

Poco::JSON::Object::Ptr object(const HttpResponse& response) {
    return parse(response.body).extract<Poco::JSON::Object::Ptr>();
}

Poco::JSON::Array::Ptr array(const HttpResponse& response) {
    return parse(response.body).extract<Poco::JSON::Array::Ptr>();
}

std::vector<std::string> lines(const std::string& csv) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < csv.size()) {
        std::size_t end = csv.find("\r\n", start);
        if (end == std::string::npos)
            end = csv.size();
        out.push_back(csv.substr(start, end - start));
        start = end + 2;
    }
    return out;
}

bool waitFor(const std::function<bool()>& done, Ms timeout = Ms(60000)) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < until) {
        if (done())
            return true;
        std::this_thread::sleep_for(Ms(20));
    }
    return done();
}

class JobsRoute : public ::testing::Test {
  protected:
    void startServer(const std::string& extra = "") {
        fixture_ = std::make_unique<ServerFixture>(ServerSetup{"", configYaml(extra)});
        key_ = findKey(fixture_->run({"keys", "create", "--account", "acme"}).out);
        otherKey_ = findKey(fixture_->run({"keys", "create", "--account", "other"}).out);
        ASSERT_FALSE(key_.empty());
        server_ = fixture_->serve();
    }

    void TearDown() override {
        if (HasFailure() && server_) {
            const std::string err = server_->err();
            std::cerr << "server on port " << server_->port() << ", running " << server_->running()
                      << "; standard error (last 4000 bytes):\n"
                      << err.substr(err.size() > 4000 ? err.size() - 4000 : 0) << "\n";
        }
    }

    HttpClient client() const { return fixture_->client(*server_); }

    HttpResponse post(const std::vector<FormField>& fields, const std::string& key = "") const {
        return client().request("POST", kJobs, key.empty() ? key_ : key, multipart(fields),
                                "multipart/form-data; boundary=" + kBoundary);
    }

    std::int64_t create(const std::vector<FormField>& fields) const {
        const auto response = post(fields);
        EXPECT_EQ(response.status, 201) << response.body;
        return object(response)->getValue<std::int64_t>("id");
    }

    Poco::JSON::Object::Ptr job(std::int64_t id) const {
        const auto response = client().get(kJobs + "/" + std::to_string(id), key_);
        EXPECT_EQ(response.status, 200) << response.body;
        return object(response);
    }

    std::string state(std::int64_t id) const { return job(id)->getValue<std::string>("state"); }

    std::int64_t finished(std::int64_t id) const {
        return job(id)->getObject("summary")->getValue<std::int64_t>("totalEmails");
    }

    std::unique_ptr<ServerFixture> fixture_;
    std::unique_ptr<ServerProcess> server_;
    std::string key_;
    std::string otherKey_;
};

TEST_F(JobsRoute, UploadPollPageAndDownload) {
    startServer("jobs:\n  chunk_size: 7\n  workers: 2\n  poll_ms: 20\n");
    std::string csv = "Name;EMAIL\n";
    std::vector<std::string> emails;
    for (int i = 0; i < 40; ++i)
        emails.push_back("person" + std::to_string(i % 30) + "@example.com");  // 10 repeats
    emails.push_back("=HYPERLINK(\"http://x\")");
    emails.push_back("not an address");
    emails.push_back("info@example.com");
    emails.push_back("jane@gmial.com");
    for (std::size_t i = 0; i < emails.size(); ++i) {
        const bool quote = emails[i].find('"') != std::string::npos;
        std::string cell = emails[i];
        if (quote) {
            std::string escaped;
            for (char c : cell)
                escaped += c == '"' ? std::string("\"\"") : std::string(1, c);
            cell = "\"" + escaped + "\"";
        }
        csv += "n" + std::to_string(i) + ";" + cell + "\n";
    }
    const std::int64_t id =
        create({{"label", "Newsletter", ""}, {"source", "file", ""}, {"file", csv, "list.csv"}});
    ASSERT_TRUE(waitFor([&] { return state(id) == "done"; })) << state(id);

    const auto done = job(id);
    EXPECT_EQ(done->getValue<std::string>("label"), "Newsletter");
    EXPECT_EQ(done->getValue<std::string>("source"), "file");
    EXPECT_EQ(done->getValue<std::int64_t>("emailCount"), 44);
    EXPECT_FALSE(done->isNull("finishedAt"));
    const auto summary = done->getObject("summary");
    EXPECT_EQ(summary->getValue<std::int64_t>("totalEmails"), 44);
    EXPECT_EQ(summary->getValue<std::int64_t>("deliverableCount") +
                  summary->getValue<std::int64_t>("undeliverableCount") +
                  summary->getValue<std::int64_t>("riskyCount"),
              44);
    EXPECT_EQ(summary->getValue<std::int64_t>("undeliverableCount"), 2);

    // Result pages in input order.
    const auto page = client().get(kJobs + "/" + std::to_string(id) + "/result", key_);
    ASSERT_EQ(page.status, 200);
    const auto rows = array(page);
    ASSERT_EQ(rows->size(), 44U);
    for (std::size_t i = 0; i < emails.size(); ++i) {
        const auto row = rows->getObject(static_cast<unsigned>(i));
        EXPECT_EQ(row->getValue<std::string>("email"), emails[i]);
        ASSERT_FALSE(row->isNull("result")) << i;
    }
    EXPECT_EQ(rows->getObject(43)->getObject("result")->getValue<std::string>("suggestion"),
              "jane@gmail.com");
    const auto from40 =
        array(client().get(kJobs + "/" + std::to_string(id) + "/result?pos=40", key_));
    ASSERT_EQ(from40->size(), 4U);
    EXPECT_EQ(from40->getObject(2)->getValue<std::string>("email"), "info@example.com");
    EXPECT_EQ(
        array(client().get(kJobs + "/" + std::to_string(id) + "/result?pos=44", key_))->size(), 0U);
    for (const char* bad : {"-1", "abc", "1.5"}) {
        const auto response =
            client().get(kJobs + "/" + std::to_string(id) + "/result?pos=" + bad, key_);
        EXPECT_EQ(response.status, 400) << bad;
    }

    // The whole download, then only the invalid rows.
    const auto all = client().get(kJobs + "/" + std::to_string(id) + "/download", key_);
    ASSERT_EQ(all.status, 200);
    EXPECT_EQ(all.headers.at("content-type"), "text/csv; charset=utf-8");
    EXPECT_EQ(all.headers.at("content-disposition"),
              "attachment; filename=\"mailsift-job-" + std::to_string(id) + ".csv\"");
    EXPECT_EQ(all.headers.at("transfer-encoding"), "chunked");
    const auto allLines = lines(all.body);
    ASSERT_EQ(allLines.size(), 45U);
    EXPECT_EQ(allLines[0], "email,syntax,mx,mailbox,score,classifier,description,smtpResponse");
    EXPECT_EQ(allLines[41].rfind("\"'=HYPERLINK(\"\"http://x\"\")\",fail,", 0), 0U) << allLines[41];
    EXPECT_EQ(allLines[42], "not an address,fail,n/a,n/a,0,invalid,syntax,");
    EXPECT_NE(allLines[43].find("role_email"), std::string::npos) << allLines[43];

    const auto invalid =
        client().get(kJobs + "/" + std::to_string(id) + "/download?filters=invalid", key_);
    ASSERT_EQ(invalid.status, 200);
    EXPECT_EQ(invalid.headers.at("content-disposition"),
              "attachment; filename=\"mailsift-job-" + std::to_string(id) + "-invalid.csv\"");
    const auto invalidLines = lines(invalid.body);
    ASSERT_EQ(invalidLines.size(), 3U);
    EXPECT_EQ(invalidLines[2], allLines[42]);
    const auto two = client().get(
        kJobs + "/" + std::to_string(id) + "/download?filters=valid&filters=risky", key_);
    EXPECT_EQ(lines(two.body).size(), 43U);
    const auto unknown =
        client().get(kJobs + "/" + std::to_string(id) + "/download?filters=great", key_);
    EXPECT_EQ(unknown.status, 400);
    EXPECT_NE(unknown.body.find("great"), std::string::npos);

    // The list shows it; delete removes it.
    const auto listed = array(client().get(kJobs, key_));
    ASSERT_EQ(listed->size(), 1U);
    EXPECT_EQ(client().request("DELETE", kJobs + "/" + std::to_string(id), key_).status, 200);
    EXPECT_EQ(client().get(kJobs + "/" + std::to_string(id), key_).status, 404);
}

TEST_F(JobsRoute, FileBeforeSourceAndUrlEncodedInput) {
    startServer("jobs:\n  poll_ms: 20\n  spool_dir: spool\n");
    const std::int64_t spooled = create({{"file", "email\na@example.com\nb@example.com\n", "x.csv"},
                                         {"source", "file", ""},
                                         {"label", "late label", ""}});
    ASSERT_TRUE(waitFor([&] { return state(spooled) == "done"; }));
    EXPECT_EQ(job(spooled)->getValue<std::int64_t>("emailCount"), 2);
    EXPECT_EQ(job(spooled)->getValue<std::string>("label"), "late label");
    // The file streams straight into a job when `source` came first; a label after it still counts.
    const std::int64_t streamed = create({{"source", "file", ""},
                                          {"file", "email\nc@example.com\n", "y.csv"},
                                          {"label", "after the file", ""}});
    EXPECT_EQ(job(streamed)->getValue<std::string>("label"), "after the file");
    std::error_code ec;
    EXPECT_TRUE(std::filesystem::is_empty(fixture_->dir().file("spool"), ec))
        << "the spool file is removed";

    const auto form = client().request("POST", kJobs, key_,
                                       "source=input&label=Form&input=a%40example.com%2C+b%40"
                                       "example.com%0Ac%40example.com",
                                       "application/x-www-form-urlencoded");
    ASSERT_EQ(form.status, 201) << form.body;
    const std::int64_t id = object(form)->getValue<std::int64_t>("id");
    ASSERT_TRUE(waitFor([&] { return state(id) == "done"; }));
    EXPECT_EQ(job(id)->getValue<std::int64_t>("emailCount"), 3);
    EXPECT_EQ(job(id)->getValue<std::string>("source"), "input");
}

TEST_F(JobsRoute, BadRequestsAndLimits) {
    startServer("limits:\n  max_upload_bytes: 4096\n  max_rows_per_job: 100\n");
    auto expectError = [&](const HttpResponse& response, int status, const std::string& part) {
        EXPECT_EQ(response.status, status) << response.body;
        EXPECT_NE(object(response)->getValue<std::string>("error").find(part), std::string::npos)
            << response.body;
    };
    expectError(post({{"source", "dropbox", ""}, {"file", "a@b.com\n", "x.csv"}}), 400,
                "Invalid source type");
    expectError(post({{"source", "file", ""}}), 400, "file field is missing");
    expectError(post({{"source", "input", ""}}), 400, "input field is missing or empty");
    expectError(post({{"source", "input", ""}, {"input", " , ", ""}}), 400,
                "input field is missing or empty");
    expectError(post({{"label", "x", ""}}), 400, "source field is missing");
    expectError(post({{"source", "file", ""}, {"file", std::string(10000, 'a'), "big.csv"}}), 413,
                "4096 bytes");
    expectError(post({{"file", std::string(10000, 'a'), "big.csv"}, {"source", "file", ""}}), 413,
                "4096 bytes");
    std::string rows;
    for (int i = 0; i < 150; ++i)
        rows += "u" + std::to_string(i) + "@x.io\n";
    expectError(post({{"source", "file", ""}, {"file", rows, "rows.csv"}}), 413,
                "more than 100 rows");
    expectError(client().request("POST", kJobs, key_, "{}", "application/json"), 400,
                "multipart/form-data");
    EXPECT_EQ(array(client().get(kJobs, key_))->size(), 0U) << "nothing half-made remains";
    EXPECT_EQ(client().get("/v1/email/validate/job", "").status, 401);
}

TEST_F(JobsRoute, AnotherAccountsJobIsNotFoundOnEveryRoute) {
    startServer("jobs:\n  poll_ms: 20\n");
    const std::int64_t id = create({{"source", "input", ""}, {"input", "a@example.com", ""}});
    const std::string path = kJobs + "/" + std::to_string(id);
    const std::vector<std::pair<std::string, std::string>> routes = {{"GET", path},
                                                                     {"GET", path + "/result"},
                                                                     {"GET", path + "/download"},
                                                                     {"POST", path + "/pause"},
                                                                     {"POST", path + "/resume"},
                                                                     {"DELETE", path}};
    for (const auto& [method, target] : routes) {
        const auto response = client().request(method, target, otherKey_);
        EXPECT_EQ(response.status, 404) << method << " " << target;
        EXPECT_EQ(response.body, "{\"error\":\"Job not found\"}");
    }
    EXPECT_EQ(array(client().get(kJobs, otherKey_))->size(), 0U);
    EXPECT_EQ(client().get(path, key_).status, 200) << "the owner still sees it";
}

TEST_F(JobsRoute, PauseResumeAndDeleteALargeJobMidRun) {
    startServer("jobs:\n  workers: 1\n  chunk_size: 200\n  poll_ms: 20\n");
    std::string csv = "email\n";
    for (int i = 0; i < 200000; ++i)
        csv += "user" + std::to_string(i) + "@example.com\n";
    const std::int64_t id = create({{"source", "file", ""}, {"file", csv, "big.csv"}});
    ASSERT_TRUE(waitFor([&] { return finished(id) > 0; }));

    const auto paused = client().request("POST", kJobs + "/" + std::to_string(id) + "/pause", key_);
    ASSERT_EQ(paused.status, 200) << paused.body;
    EXPECT_EQ(object(paused)->getValue<std::string>("state"), "paused");
    // The chunk in flight may still commit; after that the count stands still.
    std::int64_t before = finished(id);
    ASSERT_TRUE(waitFor([&] {
        std::this_thread::sleep_for(Ms(200));
        const std::int64_t now = finished(id);
        const bool still = now == before;
        before = now;
        return still;
    }));
    EXPECT_LT(before, 200000);
    EXPECT_EQ(state(id), "paused");

    const auto resumed =
        client().request("POST", kJobs + "/" + std::to_string(id) + "/resume", key_);
    ASSERT_EQ(resumed.status, 200);
    EXPECT_NE(object(resumed)->getValue<std::string>("state"), "paused");
    ASSERT_TRUE(waitFor([&] { return finished(id) > before; }));

    // Delete while it runs: gone at once, and the worker's in-flight chunk writes nothing back.
    EXPECT_EQ(client().request("DELETE", kJobs + "/" + std::to_string(id), key_).status, 200);
    EXPECT_EQ(client().get(kJobs + "/" + std::to_string(id), key_).status, 404);
    EXPECT_EQ(client().get(kJobs + "/" + std::to_string(id) + "/result", key_).status, 404);
    const std::int64_t next = create({{"source", "input", ""}, {"input", "a@example.com", ""}});
    ASSERT_TRUE(waitFor([&] { return state(next) == "done"; }))
        << "the worker carries on with other jobs";
    EXPECT_EQ(array(client().get(kJobs, key_))->size(), 1U);
}

}  // namespace
