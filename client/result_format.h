#pragma once

#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

namespace mailsift::client {

/// Column names of a results table.
std::vector<std::string> resultHeader();

/// One table row for `email` and its result object (API.md's result; null: still pending).
std::vector<std::string> resultRow(const std::string& email, const Poco::JSON::Object::Ptr& result);

/// A JSON value as a string for a table cell ("" for null or missing).
std::string cell(const Poco::JSON::Object::Ptr& object, const std::string& name);

}  // namespace mailsift::client
