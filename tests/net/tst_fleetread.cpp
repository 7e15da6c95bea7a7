// `certdash fleet read` against the real thing: Debian's prometheus and
// prometheus-blackbox-exporter run on loopback with the files `certdash fleet config` wrote, and
// probe local TLS servers (a healthy chain, an intermediate that expires before its leaf, an
// expired private-CA certificate, a closed port). Once Prometheus has scraped them, the rows
// `certdash fleet read` prints must equal `certdash scan`'s of the same endpoints, per target
// address: earliest expiry, leaf fingerprint, status, and the exit code. A Prometheus that
// accepts and never answers fails the read within its --timeout, with exit code 3. And
// `promtool check metrics` accepts every Prometheus text CertDash writes (scan, report, fleet
// read).
#include "FleetHarness.h"
#include "LocalTlsServer.h"

#include <QDir>
#include <QTemporaryDir>

using namespace certdash;
using namespace certdash::test;
using namespace Qt::StringLiterals;

namespace {
// Rows of a JSON report by "target|address".
QHash<QString, QJsonObject> rowsByAddress(const QByteArray &json) {
    QHash<QString, QJsonObject> rows;
    for (const QJsonValue &row :
         QJsonDocument::fromJson(json).object().value(u"results"_s).toArray())
        rows.insert(row[u"target"_s].toString() + u'|' + row[u"address"_s].toString(),
                    row.toObject());
    return rows;
}
} // namespace

class TestFleetRead : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    FleetTools m_tools;
    QString m_certdash;
    QProcess m_exporterProcess;
    QProcess m_prometheusProcess;
    QNetworkAccessManager m_network;
    QString m_inventory;
    QString m_prometheus;             // host:port
    QByteArray m_fleetPrometheusText; // `fleet read --format prometheus`, for promtool

    QString write(const QString &name, const QByteArray &data) {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size())
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

    LocalTlsServer *server(const FleetChain &chain) {
        auto *s = new LocalTlsServer(this);
        s->setChain(chain.served(), chain.leaf.key());
        if (!s->listenLoopback())
            qFatal("cannot listen");
        return s;
    }

    // promtool's verdict on a Prometheus text; "" when it accepts it.
    QString promtoolProblems(const QByteArray &text) {
        const ProgramRun check = runProgram(m_tools.promtool, {u"check"_s, u"metrics"_s}, text);
        if (check.exitCode == 0 && check.err.trimmed().isEmpty())
            return {};
        return u"exit %1: %2%3"_s.arg(check.exitCode)
            .arg(check.err, QString::fromUtf8(check.out))
            .replace(u'\n', u" | "_s);
    }

