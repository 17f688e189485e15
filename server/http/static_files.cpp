#include "http/static_files.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <utility>

namespace mailsift::http {

namespace {

constexpr std::size_t kMaxNameLength = 128;

struct TypeByExtension {
    std::string_view extension;
    std::string_view contentType;
};

constexpr std::array<TypeByExtension, 9> kTypes = {{
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".json", "application/json"},
    {".txt", "text/plain; charset=utf-8"},
    {".woff2", "font/woff2"},
}};

bool endsWith(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() &&
           text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool isNameChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.';
}

std::string hex(std::uintmax_t value) {
    static constexpr std::string_view kDigits = "0123456789abcdef";
    std::string out;
    do {
        out.insert(out.begin(), kDigits[value & 0xFU]);
        value >>= 4U;
    } while (value != 0);
    return out;
}

}  // namespace

std::string_view contentTypeFor(std::string_view name) {
    for (const auto& type : kTypes) {
        if (endsWith(name, type.extension) && name.size() > type.extension.size())
            return type.contentType;
    }
    return {};
}

bool isServableName(std::string_view name) {
    if (name.empty() || name.size() > kMaxNameLength || name.front() == '.')
        return false;
    if (!std::all_of(name.begin(), name.end(), isNameChar))
        return false;
    if (name.find("..") != std::string_view::npos)
        return false;
    return !contentTypeFor(name).empty();
}

std::optional<StaticFile> StaticFiles::read(std::string_view folder, std::string_view name) const {
    if (root_.empty() || !isServableName(name))
        return std::nullopt;
    if (!folder.empty() &&
        (folder.front() == '.' || !std::all_of(folder.begin(), folder.end(), isNameChar)))
        return std::nullopt;
    std::filesystem::path path(root_);
    if (!folder.empty())
        path /= std::string(folder);
    path /= std::string(name);

    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::is_regular_file(status))
        return std::nullopt;
    const std::uintmax_t size = std::filesystem::file_size(path, ec);
    if (ec || size > kMaxFileBytes)
        return std::nullopt;
    const auto modified = std::filesystem::last_write_time(path, ec);
    if (ec)
        return std::nullopt;

    std::ifstream in(path, std::ios::binary);
    if (!in)
        return std::nullopt;
    StaticFile file;
    file.body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (in.bad() || file.body.size() > kMaxFileBytes)
        return std::nullopt;
    const auto ticks = modified.time_since_epoch().count();
    file.etag = "\"" + hex(file.body.size()) + "-" + hex(static_cast<std::uintmax_t>(ticks)) + "\"";
    file.contentType = std::string(contentTypeFor(name));
    return file;
}

}  // namespace mailsift::http
