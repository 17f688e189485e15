#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include "client_error.h"
#include "commands.h"
#include "progress_bar.h"
#include "result_format.h"
#include "table.h"

namespace mailsift::client {
namespace {

const std::string kJobs = "/v1/email/validate/job";
constexpr int kPageRows = 1000;

std::int64_t wholeNumber(const std::string& text, const std::string& what, std::int64_t minimum) {
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < minimum) {
        throw ClientError(exit_code::kUsage, what + " must be a whole number of at least " +
                                                 std::to_string(minimum) + ", not \"" + text +
                                                 "\".");
    }
    return value;
}

/// Seconds between 0.05 and 3600 (decimals allowed).
double seconds(const std::string& text, const std::string& what) {
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < 0.05 ||
        value > 3600) {
        throw ClientError(exit_code::kUsage,
                          what + " takes seconds between 0.05 and 3600, not \"" + text + "\".");
    }
    return value;
}

/// The single ID argument of `jobs <subcommand> ID`.
std::string jobIdArgument(const CommandContext& ctx, const std::string& subcommand) {
    if (ctx.args.size() != 2) {
        throw ClientError(exit_code::kUsage, "mailsift jobs " + subcommand +
                                                 " takes one job id, e.g. mailsift jobs " +
                                                 subcommand + " 12.");
    }
    return std::to_string(wholeNumber(ctx.args[1], "The job id", 1));
}

std::int64_t number(const Poco::JSON::Object::Ptr& object, const std::string& name) {
    if (!object || !object->has(name) || object->isNull(name))
        return 0;
    return object->getValue<std::int64_t>(name);
}

JobProgress progressOf(const Poco::JSON::Object::Ptr& job) {
    const auto summary = job->getObject("summary");
    JobProgress progress;
    progress.done = number(summary, "totalEmails");
    progress.total = number(job, "emailCount");
    progress.valid = number(summary, "deliverableCount");
    progress.risky = number(summary, "riskyCount");
    progress.invalid = number(summary, "undeliverableCount");
    progress.state = cell(job, "state");
    return progress;
}

std::string countsOf(const JobProgress& p) {
    return "valid " + std::to_string(p.valid) + ", risky " + std::to_string(p.risky) +
           ", invalid " + std::to_string(p.invalid);
}

void printJob(std::ostream& out, const Poco::JSON::Object::Ptr& job) {
    const JobProgress p = progressOf(job);
    Table table({"job", cell(job, "id")});
    table.add({"label", cell(job, "label")});
    table.add({"state", p.state});
    table.add({"source", cell(job, "source")});
    table.add({"rows", std::to_string(p.done) + " of " + std::to_string(p.total) + " done"});
    table.add({"valid", std::to_string(p.valid)});
    table.add({"risky", std::to_string(p.risky)});
    table.add({"invalid", std::to_string(p.invalid)});
    table.add({"created", cell(job, "createdAt")});
    table.add({"finished", cell(job, "finishedAt")});
    if (job->has("error"))
        table.add({"error", cell(job, "error")});
    table.print(out);
}

/// Ctrl-C during a progress bar: end the bar's line so the shell prompt starts on its own.
extern "C" void endBarLineAndExit(int signal) {
    const char newline = '\n';
    [[maybe_unused]] const auto written = ::write(STDOUT_FILENO, &newline, 1);
    ::_exit(128 + signal);
}

/// Polls the job until it is done or failed; a bar on a terminal, then one summary line.
int watch(const CommandContext& ctx, const std::string& id) {
    const double interval = seconds(ctx.line.value("interval").value_or("1"), "--interval");
    const bool bar =
        ctx.console.outIsTerminal && !ctx.line.flag("no-progress") && !ctx.line.flag("json");
    ProgressBar progressBar;
    if (bar)
        std::signal(SIGINT, endBarLineAndExit);
    const auto started = std::chrono::steady_clock::now();
    std::string text;
    Poco::JSON::Object::Ptr job;
    while (true) {
        text = ctx.api.text("GET", kJobs + "/" + id);
        job = parseJson(text).extract<Poco::JSON::Object::Ptr>();
        const std::string state = cell(job, "state");
        if (bar) {
            ctx.console.out << '\r'
                            << progressBar.line(progressOf(job), std::chrono::steady_clock::now())
                            << "\x1b[K" << std::flush;
        }
        if (state == "done" || state == "failed")
            break;
        std::this_thread::sleep_for(std::chrono::duration<double>(interval));
    }
    if (bar)
        ctx.console.out << '\n';
    const JobProgress p = progressOf(job);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (ctx.line.flag("json")) {
        ctx.console.out << text << '\n';
    } else if (p.state == "done") {
        ctx.console.out << "Job " << id << " done: " << p.done << " rows in "
                        << formatDuration(seconds) << "; " << countsOf(p) << ".\n";
    }
    if (p.state == "failed") {
        throw ClientError(exit_code::kJobFailed, "Job " + id + " failed: " + cell(job, "error") +
                                                     " (" + std::to_string(p.done) + " of " +
                                                     std::to_string(p.total) + " rows done).");
    }
    return exit_code::kOk;
}

