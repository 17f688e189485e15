// A well-formed connector: one row per line of the `input` text.
#include <string_view>

#include "mailsift/plugin.h"

namespace plugin_host_test {

class LinesConnector final : public mailsift::Connector {
  public:
    LinesConnector(mailsift::HostApi& host, std::string_view) : host_(host) {}
    ~LinesConnector() override {
        host_.log(mailsift::HostApi::LogLevel::info, "test.connector.lines", "destroyed");
    }

    void read(const mailsift::ConnectorInput& input, mailsift::RowSink& sink) override {
        std::string_view rest = input.text;
        while (!rest.empty() && !sink.stopRequested()) {
            const std::size_t end = rest.find('\n');
            sink.row(rest.substr(0, end));
            rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
        }
    }

  private:
    mailsift::HostApi& host_;
};

}  // namespace plugin_host_test

MAILSIFT_PLUGIN(plugin_host_test::LinesConnector, "test.connector.lines", connector)
