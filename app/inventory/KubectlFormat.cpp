// `kubectl get ingress -A -o json`: every host an Ingress terminates TLS for, or routes, becomes
// a target on port 443, tagged with its namespace and ingress name so that an estate imported
// from several clusters can still be sliced by owner.
#include "TargetFields.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace certdash::inventory {

void parseKubectlIngress(const QByteArray &utf8, const QString &source, ParsedTargets &out)
{
    const SourceLocation fileOnly{source, 0};
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(utf8, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        const int line = int(utf8.left(parseError.offset).count('\n')) + 1;
        out.issues.append({{source, line},
                           InventoryText::tr("invalid JSON: %1").arg(parseError.errorString())});
        return;
    }
    const QJsonObject root = doc.object();
    QJsonArray items;
    if (root.value(QStringLiteral("kind")).toString() == QLatin1String("Ingress"))
        items.append(root); // `kubectl get ingress NAME -o json`
    else
        items = root.value(QStringLiteral("items")).toArray();
    if (!root.contains(QStringLiteral("items")) && items.isEmpty()) {
        out.issues.append({fileOnly, InventoryText::tr("not kubectl output: expected a List "
                                                       "with \"items\" or one Ingress")});
        return;
    }

    for (int i = 0; i < items.size(); ++i) {
        const QJsonObject item = items.at(i).toObject();
        const QString kind = item.value(QStringLiteral("kind")).toString();
        const QJsonObject metadata = item.value(QStringLiteral("metadata")).toObject();
        const QString ns = metadata.value(QStringLiteral("namespace")).toString();
        const QString name = metadata.value(QStringLiteral("name")).toString();
        const QString where = ns.isEmpty() ? QStringLiteral("items[%1] %2").arg(i).arg(name)
                                           : QStringLiteral("items[%1] %2/%3").arg(i).arg(ns, name);
        if (!kind.isEmpty() && kind != QLatin1String("Ingress")) {
            out.issues.append({fileOnly, InventoryText::tr("%1: a %2, not an Ingress").arg(where, kind)});
            continue;
        }
        const QJsonObject spec = item.value(QStringLiteral("spec")).toObject();
        QStringList hosts;
        for (const QJsonValue &tls : spec.value(QStringLiteral("tls")).toArray()) {
            for (const QJsonValue &host : tls.toObject().value(QStringLiteral("hosts")).toArray())
                hosts << host.toString();
        }
        for (const QJsonValue &rule : spec.value(QStringLiteral("rules")).toArray()) {
            const QString host = rule.toObject().value(QStringLiteral("host")).toString();
            if (!host.isEmpty())
                hosts << host;
        }
        hosts.removeDuplicates();
        for (const QString &host : std::as_const(hosts)) {
            if (host.startsWith(QLatin1String("*."))) {
                out.issues.append({fileOnly, InventoryText::tr("%1: wildcard host %2 cannot be "
                                                               "probed; add its real names")
                                                 .arg(where, host)});
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
            } else {
                for (const QString &reason : std::as_const(reasons))
                    out.issues.append({fileOnly, QStringLiteral("%1: %2").arg(where, reason)});
            }
        }
    }
}

} // namespace certdash::inventory
