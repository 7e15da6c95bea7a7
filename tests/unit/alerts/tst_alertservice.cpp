// The service over a real (temporary) store: nothing announced twice across restarts, snoozes
// remembered, the event log written once per crossing, and failures to log never fatal.
#include "AlertFixtures.h"
#include "alerts/AlertService.h"
#include "alerts/AlertStateRepository.h"
#include "i18n/Translations.h"
#include "storage/Database.h"
#include "storage/TargetRepository.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace certdash;
using namespace certdash::test;
using namespace Qt::StringLiterals;

class TestAlertService : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    int m_counter = 0;

    // A fresh store with `count` targets (ids 1..count).
    std::unique_ptr<Database> store(int count, QString *path = nullptr) {
        const QString file = m_dir.filePath(u"alerts%1.sqlite"_s.arg(++m_counter));
        if (path)
            *path = file;
        QString error;
        auto db = Database::open(file, &error);
        if (!db)
            qFatal("%s", qPrintable(error));
        FixedClock clock(pinnedNow());
        TargetRepository targets(*db, clock);
        for (int i = 1; i <= count; ++i) {
            Target t;
            t.host = u"host%1.test"_s.arg(i);
            if (!targets.add(t, &error))
                qFatal("%s", qPrintable(error));
        }
        return db;
    }
    QString logPath() { return m_dir.filePath(u"events%1.jsonl"_s.arg(m_counter)); }
    static int lineCount(const QString &path) {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? int(f.readAll().count('\n')) : 0;
    }

