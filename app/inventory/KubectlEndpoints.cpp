// Every pod behind a Service that backs an Ingress TLS host: one target per ready endpoint
// address of the Service's EndpointSlices, probed with the ingress host as SNI (and verified
// against it) at the pod address itself, on the endpoint's port (the container port: the pod is
// reached directly, not through the Service). One pod serving a stale certificate among healthy
// ones is then a row of its own, tagged namespace:, service:, pod: and ingress:.
//
// One target per address, not one target per host with every pod address pinned: the store keys
// a target by host, port, SNI and its pinned addresses, so each pod is its own endpoint with its
// own history and alerts, and the pod: tag names exactly the pod of that row (a target holding
// several addresses could only carry every pod's name). A pod that moves (a new address) is a new
// target, as it would be with shared targets.
//
// What is read but not probed is said, not dropped: endpoints that are not ready (they get no
// traffic; a starting pod may not have its certificate yet, a terminating one is about to go),
// Services without EndpointSlices in the input, hosts without TLS, and ports that nothing marks
// as TLS (a backend on plain HTTP behind a TLS-terminating controller has no certificate: probing
// it would only add a failing row per pod).
#include "InputText.h"
#include "KubectlObjects.h"
#include "TargetFields.h"

#include <QHash>
#include <QJsonArray>
#include <QSet>

