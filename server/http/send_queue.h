#pragma once

#include <cstdint>
#include <optional>

namespace mailsift::http {

/// What the kernel knows of a TCP socket's outgoing side: how many bytes the peer has
/// acknowledged since the connection opened, and how many are still queued (written by the server
/// but not yet acknowledged). The watchdog reads it to see whether a client takes its response.
struct SendQueue {
    std::uint64_t acked = 0;
    std::uint64_t unacked = 0;
};

/// Reads the send queue of socket `fd` (Linux TCP_INFO and SIOCOUTQ); nullopt when the kernel
/// cannot tell (not a TCP socket, or a kernel without the acknowledged-bytes count). Any thread.
std::optional<SendQueue> readSendQueue(int fd);

}  // namespace mailsift::http
