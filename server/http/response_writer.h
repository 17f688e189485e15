#pragma once

#include <Poco/Dynamic/Var.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <string_view>

/// Writing whole responses; shared by RequestContext (handlers) and the dispatcher (errors it
/// answers itself). Every function sets the status, content type and length, then sends.
namespace mailsift::http::response_writer {

/// Sends `body` verbatim.
void writeText(Poco::Net::HTTPServerResponse& response, int status, std::string_view contentType,
               std::string_view body);
/// Sends `body` verbatim, a large one in a single write to the connection's socket: Poco's
/// response stream hands the socket 4 KB at a time, 60 sends for a 240 KB page of results.
void writeText(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
               int status, std::string_view contentType, std::string_view body);
/// Sends `value` serialized compactly as application/json.
void writeJson(Poco::Net::HTTPServerResponse& response, int status,
               const Poco::Dynamic::Var& value);
/// Sends `{"error": sentence}` as application/json.
void writeError(Poco::Net::HTTPServerResponse& response, int status, std::string_view sentence);

}  // namespace mailsift::http::response_writer
