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

// "2 critical, 3 warning, 1 renewed": worst first, each with its own plural.
QString countsLine(const QList<AlertEvent> &events) {
    QMap<int, int> byLevel; // descending severity through negative keys
    int renewed = 0;
    int untrusted = 0;
    int weak = 0;
    int trustedAgain = 0;
    for (const AlertEvent &e : events) {
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
    QStringList parts;
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
    if (n.renewed) {
        n.title = Text::tr("%n certificate(s) renewed", nullptr, count);
    } else {
        n.title = Text::tr("%n certificate(s) crossed thresholds", nullptr, count);
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
        lines << notificationFor(sorted.at(i)).title;
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
