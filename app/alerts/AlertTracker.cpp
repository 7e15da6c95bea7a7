#include "AlertTracker.h"

#include <QSet>

namespace certdash {

namespace {
// The store keeps whole seconds; the state in memory must equal the state read back.
QDateTime wholeSeconds(const QDateTime &t) {
    return t.isValid() ? QDateTime::fromSecsSinceEpoch(t.toSecsSinceEpoch(), Qt::UTC) : t;
}

AlertLevel betterLevel(AlertLevel a, AlertLevel b) {
    return isWorse(a, b) ? b : a;
}

AlertEvent eventFrom(const ProbeResult &r, const QDateTime &now) {
    AlertEvent e;
    e.targetId = r.target.id;
    e.targetLabel = r.target.label();
    e.endpoint = r.target.hostPort();
    e.host = r.target.host;
    e.port = r.target.port;
    e.address = r.address;
    e.status = r.status;
    e.time = now;
    return e;
}

void describeCertificate(AlertEvent &e, const ProbeResult &r) {
    e.daysLeft = r.daysLeft;
    if (r.limiting) {
        e.notAfter = r.limiting->notAfter;
        e.fingerprint = r.limiting->sha256Fingerprint;
        e.limitingName = r.limiting->displayName();
    }
    e.limitingRole = r.limitingRole;
}

// The certificate a level is judged on: the limiting one (an intermediate replaced under an
// unchanged leaf is a renewal too), else the leaf.
QString fingerprintOf(const ProbeResult &r) {
    if (r.limiting && !r.limiting->sha256Fingerprint.isEmpty())
        return r.limiting->sha256Fingerprint;
    if (const CertificateInfo *leaf = r.leaf())
        return leaf->sha256Fingerprint;
    return {};
}
// Trust as alerts see it: accepted counts as trusted.
TrustLevel alertTrust(TrustLevel level) {
    return level == TrustLevel::Accepted ? TrustLevel::Trusted : level;
}

// The first finding of the worst severity present, as the verifier wrote it.
QString worstFinding(const TrustReport &trust) {
    for (const FindingSeverity severity :
         {FindingSeverity::Failed, FindingSeverity::Weak, FindingSeverity::Hygiene}) {
        for (qsizetype i = 0; i < trust.kinds.size() && i < trust.findings.size(); ++i) {
            if (findingSeverity(trust.kinds.at(i), trust.revocationAsked) == severity)
                return trust.findings.at(i);
        }
    }
    return {};
}

std::optional<AlertEvent> trustStep(AlertState &s, const AlertState &before, const ProbeResult &r,
                                    const QDateTime &at, bool muted) {
    const std::optional<TrustLevel> now = trustBeyondExpiry(r);
    if (!now || isProbeFailure(r.status))
        return std::nullopt; // nothing learnt about trust
    s.trustLevel = *now;
    const TrustLevel was = alertTrust(before.trustLevel);
    const TrustLevel is = alertTrust(*now);
    if (was == is)
        return std::nullopt;
    AlertEvent e = eventFrom(r, at);
    describeCertificate(e, r);
    e.trustLevel = *now;
    e.trustPrevious = before.trustLevel;
    e.trustReason = trustReason(kindsBeyondExpiry(r.trust.kinds));
    e.trustFinding = worstFinding(r.trust);
    e.acceptedBy = r.trustVerdict.acceptedBy;
    e.acceptedTag = r.trustVerdict.acceptedTag;
    e.previous = before.level;
    if (is == TrustLevel::Failed) {
        e.kind = AlertEventKind::TrustFailed;
        e.level = AlertLevel::Critical;
        e.notify = !muted;
    } else if (is == TrustLevel::Weak && was == TrustLevel::Trusted) {
        // Weak keys and signatures are properties of a certificate that works today: worth a
        // line in the event log and a word in the window, not an interruption.
        e.kind = AlertEventKind::TrustWeak;
        e.level = AlertLevel::Warning;
        e.notify = false;
    } else {
        // Better than before: out of failed is said (the incident is over), out of weak only
        // logged, as going into weak was.
        e.kind = AlertEventKind::TrustRecovered;
        e.level = alertLevelFor(r.status);
        e.notify = !muted && was == TrustLevel::Failed;
    }
    return e;
}
} // namespace

AlertStep alertStep(const AlertState &before, const ProbeResult &result, const QDateTime &now,
                    bool muted, const AlertTrackerOptions &options) {
    const QDateTime at = wholeSeconds(now.toUTC());
    AlertStep step;
    AlertState &s = step.state;
    s = before;
    s.targetId = result.target.id;
    s.address = result.address;

    AlertLevel level = AlertLevel::Ok;
    bool renewed = false;
    const bool failed = isProbeFailure(result.status);
    if (failed) {
        if (s.failures == 0)
            s.failingSince = wholeSeconds(result.probedAt.isValid() ? result.probedAt.toUTC() : at);
        ++s.failures;
        if (s.failures < std::max(1, options.failureThreshold)) {
            s.updatedAt = at;
            return step; // a blip: the level stays what it was
        }
        // An address that cannot be reached is at least critical, and no better than what its
        // certificate was: an expired one stays expired while it is down.
        level = worseLevel(AlertLevel::Critical, before.level);
    } else {
        s.failures = 0;
        s.failingSince = QDateTime();
        level = alertLevelFor(result.status);
        const QString fingerprint = fingerprintOf(result);
        renewed = !fingerprint.isEmpty() && !before.fingerprint.isEmpty() &&
                  fingerprint != before.fingerprint && isWorse(before.level, level);
        if (!fingerprint.isEmpty())
            s.fingerprint = fingerprint;
    }

    AlertEvent event = eventFrom(result, at);
    event.level = level;
    event.previous = before.level;
    if (failed) {
        event.failure = true;
        event.failingSince = s.failingSince;
        event.error = result.error;
    } else {
        describeCertificate(event, result);
    }

    s.level = level;
    if (isWorse(level, before.level) || renewed) {
        event.kind = renewed ? AlertEventKind::Renewed : AlertEventKind::Crossing;
        event.notify = !muted;
        s.notifiedLevel = muted ? betterLevel(before.notifiedLevel, level) : level;
        step.event = event;
    } else {
        // Same level, or better without a new certificate: nothing to announce, but a level
        // crossed while muted is owed to the user once the mute is over.
        s.notifiedLevel = betterLevel(before.notifiedLevel, level);
        if (!muted && isWorse(level, s.notifiedLevel)) {
            event.kind = AlertEventKind::Reminder;
            s.notifiedLevel = level;
            step.event = event;
        }
    }
    step.trustEvent = trustStep(s, before, result, at, muted);
    if (s != before)
        s.updatedAt = at;
    return step;
}

AlertTracker::AlertTracker(AlertTrackerOptions options)
    : m_options(options) {}

void AlertTracker::load(const QList<AlertState> &states, const QList<AlertSnooze> &snoozes) {
    m_states.clear();
    m_snoozes.clear();
    for (const AlertState &s : states)
        m_states.insert({s.targetId, s.address}, s);
    for (const AlertSnooze &z : snoozes)
        m_snoozes.insert(z.targetId, z);
}

AlertTracker::ScanOutcome AlertTracker::process(const QList<ProbeResult> &results,
                                                const QDateTime &now,
                                                const QDateTime &pausedUntil) {
    ScanOutcome outcome;
    for (auto it = m_snoozes.begin(); it != m_snoozes.end();) {
        if (!it->activeAt(now)) {
            outcome.snoozesEnded << it.key();
            it = m_snoozes.erase(it);
        } else {
            ++it;
        }
    }
    const bool paused = pausedUntil.isValid() && now < pausedUntil;

    QSet<qint64> resolved; // targets with at least one real address in this scan
    for (const ProbeResult &r : results) {
        if (r.target.id != 0 && !r.address.isEmpty() && !isFleetAlertAddress(r.address))
            resolved.insert(r.target.id);
    }

    for (const ProbeResult &r : results) {
        if (r.target.id == 0)
            continue;
        const Key key{r.target.id, r.address};
        AlertState before;
        if (const auto it = m_states.constFind(key); it != m_states.cend())
            before = *it;
        const bool snoozed = isMuted(r.target.id, now);
        AlertStep step = alertStep(before, r, now, snoozed || paused, m_options);

        if (step.event && step.event->kind == AlertEventKind::Renewed && snoozed &&
            m_snoozes.value(r.target.id).untilRenewed) {
            // What the user waited for: the snooze ends and the renewal is announced.
            m_snoozes.remove(r.target.id);
            outcome.snoozesEnded << r.target.id;
            if (!paused) {
                step.event->notify = true;
                step.state.notifiedLevel = step.state.level;
            }
        }
        if (step.state != before || !m_states.contains(key)) {
            m_states.insert(key, step.state);
            outcome.changed << step.state;
        }
        if (step.event)
            outcome.events << *step.event;
        if (step.trustEvent)
            outcome.events << *step.trustEvent;
    }

    // A target that failed to resolve has a state under the address ""; once it resolves again
    // that streak is over, and a later DNS failure must count from one.
    for (const qint64 id : std::as_const(resolved)) {
        const Key key{id, QString()};
        if (const auto it = m_states.find(key); it != m_states.end()) {
            outcome.removed << *it;
            m_states.erase(it);
        }
    }

    // An address the name no longer resolves to (a backend taken out of DNS, a pinned address
    // removed) keeps no level alive: its state goes once a round that resolved leaves it out, so
    // that it is announced afresh should it come back. A DNS failure forgets nothing: the
    // addresses are unknown then, not gone.
    QHash<qint64, QSet<QString>> rounds;
    for (const ProbeResult &r : results) {
        if (r.target.id == 0 || r.roundAddresses.isEmpty() ||
            r.roundAddresses == QStringList{QString()})
            continue;
        QSet<QString> &round = rounds[r.target.id];
        for (const QString &address : r.roundAddresses)
            round.insert(address);
    }
    if (!rounds.isEmpty()) {
        for (auto it = m_states.begin(); it != m_states.end();) {
            const auto round = rounds.constFind(it.key().first);
            if (round != rounds.cend() && !it.key().second.isEmpty() &&
                !isFleetAlertAddress(it.key().second) && !round->contains(it.key().second)) {
                outcome.removed << *it;
                it = m_states.erase(it);
            } else {
                ++it;
            }
        }
    }
    return outcome;
}

QString fleetAlertAddress(const QString &prometheus, const QString &instance)
{
    return QStringLiteral("fleet ") + prometheus + u' ' + instance;
}

bool isFleetAlertAddress(const QString &address)
{
    return address.startsWith(QLatin1String("fleet "));
}

std::optional<AlertState> AlertTracker::state(qint64 targetId, const QString &address) const {
    const auto it = m_states.constFind({targetId, address});
    if (it == m_states.cend())
        return std::nullopt;
    return *it;
}

QList<AlertState> AlertTracker::states() const {
    return m_states.values();
}

void AlertTracker::setSnooze(const AlertSnooze &snooze) {
    m_snoozes.insert(snooze.targetId, snooze);
}

void AlertTracker::clearSnooze(qint64 targetId) {
    m_snoozes.remove(targetId);
}

std::optional<AlertSnooze> AlertTracker::snooze(qint64 targetId) const {
    const auto it = m_snoozes.constFind(targetId);
    if (it == m_snoozes.cend())
        return std::nullopt;
    return *it;
}

bool AlertTracker::isMuted(qint64 targetId, const QDateTime &now) const {
    const auto it = m_snoozes.constFind(targetId);
    return it != m_snoozes.cend() && it->activeAt(now);
}

} // namespace certdash
