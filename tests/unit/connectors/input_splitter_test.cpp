// InputSplitter: the separators of the `input` form field.
#include "input/input_splitter.h"

#include <gtest/gtest.h>

#include "collecting_sink.h"

namespace mailsift::connectors::input {
namespace {

using testing::CollectingSink;
using Rows = std::vector<std::string>;

Rows split(std::string_view text, std::size_t maxItemBytes = 1024) {
    CollectingSink sink;
    InputSplitter(maxItemBytes).split(text, sink);
    return sink.rows;
}

TEST(InputSplitter, SplitsOnCommasSemicolonsLineBreaksAndSpaces) {
    EXPECT_EQ(split("a@x.com,b@x.com;c@x.com\nd@x.com\r\ne@x.com f@x.com\tg@x.com\rh@x.com"),
              (Rows{"a@x.com", "b@x.com", "c@x.com", "d@x.com", "e@x.com", "f@x.com", "g@x.com",
                    "h@x.com"}));
}

TEST(InputSplitter, SkipsEmptyPieces) {
    EXPECT_EQ(split(" ,, ;\n a@x.com ,;\r\n\r\n b@x.com;; "), (Rows{"a@x.com", "b@x.com"}));
    EXPECT_TRUE(split("").empty());
    EXPECT_TRUE(split(" ,;\n\t").empty());
}

TEST(InputSplitter, KeepsJunkPieces) {
    EXPECT_EQ(split("not-an-address, @, a@x.com"), (Rows{"not-an-address", "@", "a@x.com"}));
}

TEST(InputSplitter, LongItemIsTooLarge) {
    EXPECT_EQ(split("abcd", 4), Rows{"abcd"});
    try {
        split("a@x.com abcdefghi", 8);
        FAIL() << "no error";
    } catch (const ConnectorError& error) {
        EXPECT_EQ(error.kind(), ConnectorError::Kind::tooLarge);
        EXPECT_STREQ(error.what(), "item 2 of the input is longer than the limit of 8 bytes");
    }
}

TEST(InputSplitter, StopsWhenTheSinkAsks) {
    CollectingSink sink(1);
    InputSplitter().split("a b c", sink);
    EXPECT_EQ(sink.rows, Rows{"a"});
}

}  // namespace
}  // namespace mailsift::connectors::input
