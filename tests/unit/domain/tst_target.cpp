#include "domain/Target.h"

#include <QTest>

using namespace certdash;

class TestTarget : public QObject
{
    Q_OBJECT
private slots:
    void sniAndIdentity_data()
    {
        QTest::addColumn<QString>("host");
        QTest::addColumn<QString>("sni");
        QTest::addColumn<bool>("noSni");
        QTest::addColumn<QString>("expectedSni");
        QTest::addColumn<QString>("expectedIdentity");
        QTest::newRow("name") << "Example.COM" << "" << false << "example.com" << "example.com";
        QTest::newRow("idn -> punycode") << QString::fromUtf8("bücher.example") << "" << false
                                         << "xn--bcher-kva.example" << "xn--bcher-kva.example";
        QTest::newRow("ipv4: no sni") << "192.0.2.7" << "" << false << "" << "192.0.2.7";
        QTest::newRow("ipv6: no sni") << "2001:db8::1" << "" << false << "" << "2001:db8::1";
        QTest::newRow("ip with sni override") << "192.0.2.7" << "api.internal" << false
                                              << "api.internal" << "api.internal";
        QTest::newRow("no_sni still verifies the name") << "example.com" << "" << true << ""
                                                        << "example.com";
    }

    void sniAndIdentity()
    {
        QFETCH(QString, host);
        QFETCH(QString, sni);
        QFETCH(bool, noSni);
        QFETCH(QString, expectedSni);
        QFETCH(QString, expectedIdentity);
        Target t;
        t.host = host;
        t.sni = sni;
        t.noSni = noSni;
        QCOMPARE(t.effectiveSni(), expectedSni);
        QCOMPARE(t.verificationIdentity(), expectedIdentity);
    }

    void hostPortBracketsIpv6()
    {
        Target t;
        t.host = QStringLiteral("2001:db8::1");
        t.port = 8443;
        QCOMPARE(t.hostPort(), QStringLiteral("[2001:db8::1]:8443"));
        QCOMPARE(t.label(), QStringLiteral("[2001:db8::1]:8443"));
        t.name = QStringLiteral("edge");
        QCOMPARE(t.label(), QStringLiteral("edge"));
    }

    void addresses_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("canonical"); // "" = rejected
        QTest::newRow("ipv4") << "10.0.0.1" << "10.0.0.1";
        QTest::newRow("ipv6") << "2001:DB8:0::1" << "2001:db8::1";
        QTest::newRow("bracketed ipv6") << "[::1]" << "::1";
        QTest::newRow("octet too big") << "10.0.0.256" << "";
        QTest::newRow("three octets") << "10.0.1" << "";
        QTest::newRow("bare number") << "1" << "";
        QTest::newRow("name") << "example.com" << "";
        QTest::newRow("empty") << "" << "";
    }

    void addresses()
    {
        QFETCH(QString, text);
        QFETCH(QString, canonical);
        const auto result = canonicalAddress(text);
        QCOMPARE(result.value_or(QString()), canonical);
    }

    void startTlsPorts()
    {
        QCOMPARE(defaultPort(StartTls::None), quint16(443));
        QCOMPARE(defaultPort(*startTlsFromKey(QStringLiteral("smtp"))), quint16(25));
        QCOMPARE(defaultPort(*startTlsFromKey(QStringLiteral("IMAP"))), quint16(143));
        QCOMPARE(defaultPort(*startTlsFromKey(QStringLiteral("pop3"))), quint16(110));
        QCOMPARE(defaultPort(*startTlsFromKey(QStringLiteral("ftp"))), quint16(21));
        QCOMPARE(defaultPort(*startTlsFromKey(QStringLiteral("ldap"))), quint16(389));
        QCOMPARE(defaultPort(*startTlsFromKey(QStringLiteral("xmpp"))), quint16(5222));
        QCOMPARE(defaultPort(*startTlsFromKey(QStringLiteral("postgres"))), quint16(5432));
        QVERIFY(!startTlsFromKey(QStringLiteral("gopher")));
    }
};

QTEST_GUILESS_MAIN(TestTarget)
#include "tst_target.moc"
