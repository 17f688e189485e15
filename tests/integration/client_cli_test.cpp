// The mailsift command line client against the real mailsift-server on loopback: validate (table
// and --json), jobs create from --input and from a file, --watch without a terminal (no bar, a
// summary), list / get / results / download with filters and -o, pause / resume / delete, and
// the errors a user meets: a wrong or missing key, an unreachable server, a missing file, a
// refused upload, a bad command line; HTTPS with a self-signed certificate and --ca-file; the
// progress bar on a pseudo-terminal. Stages: syntax, lists and typo only (no network).
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <gtest/gtest.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "integration/server_fixture.h"

using namespace mailsift::testing;

namespace {

std::string configYaml() {
    const std::string lists = std::string(MAILSIFT_SOURCE_DIR) + "/config/lists/";
    return "limits:\n"
           "  max_upload_bytes: 100000\n"
           "plugins:\n"
           "  stages:\n"
           "    - name: mailsift.stage.syntax\n"
           "      config: {}\n"
           "    - name: mailsift.stage.lists\n"
           "      config:\n"
           "        role_file: '" +
           lists + "role_local_parts.txt'\n        disposable_file: '" + lists +
           "disposable_domains.txt'\n        disposable_wildcard_file: '" + lists +
           "disposable_wildcard_domains.txt'\n        free_file: '" + lists +
           "free_domains.txt'\n"
           "    - name: mailsift.stage.typo\n"
           "      config:\n"
           "        providers_file: '" +
           lists + "well_known_providers.txt'\n        free_file: '" + lists +
           "free_domains.txt'\n        disposable_file: '" + lists +
           "disposable_domains.txt'\n"
           "  connectors:\n"
           "    - {name: mailsift.connector.file, config: {}}\n"
           "    - {name: mailsift.connector.input, config: {}}\n";
}

Poco::Dynamic::Var parse(const std::string& text) {
    Poco::JSON::Parser parser;
    return parser.parse(text);
}

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        out.push_back(line);
    }
    return out;
}

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class ClientCli : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        fixture_ = new ServerFixture(ServerSetup{"", configYaml()});
        key_ = findKey(fixture_->run({"keys", "create", "--account", "acme"}).out);
        server_ = fixture_->serve().release();
        url_ = "http://127.0.0.1:" + std::to_string(server_->port());
    }
    static void TearDownTestSuite() {
        delete server_;
        delete fixture_;
    }

    void TearDown() override {
        if (HasFailure()) {
            const std::string err = server_->err();
            std::cerr << "server standard error (last 3000 bytes):\n"
                      << err.substr(err.size() > 3000 ? err.size() - 3000 : 0) << "\n";
        }
    }

    /// `mailsift args...` with the server and key in the environment.
    static CommandResult cli(const std::vector<std::string>& args,
                             std::map<std::string, std::string> env = {}) {
        env.emplace("MAILSIFT_URL", url_);
        env.emplace("MAILSIFT_API_KEY", key_);
        return runCommand(MAILSIFT_CLIENT_BINARY, args, env);
    }

    /// Creates a job from --input and waits for it; returns its id.
    static std::string doneJob(const std::string& input, const std::string& label) {
        const auto created = cli({"jobs", "create", "--input", input, "--label", label, "--watch",
                                  "--interval", "0.1", "--json"});
        EXPECT_EQ(created.exitCode, 0) << created.err;
        const auto job = parse(created.out).extract<Poco::JSON::Object::Ptr>();
        EXPECT_EQ(job->getValue<std::string>("state"), "done");
        return std::to_string(job->getValue<std::int64_t>("id"));
    }

    static inline ServerFixture* fixture_ = nullptr;
    static inline ServerProcess* server_ = nullptr;
    static inline std::string key_;
    static inline std::string url_;
};

TEST_F(ClientCli, HelpEverywhereWithoutAKey) {
    for (const std::vector<std::string>& args : {std::vector<std::string>{"--help"},
                                                 {"help"},
                                                 {"validate", "--help"},
                                                 {"jobs", "--help"},
                                                 {"jobs", "create", "--help"},
                                                 {"jobs", "list", "-h"},
                                                 {"jobs", "get", "--help"},
                                                 {"jobs", "results", "--help"},
                                                 {"jobs", "download", "--help"},
                                                 {"jobs", "pause", "--help"},
                                                 {"jobs", "resume", "--help"},
                                                 {"jobs", "delete", "--help"}}) {
        const auto result = runCommand(MAILSIFT_CLIENT_BINARY, args, {{"MAILSIFT_API_KEY", ""}});
        EXPECT_EQ(result.exitCode, 0) << args[0];
        EXPECT_NE(result.out.find("Exit codes:"), std::string::npos) << result.out;
        EXPECT_NE(result.out.find("mailsift"), std::string::npos);
    }
    EXPECT_NE(cli({"jobs", "create", "--help"}).out.find("--watch"), std::string::npos);
    EXPECT_NE(cli({"jobs", "download", "--help"}).out.find("--filter"), std::string::npos);
    const auto bare = runCommand(MAILSIFT_CLIENT_BINARY, {});
    EXPECT_EQ(bare.exitCode, 2);
    EXPECT_NE(bare.err.find("Usage:"), std::string::npos);
}

