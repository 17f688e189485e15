#include "metrics/text_format.h"

#include <gtest/gtest.h>

#include <limits>

namespace mailsift::metrics::text_format {
namespace {

TEST(TextFormatTest, ValidatesMetricAndLabelNames) {
    EXPECT_TRUE(isValidMetricName("mailsift_http_requests_total"));
    EXPECT_TRUE(isValidMetricName("ns:sub_total"));
    EXPECT_FALSE(isValidMetricName(""));
    EXPECT_FALSE(isValidMetricName("1abc"));
    EXPECT_FALSE(isValidMetricName("with-dash"));
    EXPECT_TRUE(isValidLabelName("route"));
    EXPECT_FALSE(isValidLabelName("__reserved"));
    EXPECT_FALSE(isValidLabelName("a:b"));
    EXPECT_FALSE(isValidLabelName("9x"));
}

TEST(TextFormatTest, EscapesLabelValuesAndHelp) {
    EXPECT_EQ(escapeLabelValue("a\\b\"c\nd"), "a\\\\b\\\"c\\nd");
    EXPECT_EQ(escapeHelp("line\\one\nquote\"kept"), "line\\\\one\\nquote\"kept");
}

TEST(TextFormatTest, FormatsLabelSets) {
    EXPECT_EQ(formatLabels({}), "");
    EXPECT_EQ(formatLabels({{"a", "1"}, {"b", "x\"y"}}), "{a=\"1\",b=\"x\\\"y\"}");
    EXPECT_EQ(formatLabels({{"a", "1"}}, "le", "0.5"), "{a=\"1\",le=\"0.5\"}");
    EXPECT_EQ(formatLabels({}, "le", "+Inf"), "{le=\"+Inf\"}");
}

TEST(TextFormatTest, FormatsValuesShortestRoundTrip) {
    EXPECT_EQ(formatValue(0), "0");
    EXPECT_EQ(formatValue(3), "3");
    EXPECT_EQ(formatValue(0.005), "0.005");
    EXPECT_EQ(formatValue(2.5), "2.5");
    EXPECT_EQ(formatValue(std::numeric_limits<double>::infinity()), "+Inf");
    EXPECT_EQ(formatValue(-std::numeric_limits<double>::infinity()), "-Inf");
    EXPECT_EQ(formatValue(std::numeric_limits<double>::quiet_NaN()), "NaN");
}

}  // namespace
}  // namespace mailsift::metrics::text_format
