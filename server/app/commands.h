#pragma once

#include "app/command_line.h"
#include "config/config.h"

namespace mailsift::app {

// One function per sub-command; each returns the process exit code. Errors meant for the operator
// go to standard error as sentences; standard output carries only what scripts capture.

int serveCommand(const config::Config& config);
int keysCreateCommand(const config::Config& config, const std::string& account);
int keysListCommand(const config::Config& config);
int keysRevokeCommand(const config::Config& config, const std::string& id);
int migrateCommand(const config::Config& config);
int checkConfigCommand(const config::Config& config);

}  // namespace mailsift::app
