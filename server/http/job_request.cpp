#include "http/job_request.h"

#include <Poco/String.h>

#include <array>
#include <fstream>
#include <optional>

#include "http/multipart_reader.h"
#include "http/spool_file.h"

namespace mailsift::http {
namespace {

using jobs::CreateJobRequest;
using jobs::JobService;

constexpr std::int64_t kMaxUrlEncodedBytes = 64LL << 20;

/// Stores one text field of the form in `request`; unknown fields are ignored.
void setField(CreateJobRequest& request, const std::string& name, std::string value) {
    if (name == "label") {
        request.label = std::move(value);
    } else if (name == "source") {
        answeringJobErrors([&] { return JobService::connectorFor(value); });
        request.source = std::move(value);
    } else if (name == "input") {
        request.input = std::move(value);
    } else if (name == "integration") {
        if (value.empty())
            return;
        const auto id = parseId(value);
        if (!id) {
            throw HttpError(400,
                            "integration must be the id of one of your integrations (a "
                            "positive whole number).");
        }
        request.integrationId = *id;
    }
}

std::int64_t createFromUrlEncoded(RequestContext& ctx, JobService& jobs) {
    std::string body;
    std::array<char, 64 * 1024> chunk{};
    std::istream& in = ctx.body();
    while (in.read(chunk.data(), chunk.size()) || in.gcount() > 0) {
        body.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
        if (static_cast<std::int64_t>(body.size()) > kMaxUrlEncodedBytes) {
            throw HttpError(413, "The form is larger than " +
                                     std::to_string(kMaxUrlEncodedBytes >> 20) +
                                     " MiB; upload the addresses as a CSV file instead.");
        }
    }
    CreateJobRequest request;
    const QueryParams form = QueryParams::parse(body);
    for (const auto& [name, value] : form.pairs())
        setField(request, name, value);
    return answeringJobErrors([&] { return jobs.create(ctx.accountId(), request); });
}

std::int64_t createFromMultipart(RequestContext& ctx, JobService& jobs,
                                 const JobUploadOptions& options, const std::string& boundary) {
    MultipartReader reader(ctx.body(), boundary, options.maxUploadBytes);
    CreateJobRequest request;
    std::optional<SpoolFile> spool;
    std::optional<std::int64_t> created;
    bool sawFile = false;
    try {
        MultipartPart part;
        while (reader.next(part)) {
            if (part.name != "file") {
                std::string value = reader.readText();
                reader.throwIfFailed();
                if (created && part.name == "label") {
                    // The file streamed in before its label: the job exists, so label it now.
                    answeringJobErrors([&] {
                        jobs.relabel(ctx.accountId(), *created, value);
                        return 0;
                    });
                }
                setField(request, part.name, std::move(value));
                continue;
            }
            if (sawFile)
                throw HttpError(400,
                                "The form has more than one file field; send one file per job.");
            sawFile = true;
            request.fileName = part.fileName;
            if (request.source.empty()) {
                spool.emplace(options.spoolDir);  // source unknown yet: keep the file for later
                spool->write(reader.content());
                reader.throwIfFailed();
            } else if (JobService::takesFile(request.source)) {
                request.file = &reader.content();
                request.verifyFile = [&reader] { reader.throwIfFailed(); };
                request.fileFailed = [&reader] { return reader.failed(); };
                created = answeringJobErrors([&] { return jobs.create(ctx.accountId(), request); });
                request.file = nullptr;
            }
        }
    } catch (...) {
        if (created) {
            try {
                jobs.remove(ctx.accountId(), *created);  // the form failed after its file
            } catch (const std::exception&) {
                // Gone already, or the store is failing too; the first error is the one to show.
            }
        }
        throw;
    }
    if (created)
        return *created;
    std::ifstream spooled;
    if (spool && JobService::takesFile(request.source)) {
        spooled.open(spool->path(), std::ios::binary);
        request.file = &spooled;
    }
    return answeringJobErrors([&] { return jobs.create(ctx.accountId(), request); });
}

}  // namespace

HttpError httpErrorOf(const jobs::JobError& error) {
    switch (error.kind()) {
        case jobs::JobError::Kind::tooLarge:
            return HttpError(413, error.what());
        case jobs::JobError::Kind::notFound:
            return HttpError(404, error.what());
        case jobs::JobError::Kind::unavailable:
            return HttpError(503, error.what());
        case jobs::JobError::Kind::badRequest:
            break;
    }
    return HttpError(400, error.what());
}

std::int64_t createJobFromRequest(RequestContext& ctx, JobService& jobs,
                                  const JobUploadOptions& options) {
    const std::string contentType = ctx.request().getContentType();
    if (const auto boundary = MultipartReader::boundaryOf(contentType))
        return createFromMultipart(ctx, jobs, options, *boundary);
    if (Poco::toLower(contentType).rfind("application/x-www-form-urlencoded", 0) == 0)
        return createFromUrlEncoded(ctx, jobs);
    throw HttpError(400,
                    "Send the job as multipart/form-data (fields label, source, file, input, "
                    "integration), or as application/x-www-form-urlencoded for "
                    "source=input.");
}

}  // namespace mailsift::http
