#include "FleetRows.h"

#include "domain/Excerpt.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <algorithm>
#include <cmath>
#include <limits>

namespace certdash {

namespace {
struct FleetRowsText {
    Q_DECLARE_TR_FUNCTIONS(certdash::FleetRows)
};

const QString kSuccess = QStringLiteral("probe_success");
const QString kEarliest = QStringLiteral("probe_ssl_earliest_cert_expiry");
const QString kLastChainExpiry = QStringLiteral("probe_ssl_last_chain_expiry_timestamp_seconds");
const QString kChainInfo = QStringLiteral("probe_ssl_last_chain_info");
const QString kTlsVersion = QStringLiteral("probe_tls_version_info");
const QString kDuration = QStringLiteral("probe_duration_seconds");
const QString kName = QStringLiteral("__name__");

// The labels that tell one probe from another: the job (one per exporter), the instance (the
// address probed), the module and the labels `fleet config` writes (two targets can share an
// address and port and differ by SNI).
const QString kIdentityLabels[] = {
    QStringLiteral("job"),      QStringLiteral("instance"), QStringLiteral("module"),
    QStringLiteral("exporter"), QStringLiteral("target"),   QStringLiteral("host"),
    QStringLiteral("port"),     QStringLiteral("sni"),      QStringLiteral("starttls"),
};

// The slot of an identity label in kIdentityLabels, -1 for any other label; kNameSlot for
// __name__.
constexpr int kNameSlot = int(std::size(kIdentityLabels));
int identitySlot(const QString &name) {
    switch (name.size()) { // most labels are told apart by their length alone
    case 3:
        return name == kIdentityLabels[0] ? 0 : name == kIdentityLabels[7] ? 7 : -1;
    case 4:
        return name == kIdentityLabels[5] ? 5 : name == kIdentityLabels[6] ? 6 : -1;
    case 6:
        return name == kIdentityLabels[2] ? 2 : name == kIdentityLabels[4] ? 4 : -1;
    case 8:
        if (name == kName)
            return kNameSlot;
        return name == kIdentityLabels[1]   ? 1
               : name == kIdentityLabels[3] ? 3
               : name == kIdentityLabels[8] ? 8
                                            : -1;
    default:
        return -1;
    }
}

// The identity of the probe a series belongs to, in one pass over its labels; *name (when
// given) receives its __name__.
QString seriesKey(const PromLabels &labels, QString *name = nullptr) {
    const QString *values[std::size(kIdentityLabels) + 1] = {};
    qsizetype size = qsizetype(std::size(kIdentityLabels));
    for (const PromLabels::Label &label : labels.pairs()) {
        const int slot = identitySlot(label.first);
        if (slot >= 0 && !values[slot]) {
            values[slot] = &label.second;
            size += label.second.size();
        }
    }
    QString key;
    key.reserve(size);
    for (int i = 0; i < kNameSlot; ++i) {
        if (values[i])
            key += *values[i];
        key += QChar(1);
    }
    if (name)
        *name = values[kNameSlot] ? *values[kNameSlot] : QString();
    return key;
}

QString excerptOf(const QByteArray &body) {
    return quoteExcerpt(QString::fromUtf8(body.left(200)), 80);
}

// The data.result array of a successful answer of resultType `type`; else *error says why.
QJsonArray resultArray(const QByteArray &body, const QString &where, const QString &type,
                       QString *error) {
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        *error = FleetRowsText::tr("%1: the answer is not Prometheus JSON (%2 at byte %3): %4")
                     .arg(where, parseError.error != QJsonParseError::NoError
                                     ? parseError.errorString()
                                     : FleetRowsText::tr("not an object"))
                     .arg(parseError.offset)
                     .arg(excerptOf(body));
        return {};
    }
    const QJsonObject root = doc.object();
    const QString status = root.value(QStringLiteral("status")).toString();
    if (status == QLatin1String("error")) {
        *error = FleetRowsText::tr("%1: Prometheus answered with an error (%2): %3")
                     .arg(where, quoteExcerpt(root.value(QStringLiteral("errorType")).toString()),
                          quoteExcerpt(root.value(QStringLiteral("error")).toString(), 160));
        return {};
    }
    const QJsonObject data = root.value(QStringLiteral("data")).toObject();
    if (status != QLatin1String("success") ||
        data.value(QStringLiteral("resultType")).toString() != type ||
        !data.value(QStringLiteral("result")).isArray()) {
        *error = FleetRowsText::tr("%1: expected a Prometheus %2 answer, got %3")
                     .arg(where, type, excerptOf(body));
        return {};
    }
    return data.value(QStringLiteral("result")).toArray();
}

// The metric object's string labels, in its (sorted) order. A label whose value is not a string
// reads as missing, as it always did.
PromLabels labelsOf(const QJsonValue &series) {
    const QJsonObject metric = series.toObject().value(QStringLiteral("metric")).toObject();
    QList<PromLabels::Label> labels;
    labels.reserve(metric.size());
    for (auto it = metric.constBegin(); it != metric.constEnd(); ++it) {
        if (it.value().isString())
            labels.append({it.key(), it.value().toString()});
    }
    return PromLabels(std::move(labels));
}

// A sample value: Prometheus writes it as a string ("1", "1.7e+09", "NaN", "+Inf").
bool valueOf(const QJsonValue &pair, double *time, double *value) {
    const QJsonArray a = pair.toArray();
    if (a.size() != 2 || !a.at(0).isDouble() || !a.at(1).isString())
        return false;
    bool ok = false;
    *time = a.at(0).toDouble();
    *value = a.at(1).toString().toDouble(&ok);
    return ok;
}

// A Unix time blackbox reports; nullopt for none, Go's zero time (-62135596800) or nonsense.
std::optional<QDateTime> unixTime(double seconds) {
    if (!std::isfinite(seconds) || seconds <= 0 || seconds > 253402300799.0) // 9999-12-31
        return std::nullopt;
    return QDateTime::fromSecsSinceEpoch(qint64(seconds), Qt::UTC);
}

// The address part of an instance "127.0.0.1:443", "[::1]:443", "host.example:443".
QString addressOfInstance(const QString &instance) {
    if (instance.startsWith(QLatin1Char('['))) {
        const qsizetype close = instance.indexOf(QLatin1Char(']'));
        return close > 0 ? instance.mid(1, close - 1) : instance;
    }
    const qsizetype colon = instance.lastIndexOf(QLatin1Char(':'));
    if (colon > 0 && instance.indexOf(QLatin1Char(':')) == colon)
        return instance.left(colon);
    return instance; // no port, or a bare IPv6 address
}

quint16 portOfInstance(const QString &instance) {
    const qsizetype colon = instance.lastIndexOf(QLatin1Char(':'));
    const qsizetype close = instance.lastIndexOf(QLatin1Char(']'));
    if (colon < 0 || colon < close)
        return 0;
    return instance.mid(colon + 1).toUShort();
}

QString matchKey(const QString &label, const QString &host, quint16 port, const QString &sni,
                 const QString &startTls) {
    const QString portText = QString::number(port);
    QString key;
    key.reserve(label.size() + host.size() + portText.size() + sni.size() + startTls.size() + 4);
    key += label;
    key += QChar(0);
    key += host.toLower();
    key += QChar(0);
    key += portText;
    key += QChar(0);
    key += sni.toLower();
    key += QChar(0);
    key += startTls;
    return key;
}

QString commonNameOf(const QString &dn) {
    // Go writes CN first; a comma inside a value is escaped as "\,".
    static const QString cn = QStringLiteral("CN=");
    qsizetype at = dn.startsWith(cn) ? 0 : dn.indexOf(QStringLiteral(",CN="));
    if (at < 0)
        return {};
    at += at == 0 ? 3 : 4;
    QString out;
    for (qsizetype i = at; i < dn.size(); ++i) {
        const QChar c = dn.at(i);
        if (c == QLatin1Char('\\') && i + 1 < dn.size()) {
            out += dn.at(++i);
            continue;
        }
        if (c == QLatin1Char(','))
            break;
        out += c;
    }
    return out;
}

// Everything read about one probe (one series key).
struct Probe {
    PromLabels labels; // of the first series seen
    std::optional<double> success, earliest, lastChainExpiry, duration;
    PromLabels chainInfo;
    QString tlsVersion;
};

ExpiryPolicy policyWithoutRotation(ExpiryPolicy policy) {
    policy.rotationDays.reset();
    return policy;
}
} // namespace