int create(const CommandContext& ctx) {
    ctx.line.allowOnly("jobs create",
                       {"input", "label", "source", "watch", "json", "interval", "no-progress"});
    const auto input = ctx.line.value("input");
    if ((ctx.args.size() == 2) == input.has_value() || ctx.args.size() > 2) {
        throw ClientError(exit_code::kUsage,
                          "Give either a file or --input: mailsift jobs create list.csv, or "
                          "mailsift jobs create --input \"a@b.com c@d.com\".");
    }
    std::vector<FormPart> parts;
    std::string source = ctx.line.value("source").value_or("");
    if (input) {
        parts.push_back({"source", source.empty() ? "input" : source, "", ""});
        parts.push_back({"input", *input, "", ""});
    } else {
        const std::filesystem::path file = ctx.args[1];
        if (source.empty()) {
            std::string extension = file.extension().string();
            for (char& c : extension)
                c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            source = extension == ".xlsx" || extension == ".xls" ? "excel" : "file";
        }
        parts.push_back({"source", source, "", ""});
    }
    if (const auto label = ctx.line.value("label"))
        parts.push_back({"label", *label, "", ""});
    if (!input)
        parts.push_back(
            {"file", "", ctx.args[1], std::filesystem::path(ctx.args[1]).filename().string()});
    const auto created = ctx.api.upload(kJobs, parts).extract<Poco::JSON::Object::Ptr>();
    const std::string id = cell(created, "id");
    if (ctx.line.flag("watch"))
        return watch(ctx, id);
    if (ctx.line.flag("json")) {
        Poco::JSON::Stringifier::condense(created, ctx.console.out);
        ctx.console.out << '\n';
    } else {
        ctx.console.out << "Created job " << id << ". Follow it with: mailsift jobs get " << id
                        << '\n';
    }
    return exit_code::kOk;
}

int list(const CommandContext& ctx) {
    ctx.line.allowOnly("jobs list", {"json"});
    if (ctx.args.size() != 1)
        throw ClientError(exit_code::kUsage, "mailsift jobs list takes no arguments.");
    const std::string text = ctx.api.text("GET", kJobs);
    if (ctx.line.flag("json")) {
        ctx.console.out << text << '\n';
        return exit_code::kOk;
    }
    const auto jobs = parseJson(text).extract<Poco::JSON::Array::Ptr>();
    Table table({"ID", "STATE", "ROWS", "DONE", "VALID", "RISKY", "INVALID", "CREATED", "LABEL"});
    for (std::size_t i = 0; i < jobs->size(); ++i) {
        const auto job = jobs->getObject(static_cast<unsigned>(i));
        const JobProgress p = progressOf(job);
        table.add({cell(job, "id"), p.state, std::to_string(p.total), std::to_string(p.done),
                   std::to_string(p.valid), std::to_string(p.risky), std::to_string(p.invalid),
                   cell(job, "createdAt"), cell(job, "label")});
    }
    table.print(ctx.console.out);
    return exit_code::kOk;
}

int get(const CommandContext& ctx) {
    ctx.line.allowOnly("jobs get", {"json"});
    const std::string text = ctx.api.text("GET", kJobs + "/" + jobIdArgument(ctx, "get"));
    if (ctx.line.flag("json"))
        ctx.console.out << text << '\n';
    else
        printJob(ctx.console.out, parseJson(text).extract<Poco::JSON::Object::Ptr>());
    return exit_code::kOk;
}

