#include "typo/tld_slips.h"

#include <array>
#include <utility>

namespace mailsift::stages::typo {
namespace {

// None of these is a TLD (checked against the Public Suffix List of 2023-02, Debian publicsuffix).
constexpr std::array<std::pair<std::string_view, std::string_view>, 25> kSlips{{
    {"con", "com"},  {"cmo", "com"},  {"ocm", "com"},  {"comm", "com"}, {"coom", "com"},
    {"cpm", "com"},  {"vom", "com"},  {"xom", "com"},  {"cim", "com"},  {"cok", "com"},
    {"conm", "com"}, {"comn", "com"}, {"copm", "com"}, {"c0m", "com"},  {"clm", "com"},
    {"nte", "net"},  {"ner", "net"},  {"nett", "net"}, {"ent", "net"},  {"met", "net"},
    {"ogr", "org"},  {"rog", "org"},  {"orgg", "org"}, {"prg", "org"},  {"orh", "org"},
}};

}  // namespace

std::string_view correctTld(std::string_view tld) {
    for (const auto& [slip, meant] : kSlips) {
        if (slip == tld)
            return meant;
    }
    return {};
}

}  // namespace mailsift::stages::typo
