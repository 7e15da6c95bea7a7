// `certdash scan` of the stored inventory runs the alert tracker: against loopback TLS servers,
// the first scan logs (and with --notify shows) each crossing, an identical scan says nothing,
// a renewal says so once.
#include "CertFactory.h"
#include "CommandRunner.h"
#include "LocalTlsServer.h"
#include "TestSupport.h"
#include "cli/InventoryCommands.h"
#include "cli/ScanCommand.h"
#include "i18n/Translations.h"

#include <QBuffer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace certdash;
using namespace certdash::cli;
using namespace certdash::test;
using namespace Qt::StringLiterals;

namespace {
QList<QJsonObject> logLines(const QString &path) {
    QFile f(path);
    QList<QJsonObject> out;
    if (!f.open(QIODevice::ReadOnly))
        return out;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (!line.isEmpty())
            out << QJsonDocument::fromJson(line).object();
    }
    return out;
}

// runScan with a notification sink that records, the clock pinned.
struct NotifyingRun {
    CommandRun run;
    QList<Notification> shown;
};
NotifyingRun scanWithSink(const QStringList &arguments, const QDateTime &now = pinnedNow()) {
    QBuffer out;
    QBuffer err;
    out.open(QIODevice::WriteOnly);
    err.open(QIODevice::WriteOnly);
    CommandStreams streams;
    streams.out = &out;
    streams.err = &err;
    streams.clock = std::make_shared<FixedClock>(now);
    NotifyingRun r;
    const NotificationSink sink = [&](const QList<Notification> &n) {
        r.shown += n;
    };
    r.run.exitCode = runScan(arguments, streams, sink);
    r.run.out = out.data();
    r.run.err = QString::fromUtf8(err.data());
    return r;
}
} // namespace

