#pragma once

#include <string>
#include <utility>
#include <vector>

namespace mailsift::connectors::testing {

/// Named parts of a zip archive, in the order they are written.
using Parts = std::vector<std::pair<std::string, std::string>>;

/// Zips `parts` with Poco::Zip::Compress; `streamed` writes local headers with data descriptors
/// (general-purpose bit 3), as a writer that cannot seek does.
std::string zipParts(const Parts& parts, bool streamed = false);

/// The parts of a minimal workbook whose only sheet is `sheetData` (the inside of <sheetData>),
/// stored where the relationship target `sheetPath` (relative to xl/ or absolute) points;
/// `sharedStrings` (the <si> items) adds xl/sharedStrings.xml when set.
Parts workbookParts(const std::string& sheetData, const std::string& sharedStrings = "",
                    const std::string& sheetPath = "worksheets/sheet1.xml");

/// One inline-string cell: <c r="ref" t="inlineStr"><is><t>text</t></is></c>.
std::string inlineCell(const std::string& ref, const std::string& text);

}  // namespace mailsift::connectors::testing
