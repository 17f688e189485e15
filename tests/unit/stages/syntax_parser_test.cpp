// parseAddress: RFC 5321/5322/6531 examples, IDNA, address literals, length limits, hostile input.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "syntax/address_parser.h"

namespace mailsift::stages::syntax {
namespace {

/// A domain of exactly `length` octets (length >= 5): labels of at most 63 'a', then "com".
std::string domainOfLength(std::size_t length) {
    std::string domain = "com";
    while (domain.size() < length) {
        const std::size_t room = length - domain.size() - 1;  // one octet goes to the dot
        std::size_t label = std::min<std::size_t>(63, room);
        if (room > label && room - label < 2)
            label -= 2;  // leave room for one more label and its dot
        domain = std::string(label, 'a') + "." + domain;
    }
    return domain;
}

TEST(SyntaxParser, DomainHelperMakesExactLengths) {
    for (std::size_t length : {189U, 250U, 253U, 255U, 256U})
        EXPECT_EQ(domainOfLength(length).size(), length);
}

TEST(SyntaxParser, AcceptsCommonAndRfcExamples) {
    const std::vector<std::string> valid = {
        "simple@example.com",
        "very.common@example.com",
        "disposable.style.email.with+symbol@example.com",
        "other.email-with-hyphen@example.com",
        "fully-qualified-domain@example.com",
        "user.name+tag+sorting@example.com",
        "x@example.com",
        "example-indeed@strange-example.com",
        "example@s.example",
        "mailhost!username@example.org",
        "user%example.com@example.org",
        "user-@example.org",
        "#!$%&'*+-/=?^_`{}|~@example.org",
        "a@b.co",
        "user@123.example.com",
        "user@sub-domain.example-host.co.uk",
        "user@xn--exmple-cua.com",
        "1234567890@example.com",
    };
    for (const std::string& address : valid) {
        const ParseResult result = parseAddress(address);
        EXPECT_TRUE(result.ok()) << address << ": " << describe(result.error);
        EXPECT_FALSE(result.quotedLocal) << address;
        EXPECT_FALSE(result.ipLiteral) << address;
        EXPECT_FALSE(result.utf8Local) << address;
    }
}

TEST(SyntaxParser, TrimsAndLowerCasesOnlyTheDomain) {
    const ParseResult result = parseAddress("  \t John.Smith@EXAMPLE.Com \r\n");
    ASSERT_TRUE(result.ok()) << describe(result.error);
    EXPECT_EQ(result.local, "John.Smith");
    EXPECT_EQ(result.domain, "example.com");
}

TEST(SyntaxParser, DropsTheTrailingRootDot) {
    const ParseResult result = parseAddress("user@example.com.");
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result.domain, "example.com");
    EXPECT_EQ(parseAddress("user@example.com..").error, SyntaxError::emptyLabel);
    EXPECT_EQ(parseAddress("user@.").error, SyntaxError::emptyLabel);
}

TEST(SyntaxParser, ConvertsInternationalDomainsToALabels) {
    ParseResult result = parseAddress("用户@例子.广告");
    ASSERT_TRUE(result.ok()) << describe(result.error);
    EXPECT_EQ(result.local, "用户");
    EXPECT_EQ(result.domain, "xn--fsqu00a.xn--4rr70v");
    EXPECT_TRUE(result.utf8Local);

    result = parseAddress("Pelé@exämple.com");
    ASSERT_TRUE(result.ok()) << describe(result.error);
    EXPECT_EQ(result.local, "Pelé");
    EXPECT_EQ(result.domain, "xn--exmple-cua.com");
    EXPECT_TRUE(result.utf8Local);

    result = parseAddress("user@EXÄMPLE.COM");
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result.domain, "xn--exmple-cua.com");
    EXPECT_FALSE(result.utf8Local);

    result = parseAddress("user@例子。广告");  // ideographic full stop
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result.domain, "xn--fsqu00a.xn--4rr70v");

    result = parseAddress("δοκιμή@παράδειγμα.δοκιμή");
    ASSERT_TRUE(result.ok()) << describe(result.error);
    EXPECT_EQ(result.domain, "xn--hxajbheg2az3al.xn--jxalpdlp");
}

TEST(SyntaxParser, RefusesBadInternationalDomains) {
    EXPECT_EQ(parseAddress("user@☃.com").error, SyntaxError::invalidIdn);
    EXPECT_EQ(parseAddress("user@xn--zz.com").error, SyntaxError::invalidIdn);
    EXPECT_EQ(parseAddress("user@xn--a.com").error, SyntaxError::invalidIdn);
    EXPECT_EQ(parseAddress("user@exa\xffmple.com").error, SyntaxError::invalidUtf8);
    EXPECT_EQ(parseAddress("user@exa\xc3mple.com").error, SyntaxError::invalidUtf8);
}

TEST(SyntaxParser, CanRefuseUtf8LocalParts) {
    SyntaxOptions options;
    options.allowUtf8Local = false;
    EXPECT_EQ(parseAddress("Pelé@example.com", options).error, SyntaxError::utf8NotAllowed);
    EXPECT_TRUE(parseAddress("pele@exämple.com", options).ok()) << "IDN domains stay allowed";
}

