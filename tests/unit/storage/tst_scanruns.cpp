// The record of headless scans (schema version 8): a store of version 7 gains the table and
// keeps everything it had; the newest run is what the window shows; only the newest 100 stay.
#include "storage/Database.h"
#include "storage/ScanRunRepository.h"
#include "storage/Schema.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace certdash;
using namespace Qt::StringLiterals;

namespace {
qint64 count(Database &db, const QString &sql) {
    QSqlQuery q(db.connection());
    return q.exec(sql) && q.next() ? q.value(0).toLongLong() : -1;
}

ScanRun runAt(qint64 seconds, int targets) {
    ScanRun run;
    run.startedAt = QDateTime::fromSecsSinceEpoch(seconds, Qt::UTC);
    run.finishedAt = run.startedAt.addSecs(12);
    run.trigger = ScanRun::Trigger::Timer;
    run.targets = targets;
    run.endpoints = targets + 1;
    run.attention = 2;
    run.exitCode = 1;
    return run;
}
} // namespace

class TestScanRuns : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

private slots:
    void version7GainsTheTableAndKeepsItsData() {
        const QString file = m_dir.filePath(u"v7.sqlite"_s);
        {
            QSqlDatabase raw = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"raw7"_s);
            raw.setDatabaseName(file);
            QVERIFY(raw.open());
            QSqlQuery q(raw);
            for (int v = 1; v <= 7; ++v) {
                for (const QString &statement : schema::migrationTo(v))
                    QVERIFY2(q.exec(statement), qPrintable(statement));
            }
            QVERIFY(q.exec(u"PRAGMA user_version=7"_s));
            QVERIFY(q.exec(u"PRAGMA application_id=%1"_s.arg(Database::kApplicationId)));
            QVERIFY(q.exec(u"INSERT INTO targets (id, endpoint_key, host, port, created_at, "
                           "updated_at) VALUES (1, 'k1', 'www.example.com', 443, 1000, 1000)"_s));
            raw.close();
        }
        QSqlDatabase::removeDatabase(u"raw7"_s);

        QString error;
        auto db = Database::open(file, &error);
        QVERIFY2(db, qPrintable(error));
        QCOMPARE(db->schemaVersion(), 10);
        QCOMPARE(count(*db, u"SELECT count(*) FROM targets"_s), 1);
        ScanRunRepository runs(*db);
        QVERIFY(!runs.latest(&error));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY2(runs.record(runAt(1'800'000'000, 3), &error), qPrintable(error));
        QCOMPARE(runs.latest(&error), std::optional<ScanRun>(runAt(1'800'000'000, 3)));
    }

    void theNewestRunIsShownAndTheNewest100Kept() {
        QString error;
        auto db = Database::open(m_dir.filePath(u"runs.sqlite"_s), &error);
        QVERIFY2(db, qPrintable(error));
        ScanRunRepository runs(*db);
        for (int i = 0; i < ScanRunRepository::kKept + 20; ++i)
            QVERIFY2(runs.record(runAt(1'800'000'000 + i * 86400, i), &error), qPrintable(error));
        QCOMPARE(count(*db, u"SELECT count(*) FROM scan_runs"_s), qint64(ScanRunRepository::kKept));
        const int last = ScanRunRepository::kKept + 19;
        QCOMPARE(runs.latest(&error),
                 std::optional<ScanRun>(runAt(1'800'000'000 + last * 86400, last)));
        ScanRun byHand = runAt(1'900'000'000, 5);
        byHand.trigger = ScanRun::Trigger::Command;
        byHand.exitCode = 0;
        byHand.attention = 0;
        QVERIFY(runs.record(byHand, &error));
        QCOMPARE(runs.latest(&error), std::optional<ScanRun>(byHand));
    }
};

QTEST_GUILESS_MAIN(TestScanRuns)
#include "tst_scanruns.moc"
