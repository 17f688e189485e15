// The YAML config loader (server/config) on arbitrary text: a Config or a ConfigError naming
// what is wrong, never a crash or another exception.
#include <cstddef>
#include <cstdint>
#include <string>

#include "config/config_error.h"
#include "config/config_loader.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string yaml(reinterpret_cast<const char*>(data), size);
    try {
        (void)mailsift::config::loadConfigText(yaml, "/nonexistent/mailsift.yaml");
    } catch (const mailsift::config::ConfigError& error) {
        FUZZ_CHECK(error.what()[0] != '\0', "the error has a message");
    }
    return 0;
}