TEST(SyntaxParser, RefusesMalformedUtf8InTheLocalPart) {
    EXPECT_EQ(parseAddress("\xff@example.com").error, SyntaxError::invalidUtf8);
    EXPECT_EQ(parseAddress("a\xc0\xaf@example.com").error, SyntaxError::invalidUtf8);  // overlong
    EXPECT_EQ(parseAddress("a\xed\xa0\x80@example.com").error,
              SyntaxError::invalidUtf8);                                               // surrogate
    EXPECT_EQ(parseAddress("a\xc2\x85@example.com").error, SyntaxError::invalidUtf8);  // C1 NEL
    EXPECT_EQ(parseAddress("a\xe4\xbd@example.com").error, SyntaxError::invalidUtf8);  // truncated
}

TEST(SyntaxParser, ParsesQuotedLocalPartsAndFlagsThem) {
    ParseResult result = parseAddress("\"john doe\"@example.com");
    ASSERT_TRUE(result.ok()) << describe(result.error);
    EXPECT_TRUE(result.quotedLocal);
    EXPECT_EQ(result.local, "\"john doe\"");
    EXPECT_EQ(result.domain, "example.com");

    result =
        parseAddress(R"("very.(),:;<>[]\".VERY.\"very@\\ \"very\".unusual"@strange.example.com)");
    ASSERT_TRUE(result.ok()) << describe(result.error);
    EXPECT_TRUE(result.quotedLocal);

    EXPECT_TRUE(parseAddress(R"("a@b"@example.com)").ok());
    EXPECT_TRUE(parseAddress("\"用户 名\"@example.com").utf8Local);

    EXPECT_EQ(parseAddress("\"unterminated@example.com").error, SyntaxError::unterminatedQuote);
    EXPECT_EQ(parseAddress(R"("ends with backslash\)").error, SyntaxError::unterminatedQuote);
    EXPECT_EQ(parseAddress("\"\"@example.com").error, SyntaxError::emptyLocal);
    EXPECT_EQ(parseAddress("\"a\"b@example.com").error, SyntaxError::localInvalidCharacter);
    EXPECT_EQ(parseAddress("\"a\"").error, SyntaxError::missingAt);
    EXPECT_EQ(parseAddress("\"tab\there\"@example.com").error, SyntaxError::controlCharacter);
}

TEST(SyntaxParser, ParsesAddressLiteralsAndFlagsThem) {
    ParseResult result = parseAddress("user@[192.0.2.1]");
    ASSERT_TRUE(result.ok()) << describe(result.error);
    EXPECT_TRUE(result.ipLiteral);
    EXPECT_EQ(result.domain, "[192.0.2.1]");

    result = parseAddress("user@[IPv6:2001:db8::1]");
    ASSERT_TRUE(result.ok()) << describe(result.error);
    EXPECT_TRUE(result.ipLiteral);
    EXPECT_EQ(result.domain, "[IPv6:2001:db8::1]");

    result = parseAddress("user@[ipv6:2001:DB8::1]");
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result.domain, "[IPv6:2001:db8::1]");

    for (std::string_view bad :
         {"user@[300.1.1.1]", "user@[192.0.2]", "user@[192.0.2.1", "user@[]", "user@[IPv6:zz::1]",
          "user@[IPv6:]", "user@[2001:db8::1]", "user@[tag:content]", "user@[192.0.2.1]x",
          "user@[IPv6:1:2:3:4:5:6:7:8:9]", "user@[192.0.2.01]"}) {
        EXPECT_EQ(parseAddress(bad).error, SyntaxError::invalidAddressLiteral) << bad;
    }
}

TEST(SyntaxParser, RefusesBadLocalParts) {
    const std::vector<std::pair<std::string, SyntaxError>> cases = {
        {"plainaddress", SyntaxError::missingAt},
        {"@example.com", SyntaxError::emptyLocal},
        {"john..doe@example.com", SyntaxError::localDotPlacement},
        {".john@example.com", SyntaxError::localDotPlacement},
        {"john.@example.com", SyntaxError::localDotPlacement},
        {"a\"b(c)d,e:f;g<h>i[j\\k]l@example.com", SyntaxError::localInvalidCharacter},
        {"just\"not\"right@example.com", SyntaxError::localInvalidCharacter},
        {"this is\"not\\allowed@example.com", SyntaxError::localInvalidCharacter},
        {"john(comment)@example.com", SyntaxError::localInvalidCharacter},
        {"john doe@example.com", SyntaxError::localInvalidCharacter},
        {"<john@example.com>", SyntaxError::localInvalidCharacter},
        {"jo\r\nhn@example.com", SyntaxError::controlCharacter},
        {"jo\r\n hn@example.com", SyntaxError::controlCharacter},
        {std::string("jo\0hn@example.com", 17), SyntaxError::controlCharacter},
        {"jo\x7fhn@example.com", SyntaxError::controlCharacter},
    };
    for (const auto& [address, error] : cases)
        EXPECT_EQ(parseAddress(address).error, error)
            << address << ": " << describe(parseAddress(address).error);
}