PromVector parsePromVector(const QByteArray &body, const QString &where) {
    if (std::optional<QList<PromSample>> samples = parsePromVectorFast(body))
        return {std::move(*samples), {}};
    return parsePromVectorDocument(body, where);
}

PromMatrix parsePromMatrix(const QByteArray &body, const QString &where) {
    if (std::optional<QList<PromSeries>> series = parsePromMatrixFast(body))
        return {std::move(*series), {}};
    return parsePromMatrixDocument(body, where);
}

PromVector parsePromVectorDocument(const QByteArray &body, const QString &where) {
    PromVector answer;
    const QJsonArray result = resultArray(body, where, QStringLiteral("vector"), &answer.error);
    if (!answer.error.isEmpty())
        return answer;
    answer.samples.reserve(result.size());
    for (const QJsonValue &series : result) {
        PromSample sample;
        double time = 0;
        if (!valueOf(series.toObject().value(QStringLiteral("value")), &time, &sample.value)) {
            answer.error =
                FleetRowsText::tr("%1: a series without a readable value: %2")
                    .arg(
                        where,
                        excerptOf(QJsonDocument(series.toObject()).toJson(QJsonDocument::Compact)));
            answer.samples.clear();
            return answer;
        }
        sample.labels = labelsOf(series);
        answer.samples.append(std::move(sample));
    }
    return answer;
}

