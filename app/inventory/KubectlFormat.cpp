// `kubectl get ingress -A -o json`: every host an Ingress terminates TLS for, or routes, becomes
// a target on port 443, tagged with its namespace and ingress name so that an estate imported
// from several clusters can still be sliced by owner. With EndpointSlices in the input (`kubectl
// get ingress,services,endpointslices,pods -A -o json`, or those outputs as separate files), every
// ready pod behind a TLS host is a target of its own too (KubectlEndpoints.cpp). Whatever cannot
// be read is named with its path (items[3].spec.tls) and skipped; an input with nothing to import
// is an error.
#include "InputText.h"
#include "KubectlObjects.h"
#include "TargetFields.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace certdash::inventory {

QString bareExcerpt(const QString &text) {
    const QString quoted = quoteExcerpt(text);
    return quoted.endsWith(QLatin1Char('\'')) ? quoted.mid(1).chopped(1) : quoted;
}

QString wrongTypeText(const QString &path, const QJsonValue &value, const QString &expected) {
    return InventoryText::tr("%1 is %2, expected %3; skipped").arg(path, jsonTypeName(value), expected);
}

bool isKubernetesName(const QString &name) {
    if (name.size() > 253)
        return false;
    for (const QChar c : name) {
        if (!((c >= QLatin1Char('a') && c <= QLatin1Char('z')) ||
              (c >= QLatin1Char('0') && c <= QLatin1Char('9')) || c == QLatin1Char('-') ||
              c == QLatin1Char('.')))
            return false;
    }
    return true;
}

namespace {

QString bare(const QString &text) {
    return bareExcerpt(text);
}

QString wrongType(const QString &path, const QJsonValue &value, const QString &expected) {
    return wrongTypeText(path, value, expected);
}

bool isKnownKind(const QString &kind) {
    return kind == QLatin1String("Ingress") || kind == QLatin1String("EndpointSlice") ||
           kind == QLatin1String("Service") || kind == QLatin1String("Pod");
}

// The objects of one kubectl output, appended to items; false (with an issue) when it is not
// kubectl output at all.
bool collectItems(const KubectlInput &input, QList<KubectlItem> &items, ParsedTargets &out) {
    const SourceLocation fileOnly{input.source, 0};
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(input.utf8, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        const int line = int(input.utf8.left(parseError.offset).count('\n')) + 1;
        out.addIssue({input.source, line},
                     InventoryText::tr("invalid JSON: %1").arg(parseError.errorString()));
        return false;
    }
    const QJsonObject root = doc.object();
    QJsonArray array;
    if (isKnownKind(root.value(QStringLiteral("kind")).toString())) {
        array.append(root); // `kubectl get ingress NAME -o json`
    } else if (!root.contains(QStringLiteral("items"))) {
        out.addIssue(fileOnly, InventoryText::tr("not kubectl output: expected a List with "
                                                 "\"items\" or one Ingress"));
        return false;
    } else if (!root.value(QStringLiteral("items")).isArray()) {
        out.addIssue(fileOnly, InventoryText::tr("\"items\" is %1, expected an array of "
                                                 "Ingress objects; nothing to import")
                                   .arg(jsonTypeName(root.value(QStringLiteral("items")))));
        return false;
    } else {
        array = root.value(QStringLiteral("items")).toArray();
    }
    for (int i = 0; i < array.size(); ++i) {
        KubectlItem item;
        item.source = input.source;
        item.at = QStringLiteral("items[%1]").arg(i); // a lone object reads as a List of one
        if (!array.at(i).isObject()) {
            out.addIssue(fileOnly,
                         wrongType(item.at, array.at(i), InventoryText::tr("an Ingress object")),
                         item.at);
            continue;
        }
        item.object = array.at(i).toObject();
        const QJsonObject metadata = item.object.value(QStringLiteral("metadata")).toObject();
        item.ns = metadata.value(QStringLiteral("namespace")).toString();
        item.name = metadata.value(QStringLiteral("name")).toString();
        item.where = item.ns.isEmpty()
                         ? QStringLiteral("%1 %2").arg(item.at, bare(item.name))
                         : QStringLiteral("%1 %2/%3").arg(item.at, bare(item.ns), bare(item.name));
        items << item;
    }
    return true;
}

// The backend an Ingress path (or its defaultBackend) names: spec...backend.service.{name, port}.
std::optional<IngressBackend> readBackend(const QJsonValue &value, const QString &path,
                                          QStringList &problems) {
    if (!value.isObject())
        return std::nullopt; // no backend, or a resource backend: nothing behind it to probe
    const QJsonValue service = value.toObject().value(QStringLiteral("service"));
    if (!service.isObject())
        return std::nullopt;
    const QJsonObject svc = service.toObject();
    const QString at = path + QStringLiteral(".service");
    IngressBackend backend;
    backend.path = at;
    backend.service = svc.value(QStringLiteral("name")).toString();
    const QJsonObject port = svc.value(QStringLiteral("port")).toObject();
    const QJsonValue number = port.value(QStringLiteral("number"));
    backend.portName = port.value(QStringLiteral("name")).toString();
    if (number.isDouble() && number.toDouble() >= 1 && number.toDouble() <= 65535 &&
        number.toDouble() == double(number.toInt()))
        backend.portNumber = number.toInt();
    if (!isKubernetesName(backend.service) || backend.service.isEmpty() ||
        (backend.portNumber == 0 && backend.portName.isEmpty())) {
        problems << InventoryText::tr("%1 names no Service port (name %2, port %3); the pods "
                                      "behind it are not probed")
                        .arg(at, quoteExcerpt(backend.service),
                             quoteExcerpt(QString::fromUtf8(
                                 QJsonDocument(port).toJson(QJsonDocument::Compact))));
        return std::nullopt;
    }
    return backend;
}

} // namespace