class TestScanAlerts : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    QString file(const QString &name, const QByteArray &content) {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(content) != content.size())
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        installTranslators(); // as main.cpp does before the CLI runs: English plurals
        // The default event log of Settings must never be the developer's own.
        QStandardPaths::setTestModeEnabled(true);
    }

    void crossingOnceThenQuietThenRenewed() {
        const TestCert root = makeCert(CertSpec::root(u"Alert Root"_s).validDays(-1000, 3000));
        const QString rootPem = m_dir.filePath(u"alert-root.pem"_s);
        QVERIFY(writePemBundle(rootPem, {root}));
        CertSpec spec = CertSpec::leaf(u"alerts.test"_s);
        spec.validDays(-70, 20.5); // warning (30 days)
        const TestCert old = makeCert(spec, &root);
        LocalTlsServer server;
        server.setChain({old.certificate()}, old.key());
        QVERIFY(server.listenLoopback());

        const QString db = m_dir.filePath(u"alerts.sqlite"_s);
        const QString log = m_dir.filePath(u"log/events.jsonl"_s);
        const QString targets =
            file(u"alerts.txt"_s,
                 u"alerts.test:%1 address=127.0.0.1 name=Shop\n"_s.arg(server.port()).toUtf8());
        QCOMPARE(runCommand(&runImport, {targets, u"--database"_s, db}).exitCode, 0);
        const QStringList args{u"--database"_s,  db,      u"-q"_s,        u"--no-system-ca"_s,
                               u"--ca-file"_s,   rootPem, u"--timeout"_s, u"2"_s,
                               u"--event-log"_s, log,     u"--notify"_s};

        const NotifyingRun first = scanWithSink(args);
        QCOMPARE(first.run.exitCode, 1);
        QVERIFY2(first.run.err.isEmpty(), qPrintable(first.run.err));
        QList<QJsonObject> lines = logLines(log);
        QCOMPARE(lines.size(), 1);
        QCOMPARE(lines.at(0).value(u"type"_s).toString(), u"certdash-warning"_s);
        QCOMPARE(lines.at(0).value(u"target"_s).toString(), u"Shop"_s);
        QCOMPARE(lines.at(0).value(u"host"_s).toString(), u"alerts.test"_s);
        QCOMPARE(lines.at(0).value(u"port"_s).toInt(), int(server.port()));
        QCOMPARE(lines.at(0).value(u"address"_s).toString(), u"127.0.0.1"_s);
        QCOMPARE(lines.at(0).value(u"days_left"_s).toInt(), 20);
        QCOMPARE(first.shown.size(), 1);
        QCOMPARE(first.shown.first().title, u"Warning: alerts.test:%1"_s.arg(server.port()));
        QVERIFY2(first.shown.first().body.contains(u"20 days left"_s),
                 qPrintable(first.shown.first().body));

        // The same estate an hour later, in a new process: nothing new.
        const NotifyingRun second = scanWithSink(args, pinnedNow().addSecs(3600));
        QCOMPARE(second.run.exitCode, 1);
        QCOMPARE(logLines(log).size(), 1);
        QVERIFY(second.shown.isEmpty());

        // The certificate is replaced: one renewal, logged and shown.
        CertSpec fresh = CertSpec::leaf(u"alerts.test"_s);
        fresh.validDays(-1, 89.5);
        const TestCert renewed = makeCert(fresh, &root);
        server.setChain({renewed.certificate()}, renewed.key());
        const NotifyingRun third = scanWithSink(args, pinnedNow().addSecs(7200));
        QCOMPARE(third.run.exitCode, 0);
        lines = logLines(log);
        QCOMPARE(lines.size(), 2);
        QCOMPARE(lines.at(1).value(u"type"_s).toString(), u"certdash-renewed"_s);
        QCOMPARE(third.shown.size(), 1);
        QVERIFY(third.shown.first().renewed);
    }

    // Nothing listening: one failed scan is a blip; the second in a row is critical, once.
    void unreachableCountsAfterTwoScans() {
        const QString db = m_dir.filePath(u"down.sqlite"_s);
        const QString log = m_dir.filePath(u"down.jsonl"_s);
        // Port 1 on loopback: refused at once.
        const QString targets = file(u"down.txt"_s, "down.test:1 address=127.0.0.1\n");
        QCOMPARE(runCommand(&runImport, {targets, u"--database"_s, db}).exitCode, 0);
        const QStringList args{u"--database"_s,  db, u"-q"_s, u"--timeout"_s, u"2"_s,
                               u"--event-log"_s, log};
        QCOMPARE(runCommand(&runScan, args).exitCode, 2);
        QCOMPARE(logLines(log).size(), 0);
        QCOMPARE(runCommand(&runScan, args, pinnedNow().addSecs(600)).exitCode, 2);
        QList<QJsonObject> lines = logLines(log);
        QCOMPARE(lines.size(), 1);
        QCOMPARE(lines.first().value(u"type"_s).toString(), u"certdash-critical"_s);
        QCOMPARE(lines.first().value(u"status"_s).toString(), u"unreachable"_s);
        QCOMPARE(lines.first().value(u"failing_since"_s).toString(), u"2026-03-15T12:00:00Z"_s);
        QCOMPARE(runCommand(&runScan, args, pinnedNow().addSecs(1200)).exitCode, 2);
        QCOMPARE(logLines(log).size(), 1);
    }

    // An event log that cannot be written is reported; the scan's report and exit code stand.
    void unwritableEventLogIsNotFatal() {
        const QString db = m_dir.filePath(u"nolog.sqlite"_s);
        const QString targets = file(u"nolog.txt"_s, "nolog.test:1 address=127.0.0.1\n");
        QCOMPARE(runCommand(&runImport, {targets, u"--database"_s, db}).exitCode, 0);
        const QStringList args{u"--database"_s,  db,          u"-q"_s, u"--timeout"_s, u"2"_s,
                               u"--event-log"_s, m_dir.path()};
        runCommand(&runScan, args);
        const CommandRun run = runCommand(&runScan, args, pinnedNow().addSecs(600));
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.out.contains(",unreachable,"));
        QVERIFY2(run.err.contains(u"event log was not written"_s), qPrintable(run.err));
    }
};

QTEST_GUILESS_MAIN(TestScanAlerts)
#include "tst_scanalerts.moc"
