#include "excel/workbook_layout.h"

#include <Poco/SAX/Attributes.h>
#include <Poco/SAX/DefaultHandler.h>

#include <vector>

#include "excel/xml_part.h"
#include "mailsift/connector.h"

namespace mailsift::connectors::excel {
namespace {

using Poco::XML::Attributes;
using Poco::XML::XMLString;

bool endsWith(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

/// Collects the <Relationship Id Type Target> elements of one .rels part.
class RelationshipsHandler final : public Poco::XML::DefaultHandler {
  public:
    struct Relationship {
        std::string id;
        std::string type;
        std::string target;
    };

    void startElement(const XMLString& /*uri*/, const XMLString& localName,
                      const XMLString& /*qname*/, const Attributes& attributes) override {
        if (localName != "Relationship")
            return;
        if (attributes.getValue("", "TargetMode") == "External")
            return;
        relationships_.push_back({attributes.getValue("", "Id"), attributes.getValue("", "Type"),
                                  attributes.getValue("", "Target")});
    }

    const Relationship* byId(std::string_view id) const {
        for (const Relationship& each : relationships_) {
            if (each.id == id)
                return &each;
        }
        return nullptr;
    }

    const Relationship* byType(std::string_view typeSuffix) const {
        for (const Relationship& each : relationships_) {
            if (endsWith(each.type, typeSuffix))
                return &each;
        }
        return nullptr;
    }

  private:
    std::vector<Relationship> relationships_;
};

/// Finds the relationship id of the first <sheet> of workbook.xml (any namespace prefix).
class WorkbookHandler final : public Poco::XML::DefaultHandler {
  public:
    void startElement(const XMLString& /*uri*/, const XMLString& localName,
                      const XMLString& /*qname*/, const Attributes& attributes) override {
        if (found_ || localName != "sheet")
            return;
        for (int i = 0; i < attributes.getLength(); ++i) {
            if (attributes.getLocalName(i) == "id" && !attributes.getURI(i).empty()) {
                sheetId_ = attributes.getValue(i);
                found_ = true;
                return;
            }
        }
    }

    bool found() const { return found_; }
    const std::string& sheetId() const { return sheetId_; }

  private:
    bool found_ = false;
    std::string sheetId_;
};

ConnectorError noFirstSheet() {
    return ConnectorError(ConnectorError::Kind::badInput,
                          "the workbook's first sheet could not be found");
}

/// "xl/_rels/workbook.xml.rels" for "xl/workbook.xml".
std::string relationshipsPartOf(std::string_view part) {
    const std::size_t slash = part.rfind('/');
    const std::string_view folder =
        slash == std::string_view::npos ? std::string_view() : part.substr(0, slash + 1);
    const std::string_view file = slash == std::string_view::npos ? part : part.substr(slash + 1);
    return std::string(folder) + "_rels/" + std::string(file) + ".rels";
}

/// Relationship targets are URIs: "%20" and friends stand for the byte they encode.
std::string percentDecoded(std::string_view text) {
    const auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
            return c - 'A' + 10;
        return -1;
    };
    std::string decoded;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size() && hex(text[i + 1]) >= 0 &&
            hex(text[i + 2]) >= 0) {
            decoded += static_cast<char>(hex(text[i + 1]) * 16 + hex(text[i + 2]));
            i += 2;
        } else {
            decoded += text[i];
        }
    }
    return decoded;
}

}  // namespace

std::string resolvePartName(std::string_view sourcePart, std::string_view rawTarget) {
    const std::string target = percentDecoded(rawTarget);
    std::string joined;
    if (!target.empty() && target.front() == '/') {
        joined = target.substr(1);
    } else {
        const std::size_t slash = sourcePart.rfind('/');
        if (slash != std::string_view::npos)
            joined = std::string(sourcePart.substr(0, slash + 1));
        joined += target;
    }
    std::vector<std::string> segments;
    std::size_t start = 0;
    while (start <= joined.size()) {
        std::size_t end = joined.find('/', start);
        if (end == std::string::npos)
            end = joined.size();
        const std::string segment = joined.substr(start, end - start);
        if (segment == "..") {
            if (!segments.empty())
                segments.pop_back();
        } else if (!segment.empty() && segment != ".") {
            segments.push_back(segment);
        }
        start = end + 1;
    }
    std::string result;
    for (const std::string& segment : segments)
        result += (result.empty() ? "" : "/") + segment;
    return result;
}

WorkbookLayout findWorkbookLayout(ZipIndex& zip) {
    WorkbookLayout layout;
    RelationshipsHandler packageRelationships;
    parseXmlPart(zip, "_rels/.rels", packageRelationships);
    const auto* office = packageRelationships.byType("/officeDocument");
    layout.workbook = office != nullptr ? resolvePartName("", office->target) : "xl/workbook.xml";

    WorkbookHandler workbook;
    if (!parseXmlPart(zip, layout.workbook, workbook) || !workbook.found())
        throw noFirstSheet();
    RelationshipsHandler relationships;
    if (!parseXmlPart(zip, relationshipsPartOf(layout.workbook), relationships))
        throw noFirstSheet();
    const auto* sheet = relationships.byId(workbook.sheetId());
    if (sheet == nullptr)
        throw noFirstSheet();
    layout.firstSheet = resolvePartName(layout.workbook, sheet->target);
    if (zip.find(layout.firstSheet) == nullptr)
        throw noFirstSheet();
    if (const auto* strings = relationships.byType("/sharedStrings"); strings != nullptr)
        layout.sharedStrings = resolvePartName(layout.workbook, strings->target);
    return layout;
}

}  // namespace mailsift::connectors::excel
