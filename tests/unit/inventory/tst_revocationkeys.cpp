// The check_revocation key of a target (online OCSP/CRL checks: yes, no, or inherit) in every
// input format, its validation, and the export round trip.
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

QString choiceOf(const Target &t) {
    return t.checkRevocation ? (*t.checkRevocation ? u"yes"_s : u"no"_s) : u"inherit"_s;
}
} // namespace

class TestRevocationKeys : public QObject {
    Q_OBJECT
private slots:
    void accepted_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("line, unset") << u"lab.test"_s << u"inherit"_s;
        QTest::newRow("line, no") << u"lab.test check_revocation=no"_s << u"no"_s;
        QTest::newRow("line, yes") << u"lab.test check_revocation=yes"_s << u"yes"_s;
        QTest::newRow("csv") << u"host,check_revocation\nlab.test,no\n"_s << u"no"_s;
        QTest::newRow("csv, empty cell") << u"host,check_revocation\nlab.test,\n"_s << u"inherit"_s;
        QTest::newRow("json, bool") << u"[{\"host\": \"lab.test\", \"check_revocation\": false}]"_s
                                    << u"no"_s;
        QTest::newRow("json, text") << u"[{\"host\": \"lab.test\", \"check_revocation\": \"yes\"}]"_s
                                    << u"yes"_s;
    }
    void accepted() {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        const ParsedTargets parsed = parseTargets(text.toUtf8(), u"t"_s);
        QVERIFY2(parsed.issues.isEmpty(), qPrintable(issuesText(parsed)));
        QCOMPARE(parsed.targets.size(), 1);
        QCOMPARE(choiceOf(parsed.targets.first()), expected);
    }

    void rejected_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("message");
        QTest::newRow("line") << u"lab.test check_revocation=sometimes"_s
                              << u"t:1: bad value for check_revocation: 'sometimes' (must be yes or no)"_s;
        QTest::newRow("long value is cut")
            << u"lab.test check_revocation="_s + QString(500, u'Z')
            << u"bad value for check_revocation: '"_s + QString(40, u'Z') + u"\u2026' (500 characters)"_s;
        QTest::newRow("json number") << u"[{\"host\": \"lab.test\", \"check_revocation\": 1}]"_s
                                     << u"'check_revocation' must be"_s;
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
        Target no;
        no.host = u"offline.test"_s;
        no.checkRevocation = false;
        Target yes;
        yes.host = u"public.test"_s;
        yes.checkRevocation = true;
        Target plain;
        plain.host = u"plain.test"_s;
        for (const QByteArray &data :
             {inventoryToCsv({no, yes, plain}), inventoryToJson({no, yes, plain})}) {
            const ParsedTargets parsed = parseTargets(data, u"export"_s);
            QVERIFY2(parsed.issues.isEmpty(), qPrintable(issuesText(parsed)));
            QCOMPARE(parsed.targets.size(), 3);
            QCOMPARE(choiceOf(parsed.targets.at(0)), u"no"_s);
            QCOMPARE(choiceOf(parsed.targets.at(1)), u"yes"_s);
            QCOMPARE(choiceOf(parsed.targets.at(2)), u"inherit"_s);
        }
    }
};

QTEST_GUILESS_MAIN(TestRevocationKeys)
#include "tst_revocationkeys.moc"