TEST(SyntaxParser, RefusesBadDomains) {
    const std::vector<std::pair<std::string, SyntaxError>> cases = {
        {"", SyntaxError::empty},
        {"   \t ", SyntaxError::empty},
        {"user@", SyntaxError::emptyDomain},
        {"A@b@c@example.com", SyntaxError::domainInvalidCharacter},
        {"john@example..com", SyntaxError::emptyLabel},
        {"john@.example.com", SyntaxError::emptyLabel},
        {"john@-example.com", SyntaxError::labelHyphen},
        {"john@example-.com", SyntaxError::labelHyphen},
        {"john@example.-com", SyntaxError::labelHyphen},
        {"john@example.123", SyntaxError::numericTld},
        {"john@192.168.1.1", SyntaxError::numericTld},
        {"john@localhost", SyntaxError::singleLabelDomain},
        {"john@example.com (comment)", SyntaxError::domainInvalidCharacter},
        {"john@exa_mple.com", SyntaxError::domainInvalidCharacter},
        {"john@exa mple.com", SyntaxError::domainInvalidCharacter},
        {"john@example.com,", SyntaxError::domainInvalidCharacter},
    };
    for (const auto& [address, error] : cases)
        EXPECT_EQ(parseAddress(address).error, error)
            << address << ": " << describe(parseAddress(address).error);
}

TEST(SyntaxParser, SingleLabelDomainsOnlyWhenAllowed) {
    SyntaxOptions options;
    options.allowSingleLabelDomain = true;
    const ParseResult result = parseAddress("root@LocalHost", options);
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result.domain, "localhost");
    EXPECT_EQ(parseAddress("root@123", options).error, SyntaxError::numericTld);
}

TEST(SyntaxParser, EnforcesLengthLimits) {
    const std::string local64(64, 'a');
    EXPECT_TRUE(parseAddress(local64 + "@example.com").ok());
    EXPECT_EQ(parseAddress(local64 + "b@example.com").error, SyntaxError::localTooLong);
    EXPECT_EQ(parseAddress("\"" + std::string(62, 'a') + "\"@example.com").error,
              SyntaxError::none);
    EXPECT_EQ(parseAddress("\"" + std::string(63, 'a') + "\"@example.com").error,
              SyntaxError::localTooLong)
        << "quotes count towards the 64 octets";

    const std::string label63(63, 'l');
    EXPECT_TRUE(parseAddress("u@" + label63 + ".com").ok());
    EXPECT_EQ(parseAddress("u@" + label63 + "l.com").error, SyntaxError::labelTooLong);

    // 64 + 1 + 189 = 254 octets: the longest address; one more is too long.
    EXPECT_TRUE(parseAddress(local64 + "@" + domainOfLength(189)).ok());
    EXPECT_EQ(parseAddress(local64 + "@" + domainOfLength(190)).error, SyntaxError::addressTooLong);
    EXPECT_EQ(parseAddress("u@" + domainOfLength(255)).error, SyntaxError::addressTooLong);
    EXPECT_EQ(parseAddress("u@" + domainOfLength(256)).error, SyntaxError::domainTooLong);
    EXPECT_EQ(parseAddress(std::string(2000, 'a') + "@example.com").error,
              SyntaxError::inputTooLong);

    // The limits apply to the A-label form: 60 'ä' are 120 octets of UTF-8 but a longer A-label.
    std::string umlauts;
    for (int i = 0; i < 60; ++i)
        umlauts += "ä";
    EXPECT_NE(parseAddress("u@" + umlauts + ".com").error, SyntaxError::none);
}

TEST(SyntaxParser, DescribesEveryError) {
    for (int code = 0; code <= static_cast<int>(SyntaxError::addressTooLong); ++code)
        EXPECT_NE(describe(static_cast<SyntaxError>(code)), "unknown") << code;
}

TEST(SyntaxParser, SurvivesRandomInput) {
    std::mt19937 random(20240601);
    const std::string alphabet =
        std::string("aZ09.@\"\\[]():;, \t\r\n-_+!xn") + "\xc3\xa4\xff\x80\xe4\xbd\xa0";
    std::size_t accepted = 0;
    for (int round = 0; round < 50000; ++round) {
        std::string input;
        const std::size_t length = random() % 40;
        for (std::size_t i = 0; i < length; ++i)
            input.push_back(alphabet[random() % alphabet.size()]);
        const ParseResult result = parseAddress(input);
        if (result.ok()) {
            ++accepted;
            EXPECT_FALSE(result.domain.empty()) << input;
            EXPECT_LE(result.local.size() + 1 + result.domain.size(), kMaxAddressBytes);
        }
    }
    for (int round = 0; round < 20000; ++round) {
        std::string input(random() % 64, '\0');
        for (char& c : input)
            c = static_cast<char>(random() & 0xFF);
        (void)parseAddress(input);
    }
    SUCCEED() << accepted << " random inputs parsed";
}

}  // namespace
}  // namespace mailsift::stages::syntax
