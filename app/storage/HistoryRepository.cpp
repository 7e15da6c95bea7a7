#include "HistoryRepository.h"

#include "probing/X509.h"

#include "Database.h"
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

// Findings are free sentences (they quote subjects a server chose), so they are stored as a JSON
// array rather than joined with a separator that could occur in them.
QString findingsText(const QStringList &findings) {
    if (findings.isEmpty())
        return QStringLiteral("");
    return QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(findings)).toJson(QJsonDocument::Compact));
}

QStringList findingsFrom(const QString &text) {
    if (text.isEmpty())
        return {};
    QStringList list;
    for (const QJsonValue &item : QJsonDocument::fromJson(text.toUtf8()).array())
        list.append(item.toString());
    return list;
}

// Finding kinds as stable keys, space-separated, in the order of the findings.
QString kindsText(const QList<FindingKind> &kinds) {
    QStringList keys;
    keys.reserve(kinds.size());
    for (const FindingKind kind : kinds)
        keys << findingKindKey(kind);
    return keys.join(QLatin1Char(' '));
}

QList<FindingKind> kindsFrom(QByteArrayView text) {
    QList<FindingKind> kinds;
    for (const QByteArray &key : text.toByteArray().split(' ')) {
        if (!key.isEmpty())
            kinds << findingKindFromKey(QString::fromLatin1(key));
    }
    return kinds;
}

// Pinned addresses as TargetRepository writes them: space-separated.
QStringList addressesFrom(const QString &text) {
    if (text.isEmpty())
        return {};
    return text.split(QLatin1Char(' '), Qt::SkipEmptyParts);
}

