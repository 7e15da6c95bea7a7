#include "Notification.h"

#include "domain/ExpiryWords.h"

#include <QLocale>
#include <QMap>

#include <algorithm>

namespace certdash {

namespace {
struct Text {
    Q_DECLARE_TR_FUNCTIONS(certdash::Alerts)
};

// Counts are %n messages: translations/certdash_en.ts gives their English singular and plural,
// installed by installTranslators() in the GUI, the CLI and the tests that read these texts.

QString localTime(const QDateTime &utc) {
    return QLocale().toString(utc.toLocalTime(), QLocale::ShortFormat);
}

QString expiryLine(const AlertEvent &e) {
    if (!e.notAfter.isValid())
        return {};
    const QString when = localTime(e.notAfter);
    // In whole elapsed days or hours from the scan's time (expiryInWords()), not from the
    // report's days_left: its floor would say "expired 2 days ago" 24.5 hours after the expiry.
    if (!e.time.isValid())
        return Text::tr("Expires %1.").arg(when);
    return expiryInWords(e.notAfter, e.time, when);
}

QString limitingLine(const AlertEvent &e) {
    if (e.limitingRole == QLatin1String("intermediate"))
        return Text::tr("Limited by the intermediate certificate \u201c%1\u201d.")
            .arg(e.limitingName);
    if (e.limitingRole == QLatin1String("root"))
        return Text::tr("Limited by the root certificate \u201c%1\u201d.").arg(e.limitingName);
    if (e.limitingRole == QLatin1String("leaf"))
        return Text::tr("Limited by the server's own (leaf) certificate.");
    return {};
}

QString whereLine(const AlertEvent &e) {
    QStringList parts;
    if (e.targetLabel != e.endpoint)
        parts << e.targetLabel;
    if (!e.address.isEmpty() && e.address != e.host)
        parts << Text::tr("address %1").arg(e.address);
    return parts.join(QStringLiteral(", "));
}

// A probe that read no certificate: the endpoint is down (or its name does not resolve), which
// says nothing about any certificate's thresholds.
bool isOutage(const AlertEvent &e) {
    return e.failure && !e.isTrust() && !e.isRecovery();
}

// The name did not resolve: no address was probed.
bool isDnsFailure(const AlertEvent &e) {
    return e.status == Status::Unreachable && e.address.isEmpty();
}

// "3 not resolved (DNS), 1 timed out": outages by what failed, in the order a probe fails.
QStringList outageCounts(const QList<AlertEvent> &events) {
    int dns = 0;
    int unreachable = 0;
    int timedOut = 0;
    int handshake = 0;
    for (const AlertEvent &e : events) {
        if (!isOutage(e))
            continue;
        if (isDnsFailure(e))
            ++dns;
        else if (e.status == Status::Timeout)
            ++timedOut;
        else if (e.status == Status::HandshakeFailed)
            ++handshake;
        else
            ++unreachable;
    }
    QStringList parts;
    if (dns > 0)
        parts << Text::tr("%n not resolved (DNS)", nullptr, dns);
    if (unreachable > 0)
        parts << Text::tr("%n unreachable", nullptr, unreachable);
    if (timedOut > 0)
        parts << Text::tr("%n timed out", nullptr, timedOut);
    if (handshake > 0)
        parts << Text::tr("%n TLS handshake failed", nullptr, handshake);
    return parts;
}

// "2 critical, 3 warning, 1 renewed": worst first, each with its own plural; outages first of
// all, counted by what failed rather than by the level they count as.
QString countsLine(const QList<AlertEvent> &events) {
    QMap<int, int> byLevel; // descending severity through negative keys
    int renewed = 0;
    int untrusted = 0;
    int weak = 0;
    int trustedAgain = 0;
    for (const AlertEvent &e : events) {
        if (isOutage(e))
            continue;
        if (e.kind == AlertEventKind::Renewed)
            ++renewed;
        else if (e.kind == AlertEventKind::TrustFailed)
            ++untrusted;
        else if (e.kind == AlertEventKind::TrustWeak)
            ++weak;
        else if (e.kind == AlertEventKind::TrustRecovered)
            ++trustedAgain;
        else
            ++byLevel[-static_cast<int>(e.level)];
    }
    QStringList parts = outageCounts(events);
    if (untrusted > 0)
        parts << Text::tr("%n not trusted", nullptr, untrusted);
    for (auto it = byLevel.cbegin(); it != byLevel.cend(); ++it) {
        switch (static_cast<AlertLevel>(-it.key())) {
        case AlertLevel::Expired:
            parts << Text::tr("%n expired", nullptr, it.value());
            break;
        case AlertLevel::Critical:
            parts << Text::tr("%n critical", nullptr, it.value());
            break;
        case AlertLevel::Warning:
            parts << Text::tr("%n warning", nullptr, it.value());
            break;
        case AlertLevel::RotationOverdue:
            parts << Text::tr("%n rotation overdue", nullptr, it.value());
            break;
        case AlertLevel::Ok:
            parts << Text::tr("%n ok", nullptr, it.value());
            break;
        }
    }
    if (weak > 0)
        parts << Text::tr("%n weakly secured", nullptr, weak);
    if (renewed > 0)
        parts << Text::tr("%n renewed", nullptr, renewed);
    if (trustedAgain > 0)
        parts << Text::tr("%n trusted again", nullptr, trustedAgain);
    return parts.join(QStringLiteral(", "));
}
} // namespace

namespace {
QString acceptanceLine(const AlertEvent &e) {
    QString rule;
    switch (e.acceptedBy) {
    case AcceptanceRule::SelfSigned:
        rule = Text::tr("accepted as self-signed or private");
        break;
    case AcceptanceRule::Issuer:
        rule = Text::tr("accepted: the pinned issuer matches");
        break;
    case AcceptanceRule::Fingerprint:
        rule = Text::tr("accepted: the pinned fingerprint matches");
        break;
    case AcceptanceRule::None:
        return {};
    }
    return e.acceptedTag.isEmpty() ? Text::tr("Now %1.").arg(rule)
                                   : Text::tr("Now %1 (tag %2).").arg(rule, e.acceptedTag);
}

// "api.example.com:443 (10.0.0.1)": which backend, in the first words.
QString endpointWithAddress(const AlertEvent &e) {
    if (e.address.isEmpty() || e.address == e.host)
        return e.endpoint;
    return Text::tr("%1 (%2)").arg(e.endpoint, e.address);
}

Notification trustNotificationFor(const AlertEvent &e) {
    Notification n;
    n.level = e.level;
    n.renewed = e.kind == AlertEventKind::TrustRecovered;
    n.targetId = e.targetId;
    n.address = e.address;
    QStringList lines;
    switch (e.kind) {
    case AlertEventKind::TrustFailed:
        n.title = Text::tr("Not trusted: %1").arg(e.endpoint);
        lines << Text::tr("%1: certificate not trusted: %2.")
                     .arg(endpointWithAddress(e), e.trustReason);
        lines << e.trustFinding;
        break;
    case AlertEventKind::TrustWeak:
        n.title = Text::tr("Weakly secured: %1").arg(e.endpoint);
        lines << Text::tr("%1: %2.").arg(endpointWithAddress(e), e.trustReason);
        lines << e.trustFinding;
        break;
    default:
        n.title = Text::tr("Trusted again: %1").arg(e.endpoint);
        lines << Text::tr("%1: the certificate is trusted again.").arg(endpointWithAddress(e));
        lines << acceptanceLine(e);
        if (e.trustLevel == TrustLevel::Weak)
            lines << Text::tr("Still weak: %1.").arg(e.trustReason);
        break;
    }
    if (e.targetLabel != e.endpoint)
        lines << e.targetLabel;
    lines.removeAll(QString());
    n.body = lines.join(QLatin1Char('\n'));
    return n;
}
} // namespace

Notification notificationFor(const AlertEvent &e) {
    if (e.isTrust())
        return trustNotificationFor(e);
    Notification n;
    n.level = e.level;
    n.renewed = e.kind == AlertEventKind::Renewed;
    n.targetId = e.targetId;
    n.address = e.address;
    n.outage = isOutage(e);
    n.title = n.renewed ? Text::tr("Renewed: %1").arg(e.endpoint)
                        : Text::tr("%1: %2").arg(alertLevelLabel(e.level), e.endpoint);

    QStringList lines;
    if (e.failure) {
        lines << Text::tr("%1 since %2.").arg(statusLabel(e.status), localTime(e.failingSince));
        if (!e.error.isEmpty())
            lines << e.error;
    } else {
        if (n.renewed)
            lines << Text::tr("A new certificate is served; now %1.").arg(alertLevelLabel(e.level));
        if (e.status == Status::NotYetValid)
            lines << Text::tr("The certificate is not valid yet.");
        lines << expiryLine(e) << limitingLine(e);
    }
    lines << whereLine(e);
    lines.removeAll(QString());
    n.body = lines.join(QLatin1Char('\n'));
    return n;
}

namespace {
// One event in a digest's list: what failed for an outage ("Timed out: host:443"), else the
// event's own title ("Critical: host:443").
QString digestLine(const AlertEvent &e) {
    if (!isOutage(e))
        return notificationFor(e).title;
    if (isDnsFailure(e))
        return Text::tr("Not resolved (DNS): %1").arg(e.endpoint);
    return Text::tr("%1: %2").arg(statusLabel(e.status), e.endpoint);
}
} // namespace

Notification digestFor(const QList<AlertEvent> &events) {
    Notification n;
    n.digest = true;
    n.renewed = std::all_of(events.cbegin(), events.cend(),
                            [](const AlertEvent &e) { return e.isRecovery(); });
    for (const AlertEvent &e : events) {
        if (!e.isRecovery())
            n.level = worseLevel(n.level, e.level);
    }
    const int count = int(events.size());
    const int outages = int(std::count_if(events.cbegin(), events.cend(), isOutage));
    n.outage = outages == count;
    if (n.renewed) {
        n.title = Text::tr("%n certificate(s) renewed", nullptr, count);
    } else if (outages == 0) {
        n.title = Text::tr("%n certificate(s) crossed thresholds", nullptr, count);
    } else {
        // A DNS failure or a host that is down is an outage, not a certificate crossing a
        // threshold: say so first, and count the certificates only when some crossed.
        n.title = Text::tr("Outage: %n down", nullptr, outages);
        if (outages < count) {
            n.title =
                Text::tr("%1; %2").arg(n.title, Text::tr("%n certificate(s) crossed thresholds",
                                                         nullptr, count - outages));
        }
    }
    QStringList lines{countsLine(events)};
    // The worst first, so that a cut-off list still shows what matters.
    QList<AlertEvent> sorted = events;
    std::stable_sort(sorted.begin(), sorted.end(), [](const AlertEvent &a, const AlertEvent &b) {
        const bool ar = a.isRecovery();
        const bool br = b.isRecovery();
        if (ar != br)
            return br;
        return isWorse(a.level, b.level);
    });
    constexpr int kListed = 5;
    for (int i = 0; i < std::min(count, kListed); ++i)
        lines << digestLine(sorted.at(i));
    if (count > kListed)
        lines << Text::tr("and %n more", nullptr, count - kListed);
    n.body = lines.join(QLatin1Char('\n'));
    return n;
}

QList<Notification> notificationsFor(const QList<AlertEvent> &events, int digestThreshold) {
    QList<AlertEvent> shown;
    for (const AlertEvent &e : events) {
        if (e.notify)
            shown << e;
    }
    if (shown.isEmpty())
        return {};
    if (shown.size() > digestThreshold)
        return {digestFor(shown)};
    QList<Notification> out;
    for (const AlertEvent &e : std::as_const(shown))
        out << notificationFor(e);
    return out;
}

} // namespace certdash
