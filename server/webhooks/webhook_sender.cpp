#include "webhooks/webhook_sender.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/InvalidCertificateHandler.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/VerificationErrorArgs.h>
#include <Poco/URI.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <stdexcept>

namespace mailsift::webhooks {

namespace {

/// Bytes of an answer's body read (and then dropped) so the connection closes cleanly.
constexpr std::streamsize kMaxAnswerBytes = 64 * 1024;

Poco::Timespan span(std::chrono::milliseconds ms) {
    return Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(ms.count()) *
                          Poco::Timespan::MILLISECONDS);
}

/// Why OpenSSL refused the last certificate checked on this thread ("" = none refused). A
/// handshake runs on the thread that sends, so the reason is there when send() catches the error.
thread_local std::string lastVerifyError;

/// Rejects every certificate that fails verification (never accepts after a prompt) and keeps
/// OpenSSL's reason for the delivery's error.
class RejectAndRemember : public Poco::Net::InvalidCertificateHandler {
  public:
    RejectAndRemember() : Poco::Net::InvalidCertificateHandler(false) {}
    void onInvalidCertificate(const void*, Poco::Net::VerificationErrorArgs& args) override {
        args.setIgnoreError(false);
        if (lastVerifyError.empty()) {
            lastVerifyError = args.errorMessage();
        }
    }
};

const char* const kTrustHint =
    ". The target needs a certificate valid for its host name and signed by a CA the server "
    "trusts: the system's CAs, or those of webhooks.ca_file";

}  // namespace

WebhookSender::WebhookSender(TargetPolicy policy, std::chrono::milliseconds timeout,
                             const std::string& caFile)
    : policy_(policy), timeout_(timeout) {
    Poco::Net::initializeSSL();
    Poco::Net::Context::Params params;
    params.verificationMode = Poco::Net::Context::VERIFY_STRICT;
    params.verificationDepth = 9;
    params.loadDefaultCAs = true;
    params.caLocation = caFile;  // trusted in addition to the system's CAs
    params.cipherList = "ALL:!ADH:!LOW:!EXP:!MD5:@STRENGTH";
    if (!caFile.empty()) {
        std::ifstream in(caFile, std::ios::binary);
        if (!in) {
            const int error = errno;
            Poco::Net::uninitializeSSL();
            throw std::runtime_error("Cannot read the file \"" + caFile +
                                     "\" named by webhooks.ca_file: " + std::strerror(error) +
                                     ". Set webhooks.ca_file to a PEM file of CA certificates that "
                                     "the server's user can read, or to \"\" for the system's "
                                     "CAs only.");
        }
    }
    try {
        tls_ = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
    } catch (const Poco::Exception& e) {
        Poco::Net::uninitializeSSL();
        throw std::runtime_error("Cannot load the CA certificates of webhooks.ca_file \"" + caFile +
                                 "\": " + e.displayText() +
                                 ". Set webhooks.ca_file to a PEM file of CA certificates.");
    }
    // Certificates that fail verification are rejected, never accepted after a prompt.
    Poco::Net::SSLManager::instance().initializeClient(nullptr, new RejectAndRemember, tls_);
}

WebhookSender::~WebhookSender() {
    tls_.reset();
    Poco::Net::uninitializeSSL();
}

SendResult WebhookSender::send(const OutgoingWebhook& webhook) const {
    SendResult result;
    lastVerifyError.clear();
    std::string host;
    try {
        const Poco::URI uri(webhook.url);
        host = uri.getHost();
        const ResolvedTarget target = policy_.resolve(uri.getHost());
        if (!target.address) {
            result.error = target.problem;
            result.refused = target.refused;
            return result;
        }
        const bool https = uri.getScheme() == "https";
        std::unique_ptr<Poco::Net::HTTPClientSession> session;
        if (https) {
            // Connect to the address checked above, verify the certificate against the name.
            Poco::Net::SecureStreamSocket socket(tls_);
            socket.setPeerHostName(uri.getHost());
            auto secure = std::make_unique<Poco::Net::HTTPSClientSession>(socket);
            secure->setHost(target.address->toString());
            secure->setPort(uri.getPort());
            session = std::move(secure);
        } else {
            session = std::make_unique<Poco::Net::HTTPClientSession>(
                Poco::Net::SocketAddress(*target.address, uri.getPort()));
        }
        session->setTimeout(span(timeout_), span(timeout_), span(timeout_));
        session->setKeepAlive(false);

        std::string path = uri.getPathEtc();
        if (path.empty()) {
            path = "/";
        }
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, path,
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        request.setHost(uri.getHost(), uri.getPort());
        request.setContentType("application/json");
        request.setContentLength(static_cast<std::streamsize>(webhook.body.size()));
        request.set("User-Agent", "mailsift-webhooks/1");
        request.set("X-Webhook-Signature", webhook.signature);
        request.set("X-Webhook-Id", webhook.id);
        request.set("X-Webhook-Timestamp", webhook.timestamp);
        std::ostream& out = session->sendRequest(request);
        out.write(webhook.body.data(), static_cast<std::streamsize>(webhook.body.size()));
        out.flush();

        Poco::Net::HTTPResponse response;
        std::istream& in = session->receiveResponse(response);
        result.status = static_cast<int>(response.getStatus());
        char sink[4096];
        std::streamsize drained = 0;
        while (drained < kMaxAnswerBytes && in.read(sink, sizeof sink)) {
            drained += in.gcount();
        }
        if (!result.delivered()) {
            result.error = "the target answered " + std::to_string(*result.status) + " " +
                           response.getReason();
        }
    } catch (const Poco::TimeoutException&) {
        if (!result.status) {
            result.error = "no answer within " + std::to_string(timeout_.count()) + " ms (timeout)";
        }
    } catch (const Poco::Net::CertificateValidationException& e) {
        // Verified against the trusted CAs, but it does not name the host of the URL.
        result.error =
            "the target's certificate could not be verified: it is not valid for the "
            "host " +
            host + " (" + e.displayText() + ")" + kTrustHint;
    } catch (const Poco::Net::SSLException& e) {
        if (!lastVerifyError.empty()) {
            result.error = "the target's certificate could not be verified: " + lastVerifyError +
                           " (" + e.displayText() + ")" + kTrustHint;
        } else if (!result.status) {
            result.error = "delivery failed: " + e.displayText();
        }
    } catch (const Poco::Exception& e) {
        if (!result.status) {
            result.error = "delivery failed: " + e.displayText();
        }
    } catch (const std::exception& e) {
        if (!result.status) {
            result.error = std::string("delivery failed: ") + e.what();
        }
    }
    return result;
}

}  // namespace mailsift::webhooks
