#pragma once
// Include this in a plugin's .cpp and add one line:
//
//     MAILSIFT_PLUGIN(MyStage, "mailsift.stage.mine", stage)      // or `connector`
//
// `MyStage` derives from mailsift::ValidatorStage (or mailsift::Connector) and has a constructor
// `MyStage(mailsift::HostApi& host, std::string_view configJson)`. The macro makes the exported
// descriptor; no exception crosses the C boundary. The version comes from mailsift_add_plugin().

#include <cstring>
#include <exception>
#include <string_view>

#include "mailsift/build_tag.h"
#include "mailsift/connector.h"
#include "mailsift/host_api.h"
#include "mailsift/plugin_descriptor.h"
#include "mailsift/validator_stage.h"

#ifndef MAILSIFT_PLUGIN_VERSION
#define MAILSIFT_PLUGIN_VERSION "0.0.0"
#endif

namespace mailsift::detail {

template <MailsiftPluginKind Kind>
struct KindBase;
template <>
struct KindBase<MAILSIFT_KIND_STAGE> {
    using type = ValidatorStage;
};
template <>
struct KindBase<MAILSIFT_KIND_CONNECTOR> {
    using type = Connector;
};

inline void copyError(char* err, size_t errLen, const char* message) noexcept {
    if (err == nullptr || errLen == 0)
        return;
    std::strncpy(err, message, errLen - 1);
    err[errLen - 1] = '\0';
}

template <class Class, MailsiftPluginKind Kind>
struct PluginGlue {
    using Base = typename KindBase<Kind>::type;

    static void* create(void* host, const char* configJson, char* err, size_t errLen) noexcept {
        try {
            Base* instance = new Class(*static_cast<HostApi*>(host),
                                       std::string_view(configJson ? configJson : "{}"));
            return static_cast<void*>(instance);
        } catch (const std::exception& e) {
            copyError(err, errLen, e.what());
        } catch (...) {
            copyError(err, errLen, "unknown exception");
        }
        return nullptr;
    }

    static void destroy(void* instance) noexcept { delete static_cast<Base*>(instance); }
};

}  // namespace mailsift::detail

#define MAILSIFT_KIND_stage MAILSIFT_KIND_STAGE
#define MAILSIFT_KIND_connector MAILSIFT_KIND_CONNECTOR

#define MAILSIFT_PLUGIN(Class, Name, Kind)                                                 \
    extern "C" __attribute__((visibility("default"))) const MailsiftPluginDescriptor*      \
    mailsift_plugin_descriptor(void) {                                                     \
        using Glue = ::mailsift::detail::PluginGlue<Class, MAILSIFT_KIND_##Kind>;          \
        static const MailsiftPluginDescriptor descriptor{sizeof(MailsiftPluginDescriptor), \
                                                         MAILSIFT_ABI_MAJOR,               \
                                                         MAILSIFT_ABI_MINOR,               \
                                                         MAILSIFT_BUILD_TAG,               \
                                                         MAILSIFT_KIND_##Kind,             \
                                                         Name,                             \
                                                         MAILSIFT_PLUGIN_VERSION,          \
                                                         &Glue::create,                    \
                                                         &Glue::destroy};                  \
        return &descriptor;                                                                \
    }
