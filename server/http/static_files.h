#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mailsift::http {

/// One file of a static folder, read whole, with the validator a browser revalidates against.
struct StaticFile {
    std::string body;
    std::string contentType;
    std::string etag;  ///< quoted strong validator from size and modification time
};

/// Read-only access to one folder of static files (the dashboard). Only names that pass
/// isServableName() are looked up, and only directly inside the folder or one of the sub-folders
/// named in lookups: a request can never reach a file outside it. Reads the disk on every call,
/// so an upgrade of the files needs no restart. Thread-safe (holds no mutable state).
class StaticFiles {
  public:
    /// `root` should be absolute; it need not exist (every lookup then finds nothing).
    explicit StaticFiles(std::string root) : root_(std::move(root)) {}

    /// The file `name` in `folder` ("" = the root itself, else one plain sub-folder name), or
    /// nullopt when the name is not servable, the file is missing, not a regular file, or larger
    /// than kMaxFileBytes.
    std::optional<StaticFile> read(std::string_view folder, std::string_view name) const;

    /// True when the folder holds the file `name` (used at start-up to warn about a missing
    /// dashboard).
    bool contains(std::string_view name) const { return read("", name).has_value(); }

    const std::string& root() const { return root_; }

    static constexpr std::uintmax_t kMaxFileBytes = 8U << 20U;

  private:
    std::string root_;
};

/// The content type served for a file name, by its extension (html, js, css, svg, png, ico,
/// json, txt, woff2); "" for any other extension, which is then not served.
std::string_view contentTypeFor(std::string_view name);

/// True for a plain file name: 1 to 128 characters of letters, digits, '-', '_' and '.', not
/// starting with '.', with an extension contentTypeFor() knows. Rejects "..", slashes,
/// backslashes, NUL and percent signs, so decoding tricks cannot climb out of the folder.
bool isServableName(std::string_view name);

}  // namespace mailsift::http
