// `kubectl get ingress -A -o json` output (a cluster's objects, written by whoever deployed
// them): parseTargets with TargetFormat::Kubectl.
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
    const ParsedTargets parsed = parseTargets(input, source, TargetFormat::Kubectl);
    fuzz::checkParsed(parsed, input, source);
    for (const Target &target : parsed.targets)
        fuzz::check(target.port == 443, "a kubectl target not on port 443");
    fuzz::checkRoundTrip(parsed);
    return 0;
}
