// Prometheus API answers about the blackbox_exporter fleet -> report rows (FleetRows.h), without
// a network: bodies shaped as Prometheus 2.42 writes them, with the metrics and labels
// blackbox_exporter 0.23 exports (checked by running it) and those `certdash fleet config` writes.
#include "fleet/FleetRows.h"
#include "fleet/FleetSource.h"
#include "reports/Report.h"
#include "reports/ReportColumns.h"

#include "TestSupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace certdash;
using namespace certdash::test;
using namespace Qt::StringLiterals;

namespace {
const QString kWhere = u"http://127.0.0.1:9090/api/v1/query"_s;
const QString kSource = u"http://127.0.0.1:9090"_s;
const QString kFingerprint = u"87dfbf1007c0d66abe586c7e56a787fba70fefd9e728e18bc4db4a065a9f9879"_s;

QJsonObject baseLabels(const QString &target, const QString &instance) {
    return {{u"job"_s, u"certdash_blackbox"_s},
            {u"instance"_s, instance},
            {u"module"_s, u"certdash_tls_x_0000"_s},
            {u"exporter"_s, u"127.0.0.1:9115"_s},
            {u"target"_s, target},
            {u"host"_s, u"127.0.0.1"_s},
            {u"port"_s, u"8443"_s},
            {u"sni"_s, u"alpha.test"_s}};
}

QJsonObject series(QJsonObject labels, const QString &name, const QString &value,
                   const QJsonObject &extra = {}) {
    labels.insert(u"__name__"_s, name);
    for (auto it = extra.begin(); it != extra.end(); ++it)
        labels.insert(it.key(), it.value());
    return {{u"metric"_s, labels},
            {u"value"_s, QJsonArray{double(pinnedNow().toSecsSinceEpoch()), value}}};
}

QByteArray vector(const QJsonArray &result) {
    return QJsonDocument(QJsonObject{{u"status"_s, u"success"_s},
                                     {u"data"_s, QJsonObject{{u"resultType"_s, u"vector"_s},
                                                             {u"result"_s, result}}}})
        .toJson(QJsonDocument::Compact);
}

QString secs(const QDateTime &t) {
    return QString::number(t.toSecsSinceEpoch());
}

// Every metric blackbox writes for a probe that read a certificate.
QJsonArray healthyProbe(const QJsonObject &labels, const QDateTime &earliest) {
    return {
        series(labels, u"probe_success"_s, u"1"_s),
        series(labels, u"probe_ssl_earliest_cert_expiry"_s, secs(earliest)),
        // insecure_skip_verify: no verified chain, Go's zero time.
        series(labels, u"probe_ssl_last_chain_expiry_timestamp_seconds"_s, u"-6.21355968e+10"_s),
        series(labels, u"probe_ssl_last_chain_info"_s, u"1"_s,
               {{u"fingerprint_sha256"_s, kFingerprint},
                {u"subject"_s, u"CN=alpha.test,O=Acme\\, Inc"_s},
                {u"issuer"_s, u"CN=Test CA,O=Org"_s},
                {u"subjectalternative"_s, u"alpha.test,www.alpha.test"_s}}),
        series(labels, u"probe_tls_version_info"_s, u"1"_s, {{u"version"_s, u"TLS 1.3"_s}}),
        series(labels, u"probe_duration_seconds"_s, u"0.012345"_s)};
}

QByteArray timesFor(const QList<QJsonObject> &labels, const QDateTime &at) {
    QJsonArray result;
    for (QJsonObject l : labels)
        result.append(QJsonObject{
            {u"metric"_s, l},
            {u"value"_s, QJsonArray{double(pinnedNow().toSecsSinceEpoch()), secs(at) + u".5"_s}}});
    return vector(result);
}

QList<ProbeResult> rowsOf(const QByteArray &metrics, const QByteArray &times,
                          const QList<Target> &known = {}) {
    const PromVector m = parsePromVector(metrics, kWhere);
    const PromVector t = parsePromVector(times, kWhere);
    if (!m.error.isEmpty() || !t.error.isEmpty())
        qFatal("unexpected error: %s %s", qPrintable(m.error), qPrintable(t.error));
    FleetRowContext context;
    context.source = kSource;
    context.known = known;
    context.now = pinnedNow();
    return fleetRows(m.samples, t.samples, context);
}
} // namespace

