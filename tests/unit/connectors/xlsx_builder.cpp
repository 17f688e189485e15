#include "xlsx_builder.h"

#include <Poco/DateTime.h>
#include <Poco/Path.h>
#include <Poco/Zip/Compress.h>

#include <sstream>

namespace mailsift::connectors::testing {
namespace {

/// The part name a relationship target from xl/workbook.xml points at (only %20 is decoded).
std::string sheetPartName(const std::string& target) {
    std::string name = target.front() == '/' ? target.substr(1) : "xl/" + target;
    for (std::size_t at = name.find("%20"); at != std::string::npos; at = name.find("%20"))
        name.replace(at, 3, " ");
    return name;
}

}  // namespace

std::string zipParts(const Parts& parts, bool streamed) {
    std::ostringstream out;
    Poco::Zip::Compress compress(out, !streamed);
    for (const auto& [name, content] : parts) {
        std::istringstream in(content);
        compress.addFile(in, Poco::DateTime(), Poco::Path(name, Poco::Path::PATH_UNIX));
    }
    compress.close();
    return out.str();
}

Parts workbookParts(const std::string& sheetData, const std::string& sharedStrings,
                    const std::string& sheetPath) {
    const std::string ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    const std::string rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    Parts parts{
        {"[Content_Types].xml",
         "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types "
         "xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"},
        {"_rels/.rels",
         "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships "
         "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship "
         "Id=\"rId1\" Type=\"" +
             rel + "/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"},
        {"xl/workbook.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"" + ns +
                                "\" xmlns:r=\"" + rel +
                                "\"><sheets><sheet name=\"Emails\" sheetId=\"7\" "
                                "r:id=\"rId3\"/><sheet name=\"Other\" sheetId=\"1\" "
                                "r:id=\"rId1\"/></sheets></workbook>"},
        {"xl/_rels/workbook.xml.rels",
         "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships "
         "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
         "<Relationship Id=\"rId1\" Type=\"" +
             rel +
             "/worksheet\" Target=\"worksheets/other.xml\"/><Relationship Id=\"rId3\" Type=\"" +
             rel + "/worksheet\" Target=\"" + sheetPath + "\"/><Relationship Id=\"rId9\" Type=\"" +
             rel + "/sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>"},
        {"xl/worksheets/other.xml", "<worksheet xmlns=\"" + ns + "\"><sheetData><row r=\"1\">" +
                                        inlineCell("A1", "wrong@sheet.test") +
                                        "</row></sheetData></worksheet>"},
        {sheetPartName(sheetPath), "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"" +
                                       ns + "\"><sheetData>" + sheetData +
                                       "</sheetData></worksheet>"},
    };
    if (!sharedStrings.empty())
        parts.emplace_back("xl/sharedStrings.xml",
                           "<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"" + ns + "\">" +
                               sharedStrings + "</sst>");
    return parts;
}

std::string inlineCell(const std::string& ref, const std::string& text) {
    return "<c r=\"" + ref + "\" t=\"inlineStr\"><is><t>" + text + "</t></is></c>";
}

}  // namespace mailsift::connectors::testing
