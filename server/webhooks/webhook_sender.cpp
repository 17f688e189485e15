#include "webhooks/webhook_sender.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/RejectCertificateHandler.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/URI.h>

#include <memory>

namespace mailsift::webhooks {

namespace {

/// Bytes of an answer's body read (and then dropped) so the connection closes cleanly.
constexpr std::streamsize kMaxAnswerBytes = 64 * 1024;

Poco::Timespan span(std::chrono::milliseconds ms) {
    return Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(ms.count()) *
                          Poco::Timespan::MILLISECONDS);
}

}  // namespace

WebhookSender::WebhookSender(TargetPolicy policy, std::chrono::milliseconds timeout)
    : policy_(policy), timeout_(timeout) {
    Poco::Net::initializeSSL();
    tls_ = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", "",
                                  Poco::Net::Context::VERIFY_STRICT, 9, true,
                                  "ALL:!ADH:!LOW:!EXP:!MD5:@STRENGTH");
    // Certificates that fail verification are rejected, never accepted after a prompt.
    Poco::Net::SSLManager::instance().initializeClient(
        nullptr, new Poco::Net::RejectCertificateHandler(false), tls_);
}

WebhookSender::~WebhookSender() {
    tls_.reset();
    Poco::Net::uninitializeSSL();
}

SendResult WebhookSender::send(const OutgoingWebhook& webhook) const {
    SendResult result;
    try {
        const Poco::URI uri(webhook.url);
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
