#pragma once
// What the job benchmarks share to drive the real server: which binary to run, GET on a kept-alive
// session, the streaming multipart upload of a CSV file, and the job object.

#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPClientSession.h>

#include <cstdint>
#include <string>

namespace mailsift::bench {

inline const std::string kJobsPath = "/v1/email/validate/job";

/// MAILSIFT_BENCH_SERVER when set (to compare two builds), else the server built with the bench.
std::string serverBinary();

/// One GET on a kept-alive session (no Authorization when `key` is empty); the body, or throws
/// unless the status is 200.
std::string get(Poco::Net::HTTPClientSession& session, const std::string& path,
                const std::string& key);

/// Uploads `csvPath` as a file job with one multipart POST streamed from disk (Content-Length
/// set); returns the job id, or throws unless the answer is 201.
std::int64_t upload(std::uint16_t port, const std::string& key, const std::string& csvPath,
                    const std::string& label);

/// GET of the job object.
Poco::JSON::Object::Ptr jobJson(Poco::Net::HTTPClientSession& session, const std::string& key,
                                std::int64_t id);

}  // namespace mailsift::bench
