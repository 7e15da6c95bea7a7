#include "AlertState.h"

namespace certdash {

bool AlertState::operator==(const AlertState &o) const {
    return targetId == o.targetId && address == o.address && level == o.level &&
           notifiedLevel == o.notifiedLevel && fingerprint == o.fingerprint &&
           trustLevel == o.trustLevel && failures == o.failures && failingSince == o.failingSince &&
           updatedAt == o.updatedAt;
}

AlertSnooze AlertSnooze::make(qint64 targetId, SnoozeKind kind, const QDateTime &now) {
    AlertSnooze s;
    s.targetId = targetId;
    s.createdAt = now.toUTC();
    switch (kind) {
    case SnoozeKind::OneDay:
        s.until = s.createdAt.addDays(1);
        break;
    case SnoozeKind::OneWeek:
        s.until = s.createdAt.addDays(7);
        break;
    case SnoozeKind::UntilRenewed:
        s.untilRenewed = true;
        break;
    }
    return s;
}

} // namespace certdash
