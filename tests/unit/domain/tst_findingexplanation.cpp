#include "domain/FindingExplanation.h"

#include <QTest>

using namespace certdash;
using namespace Qt::StringLiterals;

class TestFindingExplanation : public QObject
{
    Q_OBJECT
private slots:
    void explains_data()
    {
        QTest::addColumn<QString>("finding");
        QTest::addColumn<QString>("advice");
        QTest::newRow("expired") << "expired: CN=R3 expired 2026-01-01T00:00:00Z" << "Renew";
        QTest::newRow("incomplete") << "incomplete chain: issuer of CN=a (CN=b) was not sent"
                                    << "full chain";
        QTest::newRow("untrusted root") << "untrusted root: CN=Private Root is not a trusted anchor"
                                        << "Settings";
        QTest::newRow("mismatch") << "hostname mismatch: certificate is not valid for x.test"
                                  << "SAN";
        QTest::newRow("stale cross-sign")
            << "extra certificate not on the verified path: CN=Old Root" << "Remove it";
        QTest::newRow("weak key") << "weak key: CN=x has a 1024-bit RSA key" << "stronger key";
        QTest::newRow("weak signature") << "weak signature: CN=x is signed with sha1" << "SHA-1";
        QTest::newRow("self-signed") << "self-signed certificate: CN=x is not a trusted anchor"
                                     << "self-signed";
        QTest::newRow("not yet valid") << "not yet valid: CN=x valid from 2027" << "clock";
        QTest::newRow("unreadable notAfter") << "unreadable notAfter in CN=x: 991332000000Z"
                                             << "reissue it";
        QTest::newRow("unreadable notBefore") << "unreadable notBefore in CN=x: 00000101000000Z"
                                              << "year 0000";
        QTest::newRow("CN only")
            << "no subjectAltName: CN=x matched only through the deprecated Common Name fallback"
            << "since 2017";
        QTest::newRow("out of order")
            << "chain out of order: CN=Int 1 is sent before CN=Int 2, the certificate it issued"
            << "old Java";
    }
    void explains()
    {
        QFETCH(QString, finding);
        QFETCH(QString, advice);
        const QString text = explainFinding(finding);
        QVERIFY2(text.contains(advice), qPrintable(text));
    }
    void unknownFindingHasNoExplanation()
    {
        QVERIFY(explainFinding(u"something new"_s).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestFindingExplanation)
#include "tst_findingexplanation.moc"