int results(const CommandContext& ctx) {
    ctx.line.allowOnly("jobs results", {"json", "pos", "limit"});
    const std::string id = jobIdArgument(ctx, "results");
    std::int64_t pos = wholeNumber(ctx.line.value("pos").value_or("0"), "--pos", 0);
    const auto limitText = ctx.line.value("limit");
    const std::int64_t limit = limitText ? wholeNumber(*limitText, "--limit", 1) : -1;
    const bool json = ctx.line.flag("json");
    Table table(resultHeader());
    std::int64_t shown = 0;
    if (json)
        ctx.console.out << '[';
    while (limit < 0 || shown < limit) {
        const auto page =
            parseJson(ctx.api.text("GET", kJobs + "/" + id + "/result?pos=" + std::to_string(pos)))
                .extract<Poco::JSON::Array::Ptr>();
        if (page->size() == 0)
            break;
        for (std::size_t i = 0; i < page->size() && (limit < 0 || shown < limit); ++i, ++shown) {
            const auto row = page->getObject(static_cast<unsigned>(i));
            if (json) {
                ctx.console.out << (shown ? "," : "");
                Poco::JSON::Stringifier::condense(row, ctx.console.out);
            } else {
                table.add(resultRow(cell(row, "email"), row->isNull("result")
                                                            ? Poco::JSON::Object::Ptr()
                                                            : row->getObject("result")));
            }
        }
        pos += static_cast<std::int64_t>(page->size());
        if (page->size() < kPageRows)
            break;
    }
    if (json)
        ctx.console.out << "]\n";
    else
        table.print(ctx.console.out);
    return exit_code::kOk;
}

int download(const CommandContext& ctx) {
    ctx.line.allowOnly("jobs download", {"filter", "output"});
    const std::string id = jobIdArgument(ctx, "download");
    std::string query;
    for (const auto& given : ctx.line.values("filter")) {
        std::size_t start = 0;
        while (start <= given.size()) {
            const std::size_t comma = std::min(given.find(',', start), given.size());
            const std::string filter = given.substr(start, comma - start);
            if (!filter.empty())
                query +=
                    (query.empty() ? "?" : "&") + std::string("filters=") + encodeComponent(filter);
            start = comma + 1;
        }
    }
    const std::string path = kJobs + "/" + id + "/download" + query;
    const auto output = ctx.line.value("output");
    if (!output || *output == "-") {
        ctx.api.download(path, ctx.console.out);
        ctx.console.out.flush();
        return exit_code::kOk;
    }
    // Written beside the target and renamed at the end, so an error leaves no half file.
    const std::string partial = *output + ".part";
    std::ofstream file(partial, std::ios::binary | std::ios::trunc);
    if (!file)
        throw ClientError(exit_code::kLocalFile,
                          "Cannot write " + *output + ": " + std::strerror(errno) + ".");
    std::uint64_t bytes = 0;
    try {
        bytes = ctx.api.download(path, file);
        file.close();
        if (!file)
            throw ClientError(exit_code::kLocalFile, "Cannot write " + *output + " (disk full?).");
        std::filesystem::rename(partial, *output);
    } catch (...) {
        std::error_code ignored;
        std::filesystem::remove(partial, ignored);
        throw;
    }
    ctx.console.err << "Saved " << bytes << " bytes to " << *output << ".\n";
    return exit_code::kOk;
}

int changeState(const CommandContext& ctx, const std::string& action) {
    ctx.line.allowOnly("jobs " + action, {"json"});
    const std::string id = jobIdArgument(ctx, action);
    const std::string text = ctx.api.text("POST", kJobs + "/" + id + "/" + action);
    if (ctx.line.flag("json")) {
        ctx.console.out << text << '\n';
    } else {
        const auto job = parseJson(text).extract<Poco::JSON::Object::Ptr>();
        ctx.console.out << "Job " << id << " is " << cell(job, "state") << ".\n";
    }
    return exit_code::kOk;
}

int remove(const CommandContext& ctx) {
    ctx.line.allowOnly("jobs delete", {});
    const std::string id = jobIdArgument(ctx, "delete");
    ctx.api.text("DELETE", kJobs + "/" + id);
    ctx.console.out << "Deleted job " << id << ".\n";
    return exit_code::kOk;
}

}  // namespace

int jobsCommand(const CommandContext& ctx) {
    const std::string& sub = ctx.args.at(0);
    if (sub == "create")
        return create(ctx);
    if (sub == "list")
        return list(ctx);
    if (sub == "get")
        return get(ctx);
    if (sub == "results")
        return results(ctx);
    if (sub == "download")
        return download(ctx);
    if (sub == "pause" || sub == "resume")
        return changeState(ctx, sub);
    if (sub == "delete")
        return remove(ctx);
    throw ClientError(exit_code::kUsage,
                      "Unknown jobs subcommand \"" + sub + "\"; see mailsift jobs --help.");
}

}  // namespace mailsift::client
