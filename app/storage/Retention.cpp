#include "Retention.h"

#include "Database.h"

#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <algorithm>

Q_DECLARE_LOGGING_CATEGORY(lcStorage)

namespace certdash {

namespace {
constexpr qint64 kDay = 86400;

// Certificates no probe uses any more. chain and verified_path are space-separated id lists;
// json_each splits them inside SQLite, once per DISTINCT pair (a target serves the same chain
// for months), which is three times faster than once per probe. The candidates come from the
// sha256 index, which holds every id, instead of the table, whose pages hold DER and text.
const char kOrphanCertificates[] =
    "SELECT c.id FROM certificates c WHERE c.sha256 > '' AND c.id NOT IN ("
    " SELECT leaf_cert_id FROM probes WHERE leaf_cert_id IS NOT NULL"
    " UNION SELECT j.value FROM"
    "  (SELECT DISTINCT trim(chain || ' ' || verified_path) AS ids FROM probes"
    "   WHERE chain <> '' OR verified_path <> '') l,"
    "  json_each('[' || replace(l.ids, ' ', ',') || ']') j)";

// Foreign keys stay declared, but their enforcement on delete would look up every deleted
// probe in latest_probes.probe_id and every deleted certificate in probes.leaf_cert_id, neither
// of which is indexed: a full table scan per deleted row. prune() only deletes rows nothing
// references, so it switches enforcement off for its transaction (the pragma is a no-op inside
// one) and restores it.
class ForeignKeysOff {
public:
    explicit ForeignKeysOff(Database &database)
        : m_database(database) {
        QSqlQuery q(m_database.connection());
        m_wasOn = q.exec(QStringLiteral("PRAGMA foreign_keys")) && q.next() && q.value(0).toBool();
        if (m_wasOn)
            m_database.exec(QStringLiteral("PRAGMA foreign_keys=OFF"));
    }
    ~ForeignKeysOff() {
        if (m_wasOn)
            m_database.exec(QStringLiteral("PRAGMA foreign_keys=ON"));
    }
    ForeignKeysOff(const ForeignKeysOff &) = delete;
    ForeignKeysOff &operator=(const ForeignKeysOff &) = delete;

private:
    Database &m_database;
    bool m_wasOn = false;
};
} // namespace

std::optional<PruneSummary> prune(Database &database, const RetentionPolicy &policy,
                                  const QDateTime &now, QString *error) {
    const int keepAllDays = std::max(0, policy.keepAllDays);
    const int keepDailyDays = std::max(keepAllDays, policy.keepDailyDays);
    const qint64 nowSeconds = now.toSecsSinceEpoch();
    const qint64 allFrom = nowSeconds - keepAllDays * kDay;     // keep every probe from here
    const qint64 dailyFrom = nowSeconds - keepDailyDays * kDay; // one per day from here
    // The daily band's first and last UTC days, whole: "the last of the day" looks at the
    // whole day, including probes on either side of the band's edges.
    const qint64 firstDayStart = dailyFrom - ((dailyFrom % kDay) + kDay) % kDay;
    const qint64 lastDayEnd = allFrom - ((allFrom % kDay) + kDay) % kDay + kDay;

    PruneSummary summary;
    QString message;
    ForeignKeysOff foreignKeysOff(database);
    QSqlDatabase db = database.connection();
    const bool ok = database.inTransaction(
        [&] {
            const auto failed = [&](const QSqlQuery &query) {
                message = database.describe(query.lastError());
                return false;
            };
            QElapsedTimer timer;
            timer.start();
            QSqlQuery expired(db);
            expired.prepare(QStringLiteral("DELETE FROM probes WHERE probed_at < ? "
                                           "AND id NOT IN (SELECT probe_id FROM latest_probes)"));
            expired.addBindValue(dailyFrom);
            if (!expired.exec())
                return failed(expired);
            summary.deleted += expired.numRowsAffected();
            const qint64 expiredMs = timer.restart();

            // rank 1 is the last probe of its (target, address, UTC day); ties in time go to
            // the one recorded last.
            QSqlQuery thin(db);
            thin.prepare(QStringLiteral("DELETE FROM probes WHERE id IN ("
                                        " SELECT id FROM ("
                                        "  SELECT id, probed_at, row_number() OVER ("
                                        "   PARTITION BY target_id, address, probed_at / 86400"
                                        "   ORDER BY probed_at DESC, id DESC) AS rank"
                                        "  FROM probes WHERE probed_at >= ? AND probed_at < ?)"
                                        " WHERE rank > 1 AND probed_at >= ? AND probed_at < ?) "
                                        "AND id NOT IN (SELECT probe_id FROM latest_probes)"));
            thin.addBindValue(firstDayStart);
            thin.addBindValue(lastDayEnd);
            thin.addBindValue(dailyFrom);
            thin.addBindValue(allFrom);
            if (!thin.exec())
                return failed(thin);
            summary.deleted += thin.numRowsAffected();
            const qint64 thinMs = timer.restart();

            // Found once, deleted from both tables: with enforcement off, nothing cascades.
            QSqlQuery orphans(db);
            orphans.setForwardOnly(true);
            if (!orphans.exec(QLatin1String(kOrphanCertificates)))
                return failed(orphans);
            QByteArray ids = "[";
            while (orphans.next()) {
                if (ids.size() > 1)
                    ids.append(',');
                ids.append(QByteArray::number(orphans.value(0).toLongLong()));
            }
            ids.append(']');
            orphans.finish();
            for (const char *sql :
                 {"DELETE FROM certificate_info WHERE certificate_id IN "
                  "(SELECT value FROM json_each(?))",
                  "DELETE FROM certificates WHERE id IN (SELECT value FROM json_each(?))"}) {
                if (!orphans.prepare(QLatin1String(sql)))
                    return failed(orphans);
                orphans.addBindValue(QString::fromLatin1(ids));
                if (!orphans.exec())
                    return failed(orphans);
            }
            summary.certificatesDeleted = orphans.numRowsAffected();
            qCDebug(lcStorage).nospace()
                << "prune: " << summary.deleted << " probes, " << summary.certificatesDeleted
                << " certificates (expired " << expiredMs << " ms, thinned " << thinMs
                << " ms, orphans " << timer.elapsed() << " ms)";
            return true;
        },
        &message);
    if (!ok) {
        if (error)
            *error = message;
        return std::nullopt;
    }
    return summary;
}

QDateTime lastPruned(Database &database)
{
    QSqlQuery q(database.connection());
    q.prepare(QStringLiteral("SELECT value FROM meta WHERE key = 'last_prune'"));
    if (!q.exec() || !q.next())
        return {};
    return QDateTime::fromSecsSinceEpoch(q.value(0).toLongLong(), Qt::UTC);
}

std::optional<PruneSummary> pruneIfDue(Database &database, const RetentionPolicy &policy,
                                       const QDateTime &now, QString *error,
                                       qint64 minimumIntervalSeconds)
{
    const QDateTime last = lastPruned(database);
    if (last.isValid() && last.secsTo(now) < minimumIntervalSeconds && last <= now)
        return PruneSummary{};
    auto summary = prune(database, policy, now, error);
    if (!summary)
        return summary;
    QSqlQuery q(database.connection());
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO meta(key, value) VALUES ('last_prune', ?)"));
    q.addBindValue(QString::number(now.toSecsSinceEpoch()));
    if (!q.exec()) {
        if (error)
            *error = database.describe(q.lastError());
        return std::nullopt;
    }
    return summary;
}

} // namespace certdash