TEST_F(ClientCli, ValidatePrintsATable) {
    const auto result =
        cli({"validate", "someone@example.com", "not-an-address", "info@example.org"});
    ASSERT_EQ(result.exitCode, 0) << result.err;
    const auto rows = lines(result.out);
    ASSERT_EQ(rows.size(), 4u) << result.out;
    EXPECT_EQ(rows[0].rfind("EMAIL", 0), 0u);
    EXPECT_NE(rows[0].find("CLASSIFIER"), std::string::npos);
    EXPECT_EQ(rows[1].rfind("someone@example.com", 0), 0u);
    EXPECT_EQ(rows[2].rfind("not-an-address", 0), 0u);
    EXPECT_TRUE(std::regex_search(rows[2], std::regex(R"(\binvalid\s+0\s+fail\b)"))) << rows[2];
    EXPECT_NE(rows[3].find("role_email"), std::string::npos) << rows[3];
}

TEST_F(ClientCli, ValidateJsonIsTheServersAnswer) {
    const auto result =
        cli({"validate", "--json", "a@example.com", "a@example.com", "b@example.org"});
    ASSERT_EQ(result.exitCode, 0) << result.err;
    const auto body = parse(result.out).extract<Poco::JSON::Object::Ptr>();
    EXPECT_EQ(body->getValue<int>("creditsUsed"), 2);
    const auto results = body->getArray("results");
    ASSERT_EQ(results->size(), 3u);
    const auto first = results->getObject(0);
    EXPECT_EQ(first->getValue<std::string>("email"), "a@example.com");
    EXPECT_FALSE(first->getValue<std::string>("contextId").empty());
    for (const char* field :
         {"syntax", "mx", "mailbox", "score", "classifier", "description", "smtpResponse"})
        EXPECT_TRUE(first->getObject("result")->has(field)) << field;
}

TEST_F(ClientCli, ValidateRefusedByTheServerShowsItsSentence) {
    std::vector<std::string> args{"validate"};
    for (int i = 0; i < 101; ++i)
        args.push_back("user" + std::to_string(i) + "@example.com");
    const auto result = cli(args);
    EXPECT_EQ(result.exitCode, 1);
    EXPECT_NE(result.err.find("at most 100"), std::string::npos) << result.err;
}

TEST_F(ClientCli, WatchWithoutATerminalPrintsOnlyASummary) {
    const auto result =
        cli({"jobs", "create", "--input", "x@example.com, y@example.org; nope\ninfo@example.com",
             "--label", "Watched", "--watch", "--interval", "0.1"});
    ASSERT_EQ(result.exitCode, 0) << result.err;
    EXPECT_TRUE(std::regex_match(
        result.out,
        std::regex(R"(Job \d+ done: 4 rows in \d+:\d\d; valid \d+, risky \d+, invalid 1\.\n)")))
        << result.out;
    EXPECT_EQ(result.out.find('\r'), std::string::npos);
    EXPECT_EQ(result.out.find("\x1b["), std::string::npos);
    EXPECT_EQ(result.out.find("[#"), std::string::npos);
}

TEST_F(ClientCli, WatchOnATerminalDrawsTheProgressBar) {
    std::string csv = "email\n";
    for (int i = 0; i < 3000; ++i)
        csv += "user" + std::to_string(i) + "@example" + std::to_string(i % 7) + ".com\n";
    const std::string file = fixture_->dir().write("tty.csv", csv);
    int terminal = -1;
    const pid_t pid = forkpty(&terminal, nullptr, nullptr, nullptr);
    ASSERT_GE(pid, 0) << std::strerror(errno);
    if (pid == 0) {
        ::setenv("MAILSIFT_URL", url_.c_str(), 1);
        ::setenv("MAILSIFT_API_KEY", key_.c_str(), 1);
        ::execl(MAILSIFT_CLIENT_BINARY, "mailsift", "jobs", "create", file.c_str(), "--watch",
                "--interval", "0.05", static_cast<char*>(nullptr));
        ::_exit(127);
    }
    std::string seen;
    char buffer[4096];
    for (ssize_t n; (n = ::read(terminal, buffer, sizeof buffer)) > 0;)
        seen.append(buffer, static_cast<std::size_t>(n));  // ends with EIO once the child exits
    ::close(terminal);
    int status = 0;
    ::waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << seen;
    EXPECT_NE(seen.find("\r[" + std::string(30, '#') + "] 3000/3000 rows 100%"), std::string::npos)
        << seen;
    EXPECT_NE(seen.find("ETA"), std::string::npos);
    EXPECT_NE(seen.find("\x1b[K"), std::string::npos);
    EXPECT_TRUE(std::regex_search(seen, std::regex(R"(Job \d+ done: 3000 rows in)"))) << seen;
}