class TestFleetRows : public QObject {
    Q_OBJECT

private slots:
    void certificateRows_data() {
        QTest::addColumn<double>("earliestDays");
        QTest::addColumn<QString>("status");
        QTest::addColumn<int>("daysLeft");
        QTest::newRow("healthy") << 100.0 << u"ok"_s << 100;
        QTest::newRow("expired") << -3.0 << u"expired"_s << -3;
        // The intermediate expires first: blackbox's earliest is the chain's, not the leaf's.
        QTest::newRow("intermediate earliest") << 20.0 << u"warning"_s << 20;
        QTest::newRow("critical") << 2.5 << u"critical"_s << 2;
    }
    void certificateRows() {
        QFETCH(double, earliestDays);
        QFETCH(QString, status);
        QFETCH(int, daysLeft);
        const QDateTime earliest = pinnedNow().addSecs(qint64(earliestDays * 86400));
        const QJsonObject labels = baseLabels(u"alpha"_s, u"127.0.0.1:8443"_s);
        const QDateTime sampled = pinnedNow().addSecs(-42);
        const QList<ProbeResult> rows =
            rowsOf(vector(healthyProbe(labels, earliest)), timesFor({labels}, sampled));
        QCOMPARE(rows.size(), 1);
        const ProbeResult &r = rows.first();
        QCOMPARE(statusKey(r.status), status);
        QCOMPARE(r.daysLeft, std::optional<int>(daysLeft));
        QVERIFY(r.limiting);
        QCOMPARE(r.limiting->notAfter, earliest);
        QCOMPARE(r.source, kSource);
        QVERIFY(r.isFleetRow());
        QCOMPARE(r.target.label(), u"alpha"_s);
        QCOMPARE(r.target.host, u"127.0.0.1"_s);
        QCOMPARE(r.target.port, quint16(8443));
        QCOMPARE(r.sni, u"alpha.test"_s);
        QCOMPARE(r.address, u"127.0.0.1"_s);
        QCOMPARE(r.tlsVersion, u"TLSv1.3"_s);
        QCOMPARE(r.durationMs, qint64(12));
        QCOMPARE(r.probedAt,
                 QDateTime::fromMSecsSinceEpoch(sampled.toMSecsSinceEpoch() + 500, Qt::UTC));
        QVERIFY(r.error.isEmpty());
        QVERIFY(r.leaf());
        QCOMPARE(r.leaf()->sha256Fingerprint, u"87:DF:BF:10:07:C0:D6:6A:BE:58:6C:7E:56:A7:87:FB:"
                                              u"A7:0F:EF:D9:E7:28:E1:8B:C4:DB:4A:06:5A:9F:98:79"_s);
        QCOMPARE(r.leaf()->subject, u"CN=alpha.test, O=Acme\\, Inc"_s);
        QCOMPARE(r.leaf()->subjectCommonName, u"alpha.test"_s);
        QCOMPARE(r.leaf()->issuer, u"CN=Test CA, O=Org"_s);
        QCOMPARE(r.leaf()->subjectAltNames,
                 QStringList({u"DNS:alpha.test"_s, u"DNS:www.alpha.test"_s}));
        // What blackbox does not export stays empty in the report: the leaf's own dates, trust.
        const QList<ReportField> cells = reportRow(r);
        QHash<QString, QString> byName;
        for (const ReportField &f : cells)
            byName.insert(f.column, f.value.toString());
        QCOMPARE(byName.value(u"not_after"_s), QString());
        QCOMPARE(byName.value(u"not_before"_s), QString());
        QCOMPARE(byName.value(u"trust"_s), QString());
        QCOMPARE(byName.value(u"trust_level"_s), QString());
        QCOMPARE(byName.value(u"key_bits"_s), QString());
        QCOMPARE(byName.value(u"earliest_expiry"_s), isoUtc(earliest));
        QCOMPARE(byName.value(u"status"_s), status);
    }

