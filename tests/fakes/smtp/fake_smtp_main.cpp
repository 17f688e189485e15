// fake-smtp: the scripted SMTP server as a process, for benchmarks and manual tests.
//
//     fake-smtp --port 2525 --script servers.txt
//
// Listens on every address of the script (loopback only) until SIGTERM or SIGINT, then prints
// per-address totals (sessions, RCPT commands, max concurrent sessions, DATA attempts).
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

#include "smtp/fake_smtp_script.h"
#include "smtp/fake_smtp_server.h"

namespace {

int usage() {
    std::cerr << "usage: fake-smtp --port PORT --script FILE\n"
                 "  script format: see tests/fakes/smtp/fake_smtp_script.h\n";
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    std::string script;
    long port = -1;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        if (flag == "--port")
            port = std::strtol(argv[i + 1], nullptr, 10);
        else if (flag == "--script")
            script = argv[i + 1];
        else
            return usage();
    }
    if (argc % 2 == 0 || script.empty() || port < 0 || port > 65535)
        return usage();

    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // every thread inherits the mask

    try {
        std::ifstream in(script);
        if (!in)
            throw std::runtime_error("cannot read " + script);
        const auto addresses = mailsift::fakes::parseFakeSmtpScript(in);
        mailsift::fakes::FakeSmtpServer server(static_cast<std::uint16_t>(port));
        for (const auto& [ip, behaviour] : addresses)
            server.addAddress(ip, behaviour);
        server.start();
        std::cout << "fake-smtp: listening on " << addresses.size() << " addresses, port "
                  << server.port() << std::endl;
        int received = 0;
        sigwait(&signals, &received);
        server.stop();
        for (const auto& [ip, behaviour] : addresses) {
            const auto sessions = server.connections(ip);
            if (sessions.empty())
                continue;
            std::cout << ip << " sessions=" << sessions.size()
                      << " rcpt=" << server.commandCount("RCPT", ip)
                      << " max_concurrent=" << server.maxConcurrent(ip) << "\n";
        }
        std::cout << "data_commands=" << server.dataCommands() << std::endl;
    } catch (const std::exception& e) {
        std::cerr << "fake-smtp: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
