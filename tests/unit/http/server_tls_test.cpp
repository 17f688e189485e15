// The HTTPS listener, with a self-signed certificate made by the openssl command line.
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/StreamCopier.h>
#include <Poco/TemporaryFile.h>
#include <Poco/Timespan.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "test_server.h"

namespace mailsift::http::testing {
namespace {

class ServerTlsTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() { Poco::Net::initializeSSL(); }
    static void TearDownTestSuite() { Poco::Net::uninitializeSSL(); }

    void SetUp() override {
        dir_ = Poco::TemporaryFile::tempName();
        std::filesystem::create_directories(dir_);
        cert_ = dir_ + "/cert.pem";
        key_ = dir_ + "/key.pem";
        const std::string command =
            "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 "
            "-subj /CN=127.0.0.1 -keyout '" +
            key_ + "' -out '" + cert_ + "' >/dev/null 2>&1";
        ASSERT_EQ(std::system(command.c_str()), 0) << "the openssl command line failed";
    }

    void TearDown() override { std::filesystem::remove_all(dir_); }

    config::HttpConfig tlsConfig() const {
        config::HttpConfig config = testHttpConfig();
        config.tls.certificate = cert_;
        config.tls.privateKey = key_;
        return config;
    }

    static HttpResult httpsGet(std::uint16_t port, const std::string& uri,
                               Poco::Net::Context::Protocols maxProtocol = {}) {
        Poco::Net::Context::Params params;
        params.verificationMode = Poco::Net::Context::VERIFY_NONE;  // self-signed, test only
        Poco::Net::Context::Ptr context =
            new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
        if (maxProtocol == Poco::Net::Context::PROTO_TLSV1_1) {
            context->disableProtocols(Poco::Net::Context::PROTO_TLSV1_2 |
                                      Poco::Net::Context::PROTO_TLSV1_3);
        }
        Poco::Net::HTTPSClientSession session("127.0.0.1", port, context);
        session.setTimeout(Poco::Timespan(10, 0));
        Poco::Net::HTTPRequest request("GET", uri, Poco::Net::HTTPMessage::HTTP_1_1);
        session.sendRequest(request);
        Poco::Net::HTTPResponse response;
        std::istream& in = session.receiveResponse(response);
        HttpResult result;
        result.status = static_cast<int>(response.getStatus());
        Poco::StreamCopier::copyToString(in, result.body);
        return result;
    }

    std::string dir_;
    std::string cert_;
    std::string key_;
};

TEST_F(ServerTlsTest, ServesHttpsWithTheConfiguredCertificate) {
    TestServer server(tlsConfig());
    const HttpResult health = httpsGet(server.port(), "/healthz");
    EXPECT_EQ(health.status, 200);
    EXPECT_EQ(health.body, R"({"status":"ok"})");
    EXPECT_EQ(httpsGet(server.port(), "/v1/email/validate/job").status, 401);
}

TEST_F(ServerTlsTest, RefusesTls11) {
    TestServer server(tlsConfig());
    EXPECT_ANY_THROW(httpsGet(server.port(), "/healthz", Poco::Net::Context::PROTO_TLSV1_1));
}

TEST_F(ServerTlsTest, PlainHttpClientGetsNoAnswer) {
    TestServer server(tlsConfig());
    RequestSpec spec;
    spec.uri = "/healthz";
    EXPECT_ANY_THROW(send(server.port(), spec));
}

TEST_F(ServerTlsTest, MissingCertificateFailsToStartWithTheConfigKeys) {
    config::HttpConfig config = tlsConfig();
    config.tls.certificate = dir_ + "/missing.pem";
    try {
        TestServer server(config);
        FAIL() << "expected start() to fail";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("http.tls.certificate"), std::string::npos)
            << e.what();
    }
}

}  // namespace
}  // namespace mailsift::http::testing
