#include "common/list_file.h"

#include <fstream>
#include <stdexcept>

#include "common/ascii.h"
#include "common/idna.h"

namespace mailsift::stages {

std::vector<std::string> readListFile(const std::string& path, ListKind kind,
                                      std::string_view configKey, std::string_view pluginName) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error(std::string(pluginName) + ": cannot read the list file '" + path +
                                 "' (config key " + std::string(configKey) + ")");
    }
    std::vector<std::string> entries;
    std::string line;
    std::string converted;
    while (std::getline(in, line)) {
        std::string_view entry = trimAscii(line);
        if (entry.empty() || entry.front() == '#')
            continue;
        if (kind == ListKind::domains && entry.back() == '.')
            entry.remove_suffix(1);
        if (entry.empty())
            continue;
        if (kind == ListKind::domains && !isAscii(entry)) {
            if (!domainToAscii(entry, converted))
                continue;
            entries.push_back(converted);
            continue;
        }
        std::string& stored = entries.emplace_back(entry);
        for (char& c : stored)
            c = toLowerAscii(c);
    }
    if (in.bad()) {
        throw std::runtime_error(std::string(pluginName) + ": error while reading the list file '" +
                                 path + "' (config key " + std::string(configKey) + ")");
    }
    return entries;
}

}  // namespace mailsift::stages
