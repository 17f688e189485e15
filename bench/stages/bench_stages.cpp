// Single-core throughput of the cheap stages on 1,000,000 deterministic, realistic addresses.
//
//   bench_stages                 Google Benchmark: syntax, lists, typo, and all three
//   bench_stages --plain         one pass per stage on the thread CPU clock, as addresses/second
//
// Stages run in batches of 1000 items, as the engine runs them; the items are rebuilt from the
// inputs before every batch (that cost is measured on its own as "reset" and included in all
// figures except lists-only and typo-only, whose earlier stages run untimed).
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "address_corpus.h"
#include "common/list_file.h"
#include "lists/list_facts.h"
#include "lists/list_matcher.h"
#include "syntax/syntax_check.h"
#include "typo/typo_facts.h"
#include "typo/typo_finder.h"

namespace mailsift::bench {
namespace {

using stages::ListKind;
using stages::readListFile;

constexpr std::size_t kCorpusSize = 1'000'000;
constexpr std::size_t kBatchSize = 1000;

std::vector<std::string> readList(const char* file) {
    return readListFile(std::string(MAILSIFT_BENCH_CONFIG_DIR) + "/lists/" + file,
                        ListKind::domains, "bench", "bench_stages");
}

struct Fixture {
    std::vector<std::string> corpus = makeAddressCorpus(kCorpusSize);
    stages::syntax::SyntaxOptions syntaxOptions;
    stages::lists::ListMatcher lists = makeLists();
    stages::typo::TypoFinder typo = makeTypo();

    static stages::lists::ListMatcher makeLists() {
        stages::lists::ListEntries entries;
        entries.roleLocalParts =
            readListFile(std::string(MAILSIFT_BENCH_CONFIG_DIR) + "/lists/role_local_parts.txt",
                         ListKind::localParts, "bench", "bench_stages");
        entries.disposableDomains = readList("disposable_domains.txt");
        entries.disposableWildcards = readList("disposable_wildcard_domains.txt");
        entries.freeDomains = readList("free_domains.txt");
        return stages::lists::ListMatcher(entries);
    }
    static stages::typo::TypoFinder makeTypo() {
        std::vector<std::string> known = readList("free_domains.txt");
        const std::vector<std::string> disposable = readList("disposable_domains.txt");
        known.insert(known.end(), disposable.begin(), disposable.end());
        return stages::typo::TypoFinder(readList("well_known_providers.txt"), known, std::nullopt);
    }

    static Fixture& get() {
        static Fixture fixture;
        return fixture;
    }
};

/// Rebuilds `batch` from corpus[first, first + kBatchSize), reusing the items' capacity.
void resetBatch(const Fixture& f, std::size_t first, Batch& batch) {
    batch.items.resize(kBatchSize);
    for (std::size_t i = 0; i < kBatchSize; ++i) {
        Item& item = batch.items[i];
        item.input.assign(f.corpus[first + i]);
        item.address = Address{};
        item.evidence.facts.clear();
        item.evidence.suggestion.clear();
        item.settled = false;
    }
}

void runSyntax(const Fixture& f, Batch& batch) {
    for (Item& item : batch.items)
        stages::syntax::checkSyntax(item, f.syntaxOptions);
}
void runLists(const Fixture& f, Batch& batch) {
    for (Item& item : batch.items)
        stages::lists::recordListFacts(f.lists, item);
}
void runTypo(const Fixture& f, Batch& batch) {
    for (Item& item : batch.items)
        stages::typo::recordTypo(f.typo, item);
}

enum Stages : unsigned { kReset = 0, kSyntax = 1, kLists = 2, kTypo = 4 };

/// One pass over the corpus. `timed` stages count; `untimed` ones run with the clock paused.
template <class Pause, class Resume>
void pass(const Fixture& f, Batch& batch, unsigned timed, unsigned untimed, Pause pause,
          Resume resume) {
    for (std::size_t first = 0; first + kBatchSize <= f.corpus.size(); first += kBatchSize) {
        if (untimed != 0) {
            pause();
            resetBatch(f, first, batch);
            if (untimed & kSyntax)
                runSyntax(f, batch);
            if (untimed & kLists)
                runLists(f, batch);
            resume();
        } else {
            resetBatch(f, first, batch);
        }
        if (timed & kSyntax)
            runSyntax(f, batch);
        if (timed & kLists)
            runLists(f, batch);
        if (timed & kTypo)
            runTypo(f, batch);
        benchmark::DoNotOptimize(batch.items.data());
    }
}

void benchStages(benchmark::State& state, unsigned timed, unsigned untimed) {
    const Fixture& f = Fixture::get();
    Batch batch;
    for (auto _ : state)
        pass(
            f, batch, timed, untimed, [&] { state.PauseTiming(); }, [&] { state.ResumeTiming(); });
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * f.corpus.size()));
}

BENCHMARK_CAPTURE(benchStages, reset, kReset, 0U)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(benchStages, syntax, kSyntax, 0U)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(benchStages, lists_only, kLists, kSyntax)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(benchStages, typo_only, kTypo, kSyntax | kLists)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(benchStages, all_three, kSyntax | kLists | kTypo, 0U)
    ->Unit(benchmark::kMillisecond);

/// This thread's CPU time: other processes on a shared machine do not inflate it.
std::chrono::nanoseconds threadCpuTime() {
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return std::chrono::seconds(now.tv_sec) + std::chrono::nanoseconds(now.tv_nsec);
}

/// --plain: one pass per configuration, timed by this thread's CPU clock (paused spans
/// subtracted).
int runPlain() {
    const Fixture& f = Fixture::get();
    struct Case {
        const char* name;
        unsigned timed;
        unsigned untimed;
    };
    const Case cases[] = {{"reset", kReset, 0},
                          {"syntax", kSyntax, 0},
                          {"lists (only)", kLists, kSyntax},
                          {"typo (only)", kTypo, kSyntax | kLists},
                          {"syntax+lists+typo", kSyntax | kLists | kTypo, 0}};
    Batch batch;
    std::printf("%zu addresses, batches of %zu, one thread\n", f.corpus.size(), kBatchSize);
    for (const Case& c : cases) {
        std::chrono::nanoseconds paused{};
        std::chrono::nanoseconds pausedAt{};
        const std::chrono::nanoseconds start = threadCpuTime();
        pass(
            f, batch, c.timed, c.untimed, [&] { pausedAt = threadCpuTime(); },
            [&] { paused += threadCpuTime() - pausedAt; });
        const double seconds =
            std::chrono::duration<double>(threadCpuTime() - start - paused).count();
        std::printf("%-20s %8.1f ms  %12.0f addresses/s\n", c.name, seconds * 1e3,
                    static_cast<double>(f.corpus.size()) / seconds);
    }
    return 0;
}

}  // namespace
}  // namespace mailsift::bench

int main(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--plain") == 0)
            return mailsift::bench::runPlain();
    }
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
