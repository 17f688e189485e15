#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace mailsift::fakes {

/// One command line a client sent.
struct FakeSmtpCommand {
    std::string line;                          ///< without CRLF
    std::chrono::steady_clock::time_point at;  ///< when its last byte arrived
    /// Arrived before the reply to the previous command was sent (the client pipelined it).
    bool pipelined = false;
    bool tls = false;  ///< sent inside TLS
};

/// One accepted TCP connection and everything that happened on it.
struct FakeSmtpConnection {
    std::string clientIp;
    std::string serverIp;
    std::chrono::steady_clock::time_point start;
    std::chrono::steady_clock::time_point end;  ///< valid when `ended`
    bool ended = false;
    bool tls = false;  ///< STARTTLS completed
    std::vector<FakeSmtpCommand> commands;
    std::vector<std::string> replies;  ///< first line of each reply we sent, in order

    /// Commands whose verb (first word, any case) is `verb`.
    int count(const std::string& verb) const;
    /// The verbs in order, upper case ("EHLO", "MAIL", "RCPT", ...).
    std::vector<std::string> verbs() const;
};

}  // namespace mailsift::fakes
