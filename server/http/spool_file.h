#pragma once

#include <istream>
#include <string>

namespace mailsift::http {

/// A temporary file in the spool folder holding an upload that cannot be read yet (its form's
/// `source` field comes after the file). The folder is created when missing; the file is removed
/// when this object goes away. One request thread owns it.
class SpoolFile {
  public:
    /// Creates an empty file with a random name in `folder`; std::runtime_error when it cannot.
    explicit SpoolFile(const std::string& folder);
    ~SpoolFile();
    SpoolFile(const SpoolFile&) = delete;
    SpoolFile& operator=(const SpoolFile&) = delete;

    const std::string& path() const { return path_; }
    /// Copies `in` to the end of the file; std::runtime_error when the disk refuses the data.
    void write(std::istream& in);

  private:
    std::string path_;
};

}  // namespace mailsift::http
