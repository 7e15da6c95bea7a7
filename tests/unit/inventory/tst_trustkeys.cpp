// The trust acceptance keys of a target (accept_self_signed, pin_issuer, pin_sha256) in every
// input format, their validation, and the export round trip.
#include "inventory/InventoryExport.h"
#include "inventory/TargetParser.h"

#include <QTest>

using namespace certdash;
using namespace Qt::StringLiterals;

namespace {
const QString kPin = u"AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:"
                     "AB:CD:EF:01:23:45:67:89"_s;

QString issuesText(const ParsedTargets &parsed) {
    QStringList lines;
    for (const ParseIssue &issue : parsed.issues)
        lines << issue.toString();
    return lines.join(u'\n');
}

QString acceptanceOf(const Target &t) {
    return u"self=%1|issuer=%2|sha256=%3"_s.arg(t.acceptance.acceptSelfSigned ? 1 : 0)
        .arg(t.acceptance.pinIssuer, t.acceptance.pinSha256);
}
} // namespace

class TestTrustKeys : public QObject {
    Q_OBJECT
private slots:
    void accepted_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("line, flag alone")
            << u"lab.test accept_self_signed"_s << u"self=1|issuer=|sha256="_s;
        QTest::newRow("line, flag false")
            << u"lab.test accept_self_signed=no"_s << u"self=0|issuer=|sha256="_s;
        QTest::newRow("line, issuer quoted") << u"lab.test pin_issuer=\"CN=Lab CA, O=Example\""_s
                                             << u"self=0|issuer=CN=Lab CA, O=Example|sha256="_s;
        QTest::newRow("line, fingerprint without colons")
            << u"lab.test pin_sha256="_s + kPin.toLower().remove(u':')
            << u"self=0|issuer=|sha256="_s + kPin;
        QTest::newRow("csv") << u"host,accept_self_signed,pin_issuer,pin_sha256\n"
                                "lab.test,true,Lab CA,"_s +
                                    kPin + u"\n"_s
                             << u"self=1|issuer=Lab CA|sha256="_s + kPin;
        QTest::newRow("json") << u"[{\"host\": \"lab.test\", \"accept_self_signed\": true, "
                                 "\"pin_sha256\": \""_s +
                                     kPin + u"\"}]"_s
                              << u"self=1|issuer=|sha256="_s + kPin;
    }
    void accepted() {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        const ParsedTargets parsed = parseTargets(text.toUtf8(), u"t"_s);
        QVERIFY2(parsed.issues.isEmpty(), qPrintable(issuesText(parsed)));
        QCOMPARE(parsed.targets.size(), 1);
        QCOMPARE(acceptanceOf(parsed.targets.first()), expected);
    }

    void rejected_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("message");
        QTest::newRow("short fingerprint")
            << u"lab.test pin_sha256=AB:CD"_s
            << u"t:1: bad pin_sha256 'AB:CD': a SHA-256 fingerprint is 32 bytes"_s;
        QTest::newRow("long value is cut")
            << u"lab.test pin_sha256="_s + QString(500, u'Z')
            << u"bad pin_sha256 '"_s + QString(40, u'Z') + u"\u2026' (500 characters)"_s;
        QTest::newRow("empty issuer") << u"lab.test pin_issuer=\"\""_s << u"empty pin_issuer"_s;
        QTest::newRow("bad flag") << u"lab.test accept_self_signed=maybe"_s
                                  << u"bad value for accept_self_signed: 'maybe'"_s;
        QTest::newRow("json flag as text")
            << u"[{\"host\": \"lab.test\", \"accept_self_signed\": \"yes\"}]"_s
            << u"'accept_self_signed' must be true or false"_s;
    }
    void rejected() {
        QFETCH(QString, text);
        QFETCH(QString, message);
        const ParsedTargets parsed = parseTargets(text.toUtf8(), u"t"_s);
        QVERIFY(parsed.targets.isEmpty());
        QVERIFY2(issuesText(parsed).contains(message), qPrintable(issuesText(parsed)));
        QVERIFY(issuesText(parsed).size() < 300); // never the whole of a long value
    }

    void exportRoundTrips() {
        Target t;
        t.host = u"lab.test"_s;
        t.acceptance.acceptSelfSigned = true;
        t.acceptance.pinIssuer = u"CN=Lab CA, O=Example"_s;
        t.acceptance.pinSha256 = kPin;
        Target plain;
        plain.host = u"plain.test"_s;
        for (const QByteArray &data : {inventoryToCsv({t, plain}), inventoryToJson({t, plain})}) {
            const ParsedTargets parsed = parseTargets(data, u"export"_s);
            QVERIFY2(parsed.issues.isEmpty(), qPrintable(issuesText(parsed)));
            QCOMPARE(parsed.targets.size(), 2);
            QCOMPARE(acceptanceOf(parsed.targets.at(0)), acceptanceOf(t));
            QCOMPARE(acceptanceOf(parsed.targets.at(1)), acceptanceOf(plain));
        }
    }
};

QTEST_GUILESS_MAIN(TestTrustKeys)
#include "tst_trustkeys.moc"
