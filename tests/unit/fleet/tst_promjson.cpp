// The fast reader of Prometheus API answers (PromJson.h) against the QJsonDocument reader it
// replaces (parsePromVectorDocument, parsePromMatrixDocument): for every body, either the fast
// reader gives exactly the samples the QJsonDocument reader gives, or it declines and the public
// parsePromVector/parsePromMatrix give the QJsonDocument reader's answer (its error message).
// Bodies: the shapes Prometheus writes (some captured from Prometheus 2.42, in
// fuzz/corpus/prom), JSON it could write (key order, whitespace, extra keys, escapes, UTF-8,
// number forms) and what the fast reader must leave to QJsonDocument.
#include "fleet/FleetRows.h"
#include "fleet/PromJson.h"

#include "tst_promjson_cases.h"

#include <QDir>
#include <QFile>
#include <QTest>

#include <cstring>

using namespace certdash;
using namespace certdash::test;
using namespace Qt::StringLiterals;

namespace {
const QString kWhere = u"http://127.0.0.1:9090/api/v1/query"_s;

bool sameDouble(double a, double b) {
    return std::memcmp(&a, &b, sizeof a) == 0; // NaN is NaN, -0 is not 0
}

QString describe(const PromLabels &labels) {
    QStringList out;
    for (const PromLabels::Label &l : labels.pairs())
        out << l.first + u'=' + l.second;
    return out.join(u", "_s);
}

// The first difference between two readings, "" when there is none.
QString differenceOf(const QList<PromSample> &fast, const QList<PromSample> &document) {
    if (fast.size() != document.size())
        return u"%1 samples, QJsonDocument %2"_s.arg(fast.size()).arg(document.size());
    for (qsizetype i = 0; i < fast.size(); ++i) {
        if (fast[i].labels != document[i].labels)
            return u"sample %1: labels {%2}, QJsonDocument {%3}"_s.arg(i).arg(
                describe(fast[i].labels), describe(document[i].labels));
        if (!sameDouble(fast[i].value, document[i].value))
            return u"sample %1: value %2, QJsonDocument %3"_s.arg(i)
                .arg(fast[i].value)
                .arg(document[i].value);
    }
    return {};
}
QString differenceOf(const QList<PromSeries> &fast, const QList<PromSeries> &document) {
    if (fast.size() != document.size())
        return u"%1 series, QJsonDocument %2"_s.arg(fast.size()).arg(document.size());
    for (qsizetype i = 0; i < fast.size(); ++i) {
        if (fast[i].labels != document[i].labels)
            return u"series %1: labels {%2}, QJsonDocument {%3}"_s.arg(i).arg(
                describe(fast[i].labels), describe(document[i].labels));
        if (fast[i].points.size() != document[i].points.size())
            return u"series %1: %2 points, QJsonDocument %3"_s.arg(i)
                .arg(fast[i].points.size())
                .arg(document[i].points.size());
        for (qsizetype p = 0; p < fast[i].points.size(); ++p) {
            if (fast[i].points[p].first != document[i].points[p].first ||
                !sameDouble(fast[i].points[p].second, document[i].points[p].second))
                return u"series %1 point %2 differs"_s.arg(i).arg(p);
        }
    }
    return {};
}

} // namespace

class TestPromJson : public QObject {
    Q_OBJECT

private slots:
    void vector_data() {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("expect");
        for (const PromCase &c : promVectorCases())
            QTest::newRow(c.name.constData()) << c.body << int(c.expect);
    }

    // Either the same samples, or declined and the old answer (error message included).
    void vector() {
        QFETCH(QByteArray, body);
        QFETCH(int, expect);
        const std::optional<QList<PromSample>> fast = parsePromVectorFast(body);
        const PromVector document = parsePromVectorDocument(body, kWhere);
        const PromVector answer = parsePromVector(body, kWhere);
        if (expect != Either)
            QCOMPARE(fast.has_value(), expect == Accepts);
        if (fast) {
            QVERIFY2(document.error.isEmpty(), qPrintable(document.error));
            const QString difference = differenceOf(*fast, document.samples);
            QVERIFY2(difference.isEmpty(), qPrintable(difference));
            QVERIFY(answer.error.isEmpty());
            QVERIFY(differenceOf(answer.samples, *fast).isEmpty());
        } else {
            QCOMPARE(answer.error, document.error);
            QVERIFY(differenceOf(answer.samples, document.samples).isEmpty());
        }
    }

    void matrix_data() {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("expect");
        for (const PromCase &c : promMatrixCases())
            QTest::newRow(c.name.constData()) << c.body << int(c.expect);
    }

    void matrix() {
        QFETCH(QByteArray, body);
        QFETCH(int, expect);
        const std::optional<QList<PromSeries>> fast = parsePromMatrixFast(body);
        const PromMatrix document = parsePromMatrixDocument(body, kWhere);
        const PromMatrix answer = parsePromMatrix(body, kWhere);
        if (expect != Either)
            QCOMPARE(fast.has_value(), expect == Accepts);
        if (fast) {
            QVERIFY2(document.error.isEmpty(), qPrintable(document.error));
            const QString difference = differenceOf(*fast, document.series);
            QVERIFY2(difference.isEmpty(), qPrintable(difference));
            QVERIFY(answer.error.isEmpty());
            QVERIFY(differenceOf(answer.series, *fast).isEmpty());
        } else {
            QCOMPARE(answer.error, document.error);
            QVERIFY(differenceOf(answer.series, document.series).isEmpty());
        }
    }

    // The labels keep their meaning: value() with its fallback, contains(), insert() replacing.
    void labels() {
        const std::optional<QList<PromSample>> read =
            parsePromVectorFast("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
                                "\"result\":[{\"metric\":{\"job\":\"j\",\"sni\":\"\","
                                "\"target\":\"t\"},\"value\":[1,\"1\"]}]}}");
        QVERIFY(read && read->size() == 1);
        PromLabels labels = read->first().labels;
        QCOMPARE(labels.value(u"job"_s), u"j"_s);
        QCOMPARE(labels.value(u"sni"_s, u"fallback"_s), QString());
        QCOMPARE(labels.value(u"host"_s, u"fallback"_s), u"fallback"_s);
        QVERIFY(labels.contains(u"sni"_s));
        QVERIFY(!labels.contains(u"host"_s));
        PromLabels copy = labels;
        copy.insert(u"job"_s, u"k"_s);
        copy.insert(u"host"_s, u"h"_s);
        QCOMPARE(copy.value(u"job"_s), u"k"_s);
        QCOMPARE(copy.value(u"host"_s), u"h"_s);
        QCOMPARE(copy.size(), 4);
        QCOMPARE(labels.value(u"job"_s), u"j"_s); // the copy shared, then detached
        QVERIFY(copy != labels);
    }
};

QTEST_GUILESS_MAIN(TestPromJson)
#include "tst_promjson.moc"
