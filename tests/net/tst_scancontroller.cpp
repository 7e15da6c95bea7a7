// The dashboard's scans: results arrive as signals and land in the store's history; Cancel stops
// in-flight probes and keeps what was recorded.
#include "CertFactory.h"
#include "LocalTlsServer.h"
#include "TestSupport.h"
#include "monitor/ScanController.h"
#include "probing/TrustStore.h"
#include "probing/HostResolver.h"
#include "storage/Database.h"
#include "storage/HistoryRepository.h"
#include "storage/TargetRepository.h"

#include <QElapsedTimer>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace certdash;
using namespace certdash::test;
using namespace Qt::StringLiterals;

class TestScanController : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    TestCert m_root;
    TestCert m_ca;
    int m_counter = 0;

    std::unique_ptr<Database> freshDatabase()
    {
        QString error;
        auto db = Database::open(m_dir.filePath(u"c%1.sqlite"_s.arg(++m_counter)), &error);
        if (!db)
            qFatal("%s", qPrintable(error));
        return db;
    }

    ProbeOptions options(int timeoutMs) const
    {
        ProbeOptions o;
        o.timeoutMs = timeoutMs;
        o.clock = std::make_shared<FixedClock>(pinnedNow());
        o.anchors = TrustStore::fromCertificates({m_root.der});
        return o;
    }

    QList<Target> store(Database &db, quint16 port, int count)
    {
        FixedClock clock(pinnedNow());
        TargetRepository repository(db, clock);
        QList<Target> targets;
        for (int i = 0; i < count; ++i) {
            Target t;
            t.host = u"c%1.test"_s.arg(i);
            t.port = port;
            t.addresses = {u"127.0.0.1"_s};
            QString error;
            if (!repository.add(t, &error))
                qFatal("%s", qPrintable(error));
            targets << t;
        }
        return targets;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_root = makeCert(CertSpec::root(u"Controller Root"_s).validDays(-1000, 3000));
        m_ca = makeCert(CertSpec::intermediate(u"Controller CA"_s).validDays(-500, 1000), &m_root);
    }

    void resultsAreShownAndRecorded()
    {
        CertSpec spec = CertSpec::leaf(u"c0.test"_s);
        spec.dnsNames = {u"c0.test"_s, u"c1.test"_s, u"c2.test"_s};
        spec.validDays(-10, 80);
        const TestCert leaf = makeCert(spec, &m_ca);
        LocalTlsServer server;
        server.setChain({leaf.certificate(), m_ca.certificate()}, leaf.key());
        QVERIFY(server.listenLoopback());

        auto db = freshDatabase();
        const QList<Target> targets = store(*db, server.port(), 3);
        ScanController controller(*db);
        controller.setProbeOptions(options(3000));
        QSignalSpy results(&controller, &ScanController::resultReady);
        QSignalSpy progress(&controller, &ScanController::progress);
        QSignalSpy finished(&controller, &ScanController::finished);
        QVERIFY(controller.start(targets));
        QVERIFY(!controller.start(targets)); // one scan at a time
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.first().first().toBool(), false);
        QCOMPARE(results.size(), 3);
        QVERIFY(!progress.isEmpty());
        QCOMPARE(progress.last().at(0).toInt(), 3);
        QVERIFY(!controller.isRunning());

        const QList<ProbeResult> latest = HistoryRepository(*db).latest();
        QCOMPARE(latest.size(), 3);
        for (const ProbeResult &r : latest) {
            QCOMPARE(r.status, Status::Ok);
            QCOMPARE(*r.daysLeft, 80);
            QVERIFY(r.trust.trusted);
        }
    }

    // A target whose proxy needs a password nobody has (no keychain session here, no
    // CERTDASH_PROXY_PASSWORD) is not probed the wrong way (direct): the scan does not start, and
    // the window is told why, naming the target and the keychain entry to set.
    void targetThatCannotBePreparedStopsTheScan()
    {
        const QByteArray bus = qgetenv("DBUS_SESSION_BUS_ADDRESS");
        qunsetenv("DBUS_SESSION_BUS_ADDRESS");
        qunsetenv("CERTDASH_PROXY_PASSWORD");
        const auto restore = qScopeGuard([bus] {
            if (!bus.isEmpty())
                qputenv("DBUS_SESSION_BUS_ADDRESS", bus);
        });
        auto db = freshDatabase();
        Target t;
        t.host = u"behind.test"_s;
        t.addresses = {u"127.0.0.1"_s};
        t.connection.proxy = u"http://ops@proxy.test:3128"_s;
        ScanController controller(*db);
        controller.setProbeOptions(options(3000));
        QSignalSpy failed(&controller, &ScanController::preparationFailed);
        QSignalSpy results(&controller, &ScanController::resultReady);
        QVERIFY(!controller.start({t}));
        QCOMPARE(failed.size(), 1);
        const QString problem = failed.first().first().toStringList().join(u'\n');
        QVERIFY2(problem.contains(u"behind.test"_s) &&
                     problem.contains(u"certdash secret set proxy:http://ops@proxy.test:3128"_s),
                 qPrintable(problem));
        QVERIFY(!controller.isRunning());
        QVERIFY(results.isEmpty());
    }

    // Every result says which addresses its round probed (the pinned ones, the literal one), so
    // that the window can drop the rows of addresses a name no longer resolves to.
    void resultsSayWhichAddressesTheirRoundProbed()
    {
        QTcpServer closed; // a port nobody listens on: refused at once
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        const quint16 port = closed.serverPort();
        closed.close();
        auto db = freshDatabase();
        FixedClock clock(pinnedNow());
        TargetRepository repository(*db, clock);
        Target pinned;
        pinned.host = u"lb.test"_s;
        pinned.port = port;
        pinned.addresses = {u"127.0.0.1"_s, u"127.0.0.2"_s};
        Target literal;
        literal.host = u"127.0.0.1"_s;
        literal.port = port;
        QString error;
        QVERIFY2(repository.add(pinned, &error) && repository.add(literal, &error),
                 qPrintable(error));
        ScanController controller(*db);
        controller.setProbeOptions(options(3000));
        QSignalSpy results(&controller, &ScanController::resultReady);
        QSignalSpy finished(&controller, &ScanController::finished);
        QVERIFY(controller.start({pinned, literal}));
        QVERIFY(finished.wait(10000));
        QCOMPARE(results.size(), 3);
        for (const QList<QVariant> &signal : std::as_const(results)) {
            const auto r = signal.first().value<ProbeResult>();
            QCOMPARE(r.roundAddresses, r.target.id == pinned.id ? pinned.addresses
                                                                : QStringList{u"127.0.0.1"_s});
        }
    }

    void cancelStopsAndKeepsWhatWasRecorded()
    {
        LocalTlsServer silent;
        silent.setMode(LocalTlsServer::Mode::Silent);
        QVERIFY(silent.listenLoopback());
        auto db = freshDatabase();
        const QList<Target> targets = store(*db, silent.port(), 10);
        ScanController controller(*db);
        controller.setProbeOptions(options(30000));
        controller.setConcurrency(4);
        QSignalSpy finished(&controller, &ScanController::finished);
        QVERIFY(controller.start(targets));
        QTRY_COMPARE(silent.connectionCount(), 4);
        QElapsedTimer elapsed;
        elapsed.start();
        controller.cancel();
        QVERIFY(finished.size() == 1 || finished.wait(2000));
        QVERIFY(elapsed.elapsed() < 2000); // nobody waits for the 30 s timeout
        QCOMPARE(finished.first().first().toBool(), true);
        QVERIFY(!controller.isRunning());
        QVERIFY(HistoryRepository(*db).latest().isEmpty());
        // A new scan can start after a cancelled one.
        QVERIFY(controller.start({}));
        QVERIFY(finished.wait(2000));
    }

    // The window's scans, every few minutes, go through one resolver whatever the settings do
    // to the options, so that its answers (kept a minute) serve the next scan too.
    void scansShareOneResolver()
    {
        auto db = freshDatabase();
        ScanController controller(*db);
        controller.setProbeOptions(options(3000));
        const std::shared_ptr<HostResolver> resolver = controller.probeOptions().resolver;
        QVERIFY(resolver);
        ProbeOptions changed = options(5000); // as the window's settings do: new options
        controller.setProbeOptions(changed);
        QCOMPARE(controller.probeOptions().resolver, resolver);
        QCOMPARE(controller.probeOptions().timeoutMs, 5000);
    }
};

QTEST_GUILESS_MAIN(TestScanController)
#include "tst_scancontroller.moc"
