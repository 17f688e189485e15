#include "app/logging_setup.h"

#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/FileChannel.h>
#include <Poco/Formatter.h>
#include <Poco/FormattingChannel.h>
#include <Poco/JSON/Object.h>
#include <Poco/Logger.h>
#include <Poco/Message.h>
#include <Poco/PatternFormatter.h>

#include <sstream>

namespace mailsift::app {
namespace {

const char* priorityName(Poco::Message::Priority p) {
    switch (p) {
        case Poco::Message::PRIO_FATAL:
            return "fatal";
        case Poco::Message::PRIO_CRITICAL:
            return "critical";
        case Poco::Message::PRIO_ERROR:
            return "error";
        case Poco::Message::PRIO_WARNING:
            return "warning";
        case Poco::Message::PRIO_NOTICE:
            return "notice";
        case Poco::Message::PRIO_INFORMATION:
            return "info";
        case Poco::Message::PRIO_DEBUG:
            return "debug";
        case Poco::Message::PRIO_TRACE:
            return "trace";
    }
    return "info";
}

/// One JSON object per line: time, level, logger, thread and message.
class JsonLineFormatter : public Poco::Formatter {
  public:
    void format(const Poco::Message& msg, std::string& text) override {
        Poco::JSON::Object line;
        line.set("time", Poco::DateTimeFormatter::format(msg.getTime(), "%Y-%m-%dT%H:%M:%S.%iZ"));
        line.set("level", priorityName(msg.getPriority()));
        line.set("logger", msg.getSource());
        line.set("thread", static_cast<Poco::Int64>(msg.getTid()));
        line.set("message", msg.getText());
        std::ostringstream out;
        line.stringify(out);
        text = out.str();
    }
};

}  // namespace

void setUpLogging(const config::LoggingConfig& logging, const config::Config& config) {
    Poco::AutoPtr<Poco::Channel> sink;
    if (logging.file.empty()) {
        sink = new Poco::ConsoleChannel;  // standard error
    } else {
        Poco::AutoPtr<Poco::FileChannel> file =
            new Poco::FileChannel(config.resolvePath(logging.file));
        file->setProperty("rotation", "100 M");
        file->setProperty("archive", "timestamp");
        file->setProperty("purgeCount", "5");
        sink = file;
    }
    Poco::AutoPtr<Poco::Formatter> formatter;
    if (logging.format == "json") {
        formatter = new JsonLineFormatter;
    } else {
        formatter = new Poco::PatternFormatter("%Y-%m-%dT%H:%M:%S.%iZ %p %s: %t");
    }
    Poco::AutoPtr<Poco::FormattingChannel> channel = new Poco::FormattingChannel(formatter, sink);
    Poco::Logger::root().setChannel(channel);
    Poco::Logger::setLevel("", Poco::Logger::parseLevel(logging.level));
}

}  // namespace mailsift::app
