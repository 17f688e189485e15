#pragma once

#include <istream>
#include <string>
#include <vector>

namespace mailsift::http {

/// Decodes the body of POST /v1/email/validate, `{"emails": ["...", ...]}`, into its addresses
/// in request order. Throws HttpError 400 with a sentence for a body that is not that (bad JSON,
/// no "emails", not an array of strings, empty, more than `maxEmails`), and the stream's 413 for
/// an oversized body. Bytes from any client: never crashes, never throws anything else.
std::vector<std::string> readValidateRequest(std::istream& body, int maxEmails);

}  // namespace mailsift::http
