// The HTTPS listener of the config on the real binary: a self-signed certificate and key made with
// the openssl command line, a client that trusts exactly that certificate (and checks the host),
// /healthz and an authenticated route; a large body (written to the socket in one piece, not
// through Poco's stream) on one kept-alive connection, over HTTPS and plain HTTP; and start-up
// errors for a key file that is missing or not a key, naming the config key.
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "integration/server_fixture.h"
#include "support/test_certificates.h"

using namespace mailsift::testing;

namespace {

struct HttpsAnswer {
    int status = 0;
    std::string body;
};

/// One GET on `session` (kept alive for the next), with the bearer key when one is given.
HttpsAnswer fetch(Poco::Net::HTTPClientSession& session, const std::string& path,
                  const std::string& bearer = "") {
    Poco::Net::HTTPRequest request("GET", path, Poco::Net::HTTPMessage::HTTP_1_1);
    if (!bearer.empty())
        request.set("Authorization", "Bearer " + bearer);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    HttpsAnswer answer;
    answer.status = static_cast<int>(response.getStatus());
    Poco::StreamCopier::copyToString(in, answer.body);
    EXPECT_EQ(static_cast<std::int64_t>(answer.body.size()), response.getContentLength64()) << path;
    return answer;
}

/// GETs `paths` in turn on one kept-alive `session`; the answers, in order.
std::vector<HttpsAnswer> getAll(Poco::Net::HTTPClientSession& session,
                                const std::vector<std::string>& paths) {
    session.setKeepAlive(true);
    session.setTimeout(Poco::Timespan(10, 0));
    std::vector<HttpsAnswer> answers;
    Poco::UInt16 localPort = 0;
    for (const std::string& path : paths) {
        answers.push_back(fetch(session, path));
        // The same connection throughout: its local port does not change.
        const auto port = session.socket().address().port();
        if (localPort == 0)
            localPort = port;
        EXPECT_EQ(port, localPort) << "a new connection for " << path;
    }
    return answers;
}

std::string shippedOpenApi() {
    std::ifstream in(std::string(MAILSIFT_SOURCE_DIR) + "/api/openapi.json", std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class Tls : public ::testing::Test {
  protected:
    static void SetUpTestSuite() { Poco::Net::initializeSSL(); }
    static void TearDownTestSuite() { Poco::Net::uninitializeSSL(); }

    void SetUp() override {
        const CertificatePair pair =
            makeSelfSigned(pairDir_, "server", "127.0.0.1", "IP:127.0.0.1");
        cert_ = pair.certificate;
        key_ = pair.privateKey;
    }

    std::string httpYaml(const std::string& key) const {
        return "  tls:\n    certificate: '" + cert_ + "'\n    private_key: '" + key + "'\n";
    }

    Poco::Net::Context::Ptr clientContext() const {
        Poco::Net::Context::Params params;
        params.verificationMode = Poco::Net::Context::VERIFY_STRICT;
        params.caLocation = cert_;
        params.loadDefaultCAs = false;
        return new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
    }

    /// GET over HTTPS with a context that trusts only the test's certificate and verifies the
    /// server's name (127.0.0.1, in the certificate's subjectAltName).
    HttpsAnswer get(std::uint16_t port, const std::string& path, const std::string& bearer = "") {
        Poco::Net::HTTPSClientSession session("127.0.0.1", port, clientContext());
        session.setTimeout(Poco::Timespan(10, 0));
        return fetch(session, path, bearer);
    }

    TempDir pairDir_;
    std::string cert_;
    std::string key_;
};

TEST_F(Tls, ServesHttpsWithTheConfiguredPair) {
    ServerFixture fixture({.httpYaml = httpYaml(key_)});
    const std::string key = findKey(fixture.run({"keys", "create", "--account", "acme"}).out);
    ASSERT_FALSE(key.empty());
    auto server = fixture.serve();
    EXPECT_NE(server->err().find("listening on https://"), std::string::npos) << server->err();

    const HttpsAnswer health = get(server->port(), "/healthz");
    EXPECT_EQ(health.status, 200);
    EXPECT_EQ(health.body, R"({"status":"ok"})");
    const HttpsAnswer jobs = get(server->port(), "/v1/email/validate/job", key);
    EXPECT_EQ(jobs.status, 200);
    EXPECT_EQ(jobs.body, "[]");
    EXPECT_EQ(get(server->port(), "/v1/email/validate/job").status, 401);

    // Plain HTTP to the HTTPS port gets no HTTP answer.
    EXPECT_ANY_THROW(fixture.client(*server).get("/healthz"));
    EXPECT_EQ(server->stop(SIGTERM), 0);
}

// A 72 KB document goes to the socket in one write after the headers; over TLS the write goes
// through the TLS layer, and the connection stays usable for the next requests.
TEST_F(Tls, LargeBodiesKeepTheConnectionOverHttpsAndHttp) {
    const std::string document = shippedOpenApi();
    ASSERT_GT(document.size(), 16u * 1024u);
    const std::vector<std::string> paths{"/v1/openapi.json", "/healthz", "/v1/openapi.json"};
    const auto check = [&](const std::vector<HttpsAnswer>& answers) {
        ASSERT_EQ(answers.size(), 3u);
        EXPECT_EQ(answers[0].status, 200);
        EXPECT_EQ(answers[0].body, document);
        EXPECT_EQ(answers[1].status, 200);
        EXPECT_EQ(answers[1].body, R"({"status":"ok"})");
        EXPECT_EQ(answers[2].body, document);
    };
    {
        ServerFixture fixture({.httpYaml = httpYaml(key_)});
        auto server = fixture.serve();
        Poco::Net::HTTPSClientSession session("127.0.0.1", server->port(), clientContext());
        check(getAll(session, paths));
        EXPECT_EQ(server->stop(SIGTERM), 0);
    }
    {
        ServerFixture fixture;
        auto server = fixture.serve();
        Poco::Net::HTTPClientSession session("127.0.0.1", server->port());
        check(getAll(session, paths));
        EXPECT_EQ(server->stop(SIGTERM), 0);
    }
}

TEST_F(Tls, MissingKeyFileStopsStartUpNamingTheKey) {
    ServerFixture fixture({.httpYaml = httpYaml(pairDir_.file("nope.pem"))});
    const CommandResult result = fixture.run({"serve"});
    EXPECT_EQ(result.exitCode, 1);
    EXPECT_NE(result.err.find("http.tls.private_key"), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("nope.pem"), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("No such file"), std::string::npos) << result.err;
}

TEST_F(Tls, KeyFileThatIsNotAKeyStopsStartUpNamingTheKey) {
    const std::string garbage = pairDir_.write("garbage.pem", "this is not a PEM key\n");
    ServerFixture fixture({.httpYaml = httpYaml(garbage)});
    const CommandResult result = fixture.run({"serve"});
    EXPECT_EQ(result.exitCode, 1);
    EXPECT_NE(result.err.find("http.tls.private_key"), std::string::npos) << result.err;
}

}  // namespace
