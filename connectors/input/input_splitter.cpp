#include "input/input_splitter.h"

#include <string>

namespace mailsift::connectors::input {
namespace {

bool isSeparator(char c) {
    return c == ',' || c == ';' || c == '\r' || c == '\n' || c == ' ' || c == '\t';
}

}  // namespace

void InputSplitter::split(std::string_view text, RowSink& sink) const {
    std::size_t i = 0;
    std::size_t items = 0;
    while (i < text.size()) {
        while (i < text.size() && isSeparator(text[i]))
            ++i;
        const std::size_t start = i;
        while (i < text.size() && !isSeparator(text[i]))
            ++i;
        if (i == start)
            break;
        ++items;
        if (i - start > maxItemBytes_)
            throw ConnectorError(ConnectorError::Kind::tooLarge,
                                 "item " + std::to_string(items) +
                                     " of the input is longer than the limit of " +
                                     std::to_string(maxItemBytes_) + " bytes");
        sink.row(text.substr(start, i - start));
        if (sink.stopRequested())
            return;
    }
}

}  // namespace mailsift::connectors::input
