// `kubectl get ingress -A -o json` output (a cluster's objects, written by whoever deployed
// them), with EndpointSlices, Services and Pods beside (`kubectl get
// ingress,services,endpointslices,pods -A -o json`): parseTargets with TargetFormat::Kubectl.
#include "InventoryInvariants.h"

#include <QByteArray>
#include <QString>

#include <cstddef>
#include <cstdint>

using namespace certdash;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const QByteArray input =
        QByteArray::fromRawData(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    const QString source = QStringLiteral("fuzz.json");
    const ParsedTargets parsed = parseTargets(input, source, TargetFormat::Kubectl);
    fuzz::checkParsed(parsed, input, source);
    for (const Target &target : parsed.targets) {
        // An ingress host: port 443, resolved. A pod behind it: the one address of that pod,
        // the ingress host as SNI, and the tags that say which Service and Ingress it is behind.
        if (target.addresses.isEmpty()) {
            fuzz::check(target.port == 443, "an ingress host target not on port 443",
                        target.hostPort());
            continue;
        }
        fuzz::check(target.addresses.size() == 1, "a pod target pins more than its address",
                    target.addresses.join(QLatin1Char(',')));
        fuzz::check(target.sni.isEmpty() && !target.noSni && !target.hostIsAddress() &&
                        !target.effectiveSni().isEmpty(),
                    "a pod target not probed with the ingress host as SNI", target.hostPort());
        bool service = false;
        bool ingress = false;
        for (const QString &tag : target.tags) {
            service = service || tag.startsWith(QLatin1String("service:"));
            ingress = ingress || tag.startsWith(QLatin1String("ingress:"));
        }
        fuzz::check(service && ingress, "a pod target without its service: and ingress: tags",
                    target.tags.join(QLatin1Char(',')));
    }
    for (const QString &note : parsed.notes)
        fuzz::check(note.startsWith(source + QLatin1String(": items[")),
                    "a note that does not name its item", note);
    fuzz::checkRoundTrip(parsed);
    return 0;
}
