#include "help_text.h"

namespace mailsift::client {
namespace {

const char* const kCommon = R"(
Server (every command):
  --url URL     the mailsift server; default $MAILSIFT_URL, else http://localhost:8080
  --key KEY     the API key; default $MAILSIFT_API_KEY (mailsift-server keys create prints one)
  --ca-file F   for https: also trust the CA certificates in PEM file F (a self-signed server);
                default $MAILSIFT_CA_FILE
  -h, --help    this help

Exit codes:
  0  done
  1  the server answered with an error (bad request, unknown job, over a limit, server fault)
  2  bad command line
  3  the server could not be reached (connection refused, unknown host, timeout, TLS)
  4  the server refused the API key
  5  the watched job failed
  6  a local file could not be read or written
)";

const char* const kGeneral =
    R"(mailsift - command line client of a mailsift email verification server

Usage:
  mailsift validate EMAIL... [--json]
  mailsift jobs create FILE | --input "a@b.com c@d.com" [--label L] [--source S] [--watch] [--json]
  mailsift jobs list [--json]
  mailsift jobs get ID [--json]
  mailsift jobs results ID [--pos K] [--limit N] [--json]
  mailsift jobs download ID [--filter valid|risky|invalid]... [-o FILE]
  mailsift jobs pause ID | resume ID [--json]
  mailsift jobs delete ID

`mailsift COMMAND --help` says more about one command.
)";

const char* const kValidate = R"(mailsift validate EMAIL... [--json]

Checks up to 100 addresses at once (POST /v1/email/validate) and prints one row per address:
classifier (valid, risky, invalid), score (0-10), syntax, mx and mailbox checks, the reasons and
the mail server's answer. With --json, prints the server's answer as it came.
For longer lists, create a job: mailsift jobs create list.csv --watch
)";

const char* const kJobs = R"(mailsift jobs SUBCOMMAND

  create FILE | --input "..."   upload a list and start a validation job
  list                          your jobs, newest first
  get ID                        one job: state, rows done, counts
  results ID                    the results, row by row
  download ID                   the results as CSV
  pause ID, resume ID           stop and restart a job's processing
  delete ID                     delete a job and its rows

`mailsift jobs SUBCOMMAND --help` says more.
)";

const char* const kCreate = R"(mailsift jobs create FILE | --input "a@b.com c@d.com" [options]

Uploads a list and starts a validation job (POST /v1/email/validate/job). FILE is a CSV (.csv,
any of , ; tab | as delimiter; the column headed "email", else the first) or an Excel file
(.xlsx, .xls: the first sheet). It is streamed, never read into memory whole. --input takes the
addresses themselves, split by commas, semicolons, newlines or spaces.

  --label L     a name for the job
  --source S    file, excel or input; by default from FILE's extension
  --watch       follow the job until it ends: a progress bar (rows done / total, rate, ETA,
                valid / risky / invalid so far) when standard output is a terminal, then a
                summary; exits 5 when the job fails
  --interval S  seconds between polls with --watch (default 1)
  --no-progress no progress bar even on a terminal
  --json        print the server's answer ({"id": N}; with --watch, the final job object)
)";

const char* const kList = R"(mailsift jobs list [--json]

Your jobs, newest first: id, state, rows, rows done, valid / risky / invalid, created, label.
)";

const char* const kGet = R"(mailsift jobs get ID [--json]

One job: its state, rows done of rows in total, counts per classifier, times, and why it failed.
)";

const char* const kResults = R"(mailsift jobs results ID [--pos K] [--limit N] [--json]

The results in input order, read 1000 rows per request from row K (default 0), up to N rows
(default all). A row still being checked shows as pending. --json prints one JSON array of
{"email", "result"} objects.
)";

const char* const kDownload = R"(mailsift jobs download ID [--filter CLASSIFIER]... [-o FILE]

The results as CSV (email, syntax, mx, mailbox, score, classifier, description, smtpResponse),
streamed to FILE or to standard output. --filter valid, risky or invalid keeps only those rows;
repeat it (or use commas: --filter valid,risky) for several. No filter: every row.
)";

const char* const kPause = R"(mailsift jobs pause ID | mailsift jobs resume ID [--json]

Stops handing out the job's rows to workers, or starts again. Prints the job's new state.
)";

const char* const kDelete = R"(mailsift jobs delete ID

Deletes the job and all its rows, in any state.
)";

}  // namespace

std::string helpText(const std::string& command) {
    const char* text = kGeneral;
    if (command == "validate")
        text = kValidate;
    else if (command == "jobs")
        text = kJobs;
    else if (command == "jobs create")
        text = kCreate;
    else if (command == "jobs list")
        text = kList;
    else if (command == "jobs get")
        text = kGet;
    else if (command == "jobs results")
        text = kResults;
    else if (command == "jobs download")
        text = kDownload;
    else if (command == "jobs pause" || command == "jobs resume")
        text = kPause;
    else if (command == "jobs delete")
        text = kDelete;
    return std::string(text) + kCommon;
}

}  // namespace mailsift::client
