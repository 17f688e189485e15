#include <gtest/gtest.h>

#include <sstream>

#include "client_error.h"
#include "command_line.h"
#include "progress_bar.h"
#include "table.h"

namespace mailsift::client {
namespace {

using namespace std::chrono_literals;

CommandLine parse(std::vector<std::string> args) {
    args.insert(args.begin(), "mailsift");
    std::vector<char*> argv;
    for (auto& arg : args)
        argv.push_back(arg.data());
    return CommandLine::parse(static_cast<int>(argv.size()), argv.data());
}

int usageError(std::vector<std::string> args) {
    try {
        parse(std::move(args));
    } catch (const ClientError& e) {
        return e.exitCode();
    }
    return -1;
}

TEST(ClientCommandLine, OptionsAnywhereInEveryForm) {
    const auto line = parse({"jobs", "--json", "download", "--filter", "valid", "7",
                             "--filter=risky", "-o", "out.csv", "--", "--not-an-option"});
    EXPECT_EQ(line.words(), (std::vector<std::string>{"jobs", "download", "7", "--not-an-option"}));
    EXPECT_TRUE(line.flag("json"));
    EXPECT_EQ(line.values("filter"), (std::vector<std::string>{"valid", "risky"}));
    EXPECT_EQ(line.value("output"), "out.csv");
    EXPECT_FALSE(line.value("label"));
    EXPECT_NO_THROW(line.allowOnly("jobs download", {"json", "filter", "output"}));
    EXPECT_THROW(line.allowOnly("jobs download", {"filter", "output"}), ClientError);
}

TEST(ClientCommandLine, MistakesAreUsageErrors) {
    EXPECT_EQ(usageError({"jobs", "list", "--bogus"}), exit_code::kUsage);
    EXPECT_EQ(usageError({"jobs", "create", "--label"}), exit_code::kUsage);
    EXPECT_EQ(usageError({"--json=yes"}), exit_code::kUsage);
    EXPECT_EQ(usageError({"-x"}), exit_code::kUsage);
}

TEST(ClientProgressBar, RateAndEtaFromThePolls) {
    ProgressBar bar(10);
    const auto start = std::chrono::steady_clock::time_point{} + 1h;
    const std::string first = bar.line({0, 1000, 0, 0, 0, "running"}, start);
    EXPECT_EQ(first, "[..........] 0/1000 rows   0%  0/s  ETA --:--  valid 0  risky 0  invalid 0");
    const std::string later = bar.line({500, 1000, 300, 150, 50, "running"}, start + 10s);
    EXPECT_EQ(later,
              "[#####.....] 500/1000 rows  50%  50/s  ETA 0:10  valid 300  risky 150  invalid 50");
    EXPECT_NE(bar.line({500, 1000, 300, 150, 50, "paused"}, start + 11s).find("(paused)"),
              std::string::npos);
}

TEST(ClientProgressBar, Durations) {
    EXPECT_EQ(formatDuration(0), "0:00");
    EXPECT_EQ(formatDuration(65.4), "1:05");
    EXPECT_EQ(formatDuration(3 * 3600 + 62), "3:01:02");
}

TEST(ClientTable, PadsColumnsByCharactersNotBytes) {
    Table table({"EMAIL", "SCORE", "SMTP"});
    table.add({"ünï@example.com", "10", ""});
    table.add({"a@b.c", "0", "550 no"});
    std::ostringstream out;
    table.print(out);
    EXPECT_EQ(out.str(),
              "EMAIL            SCORE  SMTP\n"
              "ünï@example.com  10\n"
              "a@b.c            0      550 no\n");
}

}  // namespace
}  // namespace mailsift::client
