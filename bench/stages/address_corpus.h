#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace mailsift::bench {

/// `count` realistic addresses, the same for the same seed on every platform: about 45% at free
/// providers, 35% at company domains (a few of them IDNs), 6% role, 4% disposable, 4% typos of
/// well-known providers or TLDs, 2% invalid, the rest with upper case, +tags, white space or
/// UTF-8 local parts.
std::vector<std::string> makeAddressCorpus(std::size_t count, std::uint64_t seed = 42);

}  // namespace mailsift::bench
