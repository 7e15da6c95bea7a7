// `certdash secret`: what standard input gives becomes the secret (or is refused, never quoted),
// and what the user types as NAME becomes the entry name the rest of CertDash looks up.
#include "cli/SecretCommands.h"
#include "fleet/FleetSource.h"
#include "secrets/SecretStore.h"

#include <QDir>
#include <QTest>
#include <QUrl>

using namespace certdash;
using namespace certdash::cli;
using namespace Qt::StringLiterals;

class TestSecretInput : public QObject {
    Q_OBJECT

private slots:
    void oneLineWithoutItsNewline_data() {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QString>("secret");
        QTest::newRow("no newline") << QByteArray("s3cret") << u"s3cret"_s;
        QTest::newRow("newline") << QByteArray("s3cret\n") << u"s3cret"_s;
        QTest::newRow("CRLF") << QByteArray("s3cret\r\n") << u"s3cret"_s;
        QTest::newRow("inner and edge spaces kept") << QByteArray(" a b \n") << u" a b "_s;
        QTest::newRow("UTF-8") << QByteArray("p\xc3\xa4ss\n") << u"p\u00e4ss"_s;
    }
    void oneLineWithoutItsNewline() {
        QFETCH(QByteArray, input);
        QFETCH(QString, secret);
        QString error;
        const std::optional<QString> got = secretFromInput(input, &error);
        QVERIFY2(got, qPrintable(error));
        QCOMPARE(*got, secret);
    }

    void refusedWithoutQuotingIt_data() {
        QTest::addColumn<QByteArray>("input");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("empty line") << QByteArray("\n");
        QTest::newRow("two lines") << QByteArray("hidden-one\nhidden-two\n");
        QTest::newRow("too long") << QByteArray(70000, 'h');
    }
    void refusedWithoutQuotingIt() {
        QFETCH(QByteArray, input);
        QString error;
        QVERIFY(!secretFromInput(input, &error));
        QVERIFY(!error.isEmpty());
        QVERIFY(!error.contains(u"hidden"_s));
        QVERIFY(!error.contains(u"hhhh"_s));
    }

    void namesAreTheOnesCertDashLooksUp() {
        QString error;
        QCOMPARE(canonicalSecretName(u"client-key:keys/../keys/a.pem"_s, &error),
                 std::optional<QString>(clientKeySecretName(u"keys/a.pem"_s)));
        QVERIFY(canonicalSecretName(u"client-key:keys/a.pem"_s, &error)
                    ->startsWith(u"client-key:"_s + QDir::currentPath()));
        QCOMPARE(
            canonicalSecretName(u"proxy:HTTP://alice@Proxy.Example:3128"_s, &error),
            std::optional<QString>(proxySecretName(QUrl(u"http://alice@proxy.example:3128"_s))));
        // The Prometheus of `certdash fleet read` (issue 15): as FleetSource::secretKey() names it.
        FleetSource bearer;
        bearer.url = QUrl(u"https://prom.example:9090/"_s);
        bearer.auth = FleetSource::Auth::Bearer;
        QCOMPARE(canonicalSecretName(u"fleet:HTTPS://Prom.Example:9090/"_s, &error),
                 std::optional<QString>(bearer.secretKey()));
        FleetSource basic = bearer;
        basic.auth = FleetSource::Auth::Basic;
        basic.user = u"reader"_s;
        QCOMPARE(canonicalSecretName(u"fleet:https://reader@prom.example:9090"_s, &error),
                 std::optional<QString>(basic.secretKey()));
    }

    void namesThatCannotBeLookedUpAreRefused_data() {
        QTest::addColumn<QString>("name");
        QTest::newRow("no prefix") << u"mykey"_s;
        QTest::newRow("empty path") << u"client-key:"_s;
        QTest::newRow("proxy without host") << u"proxy:nothing"_s;
        QTest::newRow("password in the proxy URL") << u"proxy:http://alice:pw@proxy:3128"_s;
        QTest::newRow("password in the fleet URL") << u"fleet:http://alice:pw@prom:9090"_s;
        QTest::newRow("fleet URL not http") << u"fleet:ftp://prom:21"_s;
    }
    void namesThatCannotBeLookedUpAreRefused() {
        QFETCH(QString, name);
        QString error;
        QVERIFY(!canonicalSecretName(name, &error));
        QVERIFY(!error.isEmpty());
        QVERIFY(!error.contains(u":pw@"_s));
    }
};

QTEST_GUILESS_MAIN(TestSecretInput)
#include "tst_secretinput.moc"
