#include "storage/Settings.h"

#include <QTemporaryDir>
#include <QTest>

using namespace certdash;
using namespace Qt::StringLiterals;

class TestSettings : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    int m_counter = 0;
    QString freshIni() { return m_dir.filePath(u"s%1.ini"_s.arg(++m_counter)); }

private slots:
    void defaults()
    {
        Settings s(freshIni());
        const Settings::Values v = s.values();
        QCOMPARE(v.warningDays, 30);
        QCOMPARE(v.criticalDays, 7);
        QVERIFY(!v.rotationDays);
        QCOMPARE(v.probeIntervalMinutes, 360);
        QCOMPARE(v.concurrency, 32);
        QCOMPARE(v.timeoutSeconds, 10.0);
        QCOMPARE(v.engine, ProbeEngine::OpenSsl);
        QVERIFY(v.useSystemAnchors);
        QCOMPARE(s.retentionPolicy().keepDailyDays, 730);
    }

    void storeAndReadBack()
    {
        const QString ini = freshIni();
        const QString pem = m_dir.filePath(u"anchor.pem"_s);
        QFile f(pem);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("-----BEGIN CERTIFICATE-----\n");
        f.close();
        Settings::Values v;
        v.warningDays = 21;
        v.criticalDays = 5;
        v.rotationDays = 30;
        v.probeIntervalMinutes = 60;
        v.concurrency = 100;
        v.timeoutSeconds = 2.5;
        v.engine = ProbeEngine::Qt;
        v.trustAnchorFiles = {pem};
        {
            Settings s(ini);
            QCOMPARE(s.store(v), QStringList());
            s.sync();
        }
        Settings again(ini);
        const Settings::Values r = again.values();
        QCOMPARE(r.warningDays, 21);
        QCOMPARE(r.criticalDays, 5);
        QCOMPARE(r.rotationDays.value_or(0), 30);
        QCOMPARE(r.probeIntervalMinutes, 60);
        QCOMPARE(r.concurrency, 100);
        QCOMPARE(r.timeoutSeconds, 2.5);
        QCOMPARE(r.engine, ProbeEngine::Qt);
        QCOMPARE(QSettings(ini, QSettings::IniFormat).value(u"probing/engine"_s).toString(), u"qt"_s);
        QCOMPARE(r.trustAnchorFiles, QStringList{pem});
        QCOMPARE(again.expiryPolicy().rotationDays.value_or(0), 30);
    }

    // Settings > Connection: the default client certificate and proxy, stored as paths and a URL
    // (never a secret), validated like a target's.
    void connectionStoredAndValidated()
    {
        const QString ini = freshIni();
        const QString cert = m_dir.filePath(u"client.p12"_s);
        QFile f(cert);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("p12");
        f.close();
        Settings::Values v;
        v.connection.clientCertificate = cert;
        v.connection.proxy = u"socks5://ops@gw.example:1080"_s;
        {
            Settings s(ini);
            QCOMPARE(s.store(v), QStringList());
            s.sync();
        }
        QCOMPARE(Settings(ini).values().connection, v.connection);

        Settings::Values bad = v;
        bad.connection.proxy = u"http://ops:hunter2@gw.example:3128"_s;
        bad.connection.clientKey = u"relative.key"_s;
        const QStringList problems = Settings(freshIni()).store(bad);
        QCOMPARE(problems.size(), 2);
        QVERIFY2(problems.join(u'\n').contains(u"carries a password"_s), qPrintable(problems.join(u'\n')));
        QVERIFY(!problems.join(u'\n').contains(u"hunter2"_s));
        QVERIFY2(problems.join(u'\n').contains(u"relative.key is not an absolute path"_s),
                 qPrintable(problems.join(u'\n')));
        bad = {};
        bad.connection.clientKey = cert;
        QVERIFY(Settings(freshIni()).store(bad).join(u'\n').contains(u"needs its client certificate"_s));
    }

    void invalidValuesAreRefusedAndNothingWritten_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("problem");
        QTest::newRow("critical above warning") << "critical" << "must not exceed";
        QTest::newRow("zero concurrency") << "concurrency" << "Concurrency";
        QTest::newRow("negative timeout") << "timeout" << "Timeout";
        QTest::newRow("missing anchor file") << "anchor" << "cannot be read";
        QTest::newRow("no anchors at all") << "noanchors" << "at least one trust anchor";
        QTest::newRow("zero rotation") << "rotation" << "Rotation";
    }
    void invalidValuesAreRefusedAndNothingWritten()
    {
        QFETCH(QString, field);
        QFETCH(QString, problem);
        Settings::Values v;
        if (field == u"critical"_s)
            v.criticalDays = 40;
        else if (field == u"concurrency"_s)
            v.concurrency = 0;
        else if (field == u"timeout"_s)
            v.timeoutSeconds = -1;
        else if (field == u"anchor"_s)
            v.trustAnchorFiles = {u"/nonexistent/ca.pem"_s};
        else if (field == u"noanchors"_s)
            v.useSystemAnchors = false;
        else if (field == u"rotation"_s)
            v.rotationDays = 0;
        Settings s(freshIni());
        const QStringList problems = s.store(v);
        QCOMPARE(problems.size(), 1);
        QVERIFY2(problems.first().contains(problem), qPrintable(problems.first()));
        QCOMPARE(s.values().concurrency, 32); // nothing stored
    }

    // A hand-edited file with nonsense falls back to defaults instead of being trusted.
    // A language without a translation is refused by name; one edited into the file by hand is
    // ignored (the system's applies) rather than trusted.
    void languageMustHaveATranslation()
    {
        Settings::Values v;
        v.language = u"xx"_s;
        const QStringList problems = Settings(freshIni()).store(v);
        QVERIFY2(problems.join(u'\n').contains(u"no translation for the language xx"_s),
                 qPrintable(problems.join(u'\n')));
        v.language = u"de"_s;
        const QString ini = freshIni();
        QVERIFY(Settings(ini).store(v).isEmpty());
        QCOMPARE(Settings(ini).values().language, u"de"_s);
        QSettings(ini, QSettings::IniFormat).setValue(u"ui/language"_s, u"xx"_s);
        QCOMPARE(Settings(ini).values().language, QString());
    }

    void garbageInTheFileFallsBackToDefaults()
    {
        const QString ini = freshIni();
        QFile f(ini);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("[probing]\nconcurrency=-5\ntimeout_seconds=abc\ninterval_minutes=99999999\n"
                "engine=quic\n"
                "[thresholds]\nwarning_days=3\ncritical_days=9\n");
        f.close();
        const Settings::Values v = Settings(ini).values();
        QCOMPARE(v.concurrency, 32);
        QCOMPARE(v.timeoutSeconds, 10.0);
        QCOMPARE(v.engine, ProbeEngine::OpenSsl);
        QCOMPARE(v.probeIntervalMinutes, 360);
        QCOMPARE(v.warningDays, 30);
        QCOMPARE(v.criticalDays, 7);
    }

    // Settings > Fleet: sources round-trip; a URL carrying a password, an unknown
    // authentication, Basic without a user, an unreadable CA file or a read interval out of range
    // are refused with a message naming the source.
    void fleetSourcesStoredAndValidated()
    {
        const QString ini = freshIni();
        const QString ca = m_dir.filePath(u"prom-ca.pem"_s);
        QFile f(ca);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("-----BEGIN CERTIFICATE-----\n");
        f.close();
        FleetSourceSettings plain;
        plain.url = u"http://prometheus.test:9090"_s;
        FleetSourceSettings basic;
        basic.url = u"https://prom.example:9443/prefix"_s;
        basic.auth = u"basic"_s;
        basic.user = u"reader"_s;
        basic.caFile = ca;
        basic.readIntervalSeconds = 300;
        Settings::Values v;
        v.fleetSources = {plain, basic};
        {
            Settings s(ini);
            QCOMPARE(s.store(v), QStringList());
            s.sync();
        }
        QCOMPARE(Settings(ini).values().fleetSources, v.fleetSources);
        // Fewer sources later: the ones removed do not linger in the file.
        v.fleetSources = {basic};
        {
            Settings s(ini);
            QCOMPARE(s.store(v), QStringList());
            s.sync();
        }
        QCOMPARE(Settings(ini).values().fleetSources, v.fleetSources);

        const auto problems = [](FleetSourceSettings source) {
            return Settings::validateFleetSource(source).join(u'\n');
        };
        FleetSourceSettings bad = plain;
        bad.url = u"http://reader:s3cret@prom.test:9090"_s;
        QVERIFY(problems(bad).contains(u"keychain"_s));
        QVERIFY(!problems(bad).contains(u"s3cret"_s)); // the message never quotes the password
        bad = plain;
        bad.url = u"ftp://prom.test"_s;
        QVERIFY(problems(bad).contains(u"ftp://prom.test"_s));
        bad = plain;
        bad.auth = u"basic"_s;
        QVERIFY(problems(bad).contains(u"user name"_s));
        bad = plain;
        bad.caFile = m_dir.filePath(u"missing.pem"_s);
        QVERIFY(problems(bad).contains(u"missing.pem"_s));
        bad = plain;
        bad.readIntervalSeconds = 5;
        QVERIFY(problems(bad).contains(u"read interval"_s));
        v.fleetSources = {bad};
        QVERIFY(!Settings(freshIni()).store(v).isEmpty());
    }

    void uiState()
    {
        const QString ini = freshIni();
        {
            Settings s(ini);
            s.setUiState(u"main/geometry"_s, QByteArray("\x01\x02", 2));
            s.sync();
        }
        QCOMPARE(Settings(ini).uiState(u"main/geometry"_s), QByteArray("\x01\x02", 2));
    }
};

QTEST_GUILESS_MAIN(TestSettings)
#include "tst_settings.moc"
