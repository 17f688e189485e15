#include "excel/shared_strings.h"

#include <Poco/SAX/Attributes.h>
#include <Poco/SAX/DefaultHandler.h>

#include "excel/xml_part.h"
#include "mailsift/connector.h"

namespace mailsift::connectors::excel {
namespace {

using Poco::XML::XMLString;

/// <sst><si> items: the text of <t> directly under <si> or under its <r> runs; <rPh> (phonetic
/// guides) is skipped.
class SharedStringsHandler final : public Poco::XML::DefaultHandler {
  public:
    SharedStringsHandler(SharedStrings& strings, std::size_t maxCellBytes)
        : strings_(strings), maxCellBytes_(maxCellBytes) {}

    void startElement(const XMLString& /*uri*/, const XMLString& localName,
                      const XMLString& /*qname*/, const Poco::XML::Attributes& /*attrs*/) override {
        if (localName == "si") {
            inItem_ = true;
            current_.clear();
        } else if (localName == "rPh") {
            ++phoneticDepth_;
        } else if (localName == "t" && inItem_ && phoneticDepth_ == 0) {
            capturing_ = true;
        }
    }

    void endElement(const XMLString& /*uri*/, const XMLString& localName,
                    const XMLString& /*qname*/) override {
        if (localName == "t") {
            capturing_ = false;
        } else if (localName == "rPh") {
            if (phoneticDepth_ > 0)
                --phoneticDepth_;
        } else if (localName == "si" && inItem_) {
            strings_.add(current_);
            inItem_ = false;
        }
    }

    void characters(const Poco::XML::XMLChar ch[], int start, int length) override {
        if (!capturing_)
            return;
        current_.append(ch + start, static_cast<std::size_t>(length));
        if (current_.size() > maxCellBytes_)
            throw ConnectorError(ConnectorError::Kind::tooLarge,
                                 "a text cell of the workbook is longer than the limit of " +
                                     std::to_string(maxCellBytes_) + " bytes");
    }

  private:
    SharedStrings& strings_;
    std::size_t maxCellBytes_;
    bool inItem_ = false;
    bool capturing_ = false;
    int phoneticDepth_ = 0;
    std::string current_;
};

}  // namespace

SharedStrings SharedStrings::read(ZipIndex& zip, std::string_view name, std::size_t maxCellBytes) {
    SharedStrings strings;
    SharedStringsHandler handler(strings, maxCellBytes);
    parseXmlPart(zip, name, handler);
    return strings;
}

}  // namespace mailsift::connectors::excel
