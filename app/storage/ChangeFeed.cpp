#include "ChangeFeed.h"

#include "domain/ExpiryPolicy.h"
#include "domain/Status.h"
#include "domain/Target.h"

#include "Database.h"
#include "StoredRows.h"

#include <QElapsedTimer>
#include <QHash>
#include <QLoggingCategory>
#include <QSet>
#include <QTimeZone>

#include <algorithm>
#include <array>
#include <limits>
#include <tuple>

Q_DECLARE_LOGGING_CATEGORY(lcStorage)

namespace certdash {

namespace {

struct KindName {
    ChangeKind kind;
    const char *key;
};
constexpr std::array<KindName, 11> kKinds{{
    {ChangeKind::CertificateRotated, "certificate_rotated"},
    {ChangeKind::RotationOverdue, "rotation_overdue"},
    {ChangeKind::FindingAppeared, "finding_appeared"},
    {ChangeKind::FindingResolved, "finding_resolved"},
    {ChangeKind::FailureStarted, "failure_started"},
    {ChangeKind::Recovered, "recovered"},
    {ChangeKind::AddressAppeared, "address_appeared"},
    {ChangeKind::AddressDisappeared, "address_disappeared"},
    {ChangeKind::AddressDiverged, "address_diverged"},
    {ChangeKind::TargetAdded, "target_added"},
    {ChangeKind::TargetRemoved, "target_removed"},
}};

// Probes of one target closer together than this, each address once, are one round of a scan
// (a scan starts a target's addresses together; a rescan probes an address again).
constexpr qint64 kRoundGapSeconds = 300;

QDateTime utc(qint64 seconds) {
    return QDateTime::fromSecsSinceEpoch(seconds, Qt::UTC);
}

struct ProbeRow {
    qint64 targetId = 0;
    QString address;
    qint64 at = 0;
    Status status = Status::Unreachable;
    QString leaf; // "" without a certificate
    qint64 notBefore = 0;
    qint64 notAfter = 0;
    std::optional<int> daysLeft;
    QStringList kinds;
    QString error;
    qint64 id = 0; // probes.id: the order of recording, for probes of the same second
};

// The columns every probe query reads, in ProbeRow order.
#define CERTDASH_PROBE_COLUMNS                                                                     \
    "p.target_id, p.address, p.probed_at, p.status, p.leaf_sha256, p.leaf_not_before, "            \
    "p.leaf_not_after, p.days_left, p.finding_kinds, p.error, p.id"

ProbeRow readProbe(Rows &rows) {
    ProbeRow p;
    p.targetId = rows.integer(0);
    p.address = rows.text(1);
    p.at = rows.integer(2);
    p.status = statusFromKey(rows.text(3)).value_or(Status::Unreachable);
    if (!rows.isNull(4))
        p.leaf = rows.text(4);
    p.notBefore = rows.isNull(5) ? 0 : rows.integer(5);
    p.notAfter = rows.isNull(6) ? 0 : rows.integer(6);
    if (!rows.isNull(7))
        p.daysLeft = int(rows.integer(7));
    p.kinds = rows.text(8).split(QLatin1Char(' '), Qt::SkipEmptyParts);
    p.error = rows.text(9);
    p.id = rows.integer(10);
    return p;
}

struct TargetInfo {
    QString label;
    QString endpointKey;
    std::optional<int> rotationDays; // the target's own, else its tags' shortest
};

// What is known about one target address just before the probe being looked at.
struct AddressState {
    bool known = false;
    bool failing = false;
    Status status = Status::Ok;
    QString leaf;         // the last certificate seen there, "" none yet
    bool overdue = false; // that certificate was overdue for rotation
    bool kindsKnown = false;
    QSet<QString> kinds; // finding kinds of the last probe with a certificate
    bool diverged = false;
};

class Walker {
public:
    Walker(qint64 since, qint64 until, const TargetInfo &target, qint64 targetId,
           std::optional<int> defaultRotationDays, QList<Change> &out)
        : m_since(since)
        , m_until(until)
        , m_target(target)
        , m_targetId(targetId)
        , m_defaultRotation(defaultRotationDays)
        , m_out(out) {}

    void seed(const ProbeRow &lastCertificate) {
        AddressState &s = m_state[lastCertificate.address];
        s.leaf = lastCertificate.leaf;
        s.overdue = overdue(lastCertificate);
        s.kindsKnown = true;
        s.kinds = QSet<QString>(lastCertificate.kinds.cbegin(), lastCertificate.kinds.cend());
    }