    // probe_success 0 and no TLS metric: the row is there, failed, saying blackbox gives no reason.
    void failedProbeIsAFailureRow() {
        const QJsonObject ok = baseLabels(u"alpha"_s, u"127.0.0.1:8443"_s);
        QJsonObject closedLabels = baseLabels(u"closed"_s, u"127.0.0.1:1"_s);
        closedLabels.insert(u"port"_s, u"1"_s);
        QJsonArray result = healthyProbe(ok, pinnedNow().addDays(90));
        result.append(series(closedLabels, u"probe_success"_s, u"0"_s));
        result.append(series(closedLabels, u"probe_duration_seconds"_s, u"0.0009"_s));
        const QList<ProbeResult> rows =
            rowsOf(vector(result), timesFor({ok, closedLabels}, pinnedNow()));
        QCOMPARE(rows.size(), 2);
        const ProbeResult &closed = rows.at(1);
        QCOMPARE(closed.target.label(), u"closed"_s);
        QCOMPARE(closed.status, Status::Unreachable);
        QVERIFY(!closed.hasCertificate());
        QVERIFY2(closed.error.contains(u"127.0.0.1:9115"_s), qPrintable(closed.error));
        QCOMPARE(exitCodeFor(closed.status), 2);
    }

    // Every exporter probes every target: alpha from two zones (one of which cannot reach it)
    // is two rows, each naming its exporter; beta, probed from one zone only, names none; a
    // fleet of one exporter never does.
    void anAddressProbedFromSeveralExportersIsARowPerExporter() {
        const auto from = [](QJsonObject labels, const QString &exporter, int job) {
            labels.insert(u"exporter"_s, exporter);
            labels.insert(u"job"_s, u"certdash_blackbox_%1"_s.arg(job));
            return labels;
        };
        const QJsonObject alphaA = from(baseLabels(u"alpha"_s, u"127.0.0.1:8443"_s),
                                        u"zone-a.test:9115"_s, 0);
        const QJsonObject alphaB = from(baseLabels(u"alpha"_s, u"127.0.0.1:8443"_s),
                                        u"zone-b.test:9115"_s, 1);
        QJsonObject betaLabels = baseLabels(u"beta"_s, u"127.0.0.1:9443"_s);
        betaLabels.insert(u"port"_s, u"9443"_s);
        const QJsonObject betaA = from(betaLabels, u"zone-a.test:9115"_s, 0);
        QJsonArray result = healthyProbe(alphaB, pinnedNow().addDays(90));
        result.append(series(alphaA, u"probe_success"_s, u"0"_s));
        for (const QJsonValue &v : healthyProbe(betaA, pinnedNow().addDays(30)))
            result.append(v);
        const QList<ProbeResult> rows =
            rowsOf(vector(result), timesFor({alphaA, alphaB, betaA}, pinnedNow()));
        QCOMPARE(rows.size(), 3);
        QCOMPARE(rows.at(0).target.label(), u"alpha"_s);
        QCOMPARE(rows.at(0).vantage, u"zone-a.test:9115"_s);
        QCOMPARE(rows.at(0).status, Status::Unreachable); // zone a cannot reach it
        QCOMPARE(rows.at(1).target.label(), u"alpha"_s);
        QCOMPARE(rows.at(1).vantage, u"zone-b.test:9115"_s);
        QCOMPARE(rows.at(1).status, Status::Ok);
        QCOMPARE(rows.at(2).target.label(), u"beta"_s);
        QCOMPARE(rows.at(2).vantage, QString());
        QVERIFY(fleetRowKey(rows.at(0)) != fleetRowKey(rows.at(1)));

        const QList<ProbeResult> single = rowsOf(vector(healthyProbe(alphaB, pinnedNow().addDays(90))),
                                                 timesFor({alphaB}, pinnedNow()));
        QCOMPARE(single.size(), 1);
        QCOMPARE(single.first().vantage, QString());
    }

