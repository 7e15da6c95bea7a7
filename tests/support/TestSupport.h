#pragma once

#include <QDateTime>

namespace certdash::test {

// The instant every generated certificate and every classification in the tests is relative to.
inline QDateTime pinnedNow()
{
    return QDateTime(QDate(2026, 3, 15), QTime(12, 0), Qt::UTC);
}

} // namespace certdash::test
