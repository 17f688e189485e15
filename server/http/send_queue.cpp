#include "http/send_queue.h"

// The kernel's own tcp_info: glibc's <netinet/tcp.h> stops before tcpi_bytes_acked.
#include <linux/sockios.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cstddef>

namespace mailsift::http {

std::optional<SendQueue> readSendQueue(int fd) {
    tcp_info info{};
    socklen_t length = sizeof(info);
    if (::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &length) != 0 ||
        length < offsetof(tcp_info, tcpi_bytes_acked) + sizeof(info.tcpi_bytes_acked))
        return std::nullopt;
    int unacked = 0;
    if (::ioctl(fd, SIOCOUTQ, &unacked) != 0 || unacked < 0)
        return std::nullopt;
    return SendQueue{info.tcpi_bytes_acked, static_cast<std::uint64_t>(unacked)};
}

}  // namespace mailsift::http
