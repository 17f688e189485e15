#pragma once
// The plugin ABI: the one C struct a plugin exports and the host checks before trusting anything
// else in the library. It only grows by appending fields (and bumping MAILSIFT_ABI_MINOR); any
// other change bumps MAILSIFT_ABI_MAJOR. Plain C types only, so the layout is the same on both
// sides.

#include <stddef.h>
#include <stdint.h>

#define MAILSIFT_ABI_MAJOR 1
#define MAILSIFT_ABI_MINOR 0

/// What a plugin provides; the host casts the object that `create` returns accordingly.
enum MailsiftPluginKind : uint32_t {
    MAILSIFT_KIND_STAGE = 1,      ///< a mailsift::ValidatorStage
    MAILSIFT_KIND_CONNECTOR = 2,  ///< a mailsift::Connector
};

extern "C" {

/// Returned by the exported function `mailsift_plugin_descriptor()`; lives as long as the library.
struct MailsiftPluginDescriptor {
    uint32_t struct_size;   ///< sizeof(MailsiftPluginDescriptor) as the plugin was built
    uint16_t abi_major;     ///< MAILSIFT_ABI_MAJOR as the plugin was built
    uint16_t abi_minor;     ///< MAILSIFT_ABI_MINOR as the plugin was built
    const char* build_tag;  ///< compiler, standard library and SDK header hash (MAILSIFT_BUILD_TAG)
    uint32_t kind;          ///< a MailsiftPluginKind
    const char* name;       ///< stable dotted name, e.g. "mailsift.stage.syntax"
    const char* version;    ///< the plugin's own version, e.g. "1.0.0"
    /// Makes an instance. `host` is a mailsift::HostApi* that outlives the instance; `config_json`
    /// is the plugin's block of the YAML config as a JSON object. On failure returns null and
    /// writes a NUL-terminated sentence into `err` (at most `err_len` bytes). Never throws.
    void* (*create)(void* host, const char* config_json, char* err, size_t err_len);
    /// Destroys what `create` returned. Never throws.
    void (*destroy)(void* instance);
};

/// The one symbol every plugin exports.
typedef const MailsiftPluginDescriptor* (*MailsiftPluginDescriptorFn)(void);
}

#define MAILSIFT_DESCRIPTOR_SYMBOL "mailsift_plugin_descriptor"
