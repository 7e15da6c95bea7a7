#include "HistoryRepository.h"

#include "probing/X509.h"

#include "Database.h"
#include "HistoryCodec.h"
#include "StoredCertificate.h"
#include "StoredRows.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QSet>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <algorithm>
#include <limits>
#include <thread>
#include <cstring>
#include <deque>
#include <limits>
#include <memory>

Q_DECLARE_LOGGING_CATEGORY(lcStorage)


namespace certdash {

using namespace historycodec;

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
            QSqlQuery insertInfo(db);
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
                    "not_after, text) VALUES (?, ?, ?, ?, ?, ?, ?)")))
                return failed(insertCertificate);
            if (!insertInfo.prepare(QStringLiteral(
                    "INSERT INTO certificate_info(certificate_id, info) VALUES (?, ?)")))
                return failed(insertInfo);
            if (!insertProbe.prepare(QStringLiteral(
                    "INSERT INTO probes(target_id, address, sni, probed_at, status, days_left, "
                    "leaf_cert_id, leaf_sha256, leaf_not_before, leaf_not_after, "
                    "earliest_expiry, limiting_subject, limiting_role, chain, verified_path, "
                    "path_to_anchor, trusted, findings, error, tls_version, cipher, duration_ms, "
                    "finding_kinds, trust_level, trust_accepted_by, trust_accepted_tag) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                    "?, ?, ?, ?)")))
                return failed(insertProbe);
            // A result replaces the stored latest only when it is at least as new: scans that
            // finish out of order, or an import of old results, must not hide a newer probe.
            if (!upsertLatest.prepare(QStringLiteral(
                    "INSERT INTO latest_probes(target_id, address, probe_id) VALUES (?, ?, ?) "
                    "ON CONFLICT(target_id, address) DO UPDATE SET probe_id = excluded.probe_id "
                    "WHERE ? >= (SELECT probed_at FROM probes WHERE id = latest_probes.probe_id)")))
                return failed(upsertLatest);
            // The same for a result that knows its round, unless a newer round of the target
            // left its address out: a late result of an older round must not bring back an
            // address the name no longer resolves to. (The SELECT needs its WHERE for the
            // upsert to parse.)
            QSqlQuery upsertRoundLatest(db);
            if (!upsertRoundLatest.prepare(QStringLiteral(
                    "INSERT INTO latest_probes(target_id, address, probe_id) SELECT ?, ?, ? "
                    "WHERE NOT EXISTS (SELECT 1 FROM latest_probes l JOIN probes p "
                    "ON p.id = l.probe_id WHERE l.target_id = ? AND p.probed_at > ? AND "
                    "instr(?, ' ' || l.address || ' ') = 0) "
                    "ON CONFLICT(target_id, address) DO UPDATE SET probe_id = excluded.probe_id "
                    "WHERE ? >= (SELECT probed_at FROM probes WHERE id = latest_probes.probe_id)")))
                return failed(upsertRoundLatest);

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
                    insertCertificate.addBindValue(notNull(certificateText(c)));
                    if (!insertCertificate.exec()) {
                        failed(insertCertificate);
                        return std::nullopt;
                    }
                    id = insertCertificate.lastInsertId().toLongLong();
                    insertInfo.addBindValue(id);
                    insertInfo.addBindValue(QString::fromUtf8(certificateToStoredJson(c)));
                    if (!insertInfo.exec()) {
                        failed(insertInfo);
                        return std::nullopt;
                    }
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
                insertProbe.addBindValue(notNull(kindsText(r.trust.kinds)));
                insertProbe.addBindValue(r.hasCertificate()
                                             ? QVariant(trustLevelKey(r.trustVerdict.level))
                                             : QVariant());
                insertProbe.addBindValue(notNull(acceptanceRuleKey(r.trustVerdict.acceptedBy)));
                insertProbe.addBindValue(notNull(r.trustVerdict.acceptedTag));
                if (!insertProbe.exec())
                    return failed(insertProbe);
                const qint64 probeId = insertProbe.lastInsertId().toLongLong();

                if (r.roundAddresses.isEmpty()) {
                    upsertLatest.addBindValue(r.target.id);
                    upsertLatest.addBindValue(notNull(r.address));
                    upsertLatest.addBindValue(probeId);
                    upsertLatest.addBindValue(probedAt);
                    if (!upsertLatest.exec())
                        return failed(upsertLatest);
                } else {
                    upsertRoundLatest.addBindValue(r.target.id);
                    upsertRoundLatest.addBindValue(notNull(r.address));
                    upsertRoundLatest.addBindValue(probeId);
                    upsertRoundLatest.addBindValue(r.target.id);
                    upsertRoundLatest.addBindValue(probedAt);
                    upsertRoundLatest.addBindValue(roundList(r.roundAddresses));
                    upsertRoundLatest.addBindValue(probedAt);
                    if (!upsertRoundLatest.exec())
                        return failed(upsertRoundLatest);
                }
            }
            return pruneLatest(results, [&](const QSqlQuery &q) { return failed(q); });
        },
        &message);
    if (!ok)
        return fail(message);
    return true;
}

bool HistoryRepository::pruneLatest(const QList<ProbeResult> &results,
                                    const std::function<bool(const QSqlQuery &)> &failed) {
    // Per target and round, the newest start among the round's results in this call is the
    // bound, so a result recorded out of order within a round changes nothing.
    struct Round {
        qint64 targetId;
        QString addresses; // as roundList() gives it
        qint64 probedAt;
    };
    QList<Round> rounds;
    QHash<QPair<qint64, QString>, qsizetype> roundIndex;
    for (const ProbeResult &r : results) {
        if (r.roundAddresses.isEmpty())
            continue; // not known (an older caller, an import): never delete anything
        const QString list = roundList(r.roundAddresses);
        const qint64 probedAt = r.probedAt.toSecsSinceEpoch();
        const auto key = qMakePair(r.target.id, list);
        if (const auto it = roundIndex.constFind(key); it != roundIndex.cend()) {
            Round &round = rounds[*it];
            round.probedAt = std::max(round.probedAt, probedAt);
        } else {
            roundIndex.insert(key, rounds.size());
            rounds.append(Round{r.target.id, list, probedAt});
        }
    }
    if (rounds.isEmpty())
        return true;
    // Rows of addresses outside the round go when they are no newer than it (the same second
    // counts as older: a rescan right after an edit must show the edit); a late result of an
    // older round leaves a newer round's rows alone. The probes themselves stay: history. One
    // statement for every round of the call: SQLite walks them, one indexed lookup per target.
    QJsonArray list;
    for (const Round &round : std::as_const(rounds))
        list.append(QJsonArray{round.targetId, round.addresses, round.probedAt});
    QSqlQuery prune(m_database.connection());
    if (!prune.prepare(QStringLiteral(
            "WITH r(target_id, addresses, probed_at) AS (SELECT json_extract(value, '$[0]'), "
            "json_extract(value, '$[1]'), json_extract(value, '$[2]') FROM json_each(?)) "
            "DELETE FROM latest_probes WHERE (target_id, address) IN (SELECT l.target_id, "
            "l.address FROM r JOIN latest_probes l ON l.target_id = r.target_id "
            "JOIN probes p ON p.id = l.probe_id "
            "WHERE instr(r.addresses, ' ' || l.address || ' ') = 0 "
            "AND p.probed_at <= r.probed_at)")))
        return failed(prune);
    prune.addBindValue(QString::fromUtf8(QJsonDocument(list).toJson(QJsonDocument::Compact)));
    if (!prune.exec())
        return failed(prune);
    return true;
}

} // namespace certdash
