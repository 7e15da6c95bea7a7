#pragma once

// Internal to the kubectl reader: the objects of one or more `kubectl get ... -o json` outputs,
// sorted by kind, and what the Ingresses route to. KubectlFormat.cpp reads the Ingresses (one
// target per host, as seen through the ingress controller); KubectlEndpoints.cpp adds a target
// per ready pod address behind each TLS host when EndpointSlices are in the input.

#include "inventory/TargetParser.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>

namespace certdash::inventory {

// One kubectl object and where it was read: messages say "FILE: items[3] ns/name: ...".
struct KubectlItem {
    QJsonObject object;
    QString source; // the file (or <stdin>) it came from
    QString at;     // "items[3]" (or "object" for a lone object)
    QString where;  // "items[3] ns/name", names escaped
    QString ns;
    QString name;
};

// What an Ingress path sends a TLS host to: a Service port, by number or by name.
struct IngressBackend {
    QString host;
    QString service;
    int portNumber = 0; // 0 when given by name
    QString portName;
    QString path; // "spec.rules[0].http.paths[1].backend.service", for messages
};

struct IngressRoutes {
    KubectlItem item;
    QList<IngressBackend> backends; // of TLS hosts only
    QStringList plainHosts;         // routed hosts without TLS (no pods probed behind them)
    QStringList importedHosts;      // hosts that became a target (the others were named as issues)
};

struct KubectlObjects {
    QList<IngressRoutes> ingresses;
    QList<KubectlItem> endpointSlices;
    QList<KubectlItem> services;
    QList<KubectlItem> pods;
};

// Escaped like quoteExcerpt() but without the quotes, for names inside a path.
QString bareExcerpt(const QString &text);
// A namespace or object name as Kubernetes allows it (DNS subdomain: at most 253 lower-case
// letters, digits, '-' and '.'); it becomes a tag, so anything else would be stored and exported.
bool isKubernetesName(const QString &name);
QString wrongTypeText(const QString &path, const QJsonValue &value, const QString &expected);

// Adds one target per (TLS host of an Ingress, ready address of an EndpointSlice of the Service
// it routes to, matching port); what cannot be probed that way is a note or an issue.
void addPodTargets(const KubectlObjects &objects, ParsedTargets &out);

} // namespace certdash::inventory