TEST_F(ClientCli, CreateFromAFileThenGetListResultsDownload) {
    const std::string csv = fixture_->dir().write(
        "list.csv",
        "name;email\r\nAnn;ann@example.com\r\nBob;bob@example\r\nCy;info@example.org\r\n");
    const auto created = cli({"jobs", "create", csv, "--label", "From file", "--json"});
    ASSERT_EQ(created.exitCode, 0) << created.err;
    const std::string id =
        std::to_string(parse(created.out).extract<Poco::JSON::Object::Ptr>()->getValue<int>("id"));
    const auto watched = cli({"jobs", "get", id, "--json"});
    ASSERT_EQ(watched.exitCode, 0) << watched.err;
    EXPECT_EQ(parse(watched.out).extract<Poco::JSON::Object::Ptr>()->getValue<std::string>("label"),
              "From file");
    const std::string doneId = doneJob("ann@example.com bob@example info@example.org", "Three");

    const auto got = cli({"jobs", "get", doneId});
    ASSERT_EQ(got.exitCode, 0) << got.err;
    EXPECT_TRUE(std::regex_search(got.out, std::regex(R"(state\s+done)"))) << got.out;
    EXPECT_TRUE(std::regex_search(got.out, std::regex(R"(rows\s+3 of 3 done)"))) << got.out;

    const auto listed = cli({"jobs", "list"});
    ASSERT_EQ(listed.exitCode, 0) << listed.err;
    EXPECT_NE(listed.out.find("From file"), std::string::npos);
    EXPECT_TRUE(std::regex_search(listed.out, std::regex("\n" + doneId + R"(\s+done\s+3\s+3\s)")))
        << listed.out;
    const auto listedJson = cli({"jobs", "list", "--json"});
    EXPECT_GE(parse(listedJson.out).extract<Poco::JSON::Array::Ptr>()->size(), 2u);

    const auto results = cli({"jobs", "results", doneId});
    ASSERT_EQ(results.exitCode, 0) << results.err;
    const auto rows = lines(results.out);
    ASSERT_EQ(rows.size(), 4u) << results.out;
    EXPECT_EQ(rows[2].rfind("bob@example", 0), 0u);
    EXPECT_NE(rows[2].find("invalid"), std::string::npos);

    const auto page = cli({"jobs", "results", doneId, "--pos", "1", "--limit", "1", "--json"});
    ASSERT_EQ(page.exitCode, 0) << page.err;
    const auto array = parse(page.out).extract<Poco::JSON::Array::Ptr>();
    ASSERT_EQ(array->size(), 1u);
    EXPECT_EQ(array->getObject(0)->getValue<std::string>("email"), "bob@example");

    const std::string all = fixture_->dir().file("all.csv");
    const auto saved = cli({"jobs", "download", doneId, "-o", all});
    ASSERT_EQ(saved.exitCode, 0) << saved.err;
    const auto csvRows = lines(readFile(all));
    ASSERT_EQ(csvRows.size(), 4u);
    EXPECT_EQ(csvRows[0], "email,syntax,mx,mailbox,score,classifier,description,smtpResponse");

    const auto invalid = cli({"jobs", "download", doneId, "--filter", "invalid"});
    ASSERT_EQ(invalid.exitCode, 0) << invalid.err;
    const auto invalidRows = lines(invalid.out);
    ASSERT_EQ(invalidRows.size(), 2u) << invalid.out;
    EXPECT_EQ(invalidRows[1].rfind("bob@example,", 0), 0u);
    const auto two = cli({"jobs", "download", doneId, "--filter", "invalid,valid"});
    EXPECT_EQ(lines(two.out).size(), 2u) << two.out;
    const auto three =
        cli({"jobs", "download", doneId, "--filter", "invalid", "--filter", "risky"});
    EXPECT_EQ(lines(three.out).size(), 4u) << three.out;

    const auto bad = cli({"jobs", "download", doneId, "--filter", "maybe", "-o", all + ".x"});
    EXPECT_EQ(bad.exitCode, 1);
    EXPECT_NE(bad.err.find("Unknown filter"), std::string::npos) << bad.err;
    EXPECT_FALSE(std::filesystem::exists(all + ".x"));
    EXPECT_FALSE(std::filesystem::exists(all + ".x.part"));
}

