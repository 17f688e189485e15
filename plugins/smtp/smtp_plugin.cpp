// The plugin entry point: the stage itself lives in the smtp_probe library.
#include "mailsift/plugin.h"
#include "probe/smtp_stage.h"

MAILSIFT_PLUGIN(mailsift::stages::smtp::SmtpStage, "mailsift.stage.smtp", stage)
