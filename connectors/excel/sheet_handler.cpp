#include "excel/sheet_handler.h"

#include <Poco/SAX/Attributes.h>

#include <charconv>

namespace mailsift::connectors::excel {
namespace {

using Kind = ConnectorError::Kind;

constexpr std::size_t kMaxColumns = 16384;  ///< Excel's limit (XFD)

}  // namespace

std::optional<std::size_t> SheetHandler::columnOf(std::string_view reference) {
    std::size_t column = 0;
    std::size_t letters = 0;
    for (const char c : reference) {
        int digit = 0;
        if (c >= 'A' && c <= 'Z')
            digit = c - 'A' + 1;
        else if (c >= 'a' && c <= 'z')
            digit = c - 'a' + 1;
        else
            break;
        column = column * 26 + static_cast<std::size_t>(digit);
        if (++letters > 3 || column > kMaxColumns)
            return std::nullopt;
    }
    if (letters == 0)
        return std::nullopt;
    return column - 1;
}

void SheetHandler::startElement(const Poco::XML::XMLString& /*uri*/,
                                const Poco::XML::XMLString& localName,
                                const Poco::XML::XMLString& /*qname*/,
                                const Poco::XML::Attributes& attributes) {
    if (localName == "row") {
        inRow_ = true;
        nextColumn_ = 0;
        rows_.beginRow();
    } else if (localName == "c" && inRow_) {
        inCell_ = true;
        value_.clear();
        type_ = attributes.getValue("", "t");
        reference_ = attributes.getValue("", "r");
        if (reference_.empty()) {
            column_ = nextColumn_;
        } else {
            const std::optional<std::size_t> column = columnOf(reference_);
            if (!column)
                throw ConnectorError(Kind::badInput, "the file is not a valid .xlsx workbook: '" +
                                                         reference_.substr(0, 32) +
                                                         "' is not a cell reference");
            column_ = *column;
        }
        nextColumn_ = column_ + 1;
    } else if (!inCell_) {
        return;
    } else if (localName == "v") {
        capturing_ = !inInline_;
    } else if (localName == "is") {
        inInline_ = true;
    } else if (localName == "rPh") {
        ++phoneticDepth_;
    } else if (localName == "t") {
        capturing_ = inInline_ && phoneticDepth_ == 0;
    }
}

void SheetHandler::endElement(const Poco::XML::XMLString& /*uri*/,
                              const Poco::XML::XMLString& localName,
                              const Poco::XML::XMLString& /*qname*/) {
    if (localName == "v" || localName == "t") {
        capturing_ = false;
    } else if (localName == "rPh") {
        if (phoneticDepth_ > 0)
            --phoneticDepth_;
    } else if (localName == "is") {
        inInline_ = false;
    } else if (localName == "c" && inCell_) {
        endCell();
        inCell_ = false;
    } else if (localName == "row" && inRow_) {
        inRow_ = false;
        if (!rows_.endRow())
            throw Stop{};
    }
}

void SheetHandler::characters(const Poco::XML::XMLChar ch[], int start, int length) {
    if (!capturing_)
        return;
    value_.append(ch + start, static_cast<std::size_t>(length));
    if (value_.size() > maxCellBytes_)
        throw ConnectorError(Kind::tooLarge, "cell " + reference_.substr(0, 32) +
                                                 " of the workbook is longer than the limit of " +
                                                 std::to_string(maxCellBytes_) + " bytes");
}

void SheetHandler::endCell() {
    if (type_ == "s") {
        std::size_t index = 0;
        const char* first = value_.data();
        const char* last = first + value_.size();
        while (first < last && *first == ' ')
            ++first;
        const auto [end, error] = std::from_chars(first, last, index);
        if (error != std::errc() || first == last || index >= strings_.size())
            throw ConnectorError(Kind::badInput,
                                 "the file is not a valid .xlsx workbook: cell " +
                                     reference_.substr(0, 32) +
                                     " refers to a shared string that does not exist");
        rows_.cell(column_, strings_.at(index));
    } else if (type_ == "b") {
        rows_.cell(column_, value_ == "1" ? "TRUE" : value_ == "0" ? "FALSE" : value_);
    } else {
        rows_.cell(column_, value_);
    }
}

}  // namespace mailsift::connectors::excel
