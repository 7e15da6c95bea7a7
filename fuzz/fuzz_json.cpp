// JSON inventories (an array of target objects, as `certdash export -f json` writes and other
// tools generate): parseTargets with TargetFormat::Json.
#include "InventoryInvariants.h"

#include <QByteArray>
#include <QString>

#include <cstddef>
#include <cstdint>

using namespace certdash;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input = QByteArray::fromRawData(reinterpret_cast<const char *>(data),
                                                     static_cast<qsizetype>(size));
    const QString source = QStringLiteral("fuzz.json");
    const ParsedTargets parsed = parseTargets(input, source, TargetFormat::Json);
    fuzz::checkParsed(parsed, input, source);
    fuzz::checkRoundTrip(parsed);
    return 0;
}
