#include "ScanRunRepository.h"

#include "Database.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace certdash {

namespace {
QString triggerKey(ScanRun::Trigger trigger) {
    return trigger == ScanRun::Trigger::Timer ? QStringLiteral("timer") : QStringLiteral("command");
}
} // namespace

ScanRunRepository::ScanRunRepository(Database &database)
    : m_database(database) {}

bool ScanRunRepository::record(const ScanRun &run, QString *error) {
    return m_database.inTransaction(
        [&] {
            QSqlQuery insert(m_database.connection());
            insert.prepare(QStringLiteral(
                "INSERT INTO scan_runs (started_at, finished_at, started_by, targets, endpoints, "
                "attention, exit_code) VALUES (?, ?, ?, ?, ?, ?, ?)"));
            insert.addBindValue(run.startedAt.toSecsSinceEpoch());
            insert.addBindValue(run.finishedAt.toSecsSinceEpoch());
            insert.addBindValue(triggerKey(run.trigger));
            insert.addBindValue(run.targets);
            insert.addBindValue(run.endpoints);
            insert.addBindValue(run.attention);
            insert.addBindValue(run.exitCode);
            QSqlQuery prune(m_database.connection());
            if (!insert.exec() || !prune.exec(QStringLiteral("DELETE FROM scan_runs WHERE id <= "
                                                             "(SELECT max(id) FROM scan_runs) - %1")
                                                  .arg(kKept))) {
                if (error)
                    *error = m_database.describe(insert.lastError().isValid() ? insert.lastError()
                                                                              : prune.lastError());
                return false;
            }
            return true;
        },
        error);
}

std::optional<ScanRun> ScanRunRepository::latest(QString *error) const {
    QSqlQuery q(m_database.connection());
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT started_at, finished_at, started_by, targets, endpoints, "
                               "attention, exit_code FROM scan_runs ORDER BY id DESC LIMIT 1"))) {
        if (error)
            *error = m_database.describe(q.lastError());
        return std::nullopt;
    }
    if (!q.next())
        return std::nullopt;
    ScanRun run;
    run.startedAt = QDateTime::fromSecsSinceEpoch(q.value(0).toLongLong(), Qt::UTC);
    run.finishedAt = QDateTime::fromSecsSinceEpoch(q.value(1).toLongLong(), Qt::UTC);
    run.trigger = q.value(2).toString() == QLatin1String("timer") ? ScanRun::Trigger::Timer
                                                                  : ScanRun::Trigger::Command;
    run.targets = q.value(3).toInt();
    run.endpoints = q.value(4).toInt();
    run.attention = q.value(5).toInt();
    run.exitCode = q.value(6).toInt();
    return run;
}

} // namespace certdash
