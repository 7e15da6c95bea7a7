#pragma once

#include "AlertEvent.h"
#include "AlertLevel.h"

#include <QCoreApplication>
#include <QList>
#include <QMetaType>
#include <QString>

namespace certdash {

// What delivery shows (desktop notification, tray balloon, in-window banner): plain text, built
// by pure functions from AlertEvents, translated.
struct Notification {
    // "Critical: api.example.com:443", or a digest's "5 certificates crossed thresholds" or
    // "Outage: 3 down" (endpoints that could not be probed are not certificates crossing).
    QString title;
    QString body; // days left, expiry in local time, limiting certificate, address
    AlertLevel level = AlertLevel::Ok; // the worst level in a digest
    bool renewed = false;
    bool digest = false;
    // Probes that read no certificate (DNS failure, unreachable, timed out, handshake failed):
    // for one event, it is one; for a digest, every event is one.
    bool outage = false;
    qint64 targetId = -1; // -1 for a digest; activating the notification opens this target
    QString address;
};

// One notification per event to show (events with notify set), or, when there are more than
// digestThreshold of them, one digest. Renewals are counted in a digest like crossings.
QList<Notification> notificationsFor(const QList<AlertEvent> &events, int digestThreshold = 3);

// The parts, for delivery code that wants them (and for tests).
Notification notificationFor(const AlertEvent &event);
Notification digestFor(const QList<AlertEvent> &events);

} // namespace certdash

Q_DECLARE_METATYPE(certdash::Notification)
