// `certdash diff` end to end: local TLS servers change between two `certdash scan` runs of one
// store (one rotates its certificate, one goes away), and diff reports what changed, when.
#include "CertFactory.h"
#include "CommandRunner.h"
#include "LocalTlsServer.h"
#include "TestSupport.h"
#include "cli/DiffCommand.h"
#include "cli/InventoryCommands.h"
#include "cli/ScanCommand.h"

#include <QCryptographicHash>
#include <QJsonArray>
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
QString fingerprint(const TestCert &cert) {
    return QString::fromLatin1(
        QCryptographicHash::hash(cert.der, QCryptographicHash::Sha256).toHex(':').toUpper());
}
} // namespace

class TestDiffCommand : public QObject {
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
        QStandardPaths::setTestModeEnabled(true); // never the developer's event log
    }

    void rotationAndFailureBetweenTwoScans() {
        const TestCert root = makeCert(CertSpec::root(u"Diff Root"_s).validDays(-1000, 3000));
        const QString rootPem = m_dir.filePath(u"diff-root.pem"_s);
        QVERIFY(writePemBundle(rootPem, {root}));
        const TestCert old = makeCert(CertSpec::leaf(u"rotating.test"_s).validDays(-50, 60), &root);
        const TestCert renewed =
            makeCert(CertSpec::leaf(u"rotating.test"_s).validDays(-1, 89), &root);
        const TestCert steady =
            makeCert(CertSpec::leaf(u"leaving.test"_s).validDays(-5, 85), &root);
        LocalTlsServer rotating;
        rotating.setChain({old.certificate()}, old.key());
        QVERIFY(rotating.listenLoopback());
        auto leaving = std::make_unique<LocalTlsServer>();
        leaving->setChain({steady.certificate()}, steady.key());
        QVERIFY(leaving->listenLoopback());

        const QString db = m_dir.filePath(u"diff.sqlite"_s);
        const QString targets =
            file(u"diff.txt"_s, u"rotating.test:%1 address=127.0.0.1\n"
                                "leaving.test:%2 address=127.0.0.1\n"_s.arg(rotating.port())
                                    .arg(leaving->port())
                                    .toUtf8());
        const QDateTime firstScan = pinnedNow().addDays(-2);
        QCOMPARE(
            runCommand(&runImport, {targets, u"--database"_s, db}, firstScan.addDays(-1)).exitCode,
            0);
        const QStringList scan{u"--database"_s, db,      u"-q"_s,        u"--no-system-ca"_s,
                               u"--ca-file"_s,  rootPem, u"--timeout"_s, u"5"_s};
        const CommandRun first = runCommand(&runScan, scan, firstScan);
        QVERIFY2(first.exitCode == 0, first.out.constData());

        // Between the scans: one server gets its new certificate, the other goes away.
        rotating.setChain({renewed.certificate()}, renewed.key());
        const quint16 leavingPort = leaving->port();
        leaving.reset();
        const CommandRun second = runCommand(&runScan, scan, pinnedNow());
        QCOMPARE(second.exitCode, 2); // the refused connection

        const QDateTime now = pinnedNow().addSecs(600);
        const CommandRun diff =
            runCommand(&runDiff, {u"--database"_s, db, u"--since"_s, u"1d"_s}, now);
        QVERIFY2(diff.exitCode == 0, qPrintable(diff.err));
        QList<QByteArray> lines = diff.out.split('\n');
        while (!lines.isEmpty() && lines.last().trimmed().isEmpty())
            lines.removeLast();
        QCOMPARE(lines.size(), 3);
        QCOMPARE(lines[0].trimmed(),
                 QByteArray("first_seen,kind,target_id,target,address,before,after,detail"));
        const QString rotation = QString::fromUtf8(lines[1].trimmed());
        const QString failure = QString::fromUtf8(lines[2].trimmed());
        const QString when = pinnedNow().toString(Qt::ISODate);
        QVERIFY2(rotation.startsWith(
                     when +
                     u",certificate_rotated,1,rotating.test:%1,127.0.0.1,"_s.arg(rotating.port())),
                 qPrintable(rotation));
        const QString expiry = renewed.certificate().expiryDate().toUTC().toString(Qt::ISODate);
        QVERIFY2(
            rotation.endsWith(u",%1,%2,%3"_s.arg(fingerprint(old), fingerprint(renewed), expiry)),
            qPrintable(rotation));
        QVERIFY2(failure.startsWith(when + u",failure_started,2,leaving.test:%1,127.0.0.1,ok,"
                                           "unreachable,"_s.arg(leavingPort)),
                 qPrintable(failure));
        QVERIFY2(failure.contains(u"refused"_s), qPrintable(failure));

        // The same as JSON; and a window before the second scan has neither.
        const CommandRun json = runCommand(
            &runDiff, {u"--database"_s, db, u"--since"_s, u"1d"_s, u"--format"_s, u"json"_s}, now);
        QCOMPARE(json.exitCode, 0);
        const QJsonArray changes =
            QJsonDocument::fromJson(json.out).object()[u"changes"_s].toArray();
        QCOMPARE(changes.size(), 2);
        QCOMPARE(changes[0][u"kind"_s].toString(), u"certificate_rotated"_s);
        QCOMPARE(changes[0][u"before"_s].toString(), fingerprint(old));
        QCOMPARE(changes[0][u"after"_s].toString(), fingerprint(renewed));
        QCOMPARE(changes[0][u"first_seen"_s].toString(), when);
        QCOMPARE(changes[1][u"kind"_s].toString(), u"failure_started"_s);
        QCOMPARE(changes[1][u"target_id"_s].toInteger(), 2);

        const CommandRun earlier =
            runCommand(&runDiff,
                       {u"--database"_s, db, u"--since"_s, u"7d"_s, u"--until"_s,
                        pinnedNow().addSecs(-1).toString(Qt::ISODate)},
                       now);
        QCOMPARE(earlier.exitCode, 0);
        QVERIFY2(!earlier.out.contains("certificate_rotated") &&
                     !earlier.out.contains("failure_started"),
                 earlier.out.constData());
        QCOMPARE(earlier.out.count("target_added"), 2); // the import, three days back
    }

    void badTimesAreUsageErrors_data() {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        QTest::newRow("no --since") << QStringList{} << u"--since is required"_s;
        QTest::newRow("unknown unit")
            << QStringList{u"--since"_s, u"7y"_s} << u"--since: '7y' is neither a duration"_s;
        QTest::newRow("not a date")
            << QStringList{u"--since"_s, u"2026-13-45"_s} << u"'2026-13-45'"_s;
        QTest::newRow("bad --until")
            << QStringList{u"--since"_s, u"7d"_s, u"--until"_s, u"soon"_s} << u"--until: 'soon'"_s;
        QTest::newRow("reversed") << QStringList{u"--since"_s, u"1d"_s, u"--until"_s, u"2d"_s}
                                  << u"must be before --until"_s;
        QTest::newRow("format") << QStringList{u"--since"_s, u"1d"_s, u"--format"_s, u"xml"_s}
                                << u"unknown format 'xml'"_s;
    }

    void badTimesAreUsageErrors() {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        const CommandRun run = runCommand(
            &runDiff, QStringList{u"--database"_s, m_dir.filePath(u"empty.sqlite"_s)} + arguments);
        QCOMPARE(run.exitCode, 3);
        QVERIFY2(run.err.startsWith(u"certdash diff: "_s) && run.err.contains(message),
                 qPrintable(run.err));
    }

    void timePoints() {
        const QDateTime now = pinnedNow();
        QCOMPARE(parseTimePoint(u"7d"_s, now), now.addDays(-7));
        QCOMPARE(parseTimePoint(u"12h"_s, now), now.addSecs(-12 * 3600));
        QCOMPARE(parseTimePoint(u"2w"_s, now), now.addDays(-14));
        QCOMPARE(parseTimePoint(u"2026-03-01T08:00:00Z"_s, now),
                 QDateTime(QDate(2026, 3, 1), QTime(8, 0), Qt::UTC));
        QCOMPARE(parseTimePoint(u"2026-03-01T08:00:00+02:00"_s, now),
                 QDateTime(QDate(2026, 3, 1), QTime(6, 0), Qt::UTC));
        // Without a zone: the reader's local time.
        QCOMPARE(parseTimePoint(u"2026-03-01T08:00"_s, now),
                 QDateTime(QDate(2026, 3, 1), QTime(8, 0), Qt::LocalTime).toUTC());
        QCOMPARE(parseTimePoint(u"2026-03-01"_s, now),
                 QDateTime(QDate(2026, 3, 1), QTime(0, 0), Qt::LocalTime).toUTC());
        QString error;
        QVERIFY(!parseTimePoint(u"yesterday"_s, now, &error));
        QVERIFY2(error.contains(u"'yesterday'"_s), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestDiffCommand)
#include "tst_diffcommand.moc"
