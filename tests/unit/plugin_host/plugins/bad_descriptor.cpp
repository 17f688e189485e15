// Hand-written descriptors that the host must refuse, one per build (BAD_CASE selects which), and
// one that exports no descriptor at all. None of them uses MAILSIFT_PLUGIN on purpose.
#include <cstddef>
#include <cstdint>
#include <stdexcept>

#include "mailsift/build_tag.h"
#include "mailsift/plugin_descriptor.h"

#define BAD_STRUCT_SIZE 1
#define BAD_ABI_MAJOR 2
#define BAD_BUILD_TAG 3
#define BAD_KIND 4
#define BAD_NO_SYMBOL 5
#define BAD_THROWING_CREATE 6
#define BAD_EMPTY_NAME 7

namespace {

[[maybe_unused]] void* createNothing(void*, const char*, char* err, std::size_t errLen) {
    if (errLen > 0)
        err[0] = '\0';
    return nullptr;
}

[[maybe_unused, noreturn]] void* createThrowing(void*, const char*, char*, std::size_t) {
    throw std::runtime_error("thrown straight through the C boundary");
}

[[maybe_unused]] void destroyNothing(void*) {}

#if BAD_CASE == BAD_STRUCT_SIZE
/// The descriptor of an imagined older SDK without create and destroy: 40 bytes on x86-64.
struct OldDescriptor {
    std::uint32_t struct_size;
    std::uint16_t abi_major;
    std::uint16_t abi_minor;
    const char* build_tag;
    std::uint32_t kind;
    const char* name;
    const char* version;
};
const OldDescriptor kDescriptor{
    sizeof(OldDescriptor), MAILSIFT_ABI_MAJOR, 0,      MAILSIFT_BUILD_TAG,
    MAILSIFT_KIND_STAGE,   "test.stage.old",   "0.1.0"};
#elif BAD_CASE != BAD_NO_SYMBOL
const MailsiftPluginDescriptor kDescriptor {
    sizeof(MailsiftPluginDescriptor),
#if BAD_CASE == BAD_ABI_MAJOR
        MAILSIFT_ABI_MAJOR + 1,
#else
        MAILSIFT_ABI_MAJOR,
#endif
        MAILSIFT_ABI_MINOR,
#if BAD_CASE == BAD_BUILD_TAG
        "GNU-4.8.5/libstdc++/c++11/sdk-0123456789abcdef",
#else
        MAILSIFT_BUILD_TAG,
#endif
#if BAD_CASE == BAD_KIND
        7,
#else
        MAILSIFT_KIND_STAGE,
#endif
#if BAD_CASE == BAD_EMPTY_NAME
        "",
#else
        BAD_NAME,
#endif
        "0.1.0",
#if BAD_CASE == BAD_THROWING_CREATE
        &createThrowing,
#else
        &createNothing,
#endif
        &destroyNothing
};
#endif

}  // namespace

#if BAD_CASE == BAD_NO_SYMBOL
extern "C" __attribute__((visibility("default"))) int mailsift_plugin_something_else(void) {
    return 42;
}
#else
extern "C" __attribute__((visibility("default"))) const MailsiftPluginDescriptor*
mailsift_plugin_descriptor(void) {
    return reinterpret_cast<const MailsiftPluginDescriptor*>(&kDescriptor);
}
#endif
