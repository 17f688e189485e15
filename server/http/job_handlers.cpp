#include "http/job_handlers.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <charconv>
#include <optional>

#include "engine/result_json.h"
#include "http/csv_writer.h"
#include "http/http_error.h"
#include "http/job_json.h"
#include "jobs/result_codec.h"

namespace mailsift::http {

namespace {

const std::string kJobNotFound = "Job not found";

std::int64_t positionOf(const RequestContext& ctx) {
    const auto text = ctx.query().get("pos");
    if (!text || text->empty())
        return 0;
    std::int64_t pos = -1;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), pos);
    if (ec != std::errc() || end != text->data() + text->size() || pos < 0)
        throw HttpError(400, "pos must be a whole number of 0 or more (the first row is 0).");
    return pos;
}

/// The page of GET .../result: [{"email", "result"}...], `result` null for unfinished rows.
std::string resultsPage(const std::vector<store::ResultRow>& rows) {
    std::string out;
    out.reserve(rows.size() * 256 + 2);
    out += '[';
    for (std::size_t i = 0; i < rows.size(); ++i) {
        out += i == 0 ? "{\"email\":" : ",{\"email\":";
        engine::appendJsonString(out, rows[i].email);
        out += ",\"result\":";
        if (rows[i].result) {
            engine::appendResultJson(out, jobs::result_codec::fromRow(*rows[i].result));
        } else {
            out += "null";
        }
        out += '}';
    }
    out += ']';
    return out;
}

std::string downloadFileName(std::int64_t jobId, const std::vector<std::string>& filters) {
    std::string name = "mailsift-job-" + std::to_string(jobId);
    for (const auto& filter : filters)
        name += "-" + filter;
    return name + ".csv";
}

/// Counts the rows a download read from the store and whether it was abandoned, when it ends.
class DownloadTally {
  public:
    explicit DownloadTally(metrics::Registry* metrics) : metrics_(metrics) {}
    ~DownloadTally() {
        if (metrics_ == nullptr)
            return;
        metrics_
            ->counter("mailsift_http_download_rows_total",
                      "Rows read from the store for CSV downloads.")
            .inc(static_cast<double>(rows));
        if (abandoned)
            metrics_
                ->counter("mailsift_http_downloads_abandoned_total",
                          "CSV downloads stopped because the client went away or was cut off "
                          "(the store is not read further).")
                .inc();
    }
    DownloadTally(const DownloadTally&) = delete;
    DownloadTally& operator=(const DownloadTally&) = delete;

    std::int64_t rows = 0;
    bool abandoned = false;

  private:
    metrics::Registry* metrics_;
};

/// Streams the job's finished rows as CSV with chunked transfer; the response starts with the
/// first row (or once the scan is over), so a 404 can still be answered as JSON. The scan stops
/// at the first row after a write to the client failed.
void sendDownload(RequestContext& ctx, jobs::JobService& jobs, std::int64_t jobId,
                  const std::vector<std::string>& filters, metrics::Registry* metrics) {
    DownloadTally tally(metrics);
    std::optional<CsvWriter> csv;
    auto start = [&] {
        auto& response = ctx.response();
        response.setStatus(Poco::Net::HTTPResponse::HTTP_OK);
        response.setContentType("text/csv; charset=utf-8");
        response.set("Content-Disposition",
                     "attachment; filename=\"" + downloadFileName(jobId, filters) + "\"");
        response.setChunkedTransferEncoding(true);
        csv.emplace(response.send());
        for (const char* column : {"email", "syntax", "mx", "mailbox", "score", "classifier",
                                   "description", "smtpResponse"})
            csv->cell(column);
        csv->endRow();
    };
    answeringJobErrors([&] {
        jobs.download(ctx.accountId(), jobId, filters, [&](const store::ResultRow& row) {
            ++tally.rows;
            if (!csv)
                start();
            csv->cell(row.email);
            if (row.result) {
                const store::RowResult& result = *row.result;
                csv->cell(result.syntax);
                csv->cell(result.mx);
                csv->cell(result.mailbox);
                csv->cell(static_cast<long long>(result.score));
                csv->cell(result.classifier);
                csv->cell(result.description);
                csv->cell(result.smtpResponse);
            }
            csv->endRow();
            tally.abandoned = !csv->good();
            return !tally.abandoned;  // the client went away: stop reading
        });
    });
    if (!csv)
        start();
    if (!csv->flush())
        tally.abandoned = true;
}

}  // namespace

void registerJobRoutes(Router& router, jobs::JobService& jobs, JobUploadOptions uploads,
                       metrics::Registry* metrics) {
    router.add("POST", "/v1/email/validate/job", [&jobs, uploads](RequestContext& ctx) {
        const std::int64_t id = createJobFromRequest(ctx, jobs, uploads);
        Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
        body->set("id", id);
        ctx.sendJson(201, body);
    });

    router.add("GET", "/v1/email/validate/job", [&jobs](RequestContext& ctx) {
        ctx.sendJson(200, jobsToJson(jobs.list(ctx.accountId())));
    });

    router.add("GET", "/v1/email/validate/job/{id}", [&jobs](RequestContext& ctx) {
        const auto job = jobs.get(ctx.accountId(), ctx.pathId("id", kJobNotFound));
        if (!job) {
            throw HttpError(404, kJobNotFound);
        }
        ctx.sendJson(200, jobToJson(*job));
    });

    router.add("GET", "/v1/email/validate/job/{id}/result", [&jobs](RequestContext& ctx) {
        const std::int64_t jobId = ctx.pathId("id", kJobNotFound);
        const std::int64_t pos = positionOf(ctx);
        answeringJobErrors([&] {
            ctx.sendText(200, "application/json",
                         resultsPage(jobs.results(ctx.accountId(), jobId, pos)));
        });
    });

    router.add("GET", "/v1/email/validate/job/{id}/download",
               [&jobs, metrics](RequestContext& ctx) {
                   const std::int64_t jobId = ctx.pathId("id", kJobNotFound);
                   const std::vector<std::string> filters = ctx.query().all("filters");
                   answeringJobErrors([&] { jobs::JobService::checkFilters(filters); });
                   sendDownload(ctx, jobs, jobId, filters, metrics);
               });

    router.add("DELETE", "/v1/email/validate/job/{id}", [&jobs](RequestContext& ctx) {
        const std::int64_t jobId = ctx.pathId("id", kJobNotFound);
        answeringJobErrors([&] { jobs.remove(ctx.accountId(), jobId); });
        ctx.sendJson(200, Poco::JSON::Object::Ptr(new Poco::JSON::Object));
    });

    router.add("POST", "/v1/email/validate/job/{id}/pause", [&jobs](RequestContext& ctx) {
        const std::int64_t jobId = ctx.pathId("id", kJobNotFound);
        answeringJobErrors(
            [&] { ctx.sendJson(200, jobToJson(jobs.pause(ctx.accountId(), jobId))); });
    });

    router.add("POST", "/v1/email/validate/job/{id}/resume", [&jobs](RequestContext& ctx) {
        const std::int64_t jobId = ctx.pathId("id", kJobNotFound);
        answeringJobErrors(
            [&] { ctx.sendJson(200, jobToJson(jobs.resume(ctx.accountId(), jobId))); });
    });
}

}  // namespace mailsift::http
