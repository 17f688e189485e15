// .xls uploads through the real mailsift-server: libfreexl runs only in the spawned
// mailsift-xls-reader, so the input that over-reads libfreexl's stack (tests/fuzz/regressions/xls)
// answers 400, a reader that crashes or hangs answers 400 with a sentence saying what to do, the
// server keeps answering and no reader process is left behind; a reader that cannot run stops
// start-up.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "integration/server_fixture.h"
#include "support/xls_workbook.h"

using namespace mailsift::testing;

namespace {

const std::string kJobs = "/v1/email/validate/job";
const std::string kBoundary = "----mailsiftXlsBoundary";
const std::string kResave = "save it as .xlsx or CSV and upload that";
const std::string kUnreadable =
    "the .xls file could not be read; open it in a spreadsheet program, " + kResave;

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

std::string excelUpload(const std::string& bytes) {
    return "--" + kBoundary +
           "\r\nContent-Disposition: form-data; name=\"source\"\r\n\r\nexcel\r\n--" + kBoundary +
           "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"list.xls\"\r\n"
           "Content-Type: application/vnd.ms-excel\r\n\r\n" +
           bytes + "\r\n--" + kBoundary + "--\r\n";
}

std::string errorOf(const HttpResponse& response) {
    try {
        Poco::JSON::Parser parser;
        return parser.parse(response.body)
            .extract<Poco::JSON::Object::Ptr>()
            ->getValue<std::string>("error");
    } catch (const std::exception&) {
        return "(not a JSON error: " + response.body + ")";
    }
}

/// The pids of the server's children (running or zombie), over all its threads.
std::vector<int> childrenOf(int pid) {
    std::vector<int> children;
    std::error_code ec;
    for (const auto& task :
         std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task", ec)) {
        std::ifstream in(task.path() / "children");
        int child = 0;
        while (in >> child)
            children.push_back(child);
    }
    return children;
}

class XlsUpload : public ::testing::Test {
  protected:
    /// `excelConfig`: the excel connector's config block in flow style.
    void startServer(const std::string& excelConfig = "{}") {
        fixture_ = std::make_unique<ServerFixture>(
            ServerSetup{"",
                        "plugins:\n"
                        "  stages:\n"
                        "    - {name: mailsift.stage.syntax, config: {}}\n"
                        "  connectors:\n"
                        "    - {name: mailsift.connector.excel, config: " +
                            excelConfig + "}\n"});
        key_ = findKey(fixture_->run({"keys", "create", "--account", "acme"}).out);
        ASSERT_FALSE(key_.empty());
        server_ = fixture_->serve();
    }

    void TearDown() override {
        if (HasFailure() && server_) {
            const std::string err = server_->err();
            std::cerr << "server standard error (last 4000 bytes):\n"
                      << err.substr(err.size() > 4000 ? err.size() - 4000 : 0) << "\n";
        }
    }

    HttpResponse upload(const std::string& bytes) const {
        return fixture_->client(*server_).request("POST", kJobs, key_, excelUpload(bytes),
                                                  "multipart/form-data; boundary=" + kBoundary);
    }

    /// The server is up, answers, and has no reader process left.
    void expectHealthyWithoutChildren() const {
        ASSERT_TRUE(server_->running());
        EXPECT_EQ(fixture_->client(*server_).get(kJobs, key_).status, 200);
        EXPECT_EQ(childrenOf(server_->pid()), std::vector<int>{});
    }

