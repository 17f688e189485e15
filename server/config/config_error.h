#pragma once

#include <stdexcept>
#include <string>

namespace mailsift::config {

/// Bad configuration: the message starts with the YAML path of the offending key
/// (e.g. "http.port: expected a whole number from 0 to 65535, got 'eighty'").
class ConfigError : public std::runtime_error {
  public:
    /// Control characters in `message` (a key or value from the file may hold NUL or escapes)
    /// are shown as \xNN, so the message prints whole and nothing in it drives the terminal.
    explicit ConfigError(const std::string& message) : std::runtime_error(printable(message)) {}

  private:
    static std::string printable(const std::string& text) {
        static constexpr char kHex[] = "0123456789abcdef";
        std::string out;
        out.reserve(text.size());
        for (const char c : text) {
            const auto byte = static_cast<unsigned char>(c);
            if (byte < 0x20 || byte == 0x7f) {
                out += "\\x";
                out += kHex[byte >> 4];
                out += kHex[byte & 0xf];
            } else {
                out += c;
            }
        }
        return out;
    }
};

}  // namespace mailsift::config
