#include "excel/spool_file.h"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <vector>

#include "mailsift/connector.h"

namespace mailsift::connectors::excel {
namespace {

ConnectorError cannotSpool(const std::string& why) {
    return ConnectorError(ConnectorError::Kind::unavailable,
                          "the upload could not be stored for reading: " + why);
}

bool writeAll(int fd, const char* data, std::size_t size) {
    while (size > 0) {
        const ssize_t written = ::write(fd, data, size);
        if (written < 0 && errno == EINTR)
            continue;
        if (written <= 0)
            return false;
        data += written;
        size -= static_cast<std::size_t>(written);
    }
    return true;
}

}  // namespace

SpoolFile::SpoolFile(std::istream& in, const std::string& folder) {
    std::error_code error;
    const std::filesystem::path base = folder.empty() ? std::filesystem::temp_directory_path(error)
                                                      : std::filesystem::path(folder);
    if (error)
        throw cannotSpool("no temporary folder");
    std::string pattern = (base / "mailsift-upload-XXXXXX").string();
    std::vector<char> name(pattern.begin(), pattern.end());
    name.push_back('\0');
    const int fd = ::mkstemp(name.data());
    if (fd < 0)
        throw cannotSpool(std::strerror(errno));
    path_ = name.data();

    std::unique_ptr<char[]> block(new char[64 * 1024]);
    bool ok = true;
    while (ok && in) {
        in.read(block.get(), 64 * 1024);
        const std::streamsize got = in.gcount();
        if (got > 0)
            ok = writeAll(fd, block.get(), static_cast<std::size_t>(got));
    }
    const bool readFailed = in.bad();
    if (::close(fd) != 0)
        ok = false;
    if (!ok || readFailed) {
        ::unlink(path_.c_str());
        throw readFailed ? ConnectorError(ConnectorError::Kind::badInput,
                                          "the file could not be read to the end")
                         : cannotSpool("the copy could not be written");
    }
}

SpoolFile::~SpoolFile() {
    ::unlink(path_.c_str());
}

}  // namespace mailsift::connectors::excel
