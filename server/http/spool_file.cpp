#include "http/spool_file.h"

#include <Poco/UUIDGenerator.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace mailsift::http {

SpoolFile::SpoolFile(const std::string& folder) {
    std::error_code ec;
    std::filesystem::create_directories(folder, ec);
    path_ =
        (std::filesystem::path(folder) /
         ("upload-" + Poco::UUIDGenerator::defaultGenerator().createRandom().toString() + ".part"))
            .string();
    std::ofstream create(path_, std::ios::binary | std::ios::trunc);
    if (!create)
        throw std::runtime_error("Cannot create the spool file " + path_ + " (jobs.spool_dir).");
}

SpoolFile::~SpoolFile() {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
}

void SpoolFile::write(std::istream& in) {
    std::ofstream out(path_, std::ios::binary | std::ios::app);
    std::array<char, 64 * 1024> chunk{};
    while (in.read(chunk.data(), chunk.size()) || in.gcount() > 0)
        out.write(chunk.data(), in.gcount());
    out.flush();
    if (!out)
        throw std::runtime_error("Cannot write the spool file " + path_ + " (disk full?).");
}

}  // namespace mailsift::http
