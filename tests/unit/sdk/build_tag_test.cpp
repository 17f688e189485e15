// The build tag is computed by CMake at configure time; these tests recompute its SDK hash from the
// headers as they are now, so an edited header without a re-run of CMake fails loudly.
#include "mailsift/build_tag.h"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

std::string sha256Hex(const std::string& bytes) {
    Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
    engine.update(bytes.data(), static_cast<unsigned>(bytes.size()));
    return Poco::DigestEngine::digestToHex(engine.digest());
}

std::string readFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

/// Same algorithm as server/sdk/CMakeLists.txt: sha256 over the sorted "<name>:<sha256>\n" lines
/// of the headers, first 16 hex digits.
std::string sdkHashNow() {
    std::vector<fs::path> headers;
    for (const fs::directory_entry& entry : fs::directory_iterator(MAILSIFT_SDK_HEADER_DIR)) {
        if (entry.is_regular_file() && entry.path().extension() == ".h") {
            headers.push_back(entry.path());
        }
    }
    std::sort(headers.begin(), headers.end(),
              [](const fs::path& a, const fs::path& b) { return a.string() < b.string(); });
    std::string digest;
    for (const fs::path& header : headers) {
        digest += header.filename().string() + ":" + sha256Hex(readFile(header)) + "\n";
    }
    return sha256Hex(digest).substr(0, 16);
}

TEST(BuildTag, SdkHashMatchesTheHeadersOnDisk) {
    EXPECT_EQ(sdkHashNow(), MAILSIFT_SDK_HASH) << "the build tag is stale: re-run CMake";
}

TEST(BuildTag, NamesCompilerStandardLibraryStandardAndSdkHash) {
    const std::string tag = MAILSIFT_BUILD_TAG;
    EXPECT_NE(tag.find("/sdk-" MAILSIFT_SDK_HASH), std::string::npos) << tag;
    EXPECT_NE(tag.find("/c++20/"), std::string::npos) << tag;
#if defined(__clang__)
    const std::string compiler = "Clang-" + std::to_string(__clang_major__) + "." +
                                 std::to_string(__clang_minor__) + "." +
                                 std::to_string(__clang_patchlevel__);
#elif defined(__GNUC__)
    const std::string compiler = "GNU-" + std::to_string(__GNUC__) + "." +
                                 std::to_string(__GNUC_MINOR__) + "." +
                                 std::to_string(__GNUC_PATCHLEVEL__);
#endif
    EXPECT_EQ(tag.rfind(compiler + "/", 0), 0U)
        << "the build tag is stale: re-run CMake (" << tag << ")";
#if defined(_LIBCPP_VERSION)
    EXPECT_NE(tag.find("/libc++/"), std::string::npos) << tag;
#else
    EXPECT_NE(tag.find("/libstdc++/"), std::string::npos) << tag;
#endif
}

}  // namespace
