#pragma once

#include "AlertLevel.h"
#include "domain/Status.h"
#include "domain/Trust.h"

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

namespace certdash {

// Something the tracker decided about one (target, address) in one scan.
enum class AlertEventKind {
    Crossing, // the level became worse than the last one crossed
    Renewed,  // a new certificate (fingerprint change) brought the level back down
    Reminder, // no new crossing, but the user was not told about the current level yet (it was
              // crossed while the target was snoozed or notifications were paused)
    // Trust, a dimension of its own beside the expiry levels (same edge triggering):
    TrustFailed,    // the trust level became failed (clients refuse the certificate)
    TrustWeak,      // it became weak (weak key or signature, chain out of order): logged only
    TrustRecovered, // it is no longer failed (or weak): trusted, accepted, or a fixed renewal
};

struct AlertEvent {
    AlertEventKind kind = AlertEventKind::Crossing;
    AlertLevel level = AlertLevel::Ok;    // the level now
    AlertLevel previous = AlertLevel::Ok; // the level crossed last time
    // False when the target is snoozed or notifications are paused: the crossing is still logged
    // (the event log is for machines, it sees everything) but shown to nobody.
    bool notify = true;

    qint64 targetId = 0;
    QString targetLabel; // Target::label(): the name, else host:port
    QString endpoint;    // Target::hostPort(): "host:port", IPv6 in brackets
    QString host;        // as the user wrote it
    quint16 port = 0;
    QString address;            // the IP probed; "" when the name did not resolve
    Status status = Status::Ok; // the probe's status (a failure status when failing counts)

    // The certificate the level was judged on (the limiting one); empty for failures.
    std::optional<int> daysLeft;
    QDateTime notAfter;   // UTC
    QString fingerprint;  // SHA-256 of the limiting certificate, as CertificateInfo prints it
    QString limitingRole; // "leaf", "intermediate", "root"
    QString limitingName; // the limiting certificate's CN (or subject)

    // Failures: since when the address has failed (the first failure of the streak), and why.
    bool failure = false;
    QDateTime failingSince; // UTC
    QString error;

    // Trust events: the level now and before, and why in words ("hostname mismatch").
    TrustLevel trustLevel = TrustLevel::Trusted;
    TrustLevel trustPrevious = TrustLevel::Trusted;
    QString trustReason;  // the kinds in words, failing first
    QString trustFinding; // the first finding of the worst kind, as the verifier wrote it
    AcceptanceRule acceptedBy = AcceptanceRule::None;
    QString acceptedTag;

    QDateTime time; // UTC, when the scan's results were processed

    bool isTrust() const {
        return kind == AlertEventKind::TrustFailed || kind == AlertEventKind::TrustWeak ||
               kind == AlertEventKind::TrustRecovered;
    }
    // Good news: a renewal or a recovered trust.
    bool isRecovery() const {
        return kind == AlertEventKind::Renewed || kind == AlertEventKind::TrustRecovered;
    }

    bool logged() const { return kind != AlertEventKind::Reminder; }
};

// The event log's type: certdash-warning, certdash-critical, certdash-expired,
// certdash-rotation-overdue, certdash-renewed ("" for a level of ok), or for trust
// certdash-trust-failed, certdash-trust-weak, certdash-trust-recovered.
QString alertEventType(const AlertEvent &event);

} // namespace certdash

Q_DECLARE_METATYPE(certdash::AlertEvent)