    // Thresholds come from the stored target (its tags' applied by the caller), as in a scan.
    void storedThresholdsApply() {
        const QJsonObject labels = baseLabels(u"alpha"_s, u"127.0.0.1:8443"_s);
        Target stored;
        stored.id = 7;
        stored.name = u"alpha"_s;
        stored.host = u"127.0.0.1"_s;
        stored.port = 8443;
        stored.sni = u"alpha.test"_s;
        stored.warningDays = 120;
        stored.owner = u"team"_s;
        const QByteArray metrics = vector(healthyProbe(labels, pinnedNow().addDays(100)));
        const QByteArray times = timesFor({labels}, pinnedNow());
        QCOMPARE(rowsOf(metrics, times).first().status, Status::Ok);
        const ProbeResult r = rowsOf(metrics, times, {stored}).first();
        QCOMPARE(r.status, Status::Warning);
        QCOMPARE(r.target.id, qint64(7));
        QCOMPARE(r.target.owner, u"team"_s);
    }

    // A series without the labels `fleet config` writes still becomes a row, named by instance.
    void missingLabels() {
        const QJsonObject labels{{u"job"_s, u"other"_s}, {u"instance"_s, u"[::1]:9443"_s}};
        const QList<ProbeResult> rows =
            rowsOf(vector(healthyProbe(labels, pinnedNow().addDays(40))), vector({}));
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows.first().target.host, u"::1"_s);
        QCOMPARE(rows.first().target.port, quint16(9443));
        QCOMPARE(rows.first().address, u"::1"_s);
        QCOMPARE(rows.first().status, Status::Ok);
        QCOMPARE(rows.first().probedAt, pinnedNow()); // no sample time: when it was read
    }

    // Label values are data: quotes, newlines, formulas, separators, non-Latin text come
    // through as they are, and the reports guard them as for any other row.
    void hostileLabelValues() {
        const QString hostile = u"=HYPERLINK(\"x\"),\n\"night\" # 運用 {{x}} ${1} \\ ,"_s;
        QJsonObject labels = baseLabels(hostile, u"127.0.0.1:8443"_s);
        labels.insert(u"owner"_s, hostile);
        labels.insert(u"tags"_s, u"prod,a:b"_s);
        const QList<ProbeResult> rows =
            rowsOf(vector(healthyProbe(labels, pinnedNow().addDays(60))), vector({}));
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows.first().target.label(), hostile);
        QCOMPARE(rows.first().target.owner, hostile);
        QCOMPARE(rows.first().target.tags, QStringList({u"prod"_s, u"a:b"_s}));
        const QByteArray csv = renderReport(ReportFormat::Csv, rows, pinnedNow());
        QVERIFY(!csv.contains("\n=HYPERLINK")); // the formula guard of every CSV cell
        QVERIFY(!csv.contains(",=HYPERLINK"));
        const QByteArray prom = renderReport(ReportFormat::Prometheus, rows, pinnedNow());
        QVERIFY(prom.contains("target=\"=HYPERLINK(\\\"x\\\"),\\n\\\"night\\\""));
    }

    void badBodies_data() {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("prometheus error")
            << QByteArray("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid "
                          "parameter \\\"query\\\": 1:2: parse error: unexpected\"}")
            << QStringList{kWhere, u"bad_data"_s, u"parse error"_s};
        QTest::newRow("truncated json")
            << QByteArray("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                          "{\"metric\":{\"__na")
            << QStringList{kWhere, u"not Prometheus JSON"_s, u"{\"status\":\"success\""_s};
        QTest::newRow("html") << QByteArray("<html><body>502 Bad Gateway</body></html>")
                              << QStringList{kWhere, u"502 Bad Gateway"_s};
        QTest::newRow("matrix where a vector is expected")
            << QByteArray(
                   "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}")
            << QStringList{kWhere, u"vector"_s};
        QTest::newRow("value not a pair")
            << QByteArray("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                          "{\"metric\":{},\"value\":\"1\"}]}}")
            << QStringList{kWhere, u"value"_s};
    }
    void badBodies() {
        QFETCH(QByteArray, body);
        QFETCH(QStringList, expected);
        const PromVector parsed = parsePromVector(body, kWhere);
        QVERIFY(parsed.samples.isEmpty());
        for (const QString &part : expected)
            QVERIFY2(parsed.error.contains(part), qPrintable(parsed.error));
        QVERIFY2(parsed.error.size() < 400, qPrintable(parsed.error)); // an excerpt, not the body
    }

    void hugeBodyIsQuotedShort() {
        const QByteArray body = "{\"status\":" + QByteArray(1 << 20, 'x');
        const PromVector parsed = parsePromVector(body, kWhere);
        QVERIFY(!parsed.error.isEmpty());
        QVERIFY2(parsed.error.size() < 400, qPrintable(parsed.error.left(500)));
    }

    void history() {
        const qint64 t0 = pinnedNow().toSecsSinceEpoch();
        const QString earliest = QString::number(t0 + 10 * 86400);
        // One [time, value] pair, appended: `QJsonArray{QJsonArray{...}}` is a copy to clang (the
        // sanitizer build) and a nested array to GCC.
        QJsonArray earliestValues;
        earliestValues.append(QJsonArray{t0, earliest});
        const QByteArray body =
            QJsonDocument(
                QJsonObject{
                    {u"status"_s, u"success"_s},
                    {u"data"_s,
                     QJsonObject{
                         {u"resultType"_s, u"matrix"_s},
                         {u"result"_s,
                          QJsonArray{
                              QJsonObject{
                                  {u"metric"_s, QJsonObject{{u"__name__"_s, u"probe_success"_s}}},
                                  {u"values"_s, QJsonArray{QJsonArray{t0, u"1"_s},
                                                           QJsonArray{t0 + 60, u"0"_s}}}},
                              QJsonObject{
                                  {u"metric"_s, QJsonObject{{u"__name__"_s,
                                                             u"probe_ssl_earliest_cert_expiry"_s}}},
                                  {u"values"_s, earliestValues}},
                          }}}}})
                .toJson();
        const PromMatrix matrix = parsePromMatrix(body, kWhere);
        QVERIFY2(matrix.error.isEmpty(), qPrintable(matrix.error));
        const QList<HistoryPoint> points = fleetHistory(matrix.series, u"127.0.0.1"_s, {});
        QCOMPARE(points.size(), 2);
        QCOMPARE(points.at(0).status, Status::Warning);
        QCOMPARE(points.at(0).daysLeft, std::optional<int>(10));
        QCOMPARE(points.at(1).status, Status::Unreachable);
        QCOMPARE(points.at(1).probedAt.toSecsSinceEpoch(), t0 + 60);
    }

    // blackbox's fingerprint_sha256 as CertDash writes fingerprints; odd lengths and what
    // blackbox never writes converted as they always were.
    void fingerprintForms_data() {
        QTest::addColumn<QString>("hex");
        QTest::addColumn<QString>("expected");
        QTest::newRow("sha-256") << kFingerprint
                                 << u"87:DF:BF:10:07:C0:D6:6A:BE:58:6C:7E:56:A7:87:FB:A7:0F:EF:D9:"
                                    u"E7:28:E1:8B:C4:DB:4A:06:5A:9F:98:79"_s;
        QTest::newRow("upper case") << u"AbCd"_s << u"AB:CD"_s;
        QTest::newRow("empty") << QString() << QString();
        QTest::newRow("one digit") << u"a"_s << QString();
        QTest::newRow("odd length") << u"abc"_s << u"AB"_s;
        QTest::newRow("not hex") << u"zz-_"_s << u"ZZ:-_"_s;
        QTest::newRow("full case mapping") << u"\u00dfa0b"_s << u"SSA:0B"_s;
    }
    void fingerprintForms() {
        QFETCH(QString, hex);
        QFETCH(QString, expected);
        QCOMPARE(fingerprintFromBlackbox(hex), expected);
    }

    void sourceSecretKeyHasNoSecret() {
        FleetSource source;
        source.url = QUrl(u"HTTPS://Prom.Example:9443/prom/"_s);
        source.auth = FleetSource::Auth::Basic;
        source.user = u"reader"_s;
        QCOMPARE(source.secretKey(), u"fleet:https://reader@prom.example:9443/prom"_s);
        QVERIFY(fleetUrlProblem(u"http://127.0.0.1:9090"_s).isEmpty());
        QVERIFY(!fleetUrlProblem(u"ftp://x"_s).isEmpty());
        const QString problem = fleetUrlProblem(u"http://u:hunter2@127.0.0.1:9090"_s);
        QVERIFY(!problem.isEmpty());
        QVERIFY2(!problem.contains(u"hunter2"_s), qPrintable(problem));
    }
};

QTEST_GUILESS_MAIN(TestFleetRows)
#include "tst_fleetrows.moc"
