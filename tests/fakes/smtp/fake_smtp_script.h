#pragma once

#include <istream>
#include <string>
#include <utility>
#include <vector>

#include "smtp/fake_smtp_behaviour.h"

namespace mailsift::fakes {

/// Reads a fake-smtp script: one listening address (or a range of last octets) per line, then
/// key=value settings of its FakeSmtpBehaviour. '#' starts a comment; values with spaces are
/// double-quoted; a `default` line sets the starting point for the lines after it.
///
///     default delay_ms=20 pipelining=on
///     127.1.0.1 known=alice@a.test,bob@a.test greylist_ms=100 max_conn=2 starttls=on
///     127.2.0.1-200 known_local=user1,user2            # 200 addresses, same behaviour
///     127.1.0.3 catch_all=on rcpt:full@c.test="552 5.2.2 Mailbox full"
///     127.1.0.4 banner="554 5.7.1 Client host blocked" banner_delay_ms=500
///
/// Keys: hostname, known, known_local (comma lists), catch_all, pipelining, starttls, smtputf8,
/// drop (on|off), greylist_ms, delay_ms, banner_delay_ms, close_after, max_conn, max_rcpt
/// (integers), banner, ehlo, helo, mail (reply overrides), rcpt:<address> (scripted RCPT reply).
/// Throws std::invalid_argument naming the line and the problem.
std::vector<std::pair<std::string, FakeSmtpBehaviour>> parseFakeSmtpScript(std::istream& in);

}  // namespace mailsift::fakes