    // probes: the target's, sorted by time then as recorded.
    void walk(const QList<ProbeRow> &probes) {
        qsizetype start = 0;
        while (start < probes.size()) {
            qsizetype end = start;
            QSet<QString> seen;
            while (end < probes.size() && probes[end].at - probes[start].at <= kRoundGapSeconds &&
                   !seen.contains(probes[end].address)) {
                seen.insert(probes[end].address);
                ++end;
            }
            round(probes, start, end);
            start = end;
        }
    }

private:
    bool inWindow(qint64 at) const { return at >= m_since && at < m_until; }

    void report(qint64 at, ChangeKind kind, const QString &address, const QString &before = {},
                const QString &after = {}, const QString &detail = {}) {
        if (!inWindow(at))
            return;
        m_out.append(
            Change{utc(at), kind, m_targetId, m_target.label, address, before, after, detail});
    }

    bool overdue(const ProbeRow &p) const {
        if (p.status == Status::RotationOverdue)
            return true;
        const std::optional<int> days =
            m_target.rotationDays ? m_target.rotationDays : m_defaultRotation;
        if (!days || p.leaf.isEmpty() || p.notAfter <= p.notBefore)
            return false;
        ExpiryPolicy policy;
        policy.rotationDays = days;
        const EffectiveThresholds t = effectiveThresholds(policy, p.notAfter - p.notBefore);
        return t.rotationDueSeconds && p.notAfter - p.at < *t.rotationDueSeconds;
    }

    void probe(const ProbeRow &p) {
        AddressState &s = m_state[p.address];
        const bool failure = isProbeFailure(p.status);
        if (failure && !(s.known && s.failing))
            report(p.at, ChangeKind::FailureStarted, p.address,
                   s.known ? statusKey(s.status) : QString(), statusKey(p.status), p.error);
        else if (!failure && s.known && s.failing)
            report(p.at, ChangeKind::Recovered, p.address, statusKey(s.status), statusKey(p.status),
                   statusKey(p.status));
        if (!p.leaf.isEmpty()) {
            const bool rotated = !s.leaf.isEmpty() && s.leaf != p.leaf;
            if (rotated)
                report(p.at, ChangeKind::CertificateRotated, p.address, s.leaf, p.leaf,
                       utc(p.notAfter).toString(Qt::ISODate));
            const bool isOverdue = overdue(p);
            if (isOverdue && !(s.leaf == p.leaf && s.overdue))
                report(p.at, ChangeKind::RotationOverdue, p.address, p.leaf, QString(),
                       p.daysLeft ? QString::number(*p.daysLeft) : QString());
            const QSet<QString> kinds(p.kinds.cbegin(), p.kinds.cend());
            QStringList appeared;
            for (const QString &kind : kinds) {
                if (!s.kinds.contains(kind))
                    appeared << kind;
            }
            appeared.sort();
            for (const QString &kind : std::as_const(appeared)) {
                report(p.at, ChangeKind::FindingAppeared, p.address, QString(), kind, kind);
            }
            if (s.kindsKnown) {
                QStringList resolved;
                for (const QString &kind : std::as_const(s.kinds)) {
                    if (!kinds.contains(kind))
                        resolved << kind;
                }
                resolved.sort();
                for (const QString &kind : std::as_const(resolved))
                    report(p.at, ChangeKind::FindingResolved, p.address, kind, QString(), kind);
            }
            s.leaf = p.leaf;
            s.overdue = isOverdue;
            s.kinds = kinds;
            s.kindsKnown = true;
        }
        s.known = true;
        s.failing = failure;
        s.status = p.status;
    }

    void round(const QList<ProbeRow> &probes, qsizetype start, qsizetype end) {
        const qint64 at = probes[start].at;
        QSet<QString> addresses;
        bool resolutionFailed = false;
        for (qsizetype i = start; i < end; ++i) {
            probe(probes[i]);
            if (probes[i].address.isEmpty())
                resolutionFailed = true;
            else
                addresses.insert(probes[i].address);
        }
        // The name resolves again: the target-level failure ("" address) is over.
        if (!resolutionFailed && !addresses.isEmpty()) {
            const auto it = m_state.find(QString());
            if (it != m_state.end() && it->failing) {
                report(at, ChangeKind::Recovered, QString(), statusKey(it->status),
                       statusKey(probes[start].status), statusKey(probes[start].status));
                it->failing = false;
            }
        }
        if (addresses.isEmpty())
            return; // a failed lookup says nothing about which addresses there are
        if (m_haveRound) {
            for (qsizetype i = start; i < end; ++i) {
                const QString &address = probes[i].address;
                if (!address.isEmpty() && !m_addresses.contains(address))
                    report(probes[i].at, ChangeKind::AddressAppeared, address);
            }
            QStringList gone;
            for (const QString &address : std::as_const(m_addresses)) {
                if (!addresses.contains(address))
                    gone << address;
            }
            gone.sort();
            for (const QString &address : std::as_const(gone)) {
                report(at, ChangeKind::AddressDisappeared, address);
            }
        }
        m_haveRound = true;
        m_addresses = addresses;
        diverge(probes, start, end);
    }