// HTTPS with a self-signed certificate: refused until --ca-file trusts it.
TEST(ClientCliTls, SelfSignedServerNeedsCaFile) {
    ServerFixture fixture;
    const std::string cert = fixture.dir().file("cert.pem");
    const std::string privateKey = fixture.dir().file("key.pem");
    const std::string openssl =
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 "
        "-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -keyout '" +
        privateKey + "' -out '" + cert + "' >/dev/null 2>&1";
    ASSERT_EQ(std::system(openssl.c_str()), 0) << "the openssl command line failed";
    fixture.dir().write("mailsift.yaml",
                        "http:\n  address: 127.0.0.1\n  port: 0\n  threads: 2\n  tls:\n"
                        "    certificate: '" +
                            cert + "'\n    private_key: '" + privateKey +
                            "'\nstore:\n  url: 'sqlite://" + fixture.dir().file("tls.db") + "'\n" +
                            configYaml());
    const std::string key = findKey(fixture.run({"keys", "create", "--account", "tls"}).out);
    const auto server = fixture.serve();
    const std::string url = "https://127.0.0.1:" + std::to_string(server->port());
    const std::map<std::string, std::string> env = {{"MAILSIFT_API_KEY", key},
                                                    {"MAILSIFT_CA_FILE", ""}};

    const auto untrusted =
        runCommand(MAILSIFT_CLIENT_BINARY, {"validate", "a@example.com", "--url", url}, env);
    EXPECT_EQ(untrusted.exitCode, 3) << untrusted.out;
    EXPECT_NE(untrusted.err.find("Could not reach the mailsift server at " + url),
              std::string::npos)
        << untrusted.err;
    EXPECT_NE(untrusted.err.find("--ca-file"), std::string::npos) << untrusted.err;

    const auto trusted =
        runCommand(MAILSIFT_CLIENT_BINARY,
                   {"validate", "a@example.com", "--url", url, "--ca-file", cert}, env);
    EXPECT_EQ(trusted.exitCode, 0) << trusted.err;
    EXPECT_EQ(trusted.out.rfind("EMAIL", 0), 0u) << trusted.out;

    const auto wrongKey = runCommand(
        MAILSIFT_CLIENT_BINARY, {"jobs", "list", "--url", url, "--ca-file", cert, "--key", "x"});
    EXPECT_EQ(wrongKey.exitCode, 4) << wrongKey.err;

    const auto noCa = runCommand(
        MAILSIFT_CLIENT_BINARY,
        {"jobs", "list", "--url", url, "--ca-file", fixture.dir().file("missing.pem")}, env);
    EXPECT_EQ(noCa.exitCode, 6);
    EXPECT_NE(noCa.err.find("Cannot read the CA file"), std::string::npos) << noCa.err;
}

// A server without workers: its jobs stay pending until paused, so the states are certain.
TEST(ClientCliIdle, PauseResumeDelete) {
    ServerFixture fixture(ServerSetup{"", configYaml() + "jobs:\n  workers: 0\n"});
    const std::string key = findKey(fixture.run({"keys", "create", "--account", "idle"}).out);
    const auto server = fixture.serve();
    const std::map<std::string, std::string> env = {
        {"MAILSIFT_URL", "http://127.0.0.1:" + std::to_string(server->port())},
        {"MAILSIFT_API_KEY", key}};
    auto cli = [&](const std::vector<std::string>& args) {
        return runCommand(MAILSIFT_CLIENT_BINARY, args, env);
    };
    const auto created = cli({"jobs", "create", "--input", "p@example.com q@example.com"});
    ASSERT_EQ(created.exitCode, 0) << created.err;
    std::smatch m;
    ASSERT_TRUE(std::regex_search(created.out, m, std::regex(R"(Created job (\d+)\.)")))
        << created.out;
    const std::string id = m[1];

    const auto paused = cli({"jobs", "pause", id});
    ASSERT_EQ(paused.exitCode, 0) << paused.err;
    EXPECT_EQ(paused.out, "Job " + id + " is paused.\n");
    EXPECT_TRUE(std::regex_search(cli({"jobs", "get", id}).out, std::regex(R"(state\s+paused)")));
    const auto resumed = cli({"jobs", "resume", id, "--json"});
    ASSERT_EQ(resumed.exitCode, 0) << resumed.err;
    const auto job = parse(resumed.out).extract<Poco::JSON::Object::Ptr>();
    EXPECT_EQ(job->getValue<std::string>("state"), "pending");
    EXPECT_EQ(job->getValue<int>("emailCount"), 2);

    const auto deleted = cli({"jobs", "delete", id});
    ASSERT_EQ(deleted.exitCode, 0) << deleted.err;
    EXPECT_EQ(deleted.out, "Deleted job " + id + ".\n");
    const auto gone = cli({"jobs", "get", id});
    EXPECT_EQ(gone.exitCode, 1);
    EXPECT_EQ(gone.err, "mailsift: Job not found\n");
    const auto again = cli({"jobs", "pause", id});
    EXPECT_EQ(again.exitCode, 1);
    EXPECT_EQ(again.err, "mailsift: Job not found\n");
}

