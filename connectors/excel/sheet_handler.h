#pragma once

#include <Poco/SAX/DefaultHandler.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "common/email_column.h"
#include "excel/shared_strings.h"

namespace mailsift::connectors::excel {

/// SAX handler for one worksheet part: every <row> becomes an EmailColumn row and every <c> a
/// cell, placed by its reference (r="C5"; without one, the cell after the previous). Cell types:
/// s (shared string index), inlineStr (<is><t>, runs concatenated), str, n or none (the number as
/// written in the file, e.g. "45.5"; dates therefore come as serial numbers), b ("TRUE"/"FALSE"),
/// e (the error text, e.g. "#N/A"). Formulas (<f>) are ignored; their cached <v> is the value.
/// Only rows present in the part are seen: missing row numbers produce no rows.
///
/// Throws ConnectorError badInput for a bad cell reference or shared string index, tooLarge for
/// a cell over `maxCellBytes`, and Stop when the sink wants no more rows.
class SheetHandler final : public Poco::XML::DefaultHandler {
  public:
    /// Thrown out of the parser to end the read early.
    struct Stop {};

    SheetHandler(const SharedStrings& strings, EmailColumn& rows, std::size_t maxCellBytes)
        : strings_(strings), rows_(rows), maxCellBytes_(maxCellBytes) {}

    void startElement(const Poco::XML::XMLString& uri, const Poco::XML::XMLString& localName,
                      const Poco::XML::XMLString& qname,
                      const Poco::XML::Attributes& attributes) override;
    void endElement(const Poco::XML::XMLString& uri, const Poco::XML::XMLString& localName,
                    const Poco::XML::XMLString& qname) override;
    void characters(const Poco::XML::XMLChar ch[], int start, int length) override;

    /// The 0-based column of a reference such as "C5" or "c5"; nullopt when it is not one.
    static std::optional<std::size_t> columnOf(std::string_view reference);

  private:
    void endCell();

    const SharedStrings& strings_;
    EmailColumn& rows_;
    std::size_t maxCellBytes_;
    bool inRow_ = false;
    bool inCell_ = false;
    bool inInline_ = false;
    bool capturing_ = false;
    int phoneticDepth_ = 0;
    std::size_t nextColumn_ = 0;
    std::size_t column_ = 0;
    std::string reference_;
    std::string type_;
    std::string value_;
};

}  // namespace mailsift::connectors::excel