PromMatrix parsePromMatrixDocument(const QByteArray &body, const QString &where) {
    PromMatrix answer;
    const QJsonArray result = resultArray(body, where, QStringLiteral("matrix"), &answer.error);
    if (!answer.error.isEmpty())
        return answer;
    for (const QJsonValue &s : result) {
        PromSeries series;
        series.labels = labelsOf(s);
        for (const QJsonValue &pair : s.toObject().value(QStringLiteral("values")).toArray()) {
            double time = 0, value = 0;
            // A time no qint64 holds is as unreadable as a value that is not a number.
            if (valueOf(pair, &time, &value) && time > -9.2e18 && time < 9.2e18)
                series.points.append({qint64(time), value});
        }
        answer.series.append(std::move(series));
    }
    return answer;
}

QString fleetMetricsQuery() {
    return QStringLiteral("{__name__=~\"%1\",target!=\"\",host!=\"\"}")
        .arg(QStringList{kSuccess, kEarliest, kLastChainExpiry, kChainInfo, kTlsVersion, kDuration}
                 .join(QLatin1Char('|')));
}

QString fleetSampleTimesQuery() {
    return QStringLiteral("timestamp(probe_success{target!=\"\",host!=\"\"})");
}

QString fleetHistoryQuery(const QString &job, const QString &instance) {
    const auto quoted = [](const QString &v) {
        QString out = v;
        out.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
        out.replace(QLatin1Char('"'), QLatin1String("\\\""));
        out.replace(QLatin1Char('\n'), QLatin1String("\\n"));
        return QLatin1Char('"') + out + QLatin1Char('"');
    };
    return QStringLiteral("{__name__=~\"%1|%2|%3|%4\",job=%5,instance=%6}")
        .arg(kSuccess, kEarliest, kLastChainExpiry, kChainInfo, quoted(job), quoted(instance));
}

QString tlsVersionFromBlackbox(const QString &version) {
    if (version.startsWith(QLatin1String("TLS ")))
        return QStringLiteral("TLSv") + version.mid(4);
    return version;
}

QString fingerprintFromBlackbox(const QString &hex) {
    const qsizetype pairs = hex.size() / 2;
    if (pairs == 0)
        return {};
    const bool ascii =
        std::all_of(hex.cbegin(), hex.cend(), [](QChar c) { return c.unicode() < 0x80; });
    if (!ascii) { // what blackbox never writes: pair by pair, with full case mapping
        QString out;
        for (qsizetype i = 0; i + 1 < hex.size(); i += 2) {
            if (!out.isEmpty())
                out += QLatin1Char(':');
            out += hex.mid(i, 2).toUpper();
        }
        return out;
    }
    QString out(pairs * 3 - 1, Qt::Uninitialized);
    QChar *to = out.data();
    const auto upper = [](QChar c) {
        return c >= QLatin1Char('a') && c <= QLatin1Char('z') ? QChar(c.unicode() - 32) : c;
    };
    for (qsizetype i = 0; i < pairs; ++i) {
        if (i > 0)
            *to++ = QLatin1Char(':');
        *to++ = upper(hex.at(2 * i));
        *to++ = upper(hex.at(2 * i + 1));
    }
    return out;
}