namespace certdash::inventory {

namespace {

constexpr int kMaxNamedPods = 5; // in one note; the rest are counted

QString bare(const QString &text) {
    return bareExcerpt(text);
}

QString key(const QString &ns, const QString &name) {
    return ns + QLatin1Char('/') + name;
}

QString portRef(const IngressBackend &backend) {
    return backend.portName.isEmpty() ? QString::number(backend.portNumber)
                                      : bare(backend.portName);
}

QString namedList(const QStringList &names) {
    QStringList shown;
    for (qsizetype i = 0; i < names.size() && i < kMaxNamedPods; ++i)
        shown << bare(names.at(i));
    QString text = shown.join(QStringLiteral(", "));
    if (names.size() > kMaxNamedPods)
        text += InventoryText::tr(" and %1 more").arg(names.size() - kMaxNamedPods);
    return text;
}

bool isTrue(const QJsonValue &value) {
    return value.toBool() ||
           value.toString().compare(QLatin1String("true"), Qt::CaseInsensitive) == 0;
}

// Why a backend port is taken to speak TLS: its appProtocol, its name, the port number, or an
// ingress controller's annotation. Empty when nothing says so.
QString tlsEvidence(const QJsonObject &port, const QJsonObject &ingressAnnotations,
                    const QJsonObject &serviceAnnotations) {
    static const QStringList tlsProtocols{QStringLiteral("https"), QStringLiteral("tls"),
                                          QStringLiteral("grpcs"), QStringLiteral("wss"),
                                          QStringLiteral("kubernetes.io/wss")};
    const QString appProtocol = port.value(QStringLiteral("appProtocol")).toString().toLower();
    if (tlsProtocols.contains(appProtocol))
        return InventoryText::tr("appProtocol %1").arg(bare(appProtocol));
    const QString name = port.value(QStringLiteral("name")).toString();
    for (const QString &word : name.split(QLatin1Char('-'))) {
        if (tlsProtocols.contains(word))
            return InventoryText::tr("port name %1").arg(bare(name));
    }
    const int number = port.value(QStringLiteral("port")).toInt();
    if (number == 443 || number == 8443)
        return InventoryText::tr("port %1").arg(number);
    const auto says = [](const QJsonObject &annotations, const char *name,
                         const QStringList &values) {
        const QString value = annotations.value(QLatin1String(name)).toString();
        return values.contains(value, Qt::CaseInsensitive);
    };
    const QStringList https{QStringLiteral("HTTPS"), QStringLiteral("GRPCS")};
    if (says(ingressAnnotations, "nginx.ingress.kubernetes.io/backend-protocol", https) ||
        says(ingressAnnotations, "alb.ingress.kubernetes.io/backend-protocol", https) ||
        isTrue(ingressAnnotations.value(
            QStringLiteral("nginx.ingress.kubernetes.io/ssl-passthrough"))) ||
        isTrue(ingressAnnotations.value(QStringLiteral("haproxy.org/server-ssl"))))
        return InventoryText::tr("the Ingress's backend annotation");
    if (says(serviceAnnotations, "traefik.ingress.kubernetes.io/service.serversscheme", https))
        return InventoryText::tr("the Service's serversscheme annotation");
    return {};
}

// The EndpointSlice port an Ingress backend reaches, or nullopt with *why.
std::optional<QJsonObject> matchPort(const QJsonArray &ports, const IngressBackend &backend,
                                     const std::optional<QString> &serviceName, QString *why) {
    QStringList seen;
    for (const QJsonValue &value : ports) {
        const QJsonObject port = value.toObject();
        const QString name = port.value(QStringLiteral("name")).toString();
        seen << QStringLiteral("%1 (%2)")
                    .arg(name.isEmpty() ? QStringLiteral("''") : bare(name))
                    .arg(port.value(QStringLiteral("port")).toInt());
        if (serviceName && name == *serviceName)
            return port;
        if (!serviceName && ports.size() == 1)
            return port; // one port: whatever the Service maps it from, it is this one
        if (!serviceName && port.value(QStringLiteral("port")).toInt() == backend.portNumber)
            return port;
    }
    *why = serviceName
               ? InventoryText::tr("has no port named %1 (ports: %2)")
                     .arg(serviceName->isEmpty() ? QStringLiteral("''") : bare(*serviceName),
                          seen.join(QStringLiteral(", ")))
               : InventoryText::tr("has several ports and none is %1 (ports: %2); the Service "
                                   "maps its port %1 to one of them: add `kubectl get services "
                                   "-A -o json` to the input to tell which")
                     .arg(backend.portNumber)
                     .arg(seen.join(QStringLiteral(", ")));
    return std::nullopt;
}

} // namespace

void addPodTargets(const KubectlObjects &objects, ParsedTargets &out) {
    QHash<QString, QList<const KubectlItem *>> slicesOf; // "ns/service" -> its slices, in order
    for (const KubectlItem &slice : objects.endpointSlices) {
        const QString service = slice.object.value(QStringLiteral("metadata"))
                                    .toObject()
                                    .value(QStringLiteral("labels"))
                                    .toObject()
                                    .value(QStringLiteral("kubernetes.io/service-name"))
                                    .toString();
        if (!service.isEmpty())
            slicesOf[key(slice.ns, service)] << &slice;
    }
    QHash<QString, const KubectlItem *> services;
    for (const KubectlItem &service : objects.services)
        services.insert(key(service.ns, service.name), &service);
    QHash<QString, QString> podOfAddress; // "ns/address" -> pod, for endpoints without targetRef
    for (const KubectlItem &pod : objects.pods) {
        const QJsonObject status = pod.object.value(QStringLiteral("status")).toObject();
        QStringList ips{status.value(QStringLiteral("podIP")).toString()};
        for (const QJsonValue &ip : status.value(QStringLiteral("podIPs")).toArray())
            ips << ip.toObject().value(QStringLiteral("ip")).toString();
        for (const QString &ip : std::as_const(ips)) {
            if (const auto address = canonicalAddress(ip))
                podOfAddress.insert(key(pod.ns, *address), pod.name);
        }
    }

    for (const IngressRoutes &routes : objects.ingresses) {
        const KubectlItem &ingress = routes.item;
        const auto note = [&](const QString &text) {
            out.notes << QStringLiteral("%1: %2: %3").arg(ingress.source, ingress.where, text);
        };
        for (const QString &host : routes.plainHosts)
            note(InventoryText::tr("host %1 is not in spec.tls; the pods behind it are not probed")
                     .arg(bare(host)));
        const QJsonObject ingressAnnotations = ingress.object.value(QStringLiteral("metadata"))
                                                   .toObject()
                                                   .value(QStringLiteral("annotations"))
                                                   .toObject();
        QSet<QString> done;
        for (const IngressBackend &backend : routes.backends) {
            if (!routes.importedHosts.contains(backend.host))
                continue; // named already as an issue: a wildcard, a port, not a host name
            const QString routeKey = backend.host + QLatin1Char('\n') + backend.service +
                                     QLatin1Char('\n') + portRef(backend);
            if (done.contains(routeKey))
                continue; // two paths of one host to the same Service port
            done.insert(routeKey);
            const QString what =
                InventoryText::tr("host %1 -> service %2 port %3")
                    .arg(bare(backend.host), bare(backend.service), portRef(backend));
            if (canonicalAddress(backend.host)) {
                note(InventoryText::tr("%1: the host is an address, not a name, so there is no "
                                       "SNI to probe its pods with; not probed")
                         .arg(what));
                continue;
            }
            const QList<const KubectlItem *> slices =
                slicesOf.value(key(ingress.ns, backend.service));
            if (slices.isEmpty()) {
                note(InventoryText::tr("%1: no EndpointSlice of this Service in the input (it has "
                                       "no selector, or its namespace was not exported); its pods "
                                       "are not probed")
                         .arg(what));
                continue;
            }
            // A port given by number is a Service port; the slices know the Service port's name.
            std::optional<QString> serviceName;
            if (!backend.portName.isEmpty())
                serviceName = backend.portName;
            const KubectlItem *service = services.value(key(ingress.ns, backend.service));
            QJsonObject serviceAnnotations;
            if (service) {
                serviceAnnotations = service->object.value(QStringLiteral("metadata"))
                                         .toObject()
                                         .value(QStringLiteral("annotations"))
                                         .toObject();
                if (!serviceName) {
                    const QJsonArray ports = service->object.value(QStringLiteral("spec"))
                                                 .toObject()
                                                 .value(QStringLiteral("ports"))
                                                 .toArray();
                    for (const QJsonValue &port : ports) {
                        if (port.toObject().value(QStringLiteral("port")).toInt() ==
                            backend.portNumber)
                            serviceName = port.toObject().value(QStringLiteral("name")).toString();
                    }
                    if (!serviceName) {
                        note(InventoryText::tr(
                                 "%1: the Service has no port %2; its pods are not probed")
                                 .arg(what)
                                 .arg(backend.portNumber));
                        continue;
                    }
                }
            }
            QStringList notReady;
            for (const KubectlItem *slice : slices) {
                const SourceLocation sliceFile{slice->source, 0};
                const auto problem = [&](const QString &text) {
                    out.addIssue(sliceFile, QStringLiteral("%1: %2").arg(slice->where, text),
                                 slice->at);
                };
                const QString sliceWhat =
                    InventoryText::tr("%1: EndpointSlice %2").arg(what, bare(slice->name));
                const QString addressType =
                    slice->object.value(QStringLiteral("addressType")).toString();
                if (addressType != QLatin1String("IPv4") && addressType != QLatin1String("IPv6")) {
                    note(InventoryText::tr(
                             "%1: address type %2 cannot be pinned (IPv4 or IPv6 can); "
                             "not probed")
                             .arg(sliceWhat, quoteExcerpt(addressType)));
                    continue;
                }
                QString why;
                const auto port = matchPort(slice->object.value(QStringLiteral("ports")).toArray(),
                                            backend, serviceName, &why);
                if (!port) {
                    note(QStringLiteral("%1 %2; not probed").arg(sliceWhat, why));
                    continue;
                }
                const QString protocol = port->value(QStringLiteral("protocol")).toString();
                if (!protocol.isEmpty() && protocol != QLatin1String("TCP")) {
                    note(InventoryText::tr("%1: port protocol %2, not TCP; not probed")
                             .arg(sliceWhat, quoteExcerpt(protocol)));
                    continue;
                }
                const QJsonValue number = port->value(QStringLiteral("port"));
                const double n = number.toDouble();
                if (!number.isDouble() || n < 1 || n > 65535 || n != double(int(n))) {
                    problem(wrongTypeText(QStringLiteral("ports[].port"), number,
                                          InventoryText::tr("a port number (1 to 65535)")));
                    continue;
                }
                if (tlsEvidence(*port, ingressAnnotations, serviceAnnotations).isEmpty()) {
                    note(
                        InventoryText::tr("%1: port %2 (%3) is not known to speak TLS (no "
                                          "appProtocol https, no port name with https or tls, not "
                                          "443 or 8443, no backend-protocol HTTPS annotation); its "
                                          "pods are not probed")
                            .arg(sliceWhat, bare(port->value(QStringLiteral("name")).toString()))
                            .arg(int(n)));
                    continue;
                }
                const QJsonArray endpoints =
                    slice->object.value(QStringLiteral("endpoints")).toArray();
                for (qsizetype e = 0; e < endpoints.size(); ++e) {
                    const QString at = QStringLiteral("endpoints[%1]").arg(e);
                    const QJsonObject endpoint = endpoints.at(e).toObject();
                    const QJsonArray addresses =
                        endpoint.value(QStringLiteral("addresses")).toArray();
                    const QJsonObject targetRef =
                        endpoint.value(QStringLiteral("targetRef")).toObject();
                    QString pod;
                    if (targetRef.value(QStringLiteral("kind")).toString() == QLatin1String("Pod"))
                        pod = targetRef.value(QStringLiteral("name")).toString();
                    if (pod.isEmpty() && !addresses.isEmpty()) {
                        if (const auto a = canonicalAddress(addresses.first().toString()))
                            pod = podOfAddress.value(key(slice->ns, *a));
                    }
                    if (!isKubernetesName(pod)) {
                        problem(InventoryText::tr("%1.targetRef.name %2 is not a Kubernetes name")
                                    .arg(at, quoteExcerpt(pod)));
                        continue;
                    }
                    // An absent "ready" means ready (the API's own rule for an unknown state).
                    const QJsonValue ready = endpoint.value(QStringLiteral("conditions"))
                                                 .toObject()
                                                 .value(QStringLiteral("ready"));
                    if (ready.isBool() && !ready.toBool()) {
                        notReady << (pod.isEmpty() ? addresses.first().toString() : pod);
                        continue;
                    }
                    for (qsizetype a = 0; a < addresses.size(); ++a) {
                        const auto address = canonicalAddress(addresses.at(a).toString());
                        if (!address) {
                            problem(InventoryText::tr("%1.addresses[%2] %3 is not an IP address")
                                        .arg(at)
                                        .arg(a)
                                        .arg(quoteExcerpt(addresses.at(a).toString())));
                            continue;
                        }
                        RawTarget raw;
                        raw.text.insert(QStringLiteral("host"), backend.host);
                        raw.text.insert(QStringLiteral("port"), QString::number(int(n)));
                        raw.lists.insert(QStringLiteral("address"), {*address});
                        QStringList tags{QStringLiteral("namespace:%1").arg(ingress.ns),
                                         QStringLiteral("service:%1").arg(backend.service)};
                        if (!pod.isEmpty())
                            tags << QStringLiteral("pod:%1").arg(pod);
                        tags << QStringLiteral("ingress:%1").arg(ingress.name);
                        raw.lists.insert(QStringLiteral("tags"), tags);
                        QStringList reasons;
                        if (auto target = buildTarget(raw, sliceFile, reasons)) {
                            out.targets << *target;
                        } else {
                            for (const QString &reason : std::as_const(reasons))
                                problem(QStringLiteral("%1: %2").arg(at, reason));
                        }
                    }
                }
            }
            if (!notReady.isEmpty()) {
                notReady.removeDuplicates();
                note(InventoryText::tr("%1: not ready, not probed (a pod gets no traffic until "
                                       "it is ready): %2")
                         .arg(what, namedList(notReady)));
            }
        }
    }
}

} // namespace certdash::inventory
