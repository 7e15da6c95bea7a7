#include "cli/ScanCommand.h"
#include "cli/ScanOptions.h"

#include <QTest>

using namespace certdash;
using namespace certdash::cli;
using namespace Qt::StringLiterals;

class TestScanOptions : public QObject
{
    Q_OBJECT
private slots:
    void storedInventoryByDefault()
    {
        const ScanArguments a = parseScanArguments({u"--database"_s, u"estate.sqlite"_s});
        QVERIFY2(a.options, qPrintable(a.error));
        QVERIFY(a.options->targetsPath.isEmpty());
        QCOMPARE(a.options->databasePath, u"estate.sqlite"_s);
        QVERIFY(parseScanArguments({}).options);
    }

    // Alerts: off unless asked, the event log from Settings unless given ("" turns it off).
    void alertOptions()
    {
        const ScanArguments plain = parseScanArguments({u"--database"_s, u"e.sqlite"_s});
        QVERIFY(!plain.options->notify);
        QVERIFY(!plain.options->eventLogPath);
        const ScanArguments a = parseScanArguments(
            {u"--database"_s, u"e.sqlite"_s, u"--notify"_s, u"--event-log"_s, u"ev.jsonl"_s});
        QVERIFY2(a.options, qPrintable(a.error));
        QVERIFY(a.options->notify);
        QCOMPARE(a.options->eventLogPath.value_or(QString()), u"ev.jsonl"_s);
        const ScanArguments off = parseScanArguments({u"--event-log"_s, u""_s});
        QVERIFY2(off.options, qPrintable(off.error));
        QCOMPARE(off.options->eventLogPath.value_or(u"unset"_s), QString());
    }

    void defaults()
    {
        const ScanArguments a = parseScanArguments({u"--targets"_s, u"hosts.txt"_s});
        QVERIFY2(a.options, qPrintable(a.error));
        QCOMPARE(a.options->targetsPath, u"hosts.txt"_s);
        QCOMPARE(a.options->format, ReportFormat::Csv);
        QCOMPARE(a.options->concurrency, 32);
        QCOMPARE(a.options->timeoutMs, 10000);
        QCOMPARE(a.options->engine, ProbeEngine::OpenSsl);
        QCOMPARE(a.options->policy.warningDays, 30);
        QCOMPARE(a.options->policy.criticalDays, 7);
        QVERIFY(!a.options->policy.rotationDays);
        QVERIFY(a.options->systemAnchors);
        QVERIFY(a.options->outputPath.isEmpty());
        QCOMPARE(a.options->retention.keepAllDays, 30);
        QCOMPARE(a.options->retention.keepDailyDays, 730);
    }

    void everyOption()
    {
        const ScanArguments a = parseScanArguments(
            {u"-t"_s, u"-"_s, u"--format"_s, u"prometheus"_s, u"-o"_s, u"out.prom"_s,
             u"--concurrency"_s, u"200"_s, u"--timeout"_s, u"2.5"_s, u"--warning"_s, u"21"_s,
             u"--critical"_s, u"3"_s, u"--rotation"_s, u"60"_s, u"--ca-file"_s, u"a.pem"_s,
             u"--ca-file"_s, u"b.pem"_s, u"--no-system-ca"_s, u"--quiet"_s,
             u"--input-format"_s, u"csv"_s, u"--engine"_s, u"qt"_s});
        QVERIFY2(a.options, qPrintable(a.error));
        const ScanOptions &o = *a.options;
        QCOMPARE(o.engine, ProbeEngine::Qt);
        QCOMPARE(o.targetsPath, u"-"_s);
        QCOMPARE(o.format, ReportFormat::Prometheus);
        QCOMPARE(o.inputFormat, TargetFormat::Csv);
        QCOMPARE(o.outputPath, u"out.prom"_s);
        QCOMPARE(o.concurrency, 200);
        QCOMPARE(o.timeoutMs, 2500);
        QCOMPARE(o.policy.warningDays, 21);
        QCOMPARE(o.policy.criticalDays, 3);
        QCOMPARE(o.policy.rotationDays.value_or(0), 60);
        QCOMPARE(o.caFiles, (QStringList{u"a.pem"_s, u"b.pem"_s}));
        QVERIFY(!o.systemAnchors);
        QVERIFY(o.quiet);
    }

