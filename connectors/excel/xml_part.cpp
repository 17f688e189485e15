#include "excel/xml_part.h"

#include <Poco/Exception.h>
#include <Poco/SAX/ContentHandler.h>
#include <Poco/SAX/InputSource.h>
#include <Poco/SAX/LexicalHandler.h>
#include <Poco/SAX/SAXParser.h>
#include <Poco/SAX/XMLReader.h>

#include <string>

#include "mailsift/connector.h"

namespace mailsift::connectors::excel {
namespace {

using Kind = ConnectorError::Kind;

/// Throws as soon as the parser meets `<!DOCTYPE`, before any declaration inside it is read.
class DoctypeRefusal final : public Poco::XML::LexicalHandler {
  public:
    explicit DoctypeRefusal(std::string part) : part_(std::move(part)) {}

    void startDTD(const Poco::XML::XMLString& /*name*/, const Poco::XML::XMLString& /*publicId*/,
                  const Poco::XML::XMLString& /*systemId*/) override {
        throw ConnectorError(Kind::badInput, "the file is not a valid .xlsx workbook: " + part_ +
                                                 " declares a DOCTYPE, which is not allowed");
    }
    void endDTD() override {}
    void startEntity(const Poco::XML::XMLString& /*name*/) override {}
    void endEntity(const Poco::XML::XMLString& /*name*/) override {}
    void startCDATA() override {}
    void endCDATA() override {}
    void comment(const Poco::XML::XMLChar /*ch*/[], int /*start*/, int /*length*/) override {}

  private:
    std::string part_;
};

}  // namespace

bool parseXmlPart(ZipIndex& zip, std::string_view name, Poco::XML::ContentHandler& handler) {
    const ZipEntry* entry = zip.find(name);
    if (entry == nullptr)
        return false;
    const std::unique_ptr<ZipEntryStream> stream = zip.open(*entry);
    DoctypeRefusal refusal{std::string(name)};
    Poco::XML::SAXParser parser;
    parser.setFeature(Poco::XML::XMLReader::FEATURE_NAMESPACES, true);
    parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_GENERAL_ENTITIES, false);
    parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_PARAMETER_ENTITIES, false);
    parser.setProperty(Poco::XML::XMLReader::PROPERTY_LEXICAL_HANDLER,
                       static_cast<Poco::XML::LexicalHandler*>(&refusal));
    parser.setContentHandler(&handler);
    Poco::XML::InputSource source(*stream);
    try {
        parser.parse(&source);
    } catch (const ConnectorError&) {
        stream->check();
        throw;
    } catch (const Poco::Exception& error) {
        stream->check();
        throw ConnectorError(Kind::badInput, "the file is not a valid .xlsx workbook: " +
                                                 std::string(name) + ": " + error.message());
    }
    stream->check();
    return true;
}

}  // namespace mailsift::connectors::excel