QString distinguishedNameFromBlackbox(const QString &name) {
    QString out;
    out.reserve(name.size() + 8);
    for (qsizetype i = 0; i < name.size(); ++i) {
        const QChar c = name.at(i);
        if (c == QLatin1Char('\\') && i + 1 < name.size()) {
            out += c;
            out += name.at(++i);
        } else if (c == QLatin1Char(',')) {
            out += QLatin1String(", ");
        } else {
            out += c;
        }
    }
    return out;
}

Status classifyFleet(const QDateTime &earliestExpiry, const ExpiryPolicy &policy,
                     const QDateTime &now) {
    if (!earliestExpiry.isValid() || now >= earliestExpiry)
        return Status::Expired;
    const qint64 left = now.secsTo(earliestExpiry);
    // The lifetime is unknown: thresholds as configured, never capped.
    const EffectiveThresholds t =
        effectiveThresholds(policyWithoutRotation(policy), std::numeric_limits<qint64>::max() / 2);
    if (left < t.criticalSeconds)
        return Status::Critical;
    if (left < t.warningSeconds)
        return Status::Warning;
    return Status::Ok;
}

QString fleetRowKey(const ProbeResult &row) {
    const QString key = endpointKey(row.target);
    return row.vantage.isEmpty() ? key : key + u'\n' + row.vantage;
}

Target fleetTarget(const PromLabels &labels, const QList<Target> &known) {
    const QString instance = labels.value(QStringLiteral("instance"));
    const QString host = labels.value(QStringLiteral("host"), addressOfInstance(instance));
    bool portOk = false;
    quint16 port = labels.value(QStringLiteral("port")).toUShort(&portOk);
    if (!portOk || port == 0)
        port = portOfInstance(instance);
    const QString sni = labels.value(QStringLiteral("sni"));
    const QString startTls = labels.value(QStringLiteral("starttls"));
    const QString label = labels.value(QStringLiteral("target"));

    if (!known.isEmpty()) {
        const QString wanted = matchKey(label, host, port, sni, startTls);
        for (const Target &t : known) {
            if (matchKey(t.label(), t.host, t.port, t.effectiveSni(), startTlsKey(t.startTls)) ==
                wanted)
                return t;
        }
    }
    Target t;
    t.host = host;
    t.port = port == 0 ? 443 : port;
    t.sni = sni;
    if (const auto protocol = startTlsFromKey(startTls))
        t.startTls = *protocol;
    if (!label.isEmpty() && label != t.hostPort())
        t.name = label;
    t.owner = labels.value(QStringLiteral("owner"));
    const QString tags = labels.value(QStringLiteral("tags"));
    if (!tags.isEmpty())
        t.tags = tags.split(QLatin1Char(','), Qt::SkipEmptyParts);
    // A target whose addresses were pinned is probed at each: the instance names one of them.
    const QString address = addressOfInstance(instance);
    if (!address.isEmpty() && canonicalAddress(address) && address != host)
        t.addresses = QStringList{address};
    return t;
}