    void rejected_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("errorPart");
        const QString t = u"--targets"_s;
        const QString f = u"x.txt"_s;
        QTest::newRow("empty targets") << QStringList{t, u""_s} << "--targets needs a file name";
        QTest::newRow("targets and database")
            << QStringList{t, f, u"--database"_s, u"x.sqlite"_s} << "not both";
        QTest::newRow("unknown option") << QStringList{t, f, u"--bogus"_s} << "bogus";
        QTest::newRow("bad format") << QStringList{t, f, u"--format"_s, u"xml"_s} << "--format";
        QTest::newRow("bad input format")
            << QStringList{t, f, u"--input-format"_s, u"yaml"_s} << "--input-format";
        QTest::newRow("zero concurrency")
            << QStringList{t, f, u"--concurrency"_s, u"0"_s} << "--concurrency";
        QTest::newRow("text timeout") << QStringList{t, f, u"--timeout"_s, u"soon"_s} << "--timeout";
        QTest::newRow("negative timeout")
            << QStringList{t, f, u"--timeout"_s, u"-1"_s} << "--timeout";
        QTest::newRow("unknown engine")
            << QStringList{t, f, u"--engine"_s, u"gnutls"_s}
            << "--engine: expected openssl or qt, got 'gnutls'";
        QTest::newRow("fractional warning")
            << QStringList{t, f, u"--warning"_s, u"2.5"_s} << "--warning";
        QTest::newRow("critical above warning")
            << QStringList{t, f, u"--warning"_s, u"5"_s, u"--critical"_s, u"9"_s}
            << "must not exceed";
        QTest::newRow("zero rotation") << QStringList{t, f, u"--rotation"_s, u"0"_s} << "--rotation";
        QTest::newRow("no anchors at all") << QStringList{t, f, u"--no-system-ca"_s}
                                           << "--ca-file";
        QTest::newRow("retention inverted")
            << QStringList{t, f, u"--keep-all-days"_s, u"60"_s, u"--keep-daily-days"_s, u"30"_s}
            << "--keep-daily-days";
        QTest::newRow("stray argument") << QStringList{t, f, u"extra"_s} << "extra";
        QTest::newRow("notify with a targets file") << QStringList{t, f, u"--notify"_s}
                                                    << "cannot be used with --targets";
        QTest::newRow("event log with a targets file")
            << QStringList{t, f, u"--event-log"_s, u"e.jsonl"_s}
            << "cannot be used with --targets";
        QTest::newRow("proxy with a password")
            << QStringList{t, f, u"--proxy"_s, u"http://u:pw@proxy:3128"_s}
            << "--proxy: 'http://u@proxy:3128': a password does not belong in a proxy URL";
        QTest::newRow("proxy scheme") << QStringList{t, f, u"--proxy"_s, u"ftp://proxy:21"_s}
                                      << "--proxy: 'ftp://proxy:21' is not a usable proxy";
        QTest::newRow("proxy and no proxy")
            << QStringList{t, f, u"--proxy"_s, u"http://proxy:3128"_s, u"--no-proxy"_s}
            << "not both";
        QTest::newRow("client key without its certificate")
            << QStringList{t, f, u"--client-key"_s, u"c.key"_s} << "--client-key needs --client-cert";
        QTest::newRow("empty client certificate")
            << QStringList{t, f, u"--client-cert"_s, u""_s} << "--client-cert needs a file name";
    }

    void clientCertificate()
    {
        // A PKCS#12 file alone, or a PEM certificate with its key; never a passphrase option.
        ScanArguments a = parseScanArguments({u"--targets"_s, u"x.txt"_s, u"--client-cert"_s, u"c.p12"_s});
        QVERIFY2(a.options, qPrintable(a.error));
        QCOMPARE(a.options->clientCertPath, u"c.p12"_s);
        QCOMPARE(a.options->clientKeyPath, QString());
        a = parseScanArguments({u"--targets"_s, u"x.txt"_s, u"--client-cert"_s, u"c.pem"_s,
                                u"--client-key"_s, u"c.key"_s});
        QVERIFY2(a.options, qPrintable(a.error));
        QCOMPARE(a.options->clientKeyPath, u"c.key"_s);
        QVERIFY(scanUsage().contains(u"--client-cert"_s));
        QVERIFY(!scanUsage().contains(u"--client-key-passphrase"_s));
        a = parseScanArguments({u"--targets"_s, u"x.txt"_s, u"--client-key-passphrase"_s, u"x"_s});
        QVERIFY(!a.options);
    }

    // --proxy URL or none, --no-proxy; neither: the environment decides (at scan time).
    void proxyOptions()
    {
        const QString t = u"--targets"_s;
        const QString f = u"x.txt"_s;
        const ScanArguments plain = parseScanArguments({t, f});
        QVERIFY(!plain.options->proxy);
        QVERIFY(!plain.options->noProxy);
        const ScanArguments given =
            parseScanArguments({t, f, u"--proxy"_s, u"socks5h://me@proxy:1080"_s});
        QVERIFY2(given.options, qPrintable(given.error));
        QCOMPARE(given.options->proxy.value_or(QString()), u"socks5h://me@proxy:1080"_s);
        QCOMPARE(parseScanArguments({t, f, u"--proxy"_s, u"none"_s}).options->proxy.value_or(
                     QString()),
                 u"none"_s);
        QVERIFY(parseScanArguments({t, f, u"--no-proxy"_s}).options->noProxy);
    }
    void rejected()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, errorPart);
        const ScanArguments a = parseScanArguments(arguments);
        QVERIFY(!a.options);
        QVERIFY2(a.error.contains(errorPart), qPrintable(a.error));
    }

    void help()
    {
        QVERIFY(parseScanArguments({u"--help"_s}).helpRequested);
        const QString usage = scanUsage();
        QVERIFY(usage.startsWith(u"Usage: certdash scan"_s));
        for (const char *option : {"--targets", "--format", "--output", "--concurrency",
                                   "--timeout", "--warning", "--critical", "--rotation",
                                   "--ca-file", "--quiet", "--notify", "--event-log", "--proxy",
                                   "--no-proxy", "--engine"})
            QVERIFY2(usage.contains(QLatin1String(option)), option);
    }

    void progressAndSummary()
    {
        QCOMPARE(progressLine(0, 1000, 0.0), u"[   0/1000]"_s);
        QCOMPARE(progressLine(250, 1000, 2.5), u"[ 250/1000] 100.0 probes/s, about 8 s left"_s);
        QCOMPARE(progressLine(1000, 1000, 10.0), u"[1000/1000] 100.0 probes/s"_s);

        QList<ProbeResult> results(5);
        results[0].status = Status::Ok;
        results[1].status = Status::Expired;
        results[2].status = Status::Ok;
        results[3].status = Status::Timeout;
        results[4].status = Status::Warning;
        QCOMPARE(summaryLine(results), u"endpoints 5: 1 expired, 1 timeout, 1 warning, 2 ok"_s);
    }
};

QTEST_GUILESS_MAIN(TestScanOptions)
#include "tst_scanoptions.moc"
