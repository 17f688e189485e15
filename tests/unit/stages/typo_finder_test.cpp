// TypoFinder and its edit distance: provider near misses, TLD slips, and domains left alone.
#include "typo/typo_finder.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "common/list_file.h"
#include "typo/edit_distance.h"
#include "typo/tld_slips.h"

namespace mailsift::stages::typo {
namespace {

const TypoFinder& shippedFinder() {
    static const TypoFinder finder = [] {
        const std::string dir = std::string(MAILSIFT_STAGES_CONFIG_DIR) + "/lists/";
        const auto read = [&](const char* file) {
            return readListFile(dir + file, ListKind::domains, "test", "test");
        };
        std::vector<std::string> known = read("free_domains.txt");
        const std::vector<std::string> disposable = read("disposable_domains.txt");
        known.insert(known.end(), disposable.begin(), disposable.end());
        return TypoFinder(read("well_known_providers.txt"), known, std::nullopt);
    }();
    return finder;
}

std::string suggestion(std::string_view domain) {
    return shippedFinder().suggest(domain).value_or("");
}

TEST(EditDistance, CountsTranspositionsAsOneEdit) {
    EXPECT_EQ(boundedEditDistance("gmial.com", "gmail.com", 2), 1);
    EXPECT_EQ(boundedEditDistance("gmai.com", "gmail.com", 2), 1);
    EXPECT_EQ(boundedEditDistance("gmaill.com", "gmail.com", 2), 1);
    EXPECT_EQ(boundedEditDistance("gmakl.com", "gmail.com", 2), 1);
    EXPECT_EQ(boundedEditDistance("gmail.com", "gmail.com", 2), 0);
    EXPECT_EQ(boundedEditDistance("gmx.com", "gmail.com", 5), 3);
    EXPECT_EQ(boundedEditDistance("abc", "", 5), 3);
    EXPECT_EQ(boundedEditDistance("", "", 0), 0);
}

TEST(EditDistance, StopsAtTheLimit) {
    EXPECT_EQ(boundedEditDistance("completely-different.org", "gmail.com", 2), 3);
    EXPECT_EQ(boundedEditDistance("gmx.com", "gmail.com", 1), 2);
    EXPECT_EQ(boundedEditDistance(std::string(100, 'a'), std::string(100, 'a'), 2), 3);
}

TEST(EditDistance, MaskBoundNeverExceedsTheDistance) {
    const std::vector<std::string> words = {"gmail.com", "gmial.com", "yahoo.com", "hotmail.com",
                                            "acme.org",  "x",         "",          "outlook.com",
                                            "outlok.con"};
    for (const std::string& a : words) {
        for (const std::string& b : words) {
            EXPECT_LE(maskLowerBound(characterMask(a), characterMask(b)),
                      boundedEditDistance(a, b, 64))
                << a << " / " << b;
        }
    }
}

TEST(TldSlips, CorrectsOnlyTldsThatDoNotExist) {
    EXPECT_EQ(correctTld("con"), "com");
    EXPECT_EQ(correctTld("cmo"), "com");
    EXPECT_EQ(correctTld("ogr"), "org");
    EXPECT_EQ(correctTld("nte"), "net");
    EXPECT_EQ(correctTld("com"), "");
    EXPECT_EQ(correctTld("om"), "") << ".om is Oman";
    EXPECT_EQ(correctTld("co"), "") << ".co is Colombia";
}

TEST(TypoFinder, SuggestsWellKnownProvidersForNearMisses) {
    EXPECT_EQ(suggestion("gmial.com"), "gmail.com");
    EXPECT_EQ(suggestion("gmai.com"), "gmail.com");
    EXPECT_EQ(suggestion("gmaill.com"), "gmail.com");
    EXPECT_EQ(suggestion("hotmial.com"), "hotmail.com");
    EXPECT_EQ(suggestion("hotmal.com"), "hotmail.com");
    EXPECT_EQ(suggestion("yaho.com"), "yahoo.com");
    EXPECT_EQ(suggestion("yahooo.com"), "yahoo.com");
    EXPECT_EQ(suggestion("outlok.com"), "outlook.com");
    EXPECT_EQ(suggestion("outloo.com"), "outlook.com");
    EXPECT_EQ(suggestion("iclod.com"), "icloud.com");
    EXPECT_EQ(suggestion("protonmial.com"), "protonmail.com");
    EXPECT_EQ(suggestion("protnmal.com"), "protonmail.com") << "two edits for long names";
    EXPECT_EQ(suggestion("gmail.cm"), "gmail.com");
    EXPECT_EQ(suggestion("gmail.om"), "gmail.com");
}

TEST(TypoFinder, CorrectsTypoSquattersOnTheFreeAndDisposableLists) {
    // The shipped free list holds these registrations; they are still typos of a provider.
    EXPECT_EQ(suggestion("gmial.com"), "gmail.com");
    EXPECT_EQ(suggestion("hotmial.com"), "hotmail.com");
    EXPECT_EQ(suggestion("yaho.com"), "yahoo.com");
    EXPECT_EQ(suggestion("gmai.com"), "gmail.com") << "on the disposable list";
    // Listed, but real: a different TLD, or more than one edit, or a listed provider itself.
    EXPECT_EQ(suggestion("hotmail.co"), "");
    EXPECT_EQ(suggestion("yahoo.fi"), "");
    EXPECT_EQ(suggestion("fastmail.fm"), "");
    EXPECT_EQ(suggestion("protonmail.ch"), "");
    EXPECT_EQ(suggestion("email.com"), "");
    EXPECT_EQ(suggestion("y7mail.com"), "");
}

TEST(TypoFinder, FixesTldSlips) {
    EXPECT_EQ(suggestion("gmail.con"), "gmail.com");
    EXPECT_EQ(suggestion("aol.con"), "aol.com");
    EXPECT_EQ(suggestion("gmial.con"), "gmail.com") << "slip fixed first, then the near miss";
    EXPECT_EQ(suggestion("acme-widgets.con"), "acme-widgets.com");
    EXPECT_EQ(suggestion("example.cmo"), "example.com");
    EXPECT_EQ(suggestion("example.ocm"), "example.com");
    EXPECT_EQ(suggestion("example.comm"), "example.com");
    EXPECT_EQ(suggestion("example.nte"), "example.net");
    EXPECT_EQ(suggestion("example.ogr"), "example.org");
    EXPECT_EQ(suggestion("mail.example.co.uk"), "");
}

TEST(TypoFinder, LeavesRealDomainsAlone) {
    for (std::string_view domain :
         {"gmail.com", "gmx.com", "gmx.de", "gmx.net", "yahoo.com", "ymail.com", "mail.com",
          "email.com", "hotmail.de", "mailinator.com", "proton.me", "acme-widgets.com",
          "example.org", "life.com", "omantel.om", "web.de", "gmail.ru", "university.edu",
          "xn--exmple-cua.com"}) {
        EXPECT_EQ(suggestion(domain), "") << domain;
    }
}

TEST(TypoFinder, ConfiguredDistanceReplacesTheAutomaticOne) {
    const TypoFinder strict({"gmail.com", "protonmail.com"}, {}, 0);
    EXPECT_FALSE(strict.suggest("gmial.com"));
    EXPECT_EQ(strict.suggest("gmail.con").value_or(""), "gmail.com") << "slips still apply";
    const TypoFinder loose({"gmail.com"}, {}, 2);
    EXPECT_EQ(loose.suggest("gmal.co").value_or(""), "gmail.com");
}

TEST(TypoFinder, PrefersTheNearestThenTheEarlierProvider) {
    const TypoFinder finder({"yahoo.com", "yahoo.co.uk"}, {}, std::nullopt);
    EXPECT_EQ(finder.suggest("yahoo.cm").value_or(""), "yahoo.com");
    EXPECT_EQ(finder.suggest("yaho.co.uk").value_or(""), "yahoo.co.uk");
    EXPECT_EQ(finder.suggest("yahoo.co").value_or(""), "yahoo.com");
    const TypoFinder tie({"abcde.com", "abcdf.com"}, {}, std::nullopt);
    EXPECT_EQ(tie.suggest("abcdg.com").value_or(""), "abcde.com");
}

}  // namespace
}  // namespace mailsift::stages::typo
