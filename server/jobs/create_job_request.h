#pragma once

#include <functional>
#include <istream>
#include <optional>
#include <string>

#include "store/job_records.h"

namespace mailsift::jobs {

/// What a client asked for when creating a job, independent of how it arrived (multipart form,
/// URL-encoded form). The file, when there is one, is a stream that JobService reads once, to the
/// end, while it stores the rows; it is never held whole in memory.
struct CreateJobRequest {
    std::string label;
    std::string source;  ///< file, input, excel (integrations come later)
    std::optional<store::Id> integrationId;

    std::istream* file = nullptr;      ///< the uploaded file, streamed; null when none was sent
    std::string fileName;              ///< the name the client gave the file
    std::optional<std::string> input;  ///< the `input` field; nullopt when it was not sent

    /// Called after the connector has read the file (also when it failed), before the job is
    /// sealed. Throws when the stream itself went wrong (the upload was cut off, crossed the size
    /// limit, the client went away); the job is then removed and the exception passes on. May be
    /// empty.
    std::function<void()> verifyFile;
    /// True once the file stream has failed, so reading can stop early. May be empty.
    std::function<bool()> fileFailed;
};

}  // namespace mailsift::jobs