QList<ProbeResult> fleetRows(const QList<PromSample> &metrics, const QList<PromSample> &sampleTimes,
                             const FleetRowContext &context, QList<FleetSeriesKey> *keys) {
    // Each probe once, in the order of first appearance; keyed by its identity.
    QHash<QString, qsizetype> index;
    std::vector<Probe> probes;
    QStringList order;
    index.reserve(metrics.size() / 4 + 1);
    probes.reserve(size_t(metrics.size() / 4 + 1));
    QString name;
    for (const PromSample &sample : metrics) {
        QString key = seriesKey(sample.labels, &name);
        auto found = index.constFind(key);
        if (found == index.constEnd()) {
            found = index.insert(key, qsizetype(probes.size()));
            probes.push_back(Probe{});
            probes.back().labels = sample.labels;
            order.append(std::move(key));
        }
        Probe *it = &probes[size_t(*found)];
        if (name == kSuccess)
            it->success = sample.value;
        else if (name == kEarliest)
            it->earliest = sample.value;
        else if (name == kLastChainExpiry)
            it->lastChainExpiry = sample.value;
        else if (name == kDuration)
            it->duration = sample.value;
        else if (name == kChainInfo && sample.value > 0)
            it->chainInfo = sample.labels;
        else if (name == kTlsVersion && sample.value > 0)
            it->tlsVersion = sample.labels.value(QStringLiteral("version"));
    }
    QHash<QString, double> times;
    times.reserve(sampleTimes.size());
    for (const PromSample &sample : sampleTimes)
        times.insert(seriesKey(sample.labels), sample.value);

    // Stored targets by what `fleet config` labels them with, so that 10,000 rows do not scan
    // the inventory each.
    QHash<QString, Target> known;
    known.reserve(context.known.size());
    for (const Target &t : context.known)
        known.insert(matchKey(t.label(), t.host, t.port, t.effectiveSni(), startTlsKey(t.startTls)),
                     t);

    struct Keyed {
        ProbeResult row;
        FleetSeriesKey key;
        QString label;    // the sort key, computed once
        QString exporter; // the `exporter` label (`fleet config` writes it), else the job
    };
    std::vector<Keyed> rows;
    rows.reserve(order.size());
    for (qsizetype p = 0; p < order.size(); ++p) {
        const QString &key = order.at(p);
        const Probe &probe = probes[size_t(p)];
        const QString instance = probe.labels.value(QStringLiteral("instance"));
        Keyed k;
        k.key = {probe.labels.value(QStringLiteral("job")), instance};
        k.exporter = probe.labels.value(QStringLiteral("exporter"), k.key.job);
        ProbeResult &r = k.row;
        Target built = fleetTarget(probe.labels, {});
        const auto stored =
            known.isEmpty()
                ? known.constEnd()
                : known.constFind(matchKey(probe.labels.value(QStringLiteral("target")), built.host,
                                           built.port, probe.labels.value(QStringLiteral("sni")),
                                           probe.labels.value(QStringLiteral("starttls"))));
        r.target = stored != known.constEnd() ? *stored : std::move(built);
        r.source = context.source;
        r.address = addressOfInstance(instance);
        r.sni = probe.labels.value(QStringLiteral("sni"));
        r.tlsVersion = tlsVersionFromBlackbox(probe.tlsVersion);
        if (probe.duration && std::isfinite(*probe.duration) && *probe.duration >= 0)
            r.durationMs = qint64(std::llround(*probe.duration * 1000));
        const auto time = times.constFind(key);
        r.probedAt = time != times.constEnd() && std::isfinite(*time)
                         ? QDateTime::fromMSecsSinceEpoch(qint64(*time * 1000), Qt::UTC)
                         : context.now;

        // The earliest expiry on the path: the verified chain's when blackbox verified one
        // (it includes the root), else the presented certificates'.
        std::optional<QDateTime> earliest =
            probe.lastChainExpiry ? unixTime(*probe.lastChainExpiry) : std::nullopt;
        if (!earliest && probe.earliest)
            earliest = unixTime(*probe.earliest);
        const bool succeeded = probe.success.value_or(earliest ? 1 : 0) > 0;
        if (!earliest) {
            r.status = Status::Unreachable;
            r.error = succeeded
                          ? FleetRowsText::tr("blackbox_exporter read no certificate expiry")
                          : FleetRowsText::tr("probe failed at the exporter %1 (blackbox_exporter "
                                              "exports no reason; its log has it)")
                                .arg(probe.labels.value(QStringLiteral("exporter"),
                                                        probe.labels.value(QStringLiteral("job"))));
            rows.push_back(std::move(k));
            continue;
        }
        CertificateInfo leaf;
        leaf.subject =
            distinguishedNameFromBlackbox(probe.chainInfo.value(QStringLiteral("subject")));
        leaf.issuer =
            distinguishedNameFromBlackbox(probe.chainInfo.value(QStringLiteral("issuer")));
        leaf.subjectCommonName = commonNameOf(probe.chainInfo.value(QStringLiteral("subject")));
        leaf.issuerCommonName = commonNameOf(probe.chainInfo.value(QStringLiteral("issuer")));
        leaf.sha256Fingerprint =
            fingerprintFromBlackbox(probe.chainInfo.value(QStringLiteral("fingerprint_sha256")));
        leaf.serial = probe.chainInfo.value(QStringLiteral("serialnumber")).toUpper();
        const QString sans = probe.chainInfo.value(QStringLiteral("subjectalternative"));
        for (const QString &name : sans.split(QLatin1Char(','), Qt::SkipEmptyParts))
            leaf.subjectAltNames.append(QStringLiteral("DNS:") + name.trimmed());
        r.chain = {leaf};
        CertificateInfo limiting;
        limiting.notAfter = *earliest;
        r.limiting = limiting;
        r.daysLeft = daysLeft(*earliest, context.now);
        const ExpiryPolicy policy = context.policy.forTarget(r.target);
        r.status = classifyFleet(*earliest, policy, context.now);
        if (!succeeded)
            r.error = FleetRowsText::tr("blackbox_exporter read the certificate but reported the "
                                        "probe as failed");
        rows.push_back(std::move(k));
    }
    // Every exporter probes every target: an address probed by several is one row per exporter,
    // each saying which (vantage), so that the zone that cannot reach it shows and alerts.
    QHash<QString, int> probedBy;
    for (Keyed &k : rows) {
        k.label = k.row.target.label();
        ++probedBy[endpointKey(k.row.target) + QChar(0) + k.row.address];
    }
    if (probedBy.size() < qsizetype(rows.size())) {
        for (Keyed &k : rows) {
            if (probedBy.value(endpointKey(k.row.target) + QChar(0) + k.row.address) > 1)
                k.row.vantage = k.exporter;
        }
    }
    // Sorted by position, so that rows are moved once, not at every step of the sort.
    std::vector<size_t> sorted(rows.size());
    for (size_t i = 0; i < sorted.size(); ++i)
        sorted[i] = i;
    std::stable_sort(sorted.begin(), sorted.end(), [&rows](size_t ia, size_t ib) {
        const Keyed &a = rows[ia];
        const Keyed &b = rows[ib];
        if (a.label != b.label)
            return a.label < b.label;
        if (a.row.address != b.row.address)
            return a.row.address < b.row.address;
        return a.row.vantage < b.row.vantage;
    });
    QList<ProbeResult> out;
    out.reserve(qsizetype(rows.size()));
    if (keys) {
        keys->clear();
        keys->reserve(qsizetype(rows.size()));
    }
    for (const size_t i : sorted) {
        out.append(std::move(rows[i].row));
        if (keys)
            keys->append(std::move(rows[i].key));
    }
    return out;
}

