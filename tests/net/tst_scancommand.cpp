// `certdash scan` end to end against local servers: targets in, report and exit code out.
#include "CertFactory.h"
#include "LocalTlsServer.h"
#include "CommandRunner.h"
#include "TestSupport.h"
#include "cli/ScanCommand.h"
#include "inventory/CsvReader.h"

#include <QBuffer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTimer>
#include <QTest>

using namespace certdash;
using namespace certdash::cli;
using namespace certdash::test;
using namespace Qt::StringLiterals;

namespace {
using Run = CommandRun;

QList<QStringList> csvRows(const QByteArray &csv)
{
    QList<QStringList> rows;
    const CsvDocument doc = readCsv(QString::fromUtf8(csv));
    for (const CsvRecord &record : doc.records)
        rows << record.fields;
    return rows;
}
} // namespace

class TestScanCommand : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    TestCert m_root;
    TestCert m_ca;
    QString m_rootPem;
    std::vector<std::unique_ptr<LocalTlsServer>> m_servers;

    quint16 serveLeaf(const QString &name, double fromDays, double toDays)
    {
        CertSpec spec = CertSpec::leaf(name);
        spec.validDays(fromDays, toDays);
        const TestCert leaf = makeCert(spec, &m_ca);
        auto server = std::make_unique<LocalTlsServer>();
        server->setChain({leaf.certificate(), m_ca.certificate()}, leaf.key());
        if (!server->listenLoopback())
            qFatal("listen");
        const quint16 port = server->port();
        m_servers.push_back(std::move(server));
        return port;
    }

    QString writeFile(const QString &name, const QByteArray &content)
    {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(content) != content.size())
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

    Run scan(QStringList arguments)
    {
        arguments << u"--no-system-ca"_s << u"--ca-file"_s << m_rootPem << u"--timeout"_s
                  << u"3"_s;
        return runCommand(&runScan, arguments);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_root = makeCert(CertSpec::root(u"Scan Test Root"_s).validDays(-1000, 3000));
        m_ca = makeCert(CertSpec::intermediate(u"Scan Test CA"_s).validDays(-500, 1000), &m_root);
        m_rootPem = m_dir.filePath(u"root.pem"_s);
        QVERIFY(writePemBundle(m_rootPem, {m_root}));
    }

    void mixedEstate()
    {
        const quint16 ok = serveLeaf(u"ok.test"_s, -10, 80);
        const quint16 warn = serveLeaf(u"warn.test"_s, -70, 20.5);
        const quint16 expired = serveLeaf(u"old.test"_s, -100, -2.5);
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
        const quint16 refused = closed.serverPort();
        closed.close();

        const QString targets = writeFile(
            u"mixed.txt"_s,
            QStringLiteral("# estate\n"
                           "ok.test:%1 address=127.0.0.1 name=\"Main site\"\n"
                           "warn.test:%2 address=127.0.0.1\n"
                           "\n"
                           "old.test:%3 address=127.0.0.1\n"
                           "gone.test:%4 address=127.0.0.1\n")
                .arg(ok)
                .arg(warn)
                .arg(expired)
                .arg(refused)
                .toUtf8());
        const Run run = scan({u"--targets"_s, targets, u"--quiet"_s});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.isEmpty(), qPrintable(run.err)); // --quiet

        const QList<QStringList> rows = csvRows(run.out);
        QCOMPARE(rows.size(), 5);
        const QStringList header = rows[0];
        QCOMPARE(header.mid(0, 8), (QStringList{u"target"_s, u"host"_s, u"port"_s, u"sni"_s,
                                                u"address"_s, u"starttls"_s, u"status"_s,
                                                u"days_left"_s}));
        const auto cell = [&](int row, const QString &column) {
            return rows[row].value(header.indexOf(column));
        };
        // Input order, one row per address.
        QCOMPARE(cell(1, u"target"_s), u"Main site"_s);
        QCOMPARE(cell(1, u"status"_s), u"ok"_s);
        QCOMPARE(cell(1, u"days_left"_s), u"80"_s);
        QCOMPARE(cell(1, u"trust"_s), u"trusted"_s);
        QCOMPARE(cell(1, u"chain_length"_s), u"2"_s);
        QCOMPARE(cell(2, u"status"_s), u"warning"_s);
        QCOMPARE(cell(2, u"days_left"_s), u"20"_s);
        QCOMPARE(cell(3, u"status"_s), u"expired"_s);
        QCOMPARE(cell(3, u"days_left"_s), u"-3"_s);
        QCOMPARE(cell(3, u"earliest_expiry_subject"_s), u"CN=old.test"_s);
        QCOMPARE(cell(4, u"status"_s), u"unreachable"_s);
        QCOMPARE(cell(4, u"days_left"_s), QString());
        QVERIFY(cell(4, u"error"_s).contains(u"refused"_s));
        QVERIFY(cell(1, u"probed_at"_s).endsWith(u'Z'));
    }

    void exitCodes_data()
    {
        QTest::addColumn<double>("fromDays");
        QTest::addColumn<double>("toDays");
        QTest::addColumn<QString>("extra");
        QTest::addColumn<int>("exitCode");
        QTest::newRow("all ok") << -10.0 << 80.0 << "" << 0;
        QTest::newRow("warning") << -70.0 << 20.5 << "" << 1;
        QTest::newRow("rotation overdue") << -50.0 << 40.0 << " rotation=30" << 1;
        QTest::newRow("critical") << -85.0 << 3.5 << "" << 2;
        QTest::newRow("not yet valid") << 1.0 << 90.0 << "" << 2;
        QTest::newRow("expired") << -95.0 << -1.0 << "" << 2;
    }
    void exitCodes()
    {
        QFETCH(double, fromDays);
        QFETCH(double, toDays);
        QFETCH(QString, extra);
        QFETCH(int, exitCode);
        const quint16 port = serveLeaf(u"svc.test"_s, fromDays, toDays);
        const QString targets = writeFile(
            u"one.txt"_s, u"svc.test:%1 address=127.0.0.1%2\n"_s.arg(port).arg(extra).toUtf8());
        const Run run = scan({u"--targets"_s, targets});
        QCOMPARE(run.exitCode, exitCode);
        QVERIFY2(run.err.contains(u"endpoints 1"_s), qPrintable(run.err)); // the summary
    }

    // A bad line stops everything before a single connection is made.
    void badInputProbesNothing()
    {
        LocalTlsServer server;
        server.setMode(LocalTlsServer::Mode::Silent);
        QVERIFY(server.listenLoopback());
        const QString targets = writeFile(
            u"bad.txt"_s, u"good.test:%1 address=127.0.0.1\nbad.test:99999\nx.test frobnicate=1\n"_s
                              .arg(server.port())
                              .toUtf8());
        const Run run = scan({u"--targets"_s, targets});
        QCOMPARE(run.exitCode, 3);
        QVERIFY2(run.err.contains(targets + u":2: "_s), qPrintable(run.err));
        QVERIFY2(run.err.contains(targets + u":3: "_s), qPrintable(run.err));
        QVERIFY(run.err.contains(u"nothing was probed"_s));
        QVERIFY(run.out.isEmpty());
        QTest::qWait(50);
        QCOMPARE(server.connectionCount(), 0);
    }

    void usageAndInputErrors_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("errorPart");
        QTest::newRow("missing file") << QStringList{u"--targets"_s, u"/nonexistent/t.txt"_s}
                                      << "/nonexistent/t.txt";
        QTest::newRow("bad option") << QStringList{u"--targets"_s, u"x"_s, u"--format"_s, u"xml"_s}
                                    << "--format";
        QTest::newRow("missing CA file")
            << QStringList{u"--targets"_s, u"x"_s, u"--ca-file"_s, u"/nonexistent/ca.pem"_s}
            << "/nonexistent/ca.pem";
    }
    void usageAndInputErrors()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, errorPart);
        writeFile(u"x"_s, "svc.test:443 address=127.0.0.1\n");
        for (QString &a : arguments) {
            if (a == u"x"_s)
                a = m_dir.filePath(u"x"_s);
        }
        const Run run = scan(arguments);
        QCOMPARE(run.exitCode, 3);
        QVERIFY2(run.err.contains(errorPart), qPrintable(run.err));
    }

    void emptyTargetsIsAnInputError()
    {
        const Run run = scan({u"--targets"_s, writeFile(u"empty.txt"_s, "# nothing yet\n")});
        QCOMPARE(run.exitCode, 3);
        QVERIFY(run.err.contains(u"no targets"_s));
    }

    void outputFileAndJson()
    {
        const quint16 port = serveLeaf(u"json.test"_s, -10, 80);
        const QString targets =
            writeFile(u"json.txt"_s, u"json.test:%1 address=127.0.0.1\n"_s.arg(port).toUtf8());
        const QString output = m_dir.filePath(u"report.json"_s);
        const Run run = scan({u"--targets"_s, targets, u"--format"_s, u"json"_s, u"--output"_s, output});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.isEmpty());
        QFile f(output);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonObject doc = QJsonDocument::fromJson(f.readAll()).object();
        QCOMPARE(doc.value(u"generated_at"_s).toString(), u"2026-03-15T12:00:00Z"_s);
        const QJsonObject row = doc.value(u"results"_s).toArray().first().toObject();
        QCOMPARE(row.value(u"status"_s).toString(), u"ok"_s);
        QCOMPARE(row.value(u"days_left"_s).toInt(), 80);
        const QJsonArray chain = row.value(u"chain"_s).toArray();
        QCOMPARE(chain.size(), 2);
        QVERIFY(chain.first().toObject().value(u"pem"_s).toString().startsWith(
            u"-----BEGIN CERTIFICATE-----"_s));
        QVERIFY(chain.first().toObject().value(u"text"_s).toString().contains(u"Validity"_s));
    }

    // Rows are written as endpoints finish, not held until the scan ends: while a silent
    // endpoint is still being waited for, the rows before it are already in the report, and the
    // one after it waits for its turn (input order holds).
    void reportFillsWhileScanning()
    {
        const quint16 first = serveLeaf(u"first.test"_s, -10, 80);
        const quint16 second = serveLeaf(u"second.test"_s, -70, 20.5);
        const quint16 after = serveLeaf(u"after.test"_s, -10, 80);
        LocalTlsServer silent;
        silent.setMode(LocalTlsServer::Mode::Silent);
        QVERIFY(silent.listenLoopback());
        const QString targets =
            writeFile(u"streaming.txt"_s, QStringLiteral("first.test:%1 address=127.0.0.1\n"
                                                          "second.test:%2 address=127.0.0.1\n"
                                                          "silent.test:%3 address=127.0.0.1\n"
                                                          "after.test:%4 address=127.0.0.1\n")
                                              .arg(first)
                                              .arg(second)
                                              .arg(silent.port())
                                              .arg(after)
                                              .toUtf8());
        QBuffer out;
        QBuffer err;
        out.open(QIODevice::WriteOnly);
        err.open(QIODevice::WriteOnly);
        CommandStreams streams;
        streams.out = &out;
        streams.err = &err;
        streams.clock = std::make_shared<FixedClock>(pinnedNow());
        bool scanning = true;
        QByteArray whileScanning; // the report when it first held two rows
        connect(&out, &QIODevice::bytesWritten, this, [&] {
            if (scanning && whileScanning.isEmpty() && csvRows(out.data()).size() == 3)
                whileScanning = out.data();
        });
        const int exitCode = runScan({u"--targets"_s, targets, u"--no-system-ca"_s, u"--ca-file"_s,
                                      m_rootPem, u"--timeout"_s, u"3"_s},
                                     streams);
        scanning = false;
        QCOMPARE(exitCode, 2); // the silent endpoint timed out

        const QList<QStringList> rows = csvRows(out.data());
        QCOMPARE(rows.size(), 5);
        const int host = int(rows[0].indexOf(u"host"_s));
        const int status = int(rows[0].indexOf(u"status"_s));
        QCOMPARE(rows[1].value(host), u"first.test"_s);
        QCOMPARE(rows[2].value(host), u"second.test"_s);
        QCOMPARE(rows[3].value(host), u"silent.test"_s);
        QCOMPARE(rows[3].value(status), u"timeout"_s);
        QCOMPARE(rows[4].value(host), u"after.test"_s);

        QVERIFY2(!whileScanning.isEmpty(), "no row was in the report before the scan ended");
        const QList<QStringList> early = csvRows(whileScanning);
        QCOMPARE(early[1].value(host), u"first.test"_s);
        QCOMPARE(early[2].value(host), u"second.test"_s);
        QVERIFY(out.data().startsWith(whileScanning));
    }

    // The same through the real binary with stdout redirected to a file (`> report.csv`): the
    // finished row is in the file while the process still runs.
    void binaryFillsRedirectedStdout()
    {
        const QString binary = qEnvironmentVariable("CERTDASH_BINARY");
        if (binary.isEmpty())
            QSKIP("CERTDASH_BINARY is not set (run through ctest)");
        const quint16 port = serveLeaf(u"file.test"_s, -10, 80);
        LocalTlsServer silent;
        silent.setMode(LocalTlsServer::Mode::Silent);
        QVERIFY(silent.listenLoopback());
        const QString targets = writeFile(
            u"redirected.txt"_s, u"file.test:%1 address=127.0.0.1\nquiet.test:%2 address=127.0.0.1\n"_s
                                     .arg(port)
                                     .arg(silent.port())
                                     .toUtf8());
        const QString report = m_dir.filePath(u"redirected.csv"_s);
        QProcess process;
        process.setStandardOutputFile(report);
        QSignalSpy finished(&process, &QProcess::finished);
        process.start(binary, {u"scan"_s, u"--targets"_s, targets, u"--no-system-ca"_s,
                               u"--ca-file"_s, m_rootPem, u"--timeout"_s, u"5"_s, u"--quiet"_s});
        QVERIFY(process.waitForStarted());
        QByteArray whileRunning;
        QTimer look; // reads the file as `tail -f` would
        connect(&look, &QTimer::timeout, this, [&] {
            QFile f(report);
            if (process.state() == QProcess::Running && whileRunning.isEmpty()
                && f.open(QIODevice::ReadOnly)) {
                const QByteArray now = f.readAll();
                if (csvRows(now).size() == 2)
                    whileRunning = now;
            }
        });
        look.start(20);
        QVERIFY(finished.wait(30000));
        look.stop();
        QVERIFY2(csvRows(whileRunning).size() == 2, "the row was not in the file while scanning");
        QVERIFY(whileRunning.contains("file.test"));
        QFile f(report);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QList<QStringList> rows = csvRows(f.readAll());
        QCOMPARE(rows.size(), 3);
        QVERIFY(rows[2].join(u',').contains(u"quiet.test"_s));
    }

    void unwritableOutputIsReported()
    {
        const quint16 port = serveLeaf(u"w.test"_s, -10, 80);
        const QString targets =
            writeFile(u"w.txt"_s, u"w.test:%1 address=127.0.0.1\n"_s.arg(port).toUtf8());
        const Run run = scan({u"--targets"_s, targets, u"-o"_s, u"/nonexistent-dir/r.csv"_s});
        QCOMPARE(run.exitCode, 3);
        QVERIFY2(run.err.contains(u"/nonexistent-dir/r.csv"_s), qPrintable(run.err));
    }

    // The real binary: stdin targets, stdout report, exit code; no display needed.
    void binaryReadsStdin()
    {
        const QString binary = qEnvironmentVariable("CERTDASH_BINARY");
        if (binary.isEmpty())
            QSKIP("CERTDASH_BINARY is not set (run through ctest)");
        const quint16 port = serveLeaf(u"bin.test"_s, -10, 80);
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(u"DISPLAY"_s);
        env.remove(u"QT_QPA_PLATFORM"_s);
        process.setProcessEnvironment(env);
        QSignalSpy finished(&process, &QProcess::finished);
        process.start(binary, {u"scan"_s, u"--targets"_s, u"-"_s, u"--ca-file"_s, m_rootPem,
                               u"--format"_s, u"prometheus"_s});
        QVERIFY(process.waitForStarted());
        process.write(u"bin.test:%1 address=127.0.0.1\n"_s.arg(port).toUtf8());
        process.closeWriteChannel();
        QVERIFY(finished.wait(20000));
        const QByteArray out = process.readAllStandardOutput();
        // The real clock: the certificate was made relative to pinnedNow(), so it is long expired.
        QCOMPARE(process.exitCode(), 2);
        QVERIFY2(out.contains("certdash_probe_success{"), out.constData());
        QVERIFY(out.contains("status=\"expired\""));
    }

    void binaryUsageError()
    {
        const QString binary = qEnvironmentVariable("CERTDASH_BINARY");
        if (binary.isEmpty())
            QSKIP("CERTDASH_BINARY is not set (run through ctest)");
        QProcess process;
        process.start(binary, {u"scan"_s, u"--timeout"_s, u"never"_s});
        QVERIFY(process.waitForFinished(10000));
        QCOMPARE(process.exitCode(), 3);
        QVERIFY(process.readAllStandardError().contains("--timeout"));
        process.start(binary, {u"--version"_s});
        QVERIFY(process.waitForFinished(10000));
        QCOMPARE(process.exitCode(), 0);
        const QByteArray version = process.readAllStandardOutput();
        QVERIFY(version.startsWith("CertDash "));
        // The version has one place, project() in CMakeLists.txt: what the binary says is it.
        QCOMPARE(version, QByteArray("CertDash " CERTDASH_VERSION "\n"));
    }
};

QTEST_GUILESS_MAIN(TestScanCommand)
#include "tst_scancommand.moc"
