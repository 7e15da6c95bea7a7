#include "AlertStateRepository.h"

#include "storage/Database.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace certdash {

namespace {
void setError(QString *error, const QString &message) {
    if (error)
        *error = message;
}

QVariant seconds(const QDateTime &t) {
    return t.isValid() ? QVariant(t.toSecsSinceEpoch()) : QVariant(QMetaType::fromType<qint64>());
}

QDateTime fromSeconds(const QVariant &v) {
    return v.isNull() ? QDateTime() : QDateTime::fromSecsSinceEpoch(v.toLongLong(), Qt::UTC);
}
} // namespace

AlertStateRepository::AlertStateRepository(Database &database)
    : m_database(database) {}

QList<AlertState> AlertStateRepository::states(QString *error) const {
    QSqlQuery q(m_database.connection());
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT target_id, address, level, notified_level, fingerprint, "
                               "failures, failing_since, updated_at, trust_level FROM alert_state "
                               "ORDER BY target_id, address"))) {
        setError(error, m_database.describe(q.lastError()));
        return {};
    }
    QList<AlertState> out;
    while (q.next()) {
        AlertState s;
        s.targetId = q.value(0).toLongLong();
        s.address = q.value(1).toString();
        // A level this build does not know (a hand edit) reads as ok: at worst one crossing is
        // announced again, never one lost.
        s.level = alertLevelFromKey(q.value(2).toString()).value_or(AlertLevel::Ok);
        s.notifiedLevel = alertLevelFromKey(q.value(3).toString()).value_or(AlertLevel::Ok);
        s.fingerprint = q.value(4).toString();
        s.failures = q.value(5).toInt();
        s.failingSince = fromSeconds(q.value(6));
        s.updatedAt = fromSeconds(q.value(7));
        s.trustLevel = trustLevelFromKey(q.value(8).toString()).value_or(TrustLevel::Trusted);
        out << s;
    }
    return out;
}

bool AlertStateRepository::save(const QList<AlertState> &changed, const QList<AlertState> &removed,
                                QString *error) {
    if (changed.isEmpty() && removed.isEmpty())
        return true;
    return m_database.inTransaction(
        [&] {
            QSqlQuery upsert(m_database.connection());
            // The target may have been deleted while its probe ran: skip it, not the scan.
            upsert.prepare(QStringLiteral(
                "INSERT INTO alert_state (target_id, address, level, notified_level, "
                "fingerprint, failures, failing_since, updated_at, trust_level) "
                "SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? "
                "WHERE EXISTS (SELECT 1 FROM targets WHERE id = ?) "
                "ON CONFLICT (target_id, address) DO UPDATE SET level = excluded.level, "
                "notified_level = excluded.notified_level, fingerprint = excluded.fingerprint, "
                "failures = excluded.failures, failing_since = excluded.failing_since, "
                "updated_at = excluded.updated_at, trust_level = excluded.trust_level"));
            for (const AlertState &s : changed) {
                upsert.bindValue(0, s.targetId);
                upsert.bindValue(1, s.address.isNull() ? QStringLiteral("") : s.address);
                upsert.bindValue(2, alertLevelKey(s.level));
                upsert.bindValue(3, alertLevelKey(s.notifiedLevel));
                upsert.bindValue(4, s.fingerprint.isNull() ? QStringLiteral("") : s.fingerprint);
                upsert.bindValue(5, s.failures);
                upsert.bindValue(6, seconds(s.failingSince));
                upsert.bindValue(7, s.updatedAt.isValid() ? s.updatedAt.toSecsSinceEpoch() : 0);
                upsert.bindValue(8, trustLevelKey(s.trustLevel));
                upsert.bindValue(9, s.targetId);
                if (!upsert.exec()) {
                    setError(error, m_database.describe(upsert.lastError()));
                    return false;
                }
            }
            QSqlQuery remove(m_database.connection());
            remove.prepare(
                QStringLiteral("DELETE FROM alert_state WHERE target_id = ? AND address = ?"));
            for (const AlertState &s : removed) {
                remove.bindValue(0, s.targetId);
                remove.bindValue(1, s.address.isNull() ? QStringLiteral("") : s.address);
                if (!remove.exec()) {
                    setError(error, m_database.describe(remove.lastError()));
                    return false;
                }
            }
            return true;
        },
        error);
}

QList<AlertSnooze> AlertStateRepository::snoozes(QString *error) const {
    QSqlQuery q(m_database.connection());
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT target_id, until, until_renewed, created_at "
                               "FROM alert_snoozes ORDER BY target_id"))) {
        setError(error, m_database.describe(q.lastError()));
        return {};
    }
    QList<AlertSnooze> out;
    while (q.next()) {
        AlertSnooze z;
        z.targetId = q.value(0).toLongLong();
        z.until = fromSeconds(q.value(1));
        z.untilRenewed = q.value(2).toBool();
        z.createdAt = fromSeconds(q.value(3));
        out << z;
    }
    return out;
}

bool AlertStateRepository::setSnooze(const AlertSnooze &snooze, QString *error) {
    QSqlQuery q(m_database.connection());
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO alert_snoozes "
                             "(target_id, until, until_renewed, created_at) VALUES (?, ?, ?, ?)"));
    q.bindValue(0, snooze.targetId);
    q.bindValue(1, seconds(snooze.until));
    q.bindValue(2, snooze.untilRenewed ? 1 : 0);
    q.bindValue(3, snooze.createdAt.isValid() ? snooze.createdAt.toSecsSinceEpoch() : 0);
    if (!q.exec()) {
        setError(error, m_database.describe(q.lastError()));
        return false;
    }
    return true;
}

bool AlertStateRepository::clearSnooze(qint64 targetId, QString *error) {
    QSqlQuery q(m_database.connection());
    q.prepare(QStringLiteral("DELETE FROM alert_snoozes WHERE target_id = ?"));
    q.bindValue(0, targetId);
    if (!q.exec()) {
        setError(error, m_database.describe(q.lastError()));
        return false;
    }
    return true;
}

} // namespace certdash