QList<HistoryPoint> fleetHistory(const QList<PromSeries> &series, const QString &address,
                                 const ExpiryPolicy &policy) {
    struct At {
        std::optional<double> success, earliest, lastChain;
        QString fingerprint;
    };
    QMap<qint64, At> byTime;
    for (const PromSeries &s : series) {
        const QString name = s.labels.value(kName);
        for (const auto &[time, value] : s.points) {
            At &at = byTime[time];
            if (name == kSuccess)
                at.success = value;
            else if (name == kEarliest)
                at.earliest = value;
            else if (name == kLastChainExpiry)
                at.lastChain = value;
            else if (name == kChainInfo && value > 0)
                at.fingerprint =
                    fingerprintFromBlackbox(s.labels.value(QStringLiteral("fingerprint_sha256")));
        }
    }
    QList<HistoryPoint> points;
    points.reserve(byTime.size());
    for (auto it = byTime.constBegin(); it != byTime.constEnd(); ++it) {
        HistoryPoint p;
        p.probedAt = QDateTime::fromSecsSinceEpoch(it.key(), Qt::UTC);
        p.address = address;
        std::optional<QDateTime> earliest = it->lastChain ? unixTime(*it->lastChain) : std::nullopt;
        if (!earliest && it->earliest)
            earliest = unixTime(*it->earliest);
        if (!earliest) {
            p.status = Status::Unreachable;
            p.error = FleetRowsText::tr("probe failed at the exporter");
        } else {
            p.earliestExpiry = *earliest;
            p.daysLeft = daysLeft(*earliest, p.probedAt);
            p.status = classifyFleet(*earliest, policy, p.probedAt);
            p.leafSha256 = it->fingerprint;
        }
        points.append(p);
    }
    return points;
}

} // namespace certdash
