#pragma once

#include "AlertState.h"

#include <QCoreApplication>
#include <QList>
#include <QString>

#include <optional>

namespace certdash {

class Database;

// The alert tracker's memory in the store (schema v4): alert_state, one row per target address,
// and alert_snoozes, one row per snoozed target. Both cascade away with their target.
class AlertStateRepository {
    Q_DECLARE_TR_FUNCTIONS(certdash::AlertStateRepository)

public:
    explicit AlertStateRepository(Database &database);

    // Ordered by target id, then address. Empty with *error set when the store cannot be read.
    QList<AlertState> states(QString *error = nullptr) const;
    // Writes changed states and deletes removed ones in one transaction: all or nothing. A state
    // whose target no longer exists is skipped (it was deleted while the scan ran).
    bool save(const QList<AlertState> &changed, const QList<AlertState> &removed = {},
              QString *error = nullptr);

    QList<AlertSnooze> snoozes(QString *error = nullptr) const;
    bool setSnooze(const AlertSnooze &snooze, QString *error = nullptr); // insert or replace
    bool clearSnooze(qint64 targetId, QString *error = nullptr);

private:
    Database &m_database;
};

} // namespace certdash
