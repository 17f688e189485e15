#pragma once

#include "config/config.h"

namespace mailsift::app {

/// Points Poco's root logger at standard error or the configured file, in text or JSON lines.
void setUpLogging(const config::LoggingConfig& logging, const config::Config& config);

}  // namespace mailsift::app
