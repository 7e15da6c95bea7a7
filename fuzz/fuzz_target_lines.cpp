// The target line format (`host[:port] key=value ...`), as `certdash import` and the window's
// import read it from a file someone else wrote.
#include "inventory/TargetParser.h"

#include <QByteArray>
#include <QString>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input = QByteArray::fromRawData(reinterpret_cast<const char *>(data),
                                                     static_cast<qsizetype>(size));
    const certdash::ParsedTargets parsed =
        certdash::parseTargets(input, QStringLiteral("fuzz.txt"), certdash::TargetFormat::Lines);
    // The messages are what the user reads: building them must hold for any input too.
    (void)parsed.messages();
    return 0;
}