    TempDir scratch_;  ///< stand-in readers and generated workbooks
    std::unique_ptr<ServerFixture> fixture_;
    std::unique_ptr<ServerProcess> server_;
    std::string key_;
};

TEST_F(XlsUpload, AnXlsFileBecomesAJob) {
    startServer();
    const auto response =
        upload(readFile(std::string(MAILSIFT_SOURCE_DIR) + "/tests/fuzz/corpus/xls/two_columns"));
    ASSERT_EQ(response.status, 201) << response.body;
    Poco::JSON::Parser parser;
    const auto id = parser.parse(response.body)
                        .extract<Poco::JSON::Object::Ptr>()
                        ->getValue<std::int64_t>("id");
    const auto job = fixture_->client(*server_).get(kJobs + "/" + std::to_string(id), key_);
    ASSERT_EQ(job.status, 200);
    EXPECT_NE(job.body.find("\"emailCount\":4"), std::string::npos) << job.body;
    expectHealthyWithoutChildren();
}

TEST_F(XlsUpload, TheLibfreexlStackOverreadAnswers400AndTheServerStaysUp) {
    startServer();
    const std::string crasher = readFile(std::string(MAILSIFT_SOURCE_DIR) +
                                         "/tests/fuzz/regressions/xls/"
                                         "freexl-open-stack-overread-iconv");
    ASSERT_FALSE(crasher.empty());
    for (int attempt = 0; attempt < 3; ++attempt) {
        const auto response = upload(crasher);
        EXPECT_EQ(response.status, 400) << response.body;
        // Without ASan libfreexl's over-read goes unnoticed and it refuses the file; under ASan
        // the reader dies. Either way the user is told what to do.
        const std::string error = errorOf(response);
        EXPECT_TRUE(error == kUnreadable ||
                    error.rfind("the file is not a valid .xls workbook: freexl error", 0) == 0)
            << error;
        EXPECT_NE(error.find(kResave), std::string::npos) << error;
    }
    expectHealthyWithoutChildren();
}

TEST_F(XlsUpload, AReaderThatCrashesAnswers400AndIsLogged) {
    // A stand-in reader that dies of SIGSEGV, as libfreexl would on a worse input.
    const std::string script =
        scratch_.write("crash.sh", "#!/bin/sh\necho 'reader: crashing now' >&2\nkill -SEGV $$\n");
    ::chmod(script.c_str(), 0700);
    startServer("{xls_reader: '" + script + "'}");
    const auto response =
        upload(readFile(std::string(MAILSIFT_SOURCE_DIR) + "/tests/fuzz/corpus/xls/two_columns"));
    EXPECT_EQ(response.status, 400) << response.body;
    EXPECT_EQ(errorOf(response), kUnreadable);
    EXPECT_TRUE(server_->waitForErr("signal 11", std::chrono::milliseconds(5000)));
    EXPECT_NE(server_->err().find("reader: crashing now"), std::string::npos);
    expectHealthyWithoutChildren();
}

TEST_F(XlsUpload, AReaderPastTheTimeoutIsKilledAndAnswers400) {
    const std::filesystem::path file = scratch_.file("large.xls");
    if (!writeXlsWithEmails(file, 30000))
        GTEST_SKIP() << "python3-xlwt is not installed; cannot write a large .xls";
    const std::string bytes = readFile(file.string());
    startServer("{xls_timeout_ms: 5}");
    const auto response = upload(bytes);
    EXPECT_EQ(response.status, 400) << response.body;
    EXPECT_EQ(errorOf(response),
              "reading the .xls file took longer than the limit of 5 ms; save it as .xlsx or CSV "
              "and upload that");
    EXPECT_TRUE(server_->waitForErr("ran past the limit of 5 ms", std::chrono::milliseconds(5000)));
    expectHealthyWithoutChildren();
}

TEST(XlsUploadStartUp, AReaderThatCannotRunStopsStartUp) {
    ServerFixture fixture(ServerSetup{"",
                                      "plugins:\n"
                                      "  connectors:\n"
                                      "    - name: mailsift.connector.excel\n"
                                      "      config: {xls_reader: /nonexistent/xls-reader}\n"});
    const CommandResult result = fixture.run({"check-config"});
    EXPECT_EQ(result.exitCode, 1) << result.out << result.err;
    EXPECT_NE((result.out + result.err)
                  .find("xls_reader: the .xls reader /nonexistent/xls-reader cannot be run"),
              std::string::npos)
        << result.out << result.err;
}

}  // namespace
