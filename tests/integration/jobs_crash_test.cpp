// Crash safety of validation jobs on SQLite: the real mailsift-server, killed with SIGKILL in the
// middle of a 20,000-row job and started again on the same database, finishes the job with
// exactly one result per row (see jobs_crash_scenario.h). The stages probe fake DNS and SMTP
// servers on loopback that answer slowly enough for the job to take seconds.
#include <gtest/gtest.h>

#include "integration/jobs_crash_scenario.h"
#include "support/temp_dir.h"

using namespace mailsift::testing;

TEST(JobsCrash, SqliteJobFinishesOnceAfterSigkill) {
    TempDir store;
    expectJobSurvivesKill("sqlite://" + store.file("mailsift.db"));
}
