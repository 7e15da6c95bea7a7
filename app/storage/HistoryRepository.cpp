#include "HistoryRepository.h"

#include "probing/X509.h"

#include "Database.h"

#include <QCryptographicHash>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <algorithm>
#include <limits>

Q_DECLARE_LOGGING_CATEGORY(lcStorage)

namespace certdash {

namespace {

// QtSql binds a null QString as SQL NULL, which the NOT NULL text columns refuse.
QString notNull(const QString &text) {
    return text.isNull() ? QStringLiteral("") : text;
}

QVariant seconds(const QDateTime &time) {
    return time.isValid() ? QVariant(time.toSecsSinceEpoch()) : QVariant();
}

QDateTime fromSeconds(const QVariant &value) {
    return value.isNull() ? QDateTime()
                          : QDateTime::fromSecsSinceEpoch(value.toLongLong(), Qt::UTC);
}

QString isoTime(const QDateTime &time) {
    return time.isValid() ? time.toUTC().toString(Qt::ISODate) : QString();
}

QDateTime fromIso(const QJsonValue &value) {
    const QString text = value.toString();
    if (text.isEmpty())
        return {};
    QDateTime time = QDateTime::fromString(text, Qt::ISODate);
    return time.isValid() ? time.toUTC() : QDateTime();
}

QJsonArray toArray(const QStringList &list) {
    return QJsonArray::fromStringList(list);
}

QStringList toStringList(const QJsonValue &value) {
    QStringList list;
    const QJsonArray array = value.toArray();
    list.reserve(array.size());
    for (const QJsonValue &item : array)
        list.append(item.toString());
    return list;
}

QString sha256Of(const CertificateInfo &certificate) {
    if (!certificate.sha256Fingerprint.isEmpty())
        return certificate.sha256Fingerprint;
    return QString::fromLatin1(
        QCryptographicHash::hash(certificate.der, QCryptographicHash::Sha256).toHex(':').toUpper());
}

QString idList(const QList<qint64> &ids) {
    QString text = QStringLiteral("");
    for (qint64 id : ids) {
        if (!text.isEmpty())
            text += QLatin1Char(' ');
        text += QString::number(id);
    }
    return text;
}

QList<qint64> parseIdList(const QString &text) {
    QList<qint64> ids;
    if (text.isEmpty())
        return ids;
    const auto parts = QStringView(text).split(QLatin1Char(' '), Qt::SkipEmptyParts);
    ids.reserve(parts.size());
    for (const QStringView part : parts)
        ids.append(part.toLongLong());
    return ids;
}

// Findings are free sentences (they quote subjects a server chose), so they are stored as a JSON
// array rather than joined with a separator that could occur in them.
QString findingsText(const QStringList &findings) {
    if (findings.isEmpty())
        return QStringLiteral("");
    return QString::fromUtf8(QJsonDocument(toArray(findings)).toJson(QJsonDocument::Compact));
}

QStringList findingsFrom(const QString &text) {
    if (text.isEmpty())
        return {};
    return toStringList(QJsonDocument::fromJson(text.toUtf8()).array());
}

// Pinned addresses as TargetRepository writes them: space-separated.
QStringList addressesFrom(const QString &text) {
    if (text.isEmpty())
        return {};
    return text.split(QLatin1Char(' '), Qt::SkipEmptyParts);
}

std::optional<int> optionalInt(const QVariant &value) {
    if (value.isNull())
        return std::nullopt;
    return value.toInt();
}

QVariant fromOptional(const std::optional<int> &value) {
    return value ? QVariant(*value) : QVariant();
}

} // namespace

QByteArray certificateToStoredJson(const CertificateInfo &c) {
    QJsonObject o;
    o.insert(QLatin1String("subject"), c.subject);
    o.insert(QLatin1String("issuer"), c.issuer);
    o.insert(QLatin1String("subject_cn"), c.subjectCommonName);
    o.insert(QLatin1String("issuer_cn"), c.issuerCommonName);
    o.insert(QLatin1String("serial"), c.serial);
    o.insert(QLatin1String("not_before"), isoTime(c.notBefore));
    o.insert(QLatin1String("not_after"), isoTime(c.notAfter));
    o.insert(QLatin1String("san"), toArray(c.subjectAltNames));
    o.insert(QLatin1String("key_type"), c.keyType);
    o.insert(QLatin1String("key_bits"), c.keyBits);
    o.insert(QLatin1String("curve"), c.curve);
    o.insert(QLatin1String("signature_algorithm"), c.signatureAlgorithm);
    o.insert(QLatin1String("sha256"), c.sha256Fingerprint);
    o.insert(QLatin1String("sha1"), c.sha1Fingerprint);
    o.insert(QLatin1String("subject_key_id"), c.subjectKeyId);
    o.insert(QLatin1String("authority_key_id"), c.authorityKeyId);
    o.insert(QLatin1String("is_ca"), c.isCa);
    o.insert(QLatin1String("path_length"), c.pathLength);
    o.insert(QLatin1String("key_usage"), toArray(c.keyUsage));
    o.insert(QLatin1String("extended_key_usage"), toArray(c.extendedKeyUsage));
    o.insert(QLatin1String("ocsp_urls"), toArray(c.ocspUrls));
    o.insert(QLatin1String("ca_issuers_urls"), toArray(c.caIssuersUrls));
    o.insert(QLatin1String("crl_urls"), toArray(c.crlUrls));
    o.insert(QLatin1String("sct_count"), c.sctCount);
    o.insert(QLatin1String("self_issued"), c.selfIssued);
    o.insert(QLatin1String("self_signed"), c.selfSigned);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

CertificateInfo certificateFromStored(const QByteArray &der, const QByteArray &info,
                                      const QString &text) {
    CertificateInfo c;
    c.der = der;
    c.pem = pemFromDer(der);
    c.text = text;
    const QJsonObject o = QJsonDocument::fromJson(info).object();
    c.subject = o.value(QLatin1String("subject")).toString();
    c.issuer = o.value(QLatin1String("issuer")).toString();
    c.subjectCommonName = o.value(QLatin1String("subject_cn")).toString();
    c.issuerCommonName = o.value(QLatin1String("issuer_cn")).toString();
    c.serial = o.value(QLatin1String("serial")).toString();
    c.notBefore = fromIso(o.value(QLatin1String("not_before")));
    c.notAfter = fromIso(o.value(QLatin1String("not_after")));
    c.subjectAltNames = toStringList(o.value(QLatin1String("san")));
    c.keyType = o.value(QLatin1String("key_type")).toString();
    c.keyBits = o.value(QLatin1String("key_bits")).toInt();
    c.curve = o.value(QLatin1String("curve")).toString();
    c.signatureAlgorithm = o.value(QLatin1String("signature_algorithm")).toString();
    c.sha256Fingerprint = o.value(QLatin1String("sha256")).toString();
    c.sha1Fingerprint = o.value(QLatin1String("sha1")).toString();
    c.subjectKeyId = o.value(QLatin1String("subject_key_id")).toString();
    c.authorityKeyId = o.value(QLatin1String("authority_key_id")).toString();
    c.isCa = o.value(QLatin1String("is_ca")).toBool();
    c.pathLength = o.value(QLatin1String("path_length")).toInt(-1);
    c.keyUsage = toStringList(o.value(QLatin1String("key_usage")));
    c.extendedKeyUsage = toStringList(o.value(QLatin1String("extended_key_usage")));
    c.ocspUrls = toStringList(o.value(QLatin1String("ocsp_urls")));
    c.caIssuersUrls = toStringList(o.value(QLatin1String("ca_issuers_urls")));
    c.crlUrls = toStringList(o.value(QLatin1String("crl_urls")));
    c.sctCount = o.value(QLatin1String("sct_count")).toInt();
    c.selfIssued = o.value(QLatin1String("self_issued")).toBool();
    c.selfSigned = o.value(QLatin1String("self_signed")).toBool();
    return c;
}

QString pemFromDer(const QByteArray &der) {
    if (der.isEmpty())
        return {};
    const QByteArray base64 = der.toBase64();
    QByteArray pem;
    pem.reserve(base64.size() + base64.size() / 64 + 64);
    pem.append("-----BEGIN CERTIFICATE-----\n");
    for (qsizetype i = 0; i < base64.size(); i += 64) {
        pem.append(base64.constData() + i, std::min<qsizetype>(64, base64.size() - i));
        pem.append('\n');
    }
    pem.append("-----END CERTIFICATE-----\n");
    return QString::fromLatin1(pem);
}

HistoryRepository::HistoryRepository(Database &database)
    : m_database(database) {}

bool HistoryRepository::record(const QList<ProbeResult> &results, QString *error) {
    const auto fail = [&](const QString &message) {
        if (error)
            *error = message;
        return false;
    };
    for (const ProbeResult &result : results) {
        if (result.target.id <= 0)
            return fail(tr("cannot record the result for %1: the target is not stored in the "
                           "database")
                            .arg(result.target.label()));
        const auto nullCertificate = [](const CertificateInfo &c) {
            return c.der.isEmpty();
        };
        if (std::any_of(result.chain.cbegin(), result.chain.cend(), nullCertificate) ||
            std::any_of(result.trust.verifiedPath.cbegin(), result.trust.verifiedPath.cend(),
                        nullCertificate))
            return fail(tr("cannot record the result for %1: a certificate has no DER encoding")
                            .arg(result.target.label()));
    }
    if (results.isEmpty())
        return true;

    QSqlDatabase db = m_database.connection();
    QString message;
    const bool ok = m_database.inTransaction(
        [&] {
            QSqlQuery findCertificate(db);
            QSqlQuery insertCertificate(db);
            QSqlQuery insertProbe(db);
            QSqlQuery upsertLatest(db);
            const auto failed = [&](const QSqlQuery &query) {
                message = m_database.describe(query.lastError());
                qCWarning(lcStorage) << "recording failed:" << query.lastError().text();
                return false;
            };
            if (!findCertificate.prepare(
                    QStringLiteral("SELECT id FROM certificates WHERE sha256 = ?")))
                return failed(findCertificate);
            if (!insertCertificate.prepare(QStringLiteral(
                    "INSERT INTO certificates(sha256, der, subject, issuer, not_before, "
                    "not_after, info, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")))
                return failed(insertCertificate);
            if (!insertProbe.prepare(QStringLiteral(
                    "INSERT INTO probes(target_id, address, sni, probed_at, status, days_left, "
                    "leaf_cert_id, leaf_sha256, leaf_not_before, leaf_not_after, "
                    "earliest_expiry, limiting_subject, limiting_role, chain, verified_path, "
                    "path_to_anchor, trusted, findings, error, tls_version, cipher, duration_ms) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")))
                return failed(insertProbe);
            // A result replaces the stored latest only when it is at least as new: scans that
            // finish out of order, or an import of old results, must not hide a newer probe.
            if (!upsertLatest.prepare(QStringLiteral(
                    "INSERT INTO latest_probes(target_id, address, probe_id) VALUES (?, ?, ?) "
                    "ON CONFLICT(target_id, address) DO UPDATE SET probe_id = excluded.probe_id "
                    "WHERE ? >= (SELECT probed_at FROM probes WHERE id = latest_probes.probe_id)")))
                return failed(upsertLatest);

            // Per call: a scan shares a few intermediates among thousands of results.
            QHash<QString, qint64> idBySha256;
            const auto certificateId = [&](const CertificateInfo &c) -> std::optional<qint64> {
                const QString sha256 = sha256Of(c);
                const auto cached = idBySha256.constFind(sha256);
                if (cached != idBySha256.constEnd())
                    return *cached;
                findCertificate.addBindValue(sha256);
                if (!findCertificate.exec()) {
                    failed(findCertificate);
                    return std::nullopt;
                }
                qint64 id = 0;
                if (findCertificate.next()) {
                    id = findCertificate.value(0).toLongLong();
                } else {
                    insertCertificate.addBindValue(sha256);
                    insertCertificate.addBindValue(c.der);
                    insertCertificate.addBindValue(notNull(c.subject));
                    insertCertificate.addBindValue(notNull(c.issuer));
                    // NOT NULL columns for SQL range queries; info keeps a missing time as null.
                    insertCertificate.addBindValue(
                        c.notBefore.isValid() ? c.notBefore.toSecsSinceEpoch() : 0);
                    insertCertificate.addBindValue(
                        c.notAfter.isValid() ? c.notAfter.toSecsSinceEpoch() : 0);
                    insertCertificate.addBindValue(QString::fromUtf8(certificateToStoredJson(c)));
                    insertCertificate.addBindValue(notNull(certificateText(c)));
                    if (!insertCertificate.exec()) {
                        failed(insertCertificate);
                        return std::nullopt;
                    }
                    id = insertCertificate.lastInsertId().toLongLong();
                }
                findCertificate.finish();
                idBySha256.insert(sha256, id);
                return id;
            };
            const auto certificateIds =
                [&](const QList<CertificateInfo> &certificates) -> std::optional<QList<qint64>> {
                QList<qint64> ids;
                ids.reserve(certificates.size());
                for (const CertificateInfo &c : certificates) {
                    const auto id = certificateId(c);
                    if (!id)
                        return std::nullopt;
                    ids.append(*id);
                }
                return ids;
            };

            for (const ProbeResult &r : results) {
                const auto chain = certificateIds(r.chain);
                const auto path = certificateIds(r.trust.verifiedPath);
                if (!chain || !path)
                    return false;
                const CertificateInfo *leaf = r.leaf();
                const qint64 probedAt = r.probedAt.toSecsSinceEpoch();

                insertProbe.addBindValue(r.target.id);
                insertProbe.addBindValue(notNull(r.address));
                insertProbe.addBindValue(notNull(r.sni));
                insertProbe.addBindValue(probedAt);
                insertProbe.addBindValue(statusKey(r.status));
                insertProbe.addBindValue(fromOptional(r.daysLeft));
                insertProbe.addBindValue(leaf ? QVariant(chain->first()) : QVariant());
                insertProbe.addBindValue(leaf ? QVariant(sha256Of(*leaf)) : QVariant());
                insertProbe.addBindValue(leaf ? seconds(leaf->notBefore) : QVariant());
                insertProbe.addBindValue(leaf ? seconds(leaf->notAfter) : QVariant());
                insertProbe.addBindValue(r.limiting ? seconds(r.limiting->notAfter) : QVariant());
                insertProbe.addBindValue(r.limiting ? QVariant(notNull(r.limiting->subject))
                                                    : QVariant());
                insertProbe.addBindValue(r.limiting ? QVariant(notNull(r.limitingRole))
                                                    : QVariant());
                insertProbe.addBindValue(idList(*chain));
                insertProbe.addBindValue(idList(*path));
                insertProbe.addBindValue(r.trust.pathToAnchor ? 1 : 0);
                // No certificate, nothing to trust or distrust: NULL rather than "untrusted".
                insertProbe.addBindValue(r.hasCertificate() ? QVariant(r.trust.trusted ? 1 : 0)
                                                            : QVariant());
                insertProbe.addBindValue(findingsText(r.trust.findings));
                insertProbe.addBindValue(notNull(r.error));
                insertProbe.addBindValue(notNull(r.tlsVersion));
                insertProbe.addBindValue(notNull(r.cipher));
                insertProbe.addBindValue(r.durationMs);
                if (!insertProbe.exec())
                    return failed(insertProbe);
                const qint64 probeId = insertProbe.lastInsertId().toLongLong();

                upsertLatest.addBindValue(r.target.id);
                upsertLatest.addBindValue(notNull(r.address));
                upsertLatest.addBindValue(probeId);
                upsertLatest.addBindValue(probedAt);
                if (!upsertLatest.exec())
                    return failed(upsertLatest);
            }
            return true;
        },
        &message);
    if (!ok)
        return fail(message);
    return true;
}

QList<ProbeResult> HistoryRepository::latest(QString *error) const {
    return loadLatest(std::nullopt, error);
}

QList<ProbeResult> HistoryRepository::latestFor(qint64 targetId, QString *error) const {
    return loadLatest(targetId, error);
}

QList<ProbeResult> HistoryRepository::loadLatest(std::optional<qint64> targetId,
                                                 QString *error) const {
    const auto fail = [&](const QSqlQuery &query) {
        if (error)
            *error = m_database.describe(query.lastError());
        return QList<ProbeResult>();
    };
    QSqlDatabase db = m_database.connection();
    const QString filter = targetId ? QStringLiteral(" WHERE target_id = ?") : QString();

    // Tags first, so that each target is built once, complete, and shared by its addresses.
    QHash<qint64, QStringList> tags;
    {
        QSqlQuery q(db);
        q.setForwardOnly(true);
        q.prepare(QStringLiteral("SELECT target_id, tag FROM target_tags") + filter +
                  QStringLiteral(" ORDER BY target_id, tag"));
        if (targetId)
            q.addBindValue(*targetId);
        if (!q.exec())
            return fail(q);
        while (q.next())
            tags[q.value(0).toLongLong()].append(q.value(1).toString());
    }

    enum Column {
        TargetId,
        Address,
        Sni,
        ProbedAt,
        StatusKey,
        DaysLeft,
        EarliestExpiry,
        LimitingSubject,
        LimitingRole,
        Chain,
        VerifiedPath,
        PathToAnchor,
        Trusted,
        Findings,
        Error,
        TlsVersion,
        Cipher,
        DurationMs,
        TName,
        THost,
        TPort,
        TSni,
        TNoSni,
        TAddresses,
        TStartTls,
        TOwner,
        TNotes,
        TWarning,
        TCritical,
        TRotation,
        TEnabled,
        TCreated,
        TUpdated
    };
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(
        QStringLiteral("SELECT l.target_id, l.address, p.sni, p.probed_at, p.status, p.days_left, "
                       "p.earliest_expiry, p.limiting_subject, p.limiting_role, p.chain, "
                       "p.verified_path, p.path_to_anchor, p.trusted, p.findings, p.error, "
                       "p.tls_version, p.cipher, p.duration_ms, t.name, t.host, t.port, t.sni, "
                       "t.no_sni, t.addresses, t.starttls, t.owner, t.notes, t.warning_days, "
                       "t.critical_days, t.rotation_days, t.enabled, t.created_at, t.updated_at "
                       "FROM latest_probes l JOIN probes p ON p.id = l.probe_id "
                       "JOIN targets t ON t.id = l.target_id") +
        (targetId ? QStringLiteral(" WHERE l.target_id = ?") : QString()) +
        QStringLiteral(" ORDER BY l.target_id, l.address"));
    if (targetId)
        q.addBindValue(*targetId);
    if (!q.exec())
        return fail(q);

    struct Pending {
        QList<qint64> chain;
        QList<qint64> path;
        QDateTime earliestExpiry;
        QString limitingSubject;
    };
    QList<ProbeResult> results;
    QList<Pending> pending;
    QSet<qint64> wanted;
    Target target;
    while (q.next()) {
        const qint64 id = q.value(TargetId).toLongLong();
        if (id != target.id) {
            target = Target();
            target.id = id;
            target.name = q.value(TName).toString();
            target.host = q.value(THost).toString();
            target.port = quint16(q.value(TPort).toUInt());
            target.sni = q.value(TSni).toString();
            target.noSni = q.value(TNoSni).toBool();
            target.addresses = addressesFrom(q.value(TAddresses).toString());
            target.startTls =
                startTlsFromKey(q.value(TStartTls).toString()).value_or(StartTls::None);
            target.warningDays = optionalInt(q.value(TWarning));
            target.criticalDays = optionalInt(q.value(TCritical));
            target.rotationDays = optionalInt(q.value(TRotation));
            target.tags = tags.value(id);
            target.owner = q.value(TOwner).toString();
            target.notes = q.value(TNotes).toString();
            target.enabled = q.value(TEnabled).toBool();
            target.createdAt = fromSeconds(q.value(TCreated));
            target.updatedAt = fromSeconds(q.value(TUpdated));
        }
        ProbeResult r;
        r.target = target;
        r.address = q.value(Address).toString();
        r.sni = q.value(Sni).toString();
        r.probedAt = fromSeconds(q.value(ProbedAt));
        r.status = statusFromKey(q.value(StatusKey).toString()).value_or(Status::Unreachable);
        r.daysLeft = optionalInt(q.value(DaysLeft));
        r.limitingRole = q.value(LimitingRole).toString();
        r.trust.pathToAnchor = q.value(PathToAnchor).toBool();
        r.trust.trusted = q.value(Trusted).toBool();
        r.trust.findings = findingsFrom(q.value(Findings).toString());
        r.error = q.value(Error).toString();
        r.tlsVersion = q.value(TlsVersion).toString();
        r.cipher = q.value(Cipher).toString();
        r.durationMs = q.value(DurationMs).toLongLong();

        Pending p;
        p.chain = parseIdList(q.value(Chain).toString());
        p.path = parseIdList(q.value(VerifiedPath).toString());
        p.earliestExpiry = fromSeconds(q.value(EarliestExpiry));
        p.limitingSubject = q.value(LimitingSubject).toString();
        for (qint64 c : std::as_const(p.chain))
            wanted.insert(c);
        for (qint64 c : std::as_const(p.path))
            wanted.insert(c);
        results.append(std::move(r));
        pending.append(std::move(p));
    }
    if (q.lastError().isValid())
        return fail(q);

    // Each distinct certificate is read and rebuilt once; results share it (implicitly).
    QHash<qint64, CertificateInfo> certificates;
    certificates.reserve(wanted.size());
    if (!wanted.isEmpty()) {
        QByteArray ids = "[";
        for (qint64 id : std::as_const(wanted)) {
            if (ids.size() > 1)
                ids.append(',');
            ids.append(QByteArray::number(id));
        }
        ids.append(']');
        QSqlQuery c(db);
        c.setForwardOnly(true);
        c.prepare(QStringLiteral("SELECT id, der, CAST(info AS BLOB), text FROM certificates "
                                 "WHERE id IN (SELECT value FROM json_each(?))"));
        c.addBindValue(QString::fromLatin1(ids));
        if (!c.exec())
            return fail(c);
        while (c.next()) {
            certificates.insert(c.value(0).toLongLong(),
                                certificateFromStored(c.value(1).toByteArray(),
                                                      c.value(2).toByteArray(),
                                                      c.value(3).toString()));
        }
        if (c.lastError().isValid())
            return fail(c);
    }

    for (qsizetype i = 0; i < results.size(); ++i) {
        ProbeResult &r = results[i];
        const Pending &p = pending.at(i);
        r.chain.reserve(p.chain.size());
        for (qint64 id : p.chain)
            r.chain.append(certificates.value(id));
        r.trust.verifiedPath.reserve(p.path.size());
        for (qint64 id : p.path)
            r.trust.verifiedPath.append(certificates.value(id));
        if (p.earliestExpiry.isValid()) {
            // The limiting certificate is the one on the client path that expires at
            // earliest_expiry; the subject tells apart two that expire in the same second.
            const QList<CertificateInfo> path = clientPath(r);
            const CertificateInfo *match = nullptr;
            for (const CertificateInfo &c : path) {
                if (c.notAfter != p.earliestExpiry)
                    continue;
                if (c.subject == p.limitingSubject) {
                    match = &c;
                    break;
                }
                if (!match)
                    match = &c;
            }
            if (match)
                r.limiting = *match;
        }
    }
    return results;
}

QList<HistoryPoint> HistoryRepository::history(qint64 targetId, const QDateTime &from,
                                               const QDateTime &to, QString *error) const {
    QSqlQuery q(m_database.connection());
    q.setForwardOnly(true);
    q.prepare(QStringLiteral(
        "SELECT probed_at, address, status, days_left, earliest_expiry, leaf_not_before, "
        "leaf_not_after, leaf_sha256, error FROM probes "
        "WHERE target_id = ? AND probed_at BETWEEN ? AND ? ORDER BY probed_at, address, id"));
    q.addBindValue(targetId);
    // Stored times are whole seconds: a bound with milliseconds includes only the seconds that
    // lie inside it.
    const qint64 lower = from.isValid() ? (from.toMSecsSinceEpoch() + 999) / 1000
                                        : std::numeric_limits<qint64>::min();
    const qint64 upper = to.isValid() ? to.toSecsSinceEpoch() : std::numeric_limits<qint64>::max();
    q.addBindValue(lower);
    q.addBindValue(upper);
    QList<HistoryPoint> points;
    if (!q.exec()) {
        if (error)
            *error = m_database.describe(q.lastError());
        return points;
    }
    while (q.next()) {
        HistoryPoint point;
        point.probedAt = fromSeconds(q.value(0));
        point.address = q.value(1).toString();
        point.status = statusFromKey(q.value(2).toString()).value_or(Status::Unreachable);
        point.daysLeft = optionalInt(q.value(3));
        point.earliestExpiry = fromSeconds(q.value(4));
        point.leafNotBefore = fromSeconds(q.value(5));
        point.leafNotAfter = fromSeconds(q.value(6));
        point.leafSha256 = q.value(7).toString();
        point.error = q.value(8).toString();
        points.append(point);
    }
    return points;
}

} // namespace certdash
