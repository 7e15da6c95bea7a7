// The format guess behind every import that names no format (`certdash import FILE`, the
// window's import, `scan --targets FILE`): detectTargetFormat, then parseTargets with Auto, which
// must read the input exactly as the detected format does.
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
    const QString source = QStringLiteral("fuzz.txt");
    QString why;
    const TargetFormat detected = detectTargetFormat(input, &why);
    fuzz::check(detected != TargetFormat::Auto, "detectTargetFormat answered Auto");
    fuzz::check(why.size() <= fuzz::kMaxMessageChars, "the format reason is not bounded", why);

    const ParsedTargets parsed = parseTargets(input, source, TargetFormat::Auto);
    fuzz::checkParsed(parsed, input, source);
    fuzz::checkRoundTrip(parsed);

    const ParsedTargets direct = parseTargets(input, source, detected);
    QStringList autoTargets;
    QStringList directTargets;
    for (const Target &t : parsed.targets)
        autoTargets << fuzz::describe(t);
    for (const Target &t : direct.targets)
        directTargets << fuzz::describe(t);
    fuzz::check(autoTargets == directTargets && parsed.issueCount() == direct.issueCount(),
                "Auto reads the input differently from the format it detects",
                autoTargets.join(QLatin1Char('\n')) + QStringLiteral("\n  vs\n  ") +
                    directTargets.join(QLatin1Char('\n')));
    return 0;
}
