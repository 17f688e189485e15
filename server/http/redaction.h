#pragma once

#include <string>

namespace mailsift::http {

/// `text` with the credentials of any URL in it ("scheme://user:password@") replaced by "***", for
/// error details that reach logs or clients (store errors may quote their connection URL).
std::string redactCredentials(std::string text);

}  // namespace mailsift::http