    // Siblings serving different leaves: the leaf most of them serve is the reference (a tie
    // goes to the one valid longest, so an address still on the old certificate diverges).
    void diverge(const QList<ProbeRow> &probes, qsizetype start, qsizetype end) {
        QHash<QString, int> count;
        QHash<QString, qint64> notAfter;
        for (qsizetype i = start; i < end; ++i) {
            const ProbeRow &p = probes[i];
            if (p.address.isEmpty() || p.leaf.isEmpty())
                continue;
            ++count[p.leaf];
            notAfter.insert(p.leaf, p.notAfter);
        }
        QString reference;
        for (auto it = count.cbegin(); it != count.cend(); ++it) {
            if (reference.isEmpty())
                reference = it.key();
            const auto better = std::make_tuple(it.value(), notAfter.value(it.key()), it.key());
            const auto best =
                std::make_tuple(count.value(reference), notAfter.value(reference), reference);
            if (better > best)
                reference = it.key();
        }
        for (qsizetype i = start; i < end; ++i) {
            const ProbeRow &p = probes[i];
            if (p.address.isEmpty() || p.leaf.isEmpty())
                continue;
            AddressState &s = m_state[p.address];
            const bool diverged = count.size() > 1 && p.leaf != reference;
            if (diverged && !s.diverged)
                report(p.at, ChangeKind::AddressDiverged, p.address, reference, p.leaf);
            s.diverged = diverged;
        }
    }

