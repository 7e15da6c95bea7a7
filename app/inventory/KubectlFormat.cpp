// `kubectl get ingress -A -o json`: every host an Ingress terminates TLS for, or routes, becomes
// a target on port 443, tagged with its namespace and ingress name so that an estate imported
// from several clusters can still be sliced by owner. Whatever cannot be read is named with its
// path (items[3].spec.tls) and skipped; an input with nothing to import is an error.
#include "InputText.h"
#include "TargetFields.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace certdash::inventory {

namespace {

// Escaped like quoteExcerpt() but without the quotes, for names inside a path.
QString bare(const QString &text) {
    const QString quoted = quoteExcerpt(text);
    return quoted.endsWith(QLatin1Char('\'')) ? quoted.mid(1).chopped(1) : quoted;
}

// A namespace or object name as Kubernetes allows it (DNS subdomain: at most 253 lower-case
// letters, digits, '-' and '.'); it becomes a tag, so anything else would be stored and exported.
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

QString wrongType(const QString &path, const QJsonValue &value, const QString &expected) {
    return InventoryText::tr("%1 is %2, expected %3; skipped").arg(path, jsonTypeName(value), expected);
}

} // namespace

void parseKubectlIngress(const QByteArray &utf8, const QString &source, ParsedTargets &out)
{
    const SourceLocation fileOnly{source, 0};
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(utf8, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        const int line = int(utf8.left(parseError.offset).count('\n')) + 1;
        out.addIssue({source, line},
                     InventoryText::tr("invalid JSON: %1").arg(parseError.errorString()));
        return;
    }
    const QJsonObject root = doc.object();
    QJsonArray items;
    if (root.value(QStringLiteral("kind")).toString() == QLatin1String("Ingress")) {
        items.append(root); // `kubectl get ingress NAME -o json`
    } else if (!root.contains(QStringLiteral("items"))) {
        out.addIssue(fileOnly, InventoryText::tr("not kubectl output: expected a List with "
                                                 "\"items\" or one Ingress"));
        return;
    } else if (!root.value(QStringLiteral("items")).isArray()) {
        out.addIssue(fileOnly, InventoryText::tr("\"items\" is %1, expected an array of "
                                                 "Ingress objects; nothing to import")
                                   .arg(jsonTypeName(root.value(QStringLiteral("items")))));
        return;
    } else {
        items = root.value(QStringLiteral("items")).toArray();
    }

    const qsizetype before = out.targets.size();
    for (int i = 0; i < items.size(); ++i) {
        const QString at = QStringLiteral("items[%1]").arg(i);
        const auto skip = [&](const QString &reason) { out.addIssue(fileOnly, reason, at); };
        if (!items.at(i).isObject()) {
            skip(wrongType(at, items.at(i), InventoryText::tr("an Ingress object")));
            continue;
        }
        const QJsonObject item = items.at(i).toObject();
        const QString kind = item.value(QStringLiteral("kind")).toString();
        const QJsonObject metadata = item.value(QStringLiteral("metadata")).toObject();
        const QString ns = metadata.value(QStringLiteral("namespace")).toString();
        const QString name = metadata.value(QStringLiteral("name")).toString();
        const QString where =
            ns.isEmpty() ? QStringLiteral("%1 %2").arg(at, bare(name))
                         : QStringLiteral("%1 %2/%3")
                               .arg(at, bare(ns),
                                    bare(name));
        if (!isKubernetesName(ns) || !isKubernetesName(name)) {
            skip(InventoryText::tr("%1: metadata.namespace and metadata.name must be Kubernetes "
                                   "names (lower-case letters, digits, '-' and '.')")
                     .arg(where));
            continue;
        }
        if (!kind.isEmpty() && kind != QLatin1String("Ingress")) {
            skip(InventoryText::tr("%1: a %2, not an Ingress").arg(where, bare(kind)));
            continue;
        }
        const QJsonValue specValue = item.value(QStringLiteral("spec"));
        if (!specValue.isObject()) {
            skip(QStringLiteral("%1: %2").arg(
                where, wrongType(QStringLiteral("spec"), specValue, InventoryText::tr("an object"))));
            continue;
        }
        const QJsonObject spec = specValue.toObject();
        QStringList hosts;
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
            const QJsonArray tlsHosts =
                arrayAt(tlsList.at(t).toObject().value(QStringLiteral("hosts")), path + QStringLiteral(".hosts"));
            for (qsizetype h = 0; h < tlsHosts.size(); ++h) {
                if (!tlsHosts.at(h).isString())
                    problems << wrongType(QStringLiteral("%1.hosts[%2]").arg(path).arg(h),
                                          tlsHosts.at(h), InventoryText::tr("a string"));
                else
                    hosts << tlsHosts.at(h).toString();
            }
        }
        const QJsonArray rules = arrayAt(spec.value(QStringLiteral("rules")), QStringLiteral("spec.rules"));
        for (qsizetype r = 0; r < rules.size(); ++r) {
            const QString path = QStringLiteral("spec.rules[%1]").arg(r);
            if (!rules.at(r).isObject()) {
                problems << wrongType(path, rules.at(r), InventoryText::tr("an object"));
                continue;
            }
            const QJsonValue host = rules.at(r).toObject().value(QStringLiteral("host"));
            if (host.isString() && !host.toString().isEmpty())
                hosts << host.toString();
            else if (!host.isUndefined() && !host.isNull() && !host.isString())
                problems << wrongType(path + QStringLiteral(".host"), host, InventoryText::tr("a string"));
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
            } else {
                for (const QString &reason : std::as_const(reasons))
                    skip(QStringLiteral("%1: %2").arg(where, reason));
            }
        }
    }
    if (out.targets.size() == before) {
        out.addIssue(fileOnly, InventoryText::tr("nothing to import: no Ingress host that can be "
                                                 "probed in %1 items")
                                   .arg(items.size()));
    }
}

} // namespace certdash::inventory
