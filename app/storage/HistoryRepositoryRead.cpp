// The reading half of HistoryRepository: latest(), latestFor() and history().
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
        TrustAcceptedTag,
        TClientCert,
        TClientKey,
        TProxy,
        TCheckRevocation
    };
    const char *const select =
        "SELECT l.target_id, l.address, p.sni, p.probed_at, p.status, p.days_left, "
        "p.earliest_expiry, p.limiting_subject, p.limiting_role, p.chain, p.verified_path, "
        "p.path_to_anchor, p.trusted, p.findings, p.error, p.tls_version, p.cipher, "
        "p.duration_ms, t.name, t.host, t.port, t.sni, t.no_sni, t.addresses, t.starttls, "
        "t.owner, t.notes, t.warning_days, t.critical_days, t.rotation_days, t.enabled, "
        "t.created_at, t.updated_at, t.accept_self_signed, t.pin_issuer, t.pin_sha256, "
        "p.finding_kinds, p.trust_level, p.trust_accepted_by, p.trust_accepted_tag, "
        "t.client_cert, t.client_key, t.proxy, t.check_revocation "
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
            target.connection.clientCertificate = text(TClientCert);
            target.connection.clientKey = text(TClientKey);
            target.connection.proxy = text(TProxy);
            if (!q->isNull(TCheckRevocation))
                target.checkRevocation = q->integer(TCheckRevocation) != 0;
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
