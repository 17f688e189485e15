#pragma once

#include <Poco/Dynamic/Var.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <string_view>

/// Writing whole responses; shared by RequestContext (handlers) and the dispatcher (errors it
/// answers itself). Every function sets the status, content type and length, then sends.
namespace mailsift::http::response_writer {

/// Sends `body` verbatim.
void writeText(Poco::Net::HTTPServerResponse& response, int status, std::string_view contentType,
               std::string_view body);
/// Sends `value` serialized compactly as application/json.
void writeJson(Poco::Net::HTTPServerResponse& response, int status,
               const Poco::Dynamic::Var& value);
/// Sends `{"error": sentence}` as application/json.
void writeError(Poco::Net::HTTPServerResponse& response, int status, std::string_view sentence);

}  // namespace mailsift::http::response_writer
