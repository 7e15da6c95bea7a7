#pragma once

#include <QDateTime>
#include <QString>

namespace certdash {

// How far a certificate's notAfter is from now, in the unit a person would use: whole elapsed
// units, counted from the expiry towards now (never the floor of a negative number, which would
// call 24.5 hours ago "2 days"). Expired means now >= notAfter, as classify() has it.
struct ExpiryDistance {
    enum class Unit {
        UnderAnHour, // count 0
        Hours,       // 1..23
        Days,        // 1..
    };
    bool expired = false;
    Unit unit = Unit::UnderAnHour;
    int count = 0;

    friend bool operator==(const ExpiryDistance &a, const ExpiryDistance &b) {
        return a.expired == b.expired && a.unit == b.unit && a.count == b.count;
    }
};
ExpiryDistance expiryDistance(const QDateTime &notAfter, const QDateTime &now);

// The one wording of that distance for every view (details pane, table tooltips, notifications,
// banner): translated, with %n plurals.
// Without `when`, a phrase for running text: "expires in 3 days", "expires in 5 hours",
// "expires in less than an hour", "expired less than an hour ago", "expired 23 hours ago",
// "expired 1 day ago".
// With `when` (the expiry as the reader's local time), a sentence: "3 days left, expires %1.",
// "Expires in 5 hours, on %1.", "Expired 1 day ago, on %1." and so on.
// The report column days_left is not this: it stays floor((notAfter - now) / 1 day).
QString expiryInWords(const QDateTime &notAfter, const QDateTime &now, const QString &when = {});

} // namespace certdash