// A round's addresses as " a b " (sorted, so that equal rounds compare equal), for
// instr(list, ' ' || address || ' '): addresses never hold a space, and "" (a DNS failure) shows
// as two spaces in a row. Cheaper per row than a JSON array through json_each.
QString roundList(const QStringList &roundAddresses) {
    QStringList addresses = roundAddresses;
    addresses.sort();
    return QLatin1Char(' ') + addresses.join(QLatin1Char(' ')) + QLatin1Char(' ');
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

int HistoryRepository::s_splitAbove = 20000;

QList<ProbeResult> HistoryRepository::latest(QString *error, CertificateDetail detail) const {
    constexpr qint64 first = std::numeric_limits<qint64>::min();
    constexpr qint64 last = std::numeric_limits<qint64>::max();
    // A large estate is read in two halves at once, the upper half through a second connection
    // in a thread of its own (WAL lets readers run side by side): rebuilding 100,000 results is
    // mostly allocation and parsing, which a second core halves.
    qint64 middle = 0;
    qint64 count = 0;
    {
        std::unique_ptr<Rows> q = openRows(m_database);
        if (!q->prepare("SELECT count(*) FROM latest_probes") || !q->exec() || !q->next())
            return loadLatest(first, last, detail, error);
        count = q->integer(0);
        if (count <= s_splitAbove || m_database.path().isEmpty())
            return loadLatest(first, last, detail, error);
        if (!q->prepare("SELECT target_id FROM latest_probes ORDER BY target_id LIMIT 1 OFFSET ?"))
            return loadLatest(first, last, detail, error);
        q->bind(1, count / 2);
        if (!q->exec() || !q->next())
            return loadLatest(first, last, detail, error);
        middle = q->integer(0);
    }
    QList<ProbeResult> upper;
    QString upperError;
    std::thread reader([&] {
        // Opened and closed in this thread, as QtSql requires.
        std::unique_ptr<Database> second = Database::open(m_database.path(), &upperError);
        if (second)
            upper = HistoryRepository(*second).loadLatest(middle, last, detail, &upperError);
        else if (upperError.isEmpty())
            upperError = QStringLiteral("?");
    });
    // Room for both halves: the upper one is moved in once, the lower one never moves.
    QList<ProbeResult> results = loadLatest(first, middle - 1, detail, error, count);
    reader.join();
    if (!upperError.isEmpty()) {
        if (error && error->isEmpty())
            *error = upperError;
        return {};
    }
    if (error && !error->isEmpty())
        return {};
    for (ProbeResult &r : upper)
        results.append(std::move(r));
    return results;
}

QList<ProbeResult> HistoryRepository::latestFor(qint64 targetId, QString *error,
                                                CertificateDetail detail) const {
    return loadLatest(targetId, targetId, detail, error);
}


QList<ProbeResult> HistoryRepository::loadLatest(qint64 firstTarget, qint64 lastTarget,
                                                 CertificateDetail detail, QString *error,
                                                 qsizetype capacity) const {
    QElapsedTimer timer;
    timer.start();
    QList<ProbeResult> results;
    std::unique_ptr<Rows> q = openRows(m_database);
    const auto fail = [&] {
        if (error)
            *error = q->errorMessage();
        return QList<ProbeResult>();
    };

    StringPool pool;
    // Tags first, in target order like the results: merged in with one cursor, no lookups.
    struct Tag {
        qint64 target;
        QString name;
    };
    QList<Tag> tags;
    if (!q->prepare("SELECT target_id, tag FROM target_tags WHERE target_id BETWEEN ? AND ? "
                    "ORDER BY target_id, tag"))
        return fail();
    q->bind(1, firstTarget);
    q->bind(2, lastTarget);
    if (!q->exec())
        return fail();
    while (q->next())
        tags.append(Tag{q->integer(0), pool.string(q->view(1))});
    if (q->failed())
        return fail();
    qsizetype tagCursor = 0;
    const auto tagsOf = [&](qint64 target) {
        QStringList list;
        while (tagCursor < tags.size() && tags.at(tagCursor).target < target)
            ++tagCursor;
        while (tagCursor < tags.size() && tags.at(tagCursor).target == target)
            list.append(tags.at(tagCursor++).name);
        return list;
    };

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
        TUpdated,
        TAcceptSelfSigned,
        TPinIssuer,
        TPinSha256,
        FindingKinds,
        TrustLevelKey,
        TrustAcceptedBy,
        TrustAcceptedTag
    };
    const char *const select =
        "SELECT l.target_id, l.address, p.sni, p.probed_at, p.status, p.days_left, "
        "p.earliest_expiry, p.limiting_subject, p.limiting_role, p.chain, p.verified_path, "
        "p.path_to_anchor, p.trusted, p.findings, p.error, p.tls_version, p.cipher, "
        "p.duration_ms, t.name, t.host, t.port, t.sni, t.no_sni, t.addresses, t.starttls, "
        "t.owner, t.notes, t.warning_days, t.critical_days, t.rotation_days, t.enabled, "
        "t.created_at, t.updated_at, t.accept_self_signed, t.pin_issuer, t.pin_sha256, "
        "p.finding_kinds, p.trust_level, p.trust_accepted_by, p.trust_accepted_tag "
        "FROM latest_probes l JOIN probes p ON p.id = l.probe_id "
        "JOIN targets t ON t.id = l.target_id ";
    // ProbeResult is large and not relocatable: growing the list would move every element.
    if (!q->prepare("SELECT count(*) FROM latest_probes WHERE target_id BETWEEN ? AND ?"))
        return fail();
    q->bind(1, firstTarget);
    q->bind(2, lastTarget);
    if (!q->exec() || !q->next())
        return fail();
    const qsizetype expected = qsizetype(q->integer(0));
    results.reserve(std::max(expected, capacity));

    const QByteArray sql = QByteArray(select) + "WHERE l.target_id BETWEEN ? AND ? " +
                           "ORDER BY l.target_id, l.address";
    if (!q->prepare(sql.constData()))
        return fail();
    q->bind(1, firstTarget);
    q->bind(2, lastTarget);
    if (!q->exec())
        return fail();

    // What each result still needs from the certificates, kept flat: one allocation for all
    // 100,000 results instead of three each.
    struct Pending {
        qsizetype chainBegin = 0; // in ids: the chain, then the verified path
        int chainCount = 0;
        int pathCount = 0;
        std::optional<qint64> earliestExpiry;
        qsizetype subjectBegin = 0; // the limiting subject, UTF-8, in subjects
        qsizetype subjectSize = 0;
    };
    QList<Pending> pending;
    pending.reserve(expected);
    QList<qint64> ids;
    ids.reserve(expected * 5);
    QByteArray subjects;
    const auto word = [&](int column) {
        return pool.string(q->view(column));
    };
    // Most optional text is empty (SNI, notes, pinned addresses): no allocation for it.
    const auto text = [&](int column) {
        const QByteArrayView bytes = q->view(column);
        return bytes.isEmpty() ? QString() : QString::fromUtf8(bytes);
    };
    const auto time = [&](int column) {
        return q->isNull(column) ? QDateTime()
                                 : QDateTime::fromSecsSinceEpoch(q->integer(column), Qt::UTC);
    };
    const auto optionalInteger = [&](int column) {
        return q->isNull(column) ? std::optional<int>()
                                 : std::optional<int>(int(q->integer(column)));
    };
    const auto appendIds = [&](QByteArrayView text) {
        const qsizetype before = ids.size();
        qint64 value = 0;
        bool inNumber = false;
        for (const char c : text) {
            if (c >= '0' && c <= '9') {
                value = value * 10 + (c - '0');
                inNumber = true;
            } else if (inNumber) {
                ids.append(value);
                value = 0;
                inNumber = false;
            }
        }
        if (inNumber)
            ids.append(value);
        return int(ids.size() - before);
    };
    while (q->next()) {
        const qint64 id = q->integer(TargetId);
        // Built in place: a ProbeResult is over a kilobyte, and moving it in costs a copy's time.
        ProbeResult &r = results.emplace_back();
        if (results.size() > 1 && results.at(results.size() - 2).target.id == id) {
            r.target = results.at(results.size() - 2).target; // another address, same target
        } else {
            Target &target = r.target;
            target.id = id;
            target.name = text(TName);
            target.host = text(THost);
            target.port = quint16(q->integer(TPort));
            target.sni = text(TSni);
            target.noSni = q->integer(TNoSni) != 0;
            target.addresses = addressesFrom(text(TAddresses));
            target.startTls = startTlsFromKey(word(TStartTls)).value_or(StartTls::None);
            target.warningDays = optionalInteger(TWarning);
            target.criticalDays = optionalInteger(TCritical);
            target.rotationDays = optionalInteger(TRotation);
            target.tags = tagsOf(id);
            target.owner = word(TOwner);
            target.notes = text(TNotes);
            target.enabled = q->integer(TEnabled) != 0;
            target.createdAt = time(TCreated);
            target.updatedAt = time(TUpdated);
            target.acceptance.acceptSelfSigned = q->integer(TAcceptSelfSigned) != 0;
            target.acceptance.pinIssuer = text(TPinIssuer);
            target.acceptance.pinSha256 = text(TPinSha256);
        }
        r.address = text(Address);
        // The SNI sent is usually the host: one string for both.
        if (const QByteArrayView sni = q->view(Sni);
            QAnyStringView::equal(r.target.host, QUtf8StringView(sni)))
            r.sni = r.target.host;
        else
            r.sni = text(Sni);
        r.probedAt = time(ProbedAt);
        r.status = statusFromKey(word(StatusKey)).value_or(Status::Unreachable);
        r.daysLeft = optionalInteger(DaysLeft);
        r.limitingRole = word(LimitingRole);
        r.trust.pathToAnchor = q->integer(PathToAnchor) != 0;
        r.trust.trusted = q->integer(Trusted) != 0;
        if (const QByteArrayView findings = q->view(Findings); !findings.isEmpty())
            r.trust.findings = findingsFrom(QString::fromUtf8(findings));
        r.trust.kinds = kindsFrom(q->view(FindingKinds));
        // Kinds and findings go together; a row that lost one reads as unexplained failures.
        while (r.trust.kinds.size() < r.trust.findings.size())
            r.trust.kinds << FindingKind::Other;
        // The level as judged when probed (with the acceptance then in force), like status.
        r.trustVerdict.level =
            trustLevelFromKey(QString::fromLatin1(q->view(TrustLevelKey).toByteArray()))
                .value_or(TrustLevel::Trusted);
        r.trustVerdict.acceptedBy =
            acceptanceRuleFromKey(QString::fromLatin1(q->view(TrustAcceptedBy).toByteArray()));
        r.trustVerdict.acceptedTag = text(TrustAcceptedTag);
        if (const QByteArrayView error = q->view(Error); !error.isEmpty())
            r.error = QString::fromUtf8(error);
        r.tlsVersion = word(TlsVersion);
        r.cipher = word(Cipher);
        r.durationMs = q->integer(DurationMs);

        Pending p;
        p.chainBegin = ids.size();
        p.chainCount = appendIds(q->view(Chain));
        p.pathCount = appendIds(q->view(VerifiedPath));
        if (!q->isNull(EarliestExpiry))
            p.earliestExpiry = q->integer(EarliestExpiry);
        const QByteArrayView subject = q->view(LimitingSubject);
        p.subjectBegin = subjects.size();
        p.subjectSize = subject.size();
        subjects.append(subject);
        pending.append(p);
    }
    if (q->failed())
        return fail();

    const qint64 rowsMs = timer.elapsed();
    // Each distinct certificate is read and rebuilt once, into a list parallel to its sorted
    // ids; results copy it from there (its strings are shared, not duplicated).
    QList<qint64> wanted = ids;
    std::sort(wanted.begin(), wanted.end());
    wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
    QList<CertificateInfo> certificates(wanted.size());
    QList<bool> present(wanted.size(), false);
    const auto slotOf = [&](qint64 id) -> qsizetype {
        const auto it = std::lower_bound(wanted.cbegin(), wanted.cend(), id);
        if (it == wanted.cend() || *it != id)
            return -1;
        const qsizetype slot = it - wanted.cbegin();
        return present.at(slot) ? slot : -1;
    };
    if (!wanted.isEmpty()) {
        QByteArray list = "[";
        for (qint64 id : std::as_const(wanted)) {
            if (list.size() > 1)
                list.append(',');
            list.append(QByteArray::number(id));
        }
        list.append(']');
        const bool full = detail == CertificateDetail::Full;
        if (!q->prepare(full ? "SELECT i.certificate_id, i.info, c.der, c.text "
                               "FROM certificate_info i JOIN certificates c ON c.id = "
                               "i.certificate_id WHERE i.certificate_id IN "
                               "(SELECT value FROM json_each(?))"
                             : "SELECT certificate_id, info FROM certificate_info "
                               "WHERE certificate_id IN (SELECT value FROM json_each(?))"))
            return fail();
        q->bind(1, list);
        if (!q->exec())
            return fail();
        while (q->next()) {
            const auto it = std::lower_bound(wanted.cbegin(), wanted.cend(), q->integer(0));
            if (it == wanted.cend() || *it != q->integer(0))
                continue;
            const qsizetype slot = it - wanted.cbegin();
            certificates[slot] = readCertificate(full ? q->bytes(2) : QByteArray(), q->view(1),
                                                 full ? q->text(3) : QString(), &pool);
            present[slot] = true;
        }
        if (q->failed())
            return fail();
    }

    const qint64 certificatesMs = timer.elapsed() - rowsMs;
    // First every result's certificate slots and its limiting certificate, counting the uses of
    // each slot; then the results take their certificates, the last use of a slot by move. Most
    // leaves serve one address: moved, not copied, and none of their strings is touched again.
    const bool withPath = detail != CertificateDetail::Summary;
    QList<qsizetype> slotOfId(ids.size());
    for (qsizetype j = 0; j < ids.size(); ++j)
        slotOfId[j] = slotOf(ids.at(j));
    QList<int> uses(wanted.size(), 0);
    QList<qsizetype> limitingSlot(results.size(), -1);
    for (qsizetype i = 0; i < results.size(); ++i) {
        const ProbeResult &r = results.at(i);
        const Pending &p = pending.at(i);
        const qsizetype *slot = slotOfId.constData() + p.chainBegin;
        for (int k = 0; k < p.chainCount + (withPath ? p.pathCount : 0); ++k) {
            if (slot[k] >= 0)
                ++uses[slot[k]];
        }
        if (!p.earliestExpiry && p.subjectSize == 0)
            continue;
        // The limiting certificate is the one on the client path that expires at
        // earliest_expiry; the subject tells apart two that expire in the same second. Without
        // earliest_expiry, it is the one whose notAfter could not be read.
        const bool onPath = r.trust.pathToAnchor && p.pathCount > 0;
        const int begin = onPath ? p.chainCount : 0;
        const int end = onPath ? p.chainCount + p.pathCount : p.chainCount;
        const QUtf8StringView subject(subjects.constData() + p.subjectBegin, p.subjectSize);
        qsizetype match = -1;
        for (int k = begin; k < end; ++k) {
            if (slot[k] < 0)
                continue;
            const CertificateInfo &c = certificates.at(slot[k]);
            if (p.earliestExpiry
                    ? !c.notAfter.isValid() || c.notAfter.toSecsSinceEpoch() != *p.earliestExpiry
                    : c.notAfter.isValid())
                continue;
            if (QAnyStringView::equal(c.subject, subject)) {
                match = slot[k];
                break;
            }
            if (match < 0)
                match = slot[k];
        }
        limitingSlot[i] = match;
        if (match >= 0)
            ++uses[match];
    }
    const CertificateInfo missing;
    const auto take = [&](qsizetype slot) -> CertificateInfo {
        if (slot < 0)
            return missing;
        if (--uses[slot] == 0)
            return std::move(certificates[slot]);
        return certificates.at(slot);
    };
    for (qsizetype i = 0; i < results.size(); ++i) {
        ProbeResult &r = results[i];
        const Pending &p = pending.at(i);
        const qsizetype *slot = slotOfId.constData() + p.chainBegin;
        r.chain.reserve(p.chainCount);
        for (int k = 0; k < p.chainCount; ++k)
            r.chain.append(take(slot[k]));
        if (withPath) {
            r.trust.verifiedPath.reserve(p.pathCount);
            for (int k = 0; k < p.pathCount; ++k)
                r.trust.verifiedPath.append(take(slot[p.chainCount + k]));
        }
        if (limitingSlot.at(i) >= 0)
            r.limiting = take(limitingSlot.at(i));
    }
    qCDebug(lcStorage).nospace() << "latest: " << results.size() << " results in "
                                 << timer.elapsed() << " ms (rows " << rowsMs << ", "
                                 << wanted.size() << " certificates " << certificatesMs
                                 << ", direct SQLite " << q->direct() << ")";
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
