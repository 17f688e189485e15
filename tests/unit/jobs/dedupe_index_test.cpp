#include "jobs/dedupe_index.h"

#include <gtest/gtest.h>

#include <string>

#include "engine/validator.h"

namespace mailsift::jobs {
namespace {

TEST(DedupeIndex, SameKeyAsTheValidator) {
    DedupeIndex index;
    EXPECT_EQ(index.firstOf("jane@Example.COM", 0), -1);
    EXPECT_EQ(index.firstOf("  jane@example.com\t", 1), 0);
    EXPECT_EQ(index.firstOf("Jane@example.com", 2), -1) << "local parts keep their case";
    EXPECT_EQ(index.firstOf("", 3), -1);
    EXPECT_EQ(index.firstOf("   ", 4), 3) << "blank cells are one address";
    EXPECT_EQ(index.size(), 3U);
    EXPECT_EQ(engine::Validator::dedupeKey("  jane@Example.COM "), "jane@example.com");
}

TEST(DedupeIndex, GrowsAndKeepsEveryFirstPosition) {
    DedupeIndex index;
    constexpr int kCount = 200000;
    for (int i = 0; i < kCount; ++i)
        ASSERT_EQ(index.firstOf("user" + std::to_string(i) + "@example.com", i), -1) << i;
    for (int i = 0; i < kCount; i += 997)
        EXPECT_EQ(index.firstOf("user" + std::to_string(i) + "@EXAMPLE.com", kCount + i), i);
    EXPECT_EQ(index.size(), static_cast<std::size_t>(kCount));
}

TEST(DedupeIndex, HashSpreadsSimilarKeys) {
    EXPECT_NE(DedupeIndex::hash("a@example.com"), DedupeIndex::hash("b@example.com"));
    EXPECT_NE(DedupeIndex::hash("abcdefgh"), DedupeIndex::hash(std::string_view("abcdefgh\0", 9)));
    EXPECT_NE(DedupeIndex::hash(""), DedupeIndex::hash(std::string_view("\0", 1)));
}

}  // namespace
}  // namespace mailsift::jobs
