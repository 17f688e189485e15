#pragma once

#include <istream>
#include <string>

namespace mailsift::connectors::excel {

/// A private temporary copy of an upload, for readers that need to seek (the zip central
/// directory sits at the end) or a path (libfreexl). Created with mkstemp (mode 0600) in `folder`,
/// or in the system temp folder when `folder` is empty, and removed when the object dies.
/// Throws ConnectorError unavailable when the copy cannot be written (disk full, bad folder).
class SpoolFile {
  public:
    /// Copies the rest of `in` into the file.
    SpoolFile(std::istream& in, const std::string& folder);
    ~SpoolFile();
    SpoolFile(const SpoolFile&) = delete;
    SpoolFile& operator=(const SpoolFile&) = delete;

    const std::string& path() const { return path_; }

  private:
    std::string path_;
};

}  // namespace mailsift::connectors::excel