void parseKubectlIngress(const QByteArray &utf8, const QString &source, ParsedTargets &out)
{
    parseKubectlInputs({KubectlInput{utf8, source}}, out);
}

void parseKubectlInputs(const QList<KubectlInput> &inputs, ParsedTargets &out)
{
    QList<KubectlItem> items;
    qsizetype unreadable = 0;
    for (const KubectlInput &input : inputs)
        unreadable += collectItems(input, items, out) ? 0 : 1;
    if (unreadable == inputs.size())
        return; // not kubectl output at all: the issue of each input says it

    KubectlObjects objects;
    const qsizetype before = out.targets.size();
    for (const KubectlItem &item : std::as_const(items)) {
        const SourceLocation fileOnly{item.source, 0};
        const auto skip = [&](const QString &reason) { out.addIssue(fileOnly, reason, item.at); };
        const QString kind = item.object.value(QStringLiteral("kind")).toString();
        const QString where = item.where;
        const QString &ns = item.ns;
        const QString &name = item.name;
        if (!isKubernetesName(ns) || !isKubernetesName(name)) {
            skip(InventoryText::tr("%1: metadata.namespace and metadata.name must be Kubernetes "
                                   "names (lower-case letters, digits, '-' and '.')")
                     .arg(where));
            continue;
        }
        if (kind == QLatin1String("EndpointSlice")) {
            objects.endpointSlices << item;
            continue;
        }
        if (kind == QLatin1String("Service")) {
            objects.services << item;
            continue;
        }
        if (kind == QLatin1String("Pod")) {
            objects.pods << item;
            continue;
        }
        if (!kind.isEmpty() && kind != QLatin1String("Ingress")) {
            skip(InventoryText::tr("%1: a %2, not an Ingress, EndpointSlice, Service or Pod")
                     .arg(where, bare(kind)));
            continue;
        }
        const QJsonValue specValue = item.object.value(QStringLiteral("spec"));
        if (!specValue.isObject()) {
            skip(QStringLiteral("%1: %2").arg(
                where, wrongType(QStringLiteral("spec"), specValue, InventoryText::tr("an object"))));
            continue;
        }
        const QJsonObject spec = specValue.toObject();
        QStringList hosts;
        QStringList tlsHosts;
        QStringList problems;
        const auto arrayAt = [&](const QJsonValue &value, const QString &path) {
            if (value.isUndefined() || value.isNull())
                return QJsonArray();
            if (!value.isArray()) {
                problems << wrongType(path, value, InventoryText::tr("an array"));
                return QJsonArray();
            }
            return value.toArray();
        };
        const QJsonArray tlsList = arrayAt(spec.value(QStringLiteral("tls")), QStringLiteral("spec.tls"));
        for (qsizetype t = 0; t < tlsList.size(); ++t) {
            const QString path = QStringLiteral("spec.tls[%1]").arg(t);
            if (!tlsList.at(t).isObject()) {
                problems << wrongType(path, tlsList.at(t), InventoryText::tr("an object"));
                continue;
            }
            const QJsonArray list =
                arrayAt(tlsList.at(t).toObject().value(QStringLiteral("hosts")), path + QStringLiteral(".hosts"));
            for (qsizetype h = 0; h < list.size(); ++h) {
                if (!list.at(h).isString())
                    problems << wrongType(QStringLiteral("%1.hosts[%2]").arg(path).arg(h),
                                          list.at(h), InventoryText::tr("a string"));
                else
                    tlsHosts << list.at(h).toString();
            }
        }
        hosts = tlsHosts;
        IngressRoutes routes;
        routes.item = item;
        QStringList routedTlsHosts; // TLS hosts that a rule of their own routes
        QList<IngressBackend> catchAll; // rules without a host
        const QJsonArray rules = arrayAt(spec.value(QStringLiteral("rules")), QStringLiteral("spec.rules"));
        for (qsizetype r = 0; r < rules.size(); ++r) {
            const QString path = QStringLiteral("spec.rules[%1]").arg(r);
            if (!rules.at(r).isObject()) {
                problems << wrongType(path, rules.at(r), InventoryText::tr("an object"));
                continue;
            }
            const QJsonObject rule = rules.at(r).toObject();
            const QJsonValue host = rule.value(QStringLiteral("host"));
            const QString hostName = host.isString() ? host.toString() : QString();
            if (!hostName.isEmpty())
                hosts << hostName;
            else if (!host.isUndefined() && !host.isNull() && !host.isString())
                problems << wrongType(path + QStringLiteral(".host"), host, InventoryText::tr("a string"));
            const QJsonArray paths = rule.value(QStringLiteral("http"))
                                         .toObject()
                                         .value(QStringLiteral("paths"))
                                         .toArray();
            for (qsizetype p = 0; p < paths.size(); ++p) {
                const QString at = QStringLiteral("%1.http.paths[%2].backend").arg(path).arg(p);
                auto backend = readBackend(paths.at(p).toObject().value(QStringLiteral("backend")),
                                           at, problems);
                if (!backend)
                    continue;
                if (hostName.isEmpty()) {
                    catchAll << *backend;
                } else if (tlsHosts.contains(hostName)) {
                    backend->host = hostName;
                    routes.backends << *backend;
                    routedTlsHosts << hostName;
                } else if (!routes.plainHosts.contains(hostName)) {
                    routes.plainHosts << hostName;
                }
            }
        }
        // A TLS host without a rule of its own goes to the host-less rules, else to the default.
        QStringList problemsOfDefault;
        if (auto fallback = readBackend(spec.value(QStringLiteral("defaultBackend")),
                                        QStringLiteral("spec.defaultBackend"), problemsOfDefault))
            catchAll << *fallback;
        problems << problemsOfDefault;
        for (const QString &host : std::as_const(tlsHosts)) {
            if (routedTlsHosts.contains(host))
                continue;
            for (IngressBackend backend : std::as_const(catchAll)) {
                backend.host = host;
                routes.backends << backend;
            }
        }
        for (const QString &problem : std::as_const(problems))
            skip(QStringLiteral("%1: %2").arg(where, problem));
        hosts.removeDuplicates();
        for (const QString &host : std::as_const(hosts)) {
            if (host.startsWith(QLatin1String("*."))) {
                skip(InventoryText::tr("%1: wildcard host %2 cannot be probed; add its real names")
                         .arg(where, bare(host)));
                continue;
            }
            // Kubernetes admits only a DNS name as an Ingress host, served on 443: a host with a
            // colon (a port or an address) was not written by the API server, so it is reported
            // rather than probed on a port nobody configured.
            if (host.contains(QLatin1Char(':'))) {
                skip(InventoryText::tr("%1: host %2 is not a DNS name (an Ingress host has no port "
                                       "and is served on 443)")
                         .arg(where, bare(host)));
                continue;
            }
            RawTarget raw;
            raw.text.insert(QStringLiteral("host"), host);
            QStringList tags;
            if (!ns.isEmpty())
                tags << QStringLiteral("namespace:%1").arg(ns);
            if (!name.isEmpty())
                tags << QStringLiteral("ingress:%1").arg(name);
            raw.lists.insert(QStringLiteral("tags"), tags);
            QStringList reasons;
            if (auto target = buildTarget(raw, fileOnly, reasons)) {
                out.targets << *target;
                routes.importedHosts << host;
            } else {
                for (const QString &reason : std::as_const(reasons))
                    skip(QStringLiteral("%1: %2").arg(where, reason));
            }
        }
        objects.ingresses << routes;
    }
    if (out.targets.size() == before) {
        out.addIssue(SourceLocation{inputs.isEmpty() ? QString() : inputs.first().source, 0},
                     objects.endpointSlices.isEmpty()
                         ? InventoryText::tr("nothing to import: no Ingress host that can be "
                                             "probed in %1 items")
                               .arg(items.size())
                         : InventoryText::tr("nothing to import: no Ingress host that can be "
                                             "probed in %1 items (EndpointSlices need the "
                                             "`kubectl get ingress -A -o json` output beside them)")
                               .arg(items.size()));
        return;
    }
    if (!objects.endpointSlices.isEmpty())
        addPodTargets(objects, out);
}

} // namespace certdash::inventory
