#include "PrometheusReport.h"

#include <QStringList>

#include <functional>

namespace certdash {

QString escapePrometheusLabelValue(const QString &value) {
    QString escaped;
    escaped.reserve(value.size());
    for (const QChar c : value) {
        if (c == QLatin1Char('\\'))
            escaped += QLatin1String("\\\\");
        else if (c == QLatin1Char('"'))
            escaped += QLatin1String("\\\"");
        else if (c == QLatin1Char('\n'))
            escaped += QLatin1String("\\n");
        else
            escaped += c;
    }
    return escaped;
}

namespace {
// Every status, so that certdash_status has a 0 sample for the statuses an endpoint is not in:
// alerts can then match on status="expired" == 1 and dashboards never see gaps.
const Status kAllStatuses[] = {
    Status::Expired,     Status::NotYetValid,     Status::Critical,
    Status::Warning,     Status::RotationOverdue, Status::Ok,
    Status::Unreachable, Status::Timeout,         Status::HandshakeFailed,
};

QString labels(const ProbeResult &r) {
    const auto pair = [](const char *name, const QString &value) {
        return QStringLiteral("%1=\"%2\"")
            .arg(QLatin1String(name), escapePrometheusLabelValue(value));
    };
    return QStringList{
        pair("target", r.target.label()),
        pair("host", r.target.host),
        pair("port", QString::number(r.target.port)),
        pair("address", r.address),
        pair("sni", r.sni),
    }
        .join(QLatin1Char(','));
}

QString seconds(qint64 milliseconds) {
    return QString::number(double(milliseconds) / 1000.0, 'f', 3);
}

// Help texts are part of the exposition format, read by operators in Prometheus tooling: they stay
// in English like the metric names, whatever the locale of the scan.
struct Family {
    const char *name;
    const char *help;
    // One or more "{labels} value" tails for a result; empty when the result has no such sample.
    std::function<QStringList(const ProbeResult &, const QString &labels)> samples;
};

QStringList one(const QString &labels, const QString &value) {
    return {QLatin1Char('{') + labels + QLatin1String("} ") + value};
}

QList<Family> families() {
    return {
        {"certdash_cert_not_after_timestamp_seconds",
         "Expiry (notAfter) of the leaf certificate, in seconds since the Unix epoch.",
         [](const ProbeResult &r, const QString &l) {
             const CertificateInfo *leaf = r.leaf();
             if (!leaf || !leaf->notAfter.isValid())
                 return QStringList();
             return one(l, QString::number(leaf->notAfter.toSecsSinceEpoch()));
         }},
        {"certdash_earliest_expiry_timestamp_seconds",
         "Earliest notAfter on the path clients use, in seconds since the Unix epoch.",
         [](const ProbeResult &r, const QString &l) {
             if (!r.hasCertificate() || !r.limiting || !r.limiting->notAfter.isValid())
                 return QStringList();
             return one(l, QString::number(r.limiting->notAfter.toSecsSinceEpoch()));
         }},
        // Was certdash_days_left: `promtool check metrics` refuses a unit other than seconds
        // in a metric name (issue 15), so the whole days are given in seconds.
        {"certdash_expiry_left_seconds",
         "Whole days until the earliest expiry, in seconds (days x 86400), negative once expired.",
         [](const ProbeResult &r, const QString &l) {
             if (!r.hasCertificate() || !r.daysLeft)
                 return QStringList();
             return one(l, QString::number(qint64(*r.daysLeft) * 86400));
         }},
        {"certdash_cert_trusted",
         "1 when the chain verifies to a trust anchor and the name matches, else 0.",
         [](const ProbeResult &r, const QString &l) {
             if (!r.hasCertificate() || r.isFleetRow()) // the fleet reads without verifying
                 return QStringList();
             return one(l, r.trust.trusted ? QStringLiteral("1") : QStringLiteral("0"));
         }},
        {"certdash_trust_level",
         "1 for the endpoint's trust level (trusted, accepted, weak, failed), 0 for the others.",
         [](const ProbeResult &r, const QString &l) {
             const auto level = trustLevelOf(r);
             if (!level)
                 return QStringList();
             QStringList lines;
             for (const TrustLevel t : {TrustLevel::Trusted, TrustLevel::Accepted, TrustLevel::Weak,
                                        TrustLevel::Failed}) {
                 lines.append(QStringLiteral("{%1,trust_level=\"%2\"} %3")
                                  .arg(l, trustLevelKey(t),
                                       t == *level ? QStringLiteral("1") : QStringLiteral("0")));
             }
             return lines;
         }},
        {"certdash_probe_success", "1 when a certificate was read from the endpoint, else 0.",
         [](const ProbeResult &r, const QString &l) {
             const bool success = r.hasCertificate() && !isProbeFailure(r.status);
             return one(l, success ? QStringLiteral("1") : QStringLiteral("0"));
         }},
        {"certdash_probe_duration_seconds",
         "Time the probe took, from connect to the end of the handshake or the failure.",
         [](const ProbeResult &r, const QString &l) {
             return one(l, seconds(r.durationMs));
         }},
        {"certdash_status", "1 for the endpoint's current status, 0 for every other status.",
         [](const ProbeResult &r, const QString &l) {
             QStringList lines;
             for (const Status s : kAllStatuses) {
                 lines.append(QStringLiteral("{%1,status=\"%2\"} %3")
                                  .arg(l, statusKey(s),
                                       s == r.status ? QStringLiteral("1") : QStringLiteral("0")));
             }
             return lines;
         }},
    };
}
const QList<Family> &allFamilies() {
    static const QList<Family> all = families();
    return all;
}
} // namespace

int prometheusFamilyCount() {
    return int(allFamilies().size());
}

QByteArray prometheusFamilyHeader(int family) {
    const Family &f = allFamilies().at(family);
    return QStringLiteral("# HELP %1 %2\n# TYPE %1 gauge\n")
        .arg(QLatin1String(f.name), QLatin1String(f.help))
        .toUtf8();
}

QList<QByteArray> prometheusSamples(const ProbeResult &result) {
    const QString rowLabels = labels(result);
    QList<QByteArray> samples;
    samples.reserve(allFamilies().size());
    for (const Family &family : allFamilies()) {
        QString lines;
        for (const QString &tail : family.samples(result, rowLabels))
            lines += QLatin1String(family.name) + tail + QLatin1Char('\n');
        samples.append(lines.toUtf8());
    }
    return samples;
}

QByteArray renderPrometheusReport(const QList<ProbeResult> &results) {
    QList<QString> rowLabels;
    rowLabels.reserve(results.size());
    for (const ProbeResult &r : results)
        rowLabels.append(labels(r));

    QString out;
    for (const Family &family : families()) {
        // The format wants all samples of a family together, after its HELP and TYPE lines; a
        // family without samples is left out rather than announced empty.
        QStringList lines;
        for (qsizetype i = 0; i < results.size(); ++i) {
            for (const QString &tail : family.samples(results.at(i), rowLabels.at(i)))
                lines.append(QLatin1String(family.name) + tail);
        }
        if (lines.isEmpty())
            continue;
        out += QStringLiteral("# HELP %1 %2\n")
                   .arg(QLatin1String(family.name), QLatin1String(family.help));
        out += QStringLiteral("# TYPE %1 gauge\n").arg(QLatin1String(family.name));
        for (const QString &line : lines)
            out += line + QLatin1Char('\n');
    }
    return out.toUtf8();
}

} // namespace certdash
