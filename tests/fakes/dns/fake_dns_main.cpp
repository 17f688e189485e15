// fake-dns: serves a zone file on a loopback address until SIGTERM or SIGINT, for benchmarks and
// manual tries. Usage: fake-dns --listen 127.0.0.1:5353 --zone FILE
// Prints "fake-dns listening on HOST:PORT" once both UDP and TCP are bound (port 0 picks one).
#include <csignal>
#include <cstdio>
#include <exception>
#include <iostream>
#include <string>

#include "fakes/dns/fake_dns_server.h"

namespace {

int usage() {
    std::cerr << "usage: fake-dns --listen 127.0.0.1:PORT --zone FILE\n";
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    std::string listen = "127.0.0.1:0";
    std::string zoneFile;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--listen" && i + 1 < argc)
            listen = argv[++i];
        else if (arg == "--zone" && i + 1 < argc)
            zoneFile = argv[++i];
        else
            return usage();
    }
    const std::size_t colon = listen.rfind(':');
    if (colon == std::string::npos)
        return usage();
    try {
        const unsigned long port = std::stoul(listen.substr(colon + 1));
        if (port > 65535)
            return usage();
        // Block the stop signals before the server thread starts, so only sigwait sees them.
        sigset_t signals;
        sigemptyset(&signals);
        sigaddset(&signals, SIGTERM);
        sigaddset(&signals, SIGINT);
        pthread_sigmask(SIG_BLOCK, &signals, nullptr);

        mailsift::fakes::FakeDnsServer server(listen.substr(0, colon),
                                              static_cast<std::uint16_t>(port));
        if (!zoneFile.empty())
            server.zone().loadFile(zoneFile);
        server.start();
        std::cout << "fake-dns listening on " << server.address() << std::endl;
        int received = 0;
        sigwait(&signals, &received);
        server.stop();
        std::cout << "fake-dns answered " << server.totalQueries() << " queries ("
                  << server.udpQueries() << " udp, " << server.tcpQueries() << " tcp)" << std::endl;
    } catch (const std::exception& error) {
        std::cerr << "fake-dns: " << error.what() << "\n";
        return 1;
    }
    return 0;
}
