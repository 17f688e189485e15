// ListMatcher: role local parts (with +tags), disposable exact and wildcard, free providers.
#include "lists/list_matcher.h"

#include <gtest/gtest.h>

#include <string>

#include "common/list_file.h"

namespace mailsift::stages::lists {
namespace {

ListMatcher smallMatcher() {
    ListEntries entries;
    entries.roleLocalParts = {"admin", "info", "no-reply", "sales"};
    entries.disposableDomains = {"mailinator.com", "both.example"};
    entries.disposableWildcards = {"33m.co", "throwaway.example"};
    entries.freeDomains = {"gmail.com", "both.example", "gmx.com"};
    return ListMatcher(entries);
}

TEST(ListMatcher, FindsRoleLocalPartsCaseInsensitively) {
    const ListMatcher matcher = smallMatcher();
    EXPECT_TRUE(matcher.isRole("admin"));
    EXPECT_TRUE(matcher.isRole("Admin"));
    EXPECT_TRUE(matcher.isRole("INFO"));
    EXPECT_TRUE(matcher.isRole("no-reply"));
    EXPECT_FALSE(matcher.isRole("john"));
    EXPECT_FALSE(matcher.isRole("administrator"));
    EXPECT_FALSE(matcher.isRole("info.smith"));
    EXPECT_FALSE(matcher.isRole(""));
    EXPECT_FALSE(matcher.isRole(std::string(100, 'a')));
}

TEST(ListMatcher, ComparesThePartBeforeAPlusTag) {
    const ListMatcher matcher = smallMatcher();
    EXPECT_TRUE(matcher.isRole("sales+newsletter"));
    EXPECT_TRUE(matcher.isRole("Info+a+b"));
    EXPECT_FALSE(matcher.isRole("john+sales"));
    EXPECT_FALSE(matcher.isRole("+admin"));
}

TEST(ListMatcher, FindsDisposableDomainsExactlyAndByWildcard) {
    const ListMatcher matcher = smallMatcher();
    EXPECT_TRUE(matcher.isDisposable("mailinator.com"));
    EXPECT_FALSE(matcher.isDisposable("sub.mailinator.com")) << "exact entries are not wildcards";
    EXPECT_TRUE(matcher.isDisposable("33m.co"));
    EXPECT_TRUE(matcher.isDisposable("x.33m.co"));
    EXPECT_TRUE(matcher.isDisposable("a.b.c.throwaway.example"));
    EXPECT_FALSE(matcher.isDisposable("x33m.co"));
    EXPECT_FALSE(matcher.isDisposable("33m.com"));
    EXPECT_FALSE(matcher.isDisposable("co"));
    EXPECT_FALSE(matcher.isDisposable(""));
}

TEST(ListMatcher, DisposableWinsOverFree) {
    const ListMatcher matcher = smallMatcher();
    ListMatch match = matcher.match("john", "both.example");
    EXPECT_TRUE(match.disposable);
    EXPECT_FALSE(match.free);

    match = matcher.match("Admin+x", "gmail.com");
    EXPECT_TRUE(match.role);
    EXPECT_TRUE(match.free);
    EXPECT_FALSE(match.disposable);

    match = matcher.match("john", "acme-widgets.com");
    EXPECT_FALSE(match.role || match.free || match.disposable);
}

TEST(ListMatcher, WorksWithTheShippedLists) {
    const std::string dir = std::string(MAILSIFT_STAGES_CONFIG_DIR) + "/lists/";
    const auto read = [&](const char* file, ListKind kind) {
        return readListFile(dir + file, kind, "test", "test");
    };
    ListEntries entries;
    entries.roleLocalParts = read("role_local_parts.txt", ListKind::localParts);
    entries.disposableDomains = read("disposable_domains.txt", ListKind::domains);
    entries.disposableWildcards = read("disposable_wildcard_domains.txt", ListKind::domains);
    entries.freeDomains = read("free_domains.txt", ListKind::domains);
    EXPECT_GT(entries.disposableDomains.size(), 100000U);
    const ListMatcher matcher(entries);

    EXPECT_TRUE(matcher.match("postmaster", "example.com").role);
    EXPECT_TRUE(matcher.match("noreply+bounces", "example.com").role);
    EXPECT_TRUE(matcher.match("jane", "gmail.com").free);
    EXPECT_TRUE(matcher.match("jane", "gmx.com").free);
    EXPECT_TRUE(matcher.match("jane", "mailinator.com").disposable);
    EXPECT_TRUE(matcher.match("jane", "anything.33m.co").disposable);
    // 0815.ru is on both lists: only disposable is recorded.
    const ListMatch both = matcher.match("jane", "0815.ru");
    EXPECT_TRUE(both.disposable);
    EXPECT_FALSE(both.free);
    // Non-ASCII list entries are stored as A-labels, as the syntax stage leaves domains.
    EXPECT_TRUE(matcher.isDisposable("xn--t-tma.xyz"));  // tś.xyz
    const ListMatch company = matcher.match("jane.doe", "acme-widgets-example.com");
    EXPECT_FALSE(company.role || company.free || company.disposable);
}

}  // namespace
}  // namespace mailsift::stages::lists
