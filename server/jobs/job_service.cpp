#include "jobs/job_service.h"

#include <Poco/JSON/Parser.h>

#include <chrono>

#include "jobs/ingest_sink.h"

namespace mailsift::jobs {
namespace {

const std::string kJobNotFound = "Job not found";
constexpr std::size_t kMaxLabelBytes = 255;

struct SourceConnector {
    std::string_view source;
    std::string_view plugin;
    bool takesFile;
};

constexpr SourceConnector kSources[] = {
    {"file", "mailsift.connector.file", true},
    {"excel", "mailsift.connector.excel", true},
    {"input", "mailsift.connector.input", false},
};

const SourceConnector* findSource(std::string_view source) {
    for (const auto& entry : kSources) {
        if (entry.source == source)
            return &entry;
    }
    return nullptr;
}

bool blank(const std::string& text) {
    return text.find_first_not_of(" \t\r\n,;") == std::string::npos;
}

JobError fromConnectorError(const ConnectorError& error) {
    switch (error.kind()) {
        case ConnectorError::Kind::tooLarge:
            return JobError(JobError::Kind::tooLarge, error.what());
        case ConnectorError::Kind::unavailable:
            return JobError(JobError::Kind::unavailable, error.what());
        case ConnectorError::Kind::badInput:
            break;
    }
    return JobError(JobError::Kind::badRequest, error.what());
}

std::string fileMissingSentence(std::string_view source) {
    if (source == "excel")
        return "The file field is missing: source excel needs an Excel (.xlsx or .xls) file "
               "upload in the `file` field.";
    return "The file field is missing: source file needs a CSV file upload in the `file` field.";
}

}  // namespace

JobService::JobService(store::Store& store, ConnectorLookup connectors, JobServiceOptions options,
                       std::function<void()> workAvailable)
    : store_(store),
      connectors_(std::move(connectors)),
      options_(options),
      workAvailable_(std::move(workAvailable)) {}

std::string JobService::connectorFor(std::string_view source) {
    if (const integrations::SystemSpec* spec = integrations::findSystem(source))
        return std::string(spec->plugin);
    const SourceConnector* entry = findSource(source);
    if (!entry)
        throw JobError(JobError::Kind::badRequest, "Invalid source type");
    return std::string(entry->plugin);
}

bool JobService::takesFile(std::string_view source) {
    const SourceConnector* entry = findSource(source);
    return entry && entry->takesFile;
}

store::Id JobService::create(store::Id accountId, const CreateJobRequest& request) {
    if (request.source.empty()) {
        throw JobError(JobError::Kind::badRequest,
                       "The source field is missing: send source=file, excel or input.");
    }
    if (const integrations::SystemSpec* spec = integrations::findSystem(request.source))
        return createFromIntegration(accountId, request, *spec);
    const std::string plugin = connectorFor(request.source);
    if (request.label.size() > kMaxLabelBytes) {
        throw JobError(JobError::Kind::badRequest,
                       "The label is longer than 255 characters; shorten it.");
    }
    ConnectorInput input;
    if (takesFile(request.source)) {
        if (!request.file)
            throw JobError(JobError::Kind::badRequest, fileMissingSentence(request.source));
        input.body = request.file;
        input.fileName = request.fileName;
    } else {
        if (!request.input || blank(*request.input)) {
            throw JobError(JobError::Kind::badRequest,
                           "The input field is missing or empty: source input needs the "
                           "addresses in the `input` field, separated by commas, semicolons, "
                           "new lines or spaces.");
        }
        input.text = *request.input;
    }
    input.credentialsJson = "{}";
    input.optionsJson = "{}";
    Connector* connector = connectors_ ? connectors_(plugin) : nullptr;
    if (!connector) {
        throw JobError(JobError::Kind::badRequest, "Source " + request.source +
                                                       " is not enabled on this server; its "
                                                       "operator can add " +
                                                       plugin + " to plugins.connectors.");
    }

    store::NewJob newJob;
    newJob.accountId = accountId;
    newJob.label = request.label;
    newJob.source = request.source;
    const store::JobRecord job = store_.createJob(newJob, std::chrono::system_clock::now());
    try {
        ingest(job, *connector, input, request);
    } catch (...) {
        try {
            store_.deleteJob(accountId, job.id);
        } catch (const store::StoreError&) {
            // The store is failing already; the original error is the one worth reporting.
        }
        throw;
    }
    workAvailable();
    return job.id;
}

store::Id JobService::createFromIntegration(store::Id accountId, const CreateJobRequest& request,
                                            const integrations::SystemSpec& spec) {
    if (request.label.size() > kMaxLabelBytes) {
        throw JobError(JobError::Kind::badRequest,
                       "The label is longer than 255 characters; shorten it.");
    }
    if (!request.integrationId) {
        throw JobError(JobError::Kind::badRequest,
                       "The integration field is missing: source " + request.source +
                           " imports from one of your integrations; send integration=<id> "
                           "(see GET /v1/integrations).");
    }
    if (!integrations_) {
        throw JobError(JobError::Kind::unavailable, "Integrations are not enabled on this server.");
    }
    integrations::OpenedIntegration opened;
    try {
        opened = integrations_->open(accountId, *request.integrationId);
    } catch (const integrations::IntegrationError& e) {
        if (e.kind() == integrations::IntegrationError::Kind::notFound) {
            throw JobError(JobError::Kind::badRequest,
                           "integration " + std::to_string(*request.integrationId) +
                               " is not one of your integrations (see GET /v1/integrations).");
        }
        throw JobError(JobError::Kind::unavailable, e.what());
    }
    if (opened.record.system != request.source) {
        throw JobError(JobError::Kind::badRequest,
                       "integration " + std::to_string(*request.integrationId) + " is a " +
                           opened.record.system +
                           " integration; send source=" + opened.record.system + ".");
    }
    const std::string plugin(spec.plugin);
    if (!connectors_ || !connectors_(plugin)) {
        throw JobError(JobError::Kind::badRequest, "Source " + request.source +
                                                       " is not enabled on this server; its "
                                                       "operator can add " +
                                                       plugin + " to plugins.connectors.");
    }
    bool writeBack = false;
    try {
        writeBack = Poco::JSON::Parser()
                        .parse(opened.record.optionsJson)
                        .extract<Poco::JSON::Object::Ptr>()
                        ->optValue<bool>("writeBack", false);
    } catch (const std::exception&) {
        writeBack = false;
    }
    store::NewJob newJob;
    newJob.accountId = accountId;
    newJob.label = request.label;
    newJob.source = request.source;
    newJob.integrationId = opened.record.id;
    newJob.integrationSystem = opened.record.system;
    const store::JobRecord job =
        store_.createIntegrationJob(newJob, writeBack, std::chrono::system_clock::now());
    workAvailable();  // the import runs in the background, leased like chunks
    return job.id;
}

void JobService::ingest(const store::JobRecord& job, Connector& connector,
                        const ConnectorInput& input, const CreateJobRequest& request) {
    IngestSink sink(store_, job.id, options_.ingestBatchRows, options_.ingestWriters,
                    options_.maxRowsPerJob, request.fileFailed);
    try {
        connector.read(input, sink);
    } catch (const ConnectorError& error) {
        if (request.verifyFile)
            request.verifyFile();  // a broken upload explains the connector's trouble best
        throw fromConnectorError(error);
    } catch (...) {
        if (request.verifyFile)
            request.verifyFile();
        throw;
    }
    if (request.verifyFile)
        request.verifyFile();
    if (sink.tooManyRows()) {
        throw JobError(JobError::Kind::tooLarge,
                       "The job has more than " + std::to_string(options_.maxRowsPerJob) +
                           " rows, the most one job may have; split the list into smaller "
                           "jobs.");
    }
    sink.flush();
    store_.sealJob(job.id, options_.chunkSize, std::chrono::system_clock::now());
}

std::vector<store::JobRecord> JobService::list(store::Id accountId) {
    return store_.listJobs(accountId);
}

std::optional<store::JobRecord> JobService::get(store::Id accountId, store::Id jobId) {
    return store_.findJob(accountId, jobId);
}

std::vector<store::ResultRow> JobService::results(store::Id accountId, store::Id jobId,
                                                  std::int64_t fromPos) {
    if (fromPos < 0) {
        throw JobError(JobError::Kind::badRequest,
                       "pos must be a whole number of 0 or more (the first row is 0).");
    }
    // The read is scoped to the account, so a page with rows proves the job is the caller's:
    // only an empty page (past the end, or no such job) costs the lookup that tells them apart.
    std::vector<store::ResultRow> rows = store_.readResults(accountId, jobId, fromPos, kResultPage);
    if (rows.empty() && !store_.findJob(accountId, jobId))
        throw JobError(JobError::Kind::notFound, kJobNotFound);
    return rows;
}

void JobService::checkFilters(const std::vector<std::string>& filters) {
    for (const std::string& filter : filters) {
        if (filter != "valid" && filter != "risky" && filter != "invalid") {
            throw JobError(JobError::Kind::badRequest,
                           "Unknown filter \"" + filter +
                               "\": filters takes the classifiers valid, risky and invalid.");
        }
    }
}

void JobService::download(store::Id accountId, store::Id jobId,
                          const std::vector<std::string>& filters,
                          const std::function<bool(const store::ResultRow&)>& each) {
    checkFilters(filters);
    if (!store_.findJob(accountId, jobId) || !store_.scanResults(accountId, jobId, filters, each))
        throw JobError(JobError::Kind::notFound, kJobNotFound);
}

void JobService::remove(store::Id accountId, store::Id jobId) {
    if (!store_.deleteJob(accountId, jobId))
        throw JobError(JobError::Kind::notFound, kJobNotFound);
}

void JobService::relabel(store::Id accountId, store::Id jobId, const std::string& label) {
    if (!store_.setJobLabel(accountId, jobId, label))
        throw JobError(JobError::Kind::notFound, kJobNotFound);
}

store::JobRecord JobService::pause(store::Id accountId, store::Id jobId) {
    auto job = store_.setJobPaused(accountId, jobId, true, std::chrono::system_clock::now());
    if (!job)
        throw JobError(JobError::Kind::notFound, kJobNotFound);
    return *job;
}

store::JobRecord JobService::resume(store::Id accountId, store::Id jobId) {
    auto job = store_.setJobPaused(accountId, jobId, false, std::chrono::system_clock::now());
    if (!job)
        throw JobError(JobError::Kind::notFound, kJobNotFound);
    workAvailable();
    return *job;
}

void JobService::workAvailable() const {
    if (workAvailable_)
        workAvailable_();
}

}  // namespace mailsift::jobs
