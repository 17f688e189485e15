#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <sstream>

#include "client_error.h"
#include "commands.h"
#include "result_format.h"
#include "table.h"

namespace mailsift::client {

int validateCommand(const CommandContext& ctx) {
    ctx.line.allowOnly("validate", {"json"});
    if (ctx.args.empty()) {
        throw ClientError(exit_code::kUsage,
                          "Name at least one address: mailsift validate someone@example.com");
    }
    Poco::JSON::Array emails;
    for (const auto& email : ctx.args)
        emails.add(email);
    Poco::JSON::Object request;
    request.set("emails", emails);
    std::ostringstream body;
    request.stringify(body);
    const std::string answer = ctx.api.text("POST", "/v1/email/validate", body.str());
    if (ctx.line.flag("json")) {
        ctx.console.out << answer << '\n';
        return exit_code::kOk;
    }
    const auto object = parseJson(answer).extract<Poco::JSON::Object::Ptr>();
    Table table(resultHeader());
    const auto results = object->getArray("results");
    for (std::size_t i = 0; results && i < results->size(); ++i) {
        const auto row = results->getObject(static_cast<unsigned>(i));
        table.add(resultRow(row->getValue<std::string>("email"), row->getObject("result")));
    }
    table.print(ctx.console.out);
    return exit_code::kOk;
}

}  // namespace mailsift::client