TEST_F(ClientCli, WrongOrMissingKey) {
    const auto wrong =
        runCommand(MAILSIFT_CLIENT_BINARY, {"jobs", "list", "--key", "msk_nope", "--url", url_});
    EXPECT_EQ(wrong.exitCode, 4);
    EXPECT_NE(wrong.err.find("refused the API key"), std::string::npos) << wrong.err;
    EXPECT_NE(wrong.err.find("MAILSIFT_API_KEY"), std::string::npos) << wrong.err;
    const std::string csv = fixture_->dir().write("wrongkey.csv", "email\na@example.com\n");
    const auto upload = cli({"jobs", "create", csv}, {{"MAILSIFT_API_KEY", "msk_nope"}});
    EXPECT_EQ(upload.exitCode, 4) << upload.err;

    const auto missing = runCommand(MAILSIFT_CLIENT_BINARY, {"jobs", "list", "--url", url_},
                                    {{"MAILSIFT_API_KEY", ""}});
    EXPECT_EQ(missing.exitCode, 2);
    EXPECT_NE(missing.err.find("No API key"), std::string::npos) << missing.err;
}

TEST_F(ClientCli, UnreachableServer) {
    std::uint16_t closedPort = 0;
    {
        Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
        closedPort = socket.address().port();
    }  // closed again: nothing listens there now
    const auto result = cli(
        {"validate", "a@example.com", "--url", "http://127.0.0.1:" + std::to_string(closedPort)});
    EXPECT_EQ(result.exitCode, 3);
    EXPECT_NE(result.err.find("Could not reach the mailsift server at http://127.0.0.1:" +
                              std::to_string(closedPort)),
              std::string::npos)
        << result.err;
    EXPECT_NE(result.err.find("MAILSIFT_URL"), std::string::npos);
}

TEST_F(ClientCli, MissingFileAndRefusedUpload) {
    const auto missing = cli({"jobs", "create", fixture_->dir().file("nope.csv")});
    EXPECT_EQ(missing.exitCode, 6);
    EXPECT_NE(missing.err.find("Cannot read " + fixture_->dir().file("nope.csv")),
              std::string::npos)
        << missing.err;

    // Over limits.max_upload_bytes (100,000): the server's sentence, not a broken pipe.
    std::string big = "email\n";
    while (big.size() < 400000)
        big += "someone.with.a.long.name@example.com\n";
    const auto refused = cli({"jobs", "create", fixture_->dir().write("big.csv", big)});
    EXPECT_EQ(refused.exitCode, 1) << refused.err;
    EXPECT_NE(refused.err.find("larger than the limit"), std::string::npos) << refused.err;
}

TEST_F(ClientCli, BadCommandLines) {
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"jobs", "get", "abc"},
          {"jobs", "get"},
          {"jobs", "frobnicate"},
          {"frobnicate"},
          {"validate"},
          {"validate", "--watch", "a@b.com"},
          {"jobs", "list", "--bogus"},
          {"jobs", "create"},
          {"jobs", "create", "x.csv", "--input", "a@b.com"},
          {"jobs", "results", "1", "--pos", "-1"},
          {"jobs", "create", "--input", "a@b.com", "--watch", "--interval", "0"},
          {"validate", "a@b.com", "--url", "ftp://example.com"}}) {
        const auto result = cli(args);
        EXPECT_EQ(result.exitCode, 2) << args[0] << " " << (args.size() > 1 ? args[1] : "");
        EXPECT_EQ(result.err.rfind("mailsift: ", 0), 0u) << result.err;
    }
}

}  // namespace