private slots:
    void initTestCase() {
        CERTDASH_FIND_FLEET_TOOLS(m_tools, m_certdash);
        QVERIFY(m_dir.isValid());
    }

    void cleanupTestCase() {
        stopProcess(m_prometheusProcess);
        stopProcess(m_exporterProcess);
    }

    void fleetReadEqualsScan() {
        // Half days: a day boundary never falls between the scan and the read.
        const FleetChain good = makeFleetChain(u"good.fleet.test"_s, 400.5, 200.5);
        // The intermediate (born 100 days ago, so thresholds are not capped) expires first.
        const FleetChain early = makeFleetChain(u"early.fleet.test"_s, 20.5, 200.5, -100);
        const FleetChain expired = makeFleetChain(u"old.fleet.test"_s, 400.5, -3.5);
        LocalTlsServer *goodServer = server(good);
        LocalTlsServer *earlyServer = server(early);
        LocalTlsServer *expiredServer = server(expired);
        quint16 closedPort = 0;
        {
            QTcpServer closed;
            QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
            closedPort = closed.serverPort();
        }
        const QJsonArray inventory{
            QJsonObject{{u"name"_s, u"good"_s},
                        {u"host"_s, u"127.0.0.1"_s},
                        {u"port"_s, goodServer->port()},
                        {u"sni"_s, u"good.fleet.test"_s},
                        {u"owner"_s, u"ops \"night\", =1+1"_s},
                        {u"tags"_s, QJsonArray{u"prod"_s}}},
            QJsonObject{{u"name"_s, u"intermediate first"_s},
                        {u"host"_s, u"127.0.0.1"_s},
                        {u"port"_s, earlyServer->port()},
                        {u"sni"_s, u"early.fleet.test"_s}},
            QJsonObject{{u"name"_s, u"expired, private CA"_s},
                        {u"host"_s, u"127.0.0.1"_s},
                        {u"port"_s, expiredServer->port()},
                        {u"sni"_s, u"old.fleet.test"_s},
                        {u"accept_self_signed"_s, true}},
            QJsonObject{
                {u"name"_s, u"closed"_s}, {u"host"_s, u"127.0.0.1"_s}, {u"port"_s, closedPort}},
        };
        m_inventory = write(u"inventory.json"_s, QJsonDocument(inventory).toJson());

        const QString exporter =
            fleetAddress().toString() + u':' + QString::number(freeFleetPort());
        m_prometheus = fleetAddress().toString() + u':' + QString::number(freeFleetPort());
        const QString fleetDir = m_dir.filePath(u"fleet"_s);
        const ProgramRun config =
            runProgram(m_certdash, {u"fleet"_s, u"config"_s, u"--targets"_s, m_inventory,
                                    u"--output"_s, fleetDir, u"--exporter"_s, exporter,
                                    u"--interval"_s, u"2s"_s, u"--timeout"_s, u"5"_s});
        QVERIFY2(config.exitCode == 0, qPrintable(config.err));

        QString why;
        QVERIFY2(startListening(m_exporterProcess, m_tools.blackbox,
                                {u"--config.file="_s + fleetDir + u"/blackbox.yml"_s,
                                 u"--web.listen-address="_s + exporter},
                                exporter, &why),
                 qPrintable(why));
        QVERIFY(QDir().mkpath(m_dir.filePath(u"tsdb"_s)));
        QVERIFY2(startListening(m_prometheusProcess, m_tools.prometheus,
                                {u"--config.file="_s + fleetDir + u"/prometheus.yml"_s,
                                 u"--web.listen-address="_s + m_prometheus,
                                 u"--storage.tsdb.path="_s + m_dir.filePath(u"tsdb"_s)},
                                m_prometheus, &why),
                 qPrintable(why));

        // CertDash's own probe of the same endpoints.
        const ProgramRun scan =
            runProgram(m_certdash, {u"scan"_s, u"--targets"_s, m_inventory, u"--format"_s,
                                    u"json"_s, u"--timeout"_s, u"10"_s, u"--quiet"_s});
        QVERIFY2(scan.exitCode >= 0 && scan.exitCode <= 2, qPrintable(scan.err));
        const QHash<QString, QJsonObject> scanned = rowsByAddress(scan.out);
        QCOMPARE(scanned.size(), 4);

        // Until every target has been probed and scraped (the closed port too), certificates
        // read where there are some.
        QTRY_VERIFY2_WITH_TIMEOUT(
            promQuery(m_network, m_prometheus, u"probe_success"_s).size() == 4 &&
                promQuery(m_network, m_prometheus, u"probe_ssl_last_chain_info"_s).size() == 3,
            qPrintable(QString::fromUtf8(m_exporterProcess.readAll().right(3000))), 60000);

        const QString url = u"http://"_s + m_prometheus;
        const ProgramRun read = runProgram(
            m_certdash, {u"fleet"_s, u"read"_s, u"--prometheus"_s, url, u"--format"_s, u"json"_s});
        QVERIFY2(read.exitCode >= 0, qPrintable(read.err));
        const QHash<QString, QJsonObject> fleet = rowsByAddress(read.out);
        QCOMPARE(QSet<QString>(fleet.keyBegin(), fleet.keyEnd()),
                 QSet<QString>(scanned.keyBegin(), scanned.keyEnd()));
        for (auto it = scanned.constBegin(); it != scanned.constEnd(); ++it) {
            const QJsonObject mine = it.value();
            const QJsonObject theirs = fleet.value(it.key());
            for (const QString &column :
                 {u"status"_s, u"earliest_expiry"_s, u"sha256_fingerprint"_s, u"days_left"_s,
                  u"host"_s, u"port"_s, u"sni"_s, u"owner"_s, u"tags"_s}) {
                QVERIFY2(mine.value(column) == theirs.value(column),
                         qPrintable(u"%1 %2: scan %3, fleet %4"_s.arg(
                             it.key(), column,
                             QString::fromUtf8(QJsonDocument(QJsonArray{mine.value(column)})
                                                   .toJson(QJsonDocument::Compact)),
                             QString::fromUtf8(QJsonDocument(QJsonArray{theirs.value(column)})
                                                   .toJson(QJsonDocument::Compact)))));
            }
        }
        // The statuses are the ones these endpoints have, not equal by accident.
        QCOMPARE(fleet.value(u"good|127.0.0.1"_s)[u"status"_s].toString(), u"ok"_s);
        QCOMPARE(fleet.value(u"intermediate first|127.0.0.1"_s)[u"status"_s].toString(),
                 u"warning"_s);
        QCOMPARE(fleet.value(u"intermediate first|127.0.0.1"_s)[u"earliest_expiry"_s].toString(),
                 early.intermediate.certificate().expiryDate().toUTC().toString(Qt::ISODate));
        QCOMPARE(fleet.value(u"expired, private CA|127.0.0.1"_s)[u"status"_s].toString(),
                 u"expired"_s);
        QCOMPARE(fleet.value(u"closed|127.0.0.1"_s)[u"status"_s].toString(), u"unreachable"_s);
        // What blackbox does not export stays empty.
        QVERIFY(fleet.value(u"good|127.0.0.1"_s)[u"trust"_s].isNull());
        QVERIFY(fleet.value(u"good|127.0.0.1"_s)[u"not_before"_s].isNull());
        // Same exit code as the scan: 2 (an expired certificate, a failed probe).
        QCOMPARE(read.exitCode, 2);
        QCOMPARE(read.exitCode, scan.exitCode);

        // Thresholds from the store: the good target stored with warning 365 days is a warning.
        const QString db = m_dir.filePath(u"certdash.db"_s);
        QJsonArray stored = inventory;
        QJsonObject goodStored = stored.at(0).toObject();
        goodStored.insert(u"warning"_s, 365);
        stored.replace(0, goodStored);
        const QString storedInventory = write(u"stored.json"_s, QJsonDocument(stored).toJson());
        const ProgramRun import =
            runProgram(m_certdash, {u"import"_s, u"--database"_s, db, storedInventory});
        QVERIFY2(import.exitCode == 0, qPrintable(import.err));
        const ProgramRun withDb =
            runProgram(m_certdash, {u"fleet"_s, u"read"_s, u"--prometheus"_s, url, u"--format"_s,
                                    u"json"_s, u"--database"_s, db});
        QVERIFY2(withDb.exitCode == 2, qPrintable(withDb.err));
        QCOMPARE(rowsByAddress(withDb.out).value(u"good|127.0.0.1"_s)[u"status"_s].toString(),
                 u"warning"_s);

        const ProgramRun prom = runProgram(m_certdash, {u"fleet"_s, u"read"_s, u"--prometheus"_s,
                                                        url, u"--format"_s, u"prometheus"_s});
        QCOMPARE(prom.exitCode, 2);
        m_fleetPrometheusText = prom.out;
    }

    // Every Prometheus text CertDash writes passes `promtool check metrics`.
    void promtoolAcceptsEveryPrometheusText() {
        QVERIFY2(!m_inventory.isEmpty(), "needs fleetReadEqualsScan");
        QVERIFY(!m_fleetPrometheusText.isEmpty());
        QString problems = promtoolProblems(m_fleetPrometheusText);
        QVERIFY2(problems.isEmpty(), qPrintable(u"fleet read: "_s + problems));

        const ProgramRun scan =
            runProgram(m_certdash, {u"scan"_s, u"--targets"_s, m_inventory, u"--format"_s,
                                    u"prometheus"_s, u"--quiet"_s});
        QVERIFY2(scan.exitCode == 2, qPrintable(scan.err));
        problems = promtoolProblems(scan.out);
        QVERIFY2(problems.isEmpty(), qPrintable(u"scan: "_s + problems));

        const QString db = m_dir.filePath(u"report.db"_s);
        QVERIFY(runProgram(m_certdash, {u"import"_s, u"--database"_s, db, m_inventory}).exitCode ==
                0);
        QVERIFY(runProgram(m_certdash, {u"scan"_s, u"--database"_s, db, u"--quiet"_s, u"--output"_s,
                                        m_dir.filePath(u"scan.csv"_s)})
                    .exitCode == 2);
        const ProgramRun report = runProgram(
            m_certdash, {u"report"_s, u"--database"_s, db, u"--format"_s, u"prometheus"_s});
        QVERIFY2(report.exitCode >= 0 && !report.out.isEmpty(), qPrintable(report.err));
        problems = promtoolProblems(report.out);
        QVERIFY2(problems.isEmpty(), qPrintable(u"report: "_s + problems));
    }

    // A Prometheus that accepts the connection and never answers: the read fails within its
    // timeout, naming the URL, with exit code 3 (nothing is known about the fleet).
    void hangingPrometheusTimesOut() {
        QTcpServer silent; // listens; the kernel completes connections; nothing ever answers
        QVERIFY(silent.listen(fleetAddress(), 0));
        const QString url =
            u"http://"_s + fleetAddress().toString() + u':' + QString::number(silent.serverPort());
        const ProgramRun read = runProgram(
            m_certdash, {u"fleet"_s, u"read"_s, u"--prometheus"_s, url, u"--timeout"_s, u"2"_s});
        QCOMPARE(read.exitCode, 3);
        QVERIFY2(read.err.contains(url + u"/api/v1/query"_s), qPrintable(read.err));
        QVERIFY2(read.err.contains(u"no answer within 2 s"_s), qPrintable(read.err));
        QVERIFY(read.out.isEmpty());
    }
};

QTEST_MAIN(TestFleetRead)
#include "tst_fleetread.moc"
