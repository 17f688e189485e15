#pragma once

#include <string>

namespace mailsift::testing {

/// The crash scenario of the crash-safety tests, on the store at `storeUrl` (SQLite or MariaDB):
/// a server with two workers takes a 20,000-row job; once 10% to 90% of the rows are finished it
/// is killed with SIGKILL; a server without workers then shows what the store kept (whole chunks
/// only); a third server with two workers on the same store takes over the dead leases and
/// finishes the job. Asserted with gtest (see the .cpp for the exact list): one right result per
/// row, counters that match the rows, the restarted process committed exactly the chunks that
/// were not committed before the kill, and every mailbox was probed once per chunk attempt (only
/// the chunks in flight at the kill were probed twice).
void expectJobSurvivesKill(const std::string& storeUrl);

}  // namespace mailsift::testing
