#include "dns/dns_resolver.h"

#include <ares.h>

#include <algorithm>
#include <mutex>
#include <stdexcept>

#include "dns/resolution.h"

namespace mailsift::stages::dns {
namespace {

/// c-ares wants one process-wide initialisation before any channel exists; the flag is static
/// because the library state it guards is process-global too. It is never cleaned up: other
/// plugins or the host may use c-ares as well.
void initialiseCares() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (const int rc = ares_library_init(ARES_LIB_INIT_ALL); rc != ARES_SUCCESS)
            throw std::runtime_error(std::string("c-ares: library init failed: ") +
                                     ares_strerror(rc));
    });
}

std::string joinServers(const std::vector<std::string>& servers) {
    std::string csv;
    for (const std::string& server : servers) {
        if (server.find(',') != std::string::npos)
            throw std::invalid_argument("mailsift.stage.dns: config key servers: '" + server +
                                        "' is not one host:port");
        if (!csv.empty())
            csv += ',';
        csv += server;
    }
    return csv;
}

}  // namespace

DnsResolver::DnsResolver(DnsConfig config)
    : config_(std::move(config)), serversCsv_(joinServers(config_.servers)) {
    initialiseCares();
    Resolution probe(config_, serversCsv_);  // rejects a server list c-ares cannot read
}

std::unordered_map<std::string, DomainAnswer> DnsResolver::resolve(
    const std::vector<std::string>& domains, std::chrono::steady_clock::time_point deadline,
    const std::atomic<bool>* cancel) const {
    std::vector<std::string> unique = domains;
    std::sort(unique.begin(), unique.end());
    unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
    unique.erase(std::remove(unique.begin(), unique.end(), std::string()), unique.end());
    if (unique.empty())
        return {};
    Resolution resolution(config_, serversCsv_);
    return resolution.run(unique, deadline, cancel);
}

}  // namespace mailsift::stages::dns
