// How a target is reached (client_cert, client_key, proxy) in every input format, their
// validation (never a password), and the export round trip.
#include "inventory/InventoryExport.h"
#include "inventory/TargetParser.h"

#include <QTest>

using namespace certdash;
using namespace Qt::StringLiterals;

namespace {
QString issuesText(const ParsedTargets &parsed) {
    QStringList lines;
    for (const ParseIssue &issue : parsed.issues)
        lines << issue.toString();
    return lines.join(u'\n');
}

QString connectionOf(const Target &t) {
    return u"cert=%1|key=%2|proxy=%3"_s.arg(t.connection.clientCertificate, t.connection.clientKey,
                                             t.connection.proxy);
}
} // namespace

class TestConnectionKeys : public QObject {
    Q_OBJECT
private slots:
    void accepted_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("line, PEM pair and proxy")
            << u"api.test client_cert=/etc/certdash/c.pem client_key=/etc/certdash/c.key "
               "proxy=http://ops@proxy.test:3128"_s
            << u"cert=/etc/certdash/c.pem|key=/etc/certdash/c.key|proxy=http://ops@proxy.test:3128"_s;
        QTest::newRow("line, PKCS#12 alone, path cleaned, quoted with a space")
            << u"api.test client_cert=\"/etc/cert dash/../id/c.p12\""_s
            << u"cert=/etc/id/c.p12|key=|proxy="_s;
        QTest::newRow("line, no proxy for this one") << u"api.test proxy=direct"_s
                                                     << u"cert=|key=|proxy=direct"_s;
        QTest::newRow("line, socks5h") << u"api.test proxy=socks5h://10.0.0.1:1080"_s
                                       << u"cert=|key=|proxy=socks5h://10.0.0.1:1080"_s;
        QTest::newRow("csv") << u"host,client_cert,proxy\napi.test,/srv/id.p12,socks5://gw:1080\n"_s
                             << u"cert=/srv/id.p12|key=|proxy=socks5://gw:1080"_s;
        QTest::newRow("json") << u"[{\"host\": \"api.test\", \"client_cert\": \"/a/c.pem\", "
                                 "\"client_key\": \"/a/c.key\"}]"_s
                              << u"cert=/a/c.pem|key=/a/c.key|proxy="_s;
    }
    void accepted() {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        const ParsedTargets parsed = parseTargets(text.toUtf8(), u"t"_s);
        QVERIFY2(parsed.issues.isEmpty(), qPrintable(issuesText(parsed)));
        QCOMPARE(parsed.targets.size(), 1);
        QCOMPARE(connectionOf(parsed.targets.first()), expected);
    }

    void rejected_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("secret"); // must not appear in the message
        QTest::newRow("password in the proxy URL")
            << u"api.test proxy=http://ops:hunter2@proxy.test:3128"_s
            << u"t:1: proxy \"http://ops@proxy.test:3128\" carries a password"_s << u"hunter2"_s;
        QTest::newRow("password in a URL that does not parse")
            << u"api.test proxy=\"http://ops:hunter2@proxy test:3128\""_s << u"is not a URL"_s
            << u"hunter2"_s;
        QTest::newRow("unknown scheme") << u"api.test proxy=ftp://proxy.test:21"_s
                                        << u"the scheme must be http, socks5 or socks5h"_s
                                        << QString();
        QTest::newRow("no port") << u"api.test proxy=http://proxy.test"_s << u"has no port"_s
                                 << QString();
        QTest::newRow("relative path") << u"api.test client_cert=certs/c.pem"_s
                                       << u"client_cert 'certs/c.pem' is not an absolute path"_s
                                       << QString();
        QTest::newRow("key without certificate") << u"api.test client_key=/a/c.key"_s
                                                 << u"client_key without client_cert"_s
                                                 << QString();
        QTest::newRow("empty proxy") << u"api.test proxy=\"\""_s << u"empty proxy"_s << QString();
        QTest::newRow("json proxy as a number")
            << u"[{\"host\": \"api.test\", \"proxy\": 3128}]"_s << u"proxy"_s << QString();
    }
    void rejected() {
        QFETCH(QString, text);
        QFETCH(QString, message);
        QFETCH(QString, secret);
        const ParsedTargets parsed = parseTargets(text.toUtf8(), u"t"_s);
        QVERIFY(parsed.targets.isEmpty());
        QVERIFY2(issuesText(parsed).contains(message), qPrintable(issuesText(parsed)));
        if (!secret.isEmpty())
            QVERIFY2(!issuesText(parsed).contains(secret), qPrintable(issuesText(parsed)));
    }

    void exportRoundTrips() {
        Target t;
        t.host = u"api.test"_s;
        t.connection.clientCertificate = u"/etc/certdash/c.pem"_s;
        t.connection.clientKey = u"/etc/certdash/c.key"_s;
        t.connection.proxy = u"socks5://ops@gw.test:1080"_s;
        Target direct;
        direct.host = u"direct.test"_s;
        direct.connection.proxy = QString::fromLatin1(kDirectProxy);
        Target plain;
        plain.host = u"plain.test"_s;
        for (const QByteArray &data :
             {inventoryToCsv({t, direct, plain}), inventoryToJson({t, direct, plain})}) {
            const ParsedTargets parsed = parseTargets(data, u"export"_s);
            QVERIFY2(parsed.issues.isEmpty(), qPrintable(issuesText(parsed)));
            QCOMPARE(parsed.targets.size(), 3);
            QCOMPARE(connectionOf(parsed.targets.at(0)), connectionOf(t));
            QCOMPARE(connectionOf(parsed.targets.at(1)), connectionOf(direct));
            QCOMPARE(connectionOf(parsed.targets.at(2)), connectionOf(plain));
        }
    }
};

QTEST_GUILESS_MAIN(TestConnectionKeys)
#include "tst_connectionkeys.moc"
