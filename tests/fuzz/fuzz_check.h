#pragma once
// What every fuzz target shares: a check that stops the run (and so keeps the input) when a
// promise of the code under test is broken, not only when it crashes.

#include <cstdio>
#include <cstdlib>

/// Aborts with `what` when `condition` is false; libFuzzer then saves the input as a crash.
#define FUZZ_CHECK(condition, what)                                                 \
    do {                                                                            \
        if (!(condition)) {                                                         \
            std::fprintf(stderr, "fuzz check failed: %s (%s)\n", what, #condition); \
            std::abort();                                                           \
        }                                                                           \
    } while (false)
