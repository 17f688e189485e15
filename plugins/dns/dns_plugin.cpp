// The exported descriptor of the dns stage; everything else lives in the dns_resolver library.
#include "dns/dns_stage.h"
#include "mailsift/plugin.h"

MAILSIFT_PLUGIN(mailsift::stages::dns::DnsStage, "mailsift.stage.dns", stage)