private slots:
    // The English plural forms, as main.cpp installs them.
    void initTestCase() { installTranslators(); }

    void restartDoesNotAnnounceAgain() {
        QString path;
        const auto clock = std::make_shared<FixedClock>(pinnedNow());
        const QList<ProbeResult> scan{probeResult(1, Status::Warning), probeResult(2, Status::Ok)};
        {
            auto db = store(2, &path);
            AlertService service(*db, clock, {2, logPath(), 3});
            QVERIFY(service.load());
            QSignalSpy ready(&service, &AlertService::notificationsReady);
            QCOMPARE(service.processScan(scan).size(), 1);
            QCOMPARE(ready.size(), 1);
        }
        QCOMPARE(lineCount(logPath()), 1);

        // A new process: state comes from the store.
        QString error;
        auto db = Database::open(path, &error);
        QVERIFY2(db, qPrintable(error));
        AlertService again(*db, clock, {2, logPath(), 3});
        QVERIFY(again.load());
        QCOMPARE(again.tracker().state(1, u"127.0.0.1"_s)->level, AlertLevel::Warning);
        QSignalSpy ready(&again, &AlertService::notificationsReady);
        clock->advance(3600);
        QVERIFY(again.processScan(scan).isEmpty());
        QCOMPARE(ready.size(), 0); // nothing, not an empty list
        QCOMPARE(lineCount(logPath()), 1);

        // The state read back equals the state the tracker holds.
        AlertStateRepository repository(*db);
        const QList<AlertState> stored = repository.states();
        QCOMPARE(stored.size(), 2);
        for (const AlertState &s : stored)
            QCOMPARE(s, *again.tracker().state(s.targetId, s.address));
    }

    // A failure streak survives a restart too: the second failure after a restart counts.
    void failureCountSurvivesRestart() {
        QString path;
        const auto clock = std::make_shared<FixedClock>(pinnedNow());
        {
            auto db = store(1, &path);
            AlertService service(*db, clock, {2, QString(), 3});
            QVERIFY(service.load());
            QVERIFY(service.processScan({probeResult(1, Status::Timeout)}).isEmpty());
        }
        QString error;
        auto db = Database::open(path, &error);
        AlertService service(*db, clock, {2, QString(), 3});
        QVERIFY(service.load());
        clock->advance(600);
        const QList<Notification> shown = service.processScan({probeResult(1, Status::Timeout)});
        QCOMPARE(shown.size(), 1);
        QCOMPARE(shown.first().level, AlertLevel::Critical);
    }

    void snoozeIsRememberedAndExpires() {
        QString path;
        const auto clock = std::make_shared<FixedClock>(pinnedNow());
        {
            auto db = store(1, &path);
            AlertService service(*db, clock, {2, logPath(), 3});
            QVERIFY(service.load());
            service.processScan({probeResult(1, Status::Warning)});
            QSignalSpy changed(&service, &AlertService::snoozeChanged);
            QVERIFY(service.snooze(1, SnoozeKind::OneDay));
            QCOMPARE(changed.size(), 1);
            QVERIFY(service.snoozeFor(1));
        }
        QString error;
        auto db = Database::open(path, &error);
        AlertService service(*db, clock, {2, logPath(), 3});
        QVERIFY(service.load());
        QVERIFY(service.snoozeFor(1));
        clock->advance(3600);
        // Hidden, but logged.
        QVERIFY(service.processScan({probeResult(1, Status::Critical, u"A"_s, 5)}).isEmpty());
        QCOMPARE(service.lastEvents().size(), 1);
        QCOMPARE(lineCount(logPath()), 2);

        clock->advance(24 * 3600);
        QVERIFY(!service.snoozeFor(1));
        const QList<Notification> shown =
            service.processScan({probeResult(1, Status::Critical, u"A"_s, 4)});
        QCOMPARE(shown.size(), 1); // the reminder of what was hidden
        QCOMPARE(shown.first().level, AlertLevel::Critical);
        QCOMPARE(lineCount(logPath()), 2);
        QVERIFY(AlertStateRepository(*db).snoozes().isEmpty());
    }

    void clearSnoozeUnmutes() {
        auto db = store(1);
        const auto clock = std::make_shared<FixedClock>(pinnedNow());
        AlertService service(*db, clock, {2, QString(), 3});
        QVERIFY(service.load());
        QVERIFY(service.snooze(1, SnoozeKind::UntilRenewed));
        QVERIFY(service.processScan({probeResult(1, Status::Warning)}).isEmpty());
        QVERIFY(service.clearSnooze(1));
        QVERIFY(!service.snoozeFor(1));
        QCOMPARE(service.processScan({probeResult(1, Status::Warning)}).size(), 1);
    }

    void digestGoesToSinkAndSignalOnce() {
        auto db = store(5);
        const auto clock = std::make_shared<FixedClock>(pinnedNow());
        AlertService service(*db, clock, {2, logPath(), 3});
        QVERIFY(service.load());
        QList<QList<Notification>> delivered;
        service.setNotificationSink([&](const QList<Notification> &n) { delivered << n; });
        QSignalSpy ready(&service, &AlertService::notificationsReady);
        QList<ProbeResult> scan;
        for (int i = 1; i <= 5; ++i)
            scan << probeResult(i, i <= 2 ? Status::Critical : Status::Warning, u"A"_s, 5);
        service.processScan(scan);
        QCOMPARE(delivered.size(), 1);
        QCOMPARE(delivered.first().size(), 1);
        QVERIFY(delivered.first().first().digest);
        QCOMPARE(delivered.first().first().title, u"5 certificates crossed thresholds"_s);
        QCOMPARE(ready.size(), 1);
        QCOMPARE(lineCount(logPath()), 5); // the log still has every crossing
    }

    void aScanFedInPartsNotifiesOnceForTheWhole() {
        // A fleet read goes through the tracker in parts; the user hears of it as of one scan.
        auto db = store(5);
        const auto clock = std::make_shared<FixedClock>(pinnedNow());
        AlertService service(*db, clock, {2, logPath(), 3});
        QVERIFY(service.load());
        QList<QList<Notification>> delivered;
        service.setNotificationSink([&](const QList<Notification> &n) { delivered << n; });
        QList<ProbeResult> scan;
        for (int i = 1; i <= 5; ++i)
            scan << probeResult(i, i <= 2 ? Status::Critical : Status::Warning, u"A"_s, 5);
        service.processPart(scan.mid(0, 2));
        service.processPart(scan.mid(2));
        QCOMPARE(delivered.size(), 0); // nothing before the whole is in
        QCOMPARE(lineCount(logPath()), 5); // each part's crossings logged as it was tracked
        QCOMPARE(service.finishParts().size(), 1);
        QCOMPARE(delivered.size(), 1);
        QVERIFY(delivered.first().first().digest);
        QCOMPARE(delivered.first().first().title, u"5 certificates crossed thresholds"_s);
        // The state of every part was written: a restart announces none of it again.
        AlertService restarted(*db, clock, {2, logPath(), 3});
        QVERIFY(restarted.load());
        QCOMPARE(restarted.processScan(scan).size(), 0);
        // And the parts are over: the next finish has nothing to say.
        QCOMPARE(service.finishParts().size(), 0);
    }

    void unwritableEventLogIsReportedNotFatal() {
        auto db = store(1);
        const auto clock = std::make_shared<FixedClock>(pinnedNow());
        AlertService service(*db, clock, {2, m_dir.path(), 3}); // a directory
        QVERIFY(service.load());
        QSignalSpy problems(&service, &AlertService::problem);
        QCOMPARE(service.processScan({probeResult(1, Status::Expired, u"A"_s, -2)}).size(), 1);
        QCOMPARE(problems.size(), 1);
        QVERIFY(problems.first().first().toString().contains(u"event log"_s));
        // The state was saved all the same: no second announcement.
        QVERIFY(service.processScan({probeResult(1, Status::Expired, u"A"_s, -2)}).isEmpty());
        QCOMPARE(AlertStateRepository(*db).states().size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestAlertService)
#include "tst_alertservice.moc"
