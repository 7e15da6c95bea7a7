// The alert tracker's memory in the store: what is written is what is read back.
#include "TestSupport.h"
#include "alerts/AlertStateRepository.h"
#include "domain/Clock.h"
#include "storage/Database.h"
#include "storage/TargetRepository.h"

#include <QTemporaryDir>
#include <QTest>

using namespace certdash;
using namespace certdash::test;
using namespace Qt::StringLiterals;

class TestAlertStateRepository : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    int m_counter = 0;

    std::unique_ptr<Database> store(int targets) {
        QString error;
        auto db = Database::open(m_dir.filePath(u"s%1.sqlite"_s.arg(++m_counter)), &error);
        if (!db)
            qFatal("%s", qPrintable(error));
        FixedClock clock(pinnedNow());
        TargetRepository repository(*db, clock);
        for (int i = 1; i <= targets; ++i) {
            Target t;
            t.host = u"h%1.test"_s.arg(i);
            repository.add(t);
        }
        return db;
    }

    static AlertState state(qint64 target, const QString &address, AlertLevel level) {
        AlertState s;
        s.targetId = target;
        s.address = address;
        s.level = level;
        s.notifiedLevel = AlertLevel::Warning;
        s.fingerprint = u"AB:CD"_s;
        s.failures = 3;
        s.failingSince = pinnedNow().addSecs(-900);
        s.updatedAt = pinnedNow();
        return s;
    }

private slots:
    void roundTripUpsertAndRemove() {
        auto db = store(2);
        AlertStateRepository repository(*db);
        QString error;
        const AlertState a = state(1, u"127.0.0.1"_s, AlertLevel::Critical);
        AlertState b = state(2, QString(), AlertLevel::Expired);
        b.failingSince = QDateTime();
        b.failures = 0;
        QVERIFY2(repository.save({b, a}, {}, &error), qPrintable(error));
        QCOMPARE(repository.states(), (QList<AlertState>{a, b})); // by target, then address

        AlertState changed = a;
        changed.level = AlertLevel::Ok;
        changed.notifiedLevel = AlertLevel::Ok;
        QVERIFY(repository.save({changed}, {b}, &error));
        QCOMPARE(repository.states(), QList<AlertState>{changed});
    }

    // The trust edge detector survives a restart: a failure announced before is not again.
    void trustLevelRoundTrips() {
        auto db = store(1);
        AlertStateRepository repository(*db);
        QString error;
        AlertState s = state(1, u"10.0.0.1"_s, AlertLevel::Ok);
        for (const TrustLevel level :
             {TrustLevel::Failed, TrustLevel::Weak, TrustLevel::Accepted, TrustLevel::Trusted}) {
            s.trustLevel = level;
            QVERIFY2(repository.save({s}, {}, &error), qPrintable(error));
            QCOMPARE(repository.states(), QList<AlertState>{s});
        }
    }

    // A target deleted while its scan ran: its state is skipped, the rest is written.
    void stateOfADeletedTargetIsSkipped() {
        auto db = store(1);
        AlertStateRepository repository(*db);
        QString error;
        const AlertState kept = state(1, u"127.0.0.1"_s, AlertLevel::Warning);
        QVERIFY2(
            repository.save({state(42, u"127.0.0.1"_s, AlertLevel::Warning), kept}, {}, &error),
            qPrintable(error));
        QCOMPARE(repository.states(), QList<AlertState>{kept});
    }

    void snoozes() {
        auto db = store(2);
        AlertStateRepository repository(*db);
        const AlertSnooze day = AlertSnooze::make(1, SnoozeKind::OneDay, pinnedNow());
        const AlertSnooze renewed = AlertSnooze::make(2, SnoozeKind::UntilRenewed, pinnedNow());
        QVERIFY(repository.setSnooze(day));
        QVERIFY(repository.setSnooze(renewed));
        QList<AlertSnooze> read = repository.snoozes();
        QCOMPARE(read.size(), 2);
        QCOMPARE(read.at(0).until, pinnedNow().addDays(1));
        QVERIFY(!read.at(0).untilRenewed);
        QVERIFY(read.at(1).untilRenewed);
        QVERIFY(!read.at(1).until.isValid());
        QVERIFY(read.at(1).activeAt(pinnedNow().addYears(1)));

        // Replacing a snooze keeps one per target.
        QVERIFY(repository.setSnooze(AlertSnooze::make(1, SnoozeKind::OneWeek, pinnedNow())));
        read = repository.snoozes();
        QCOMPARE(read.size(), 2);
        QCOMPARE(read.at(0).until, pinnedNow().addDays(7));
        QVERIFY(repository.clearSnooze(1));
        QCOMPARE(repository.snoozes().size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestAlertStateRepository)
#include "tst_alertstaterepository.moc"