    qint64 m_since;
    qint64 m_until;
    const TargetInfo &m_target;
    qint64 m_targetId;
    std::optional<int> m_defaultRotation;
    QList<Change> &m_out;
    QHash<QString, AddressState> m_state;
    bool m_haveRound = false;
    QSet<QString> m_addresses; // of the newest round that resolved the name
};

int kindOrder(ChangeKind kind) {
    return int(kind);
}

} // namespace

QString changeKindKey(ChangeKind kind) {
    for (const KindName &k : kKinds) {
        if (k.kind == kind)
            return QString::fromLatin1(k.key);
    }
    return QString();
}

std::optional<ChangeKind> changeKindFromKey(const QString &key) {
    for (const KindName &k : kKinds) {
        if (key == QLatin1String(k.key))
            return k.kind;
    }
    return std::nullopt;
}

QString changeKindLabel(ChangeKind kind) {
    switch (kind) {
    case ChangeKind::CertificateRotated:
        return QCoreApplication::translate("ChangeKind", "Certificate rotated");
    case ChangeKind::RotationOverdue:
        return QCoreApplication::translate("ChangeKind", "Rotation overdue");
    case ChangeKind::FindingAppeared:
        return QCoreApplication::translate("ChangeKind", "New finding");
    case ChangeKind::FindingResolved:
        return QCoreApplication::translate("ChangeKind", "Finding resolved");
    case ChangeKind::FailureStarted:
        return QCoreApplication::translate("ChangeKind", "Probe failing");
    case ChangeKind::Recovered:
        return QCoreApplication::translate("ChangeKind", "Recovered");
    case ChangeKind::AddressAppeared:
        return QCoreApplication::translate("ChangeKind", "Address appeared");
    case ChangeKind::AddressDisappeared:
        return QCoreApplication::translate("ChangeKind", "Address disappeared");
    case ChangeKind::AddressDiverged:
        return QCoreApplication::translate("ChangeKind", "Address serves a different certificate");
    case ChangeKind::TargetAdded:
        return QCoreApplication::translate("ChangeKind", "Target added");
    case ChangeKind::TargetRemoved:
        return QCoreApplication::translate("ChangeKind", "Target removed");
    }
    return QString();
}

QList<Change> changesBetween(const Database &db, const QDateTime &since, const QDateTime &until,
                             QString *error) {
    return changesBetween(db, since, until, std::nullopt, error);
}

QList<Change> changesBetween(const Database &db, const QDateTime &sinceTime,
                             const QDateTime &untilTime, std::optional<int> defaultRotationDays,
                             QString *error) {
    QElapsedTimer timer;
    timer.start();
    const qint64 since =
        sinceTime.isValid() ? sinceTime.toSecsSinceEpoch() : std::numeric_limits<qint64>::min() / 2;
    // Stored times are whole seconds: an `until` inside a second (now, typically) includes that
    // second, or what happened in the second a report is made would be missing from it.
    const qint64 until = untilTime.isValid()
                             ? (untilTime.toMSecsSinceEpoch() + 999) / 1000
                             : std::numeric_limits<qint64>::max() / 2;
    QList<Change> out;
    const auto fail = [&](const Rows &rows) {
        if (error)
            *error = rows.errorMessage();
        qCWarning(lcStorage) << "reading changes failed:" << rows.errorMessage();
        return QList<Change>();
    };
    std::unique_ptr<Rows> rows = openRows(db);

    // Targets as stored now, with the rotation period that applies to them.
    QHash<qint64, TargetInfo> targets;
    if (!rows->prepare("SELECT t.id, t.name, t.host, t.port, t.endpoint_key, t.rotation_days, "
                       "(SELECT min(tp.rotation_days) FROM target_tags tt JOIN tag_policies tp "
                       "ON tp.tag = tt.tag WHERE tt.target_id = t.id), t.created_at "
                       "FROM targets t") ||
        !rows->exec())
        return fail(*rows);
    while (rows->next()) {
        Target t;
        t.name = rows->text(1);
        t.host = rows->text(2);
        t.port = quint16(rows->integer(3));
        TargetInfo info{t.label(), rows->text(4), std::nullopt};
        if (!rows->isNull(5))
            info.rotationDays = int(rows->integer(5));
        else if (!rows->isNull(6))
            info.rotationDays = int(rows->integer(6));
        const qint64 id = rows->integer(0);
        const qint64 created = rows->integer(7);
        if (created >= since && created < until)
            out.append(Change{
                utc(created), ChangeKind::TargetAdded, id, info.label, QString(), {}, {}, {}});
        targets.insert(id, info);
    }
    if (rows->failed())
        return fail(*rows);

    // Targets removed (and added, when they are gone now) in the window.
    if (!rows->prepare("SELECT target_id, endpoint_key, label, event, at FROM target_events "
                       "WHERE at >= ?1 AND at < ?2 ORDER BY id"))
        return fail(*rows);
    rows->bind(1, since);
    rows->bind(2, until);
    if (!rows->exec())
        return fail(*rows);
    while (rows->next()) {
        const qint64 id = rows->integer(0);
        const auto it = targets.constFind(id);
        const bool stillThere = it != targets.cend() && it->endpointKey == rows->text(1);
        const bool removed = rows->text(3) == QLatin1String("removed");
        if (!removed && stillThere)
            continue; // reported from created_at above
        out.append(Change{utc(rows->integer(4)),
                          removed ? ChangeKind::TargetRemoved : ChangeKind::TargetAdded,
                          stillThere ? id : 0,
                          rows->text(2),
                          QString(),
                          {},
                          {},
                          {}});
    }
    if (rows->failed())
        return fail(*rows);

    // Probes in the window, and each probed target's last round before it (an index seek per
    // target on probes_by_target_time), by target then time.
    QHash<qint64, QList<ProbeRow>> probes;
    if (!rows->prepare("SELECT " CERTDASH_PROBE_COLUMNS " FROM probes p "
                       "WHERE p.probed_at >= ?1 AND p.probed_at < ?2"))
        return fail(*rows);
    rows->bind(1, since);
    rows->bind(2, until);
    if (!rows->exec())
        return fail(*rows);
    while (rows->next()) {
        ProbeRow p = readProbe(*rows);
        probes[p.targetId].append(std::move(p));
    }
    if (rows->failed())
        return fail(*rows);
    const qint64 windowRows = [&] {
        qint64 n = 0;
        for (const auto &list : std::as_const(probes))
            n += list.size();
        return n;
    }();

    QHash<qint64, QList<ProbeRow>> before;
    if (!rows->prepare(
            "WITH w AS (SELECT DISTINCT target_id FROM probes WHERE probed_at >= ?1 AND "
            "probed_at < ?2), b AS (SELECT w.target_id, (SELECT max(q.probed_at) FROM probes q "
            "WHERE q.target_id = w.target_id AND q.probed_at < ?1) AS m FROM w) "
            "SELECT " CERTDASH_PROBE_COLUMNS " FROM b JOIN probes p ON p.target_id = b.target_id "
            "AND p.probed_at BETWEEN b.m - ?3 AND b.m"))
        return fail(*rows);
    rows->bind(1, since);
    rows->bind(2, until);
    rows->bind(3, kRoundGapSeconds);
    if (!rows->exec())
        return fail(*rows);
    while (rows->next()) {
        ProbeRow p = readProbe(*rows);
        before[p.targetId].append(std::move(p));
    }
    if (rows->failed())
        return fail(*rows);

    const auto byTime = [](const ProbeRow &a, const ProbeRow &b) {
        return std::tie(a.at, a.id) < std::tie(b.at, b.id);
    };
    // Where an address's last probe before the window read no certificate, the certificate it
    // served before that (rotation across an outage). Rare; one index seek each.
    std::unique_ptr<Rows> lastCertificate = openRows(db);
    if (!lastCertificate->prepare(
            "SELECT " CERTDASH_PROBE_COLUMNS " FROM probes p WHERE p.target_id = ?1 AND "
            "p.address = ?2 AND p.probed_at < ?3 AND p.leaf_sha256 IS NOT NULL "
            "ORDER BY p.probed_at DESC LIMIT 1"))
        return fail(*lastCertificate);

    static const TargetInfo kUnknown;
    for (auto it = probes.begin(); it != probes.end(); ++it) {
        const qint64 targetId = it.key();
        const auto target = targets.constFind(targetId);
        Walker walker(since, until, target != targets.cend() ? *target : kUnknown, targetId,
                      defaultRotationDays, out);
        QList<ProbeRow> all = before.take(targetId);
        std::sort(all.begin(), all.end(), byTime);
        QHash<QString, const ProbeRow *> lastBefore;
        for (const ProbeRow &p : std::as_const(all))
            lastBefore.insert(p.address, &p);
        for (auto last = lastBefore.cbegin(); last != lastBefore.cend(); ++last) {
            if (!(*last)->leaf.isEmpty() || last.key().isEmpty())
                continue;
            lastCertificate->bind(1, targetId);
            lastCertificate->bind(2, last.key().toUtf8());
            lastCertificate->bind(3, (*last)->at);
            if (!lastCertificate->exec())
                return fail(*lastCertificate);
            if (lastCertificate->next())
                walker.seed(readProbe(*lastCertificate));
            if (lastCertificate->failed())
                return fail(*lastCertificate);
        }
        all.append(*it);
        std::sort(all.begin(), all.end(), byTime);
        walker.walk(all);
    }

    std::stable_sort(out.begin(), out.end(), [](const Change &a, const Change &b) {
        return std::make_tuple(a.firstSeen, kindOrder(a.kind), a.target, a.address) <
               std::make_tuple(b.firstSeen, kindOrder(b.kind), b.target, b.address);
    });
    qCDebug(lcStorage) << "changes:" << out.size() << "from" << windowRows << "probes in"
                       << timer.elapsed() << "ms";
    if (error)
        error->clear();
    return out;
}

QString changeSummary(const Change &change) {
    const auto shortSha = [](const QString &sha) {
        return sha.size() > 16 ? sha.left(16) + QChar(0x2026) : sha;
    };
    const QString arrow = QStringLiteral(" \u2192 ");
    switch (change.kind) {
    case ChangeKind::CertificateRotated:
    case ChangeKind::AddressDiverged:
        return shortSha(change.before) + arrow + shortSha(change.after);
    case ChangeKind::RotationOverdue:
        return QCoreApplication::translate("ChangeKind", "%1 still served, %2 days left")
            .arg(shortSha(change.before), change.detail);
    case ChangeKind::FindingAppeared:
    case ChangeKind::FindingResolved:
        return change.detail;
    case ChangeKind::FailureStarted:
    case ChangeKind::Recovered:
        return (change.before.isEmpty() ? QString() : change.before + arrow) + change.after;
    case ChangeKind::AddressAppeared:
    case ChangeKind::AddressDisappeared:
    case ChangeKind::TargetAdded:
    case ChangeKind::TargetRemoved:
        return QString();
    }
    return QString();
}

} // namespace certdash
