#pragma once

#include <string>
#include <string_view>

#include "metrics/labels.h"

/// Pieces of the Prometheus text exposition format 0.0.4, shared by the Registry's renderer.
namespace mailsift::metrics::text_format {

/// The content type a /metrics response must carry.
inline constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

/// True when `name` is a valid metric name ([a-zA-Z_:][a-zA-Z0-9_:]*).
bool isValidMetricName(std::string_view name);
/// True when `name` is a valid label name ([a-zA-Z_][a-zA-Z0-9_]*, not starting with "__").
bool isValidLabelName(std::string_view name);

/// HELP text with backslash and newline escaped.
std::string escapeHelp(std::string_view help);
/// A label value with backslash, double quote and newline escaped.
std::string escapeLabelValue(std::string_view value);

/// `{a="x",b="y"}` (or "" for no labels); `extra` (e.g. the `le` of a bucket) is appended last.
std::string formatLabels(const Labels& labels, std::string_view extraName = {},
                         std::string_view extraValue = {});

/// Shortest text that reads back as the same double; "+Inf", "-Inf", "NaN" for the specials.
std::string formatValue(double value);

}  // namespace mailsift::metrics::text_format
