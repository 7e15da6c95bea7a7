#include "ExpiryWords.h"

#include <QCoreApplication>

namespace certdash {

namespace {
// The context of the notification texts these sentences were first written for, so that the
// English plurals that translations/ already has for them keep applying.
struct Text {
    Q_DECLARE_TR_FUNCTIONS(certdash::Alerts)
};

constexpr qint64 kHourMs = 3600 * 1000;
constexpr qint64 kDayMs = 24 * kHourMs;
} // namespace

ExpiryDistance expiryDistance(const QDateTime &notAfter, const QDateTime &now) {
    ExpiryDistance d;
    const qint64 left = now.msecsTo(notAfter);
    d.expired = left <= 0;
    // Whole units elapsed between the two moments, whichever comes first.
    const qint64 span = d.expired ? -left : left;
    if (span >= kDayMs) {
        d.unit = ExpiryDistance::Unit::Days;
        d.count = int(span / kDayMs);
    } else if (span >= kHourMs) {
        d.unit = ExpiryDistance::Unit::Hours;
        d.count = int(span / kHourMs);
    }
    return d;
}

QString expiryInWords(const QDateTime &notAfter, const QDateTime &now, const QString &when) {
    using Unit = ExpiryDistance::Unit;
    const ExpiryDistance d = expiryDistance(notAfter, now);
    const int n = d.count;
    if (when.isEmpty()) {
        if (d.expired) {
            switch (d.unit) {
            case Unit::UnderAnHour:
                return Text::tr("expired less than an hour ago");
            case Unit::Hours:
                return Text::tr("expired %n hour(s) ago", nullptr, n);
            case Unit::Days:
                return Text::tr("expired %n day(s) ago", nullptr, n);
            }
        }
        switch (d.unit) {
        case Unit::UnderAnHour:
            return Text::tr("expires in less than an hour");
        case Unit::Hours:
            return Text::tr("expires in %n hour(s)", nullptr, n);
        case Unit::Days:
            return Text::tr("expires in %n day(s)", nullptr, n);
        }
        return {};
    }
    if (d.expired) {
        switch (d.unit) {
        case Unit::UnderAnHour:
            return Text::tr("Expired less than an hour ago, on %1.").arg(when);
        case Unit::Hours:
            return Text::tr("Expired %n hour(s) ago, on %1.", nullptr, n).arg(when);
        case Unit::Days:
            return Text::tr("Expired %n day(s) ago, on %1.", nullptr, n).arg(when);
        }
    }
    switch (d.unit) {
    case Unit::UnderAnHour:
        return Text::tr("Expires in less than an hour, on %1.").arg(when);
    case Unit::Hours:
        return Text::tr("Expires in %n hour(s), on %1.", nullptr, n).arg(when);
    case Unit::Days:
        return Text::tr("%n day(s) left, expires %1.", nullptr, n).arg(when);
    }
    return {};
}

} // namespace certdash
