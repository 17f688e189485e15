#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "smtp/fake_smtp_behaviour.h"
#include "smtp/fake_smtp_records.h"

struct ssl_st;

namespace mailsift::fakes {

class FakeSmtpServer;

/// The server side of one accepted connection: speaks SMTP as the address's behaviour says and
/// records what the client does. Runs on its own thread; owns `fd` and closes it.
class FakeSmtpSession {
  public:
    FakeSmtpSession(FakeSmtpServer& server, int fd, std::string clientIp, std::string serverIp);
    ~FakeSmtpSession();
    FakeSmtpSession(const FakeSmtpSession&) = delete;
    FakeSmtpSession& operator=(const FakeSmtpSession&) = delete;

    void run();

  private:
    using TimePoint = std::chrono::steady_clock::time_point;

    void converse();
    /// Handles one command; false ends the session.
    bool handle(const std::string& line);
    bool handleRcpt(const std::string& line);
    bool handleStartTls();
    std::string ehloReply() const;
    std::string rcptReply(const std::string& address);
    /// Waits the reply delay, then sends `text` ('\n' between lines; CRLF added).
    bool reply(const std::string& text);
    bool send(std::string_view data);
    /// Reads one line (CRLF or LF stripped); false on EOF, error or an overlong line.
    bool readLine(std::string& line, TimePoint& arrived);

    FakeSmtpServer& server_;
    int fd_;
    std::string clientIp_;
    std::string serverIp_;
    FakeSmtpBehaviour behaviour_;
    std::shared_ptr<FakeSmtpConnection> record_;
    ssl_st* ssl_ = nullptr;
    std::string buffer_;
    TimePoint bufferArrived_{};
    TimePoint lastReplyAt_{};
    bool inTransaction_ = false;
    int rcptsInTransaction_ = 0;
    int commands_ = 0;
};

}  // namespace mailsift::fakes
