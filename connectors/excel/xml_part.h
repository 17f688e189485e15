#pragma once

#include <string_view>

#include "excel/zip_index.h"

namespace Poco::XML {
class ContentHandler;
}

namespace mailsift::connectors::excel {

/// Streams the zip entry `name` through a SAX parser into `handler`.
///
/// Safety: a DOCTYPE is refused outright (so no entity can be declared, let alone expanded),
/// external general and parameter entities are disabled, and the bytes come from a
/// ZipEntryStream under the archive's limits. A zip limit that ended the stream wins over the
/// XML error it caused. Errors are ConnectorError: badInput ("the file is not a valid .xlsx
/// workbook: <part>: <parser message>") or tooLarge; exceptions thrown by the handler pass
/// through unchanged. Returns false (and calls nothing) when the entry does not exist.
bool parseXmlPart(ZipIndex& zip, std::string_view name, Poco::XML::ContentHandler& handler);

}  // namespace mailsift::connectors::excel
