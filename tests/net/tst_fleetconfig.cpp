// `certdash fleet config` against the real thing: Debian's prometheus-blackbox-exporter and
// prometheus, started on loopback with the files CertDash wrote (after `promtool check config`
// and blackbox's --config.check), probe local TLS servers (plain TLS with an SNI per target, the
// STARTTLS dialogues blackbox can hold, a private-CA certificate that has expired). Once
// Prometheus has scraped every target, probe_ssl_earliest_cert_expiry of each must equal the
// earliest notAfter `certdash scan` reports for the same endpoint, with probe_success 1.
// Certificates are made relative to the real clock: the binaries run with it.
#include "FleetHarness.h"
#include "LocalTlsServer.h"

#include <QDir>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUrlQuery>

using namespace certdash;
using namespace certdash::test;
using namespace Qt::StringLiterals;

class TestFleetConfig : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_prometheus, m_blackbox, m_promtool, m_certdash;
    QProcess m_exporterProcess;
    QProcess m_prometheusProcess;
    QList<LocalTlsServer *> m_servers;
    QNetworkAccessManager m_network;

    QString write(const QString &name, const QByteArray &data) {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size())
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

    QPair<int, QString> run(const QString &program, const QStringList &arguments,
                            QByteArray *out = nullptr) {
        const ProgramRun r = runProgram(program, arguments);
        if (out)
            *out = r.out;
        return {r.exitCode, r.err};
    }

    LocalTlsServer *server(const FleetChain &chain, StartTls protocol = StartTls::None) {
        auto *s = new LocalTlsServer(this);
        s->setChain(chain.served(), chain.leaf.key());
        if (protocol != StartTls::None)
            s->setStartTls(protocol);
        if (!s->listenLoopback())
            qFatal("cannot listen");
        m_servers << s;
        return s;
    }

    void start(QProcess &process, const QString &program, const QStringList &arguments,
               const QString &address) {
        QString why;
        QVERIFY2(startListening(process, program, arguments, address, &why), qPrintable(why));
    }

    QJsonArray query(const QString &prometheus, const QString &promql) {
        return promQuery(m_network, prometheus, promql);
    }

    static void stop(QProcess &process) { stopProcess(process); }

private slots:
    void initTestCase() {
        FleetTools tools;
        CERTDASH_FIND_FLEET_TOOLS(tools, m_certdash);
        m_prometheus = tools.prometheus;
        m_blackbox = tools.blackbox;
        m_promtool = tools.promtool;
        QVERIFY(m_dir.isValid());
    }

    void cleanupTestCase() {
        stop(m_prometheusProcess);
        stop(m_exporterProcess);
    }

    void fleetReadsWhatCertDashReads() {
        // Two names on one port, each with its own chain: only a per-target SNI reads each.
        const FleetChain alpha = makeFleetChain(u"alpha.fleet.test"_s, 400, 60);
        const FleetChain beta =
            makeFleetChain(u"beta.fleet.test"_s, 45, 200); // the intermediate first
        LocalTlsServer *sni = server(alpha);
        sni->addSniChain(u"beta.fleet.test"_s, beta.served(), beta.leaf.key());
        // A private CA's certificate that has expired: read anyway, never refused for trust.
        const FleetChain expired = makeFleetChain(u"old.fleet.test"_s, 400, -3);
        LocalTlsServer *old = server(expired);
        QList<QPair<StartTls, LocalTlsServer *>> startTls;
        double days = 20;
        for (StartTls protocol : {StartTls::Smtp, StartTls::Imap, StartTls::Pop3, StartTls::Ftp}) {
            const QString name = startTlsKey(protocol) + u".fleet.test"_s;
            startTls.append({protocol, server(makeFleetChain(name, 500, days), protocol)});
            days += 7;
        }

        // The inventory, with labels no configuration file may break on.
        const QString hostile = u"ops \"night\": #1 'é' 運用 {{x}} ${1}"_s;
        QJsonArray inventory{
            QJsonObject{{u"name"_s, u"alpha: \"one\" # first"_s},
                        {u"host"_s, u"127.0.0.1"_s},
                        {u"port"_s, sni->port()},
                        {u"sni"_s, u"alpha.fleet.test"_s},
                        {u"owner"_s, hostile},
                        {u"tags"_s, QJsonArray{u"prod"_s, u"a:b"_s}}},
            QJsonObject{{u"name"_s, u"beta 'two'"_s},
                        {u"host"_s, u"127.0.0.1"_s},
                        {u"port"_s, sni->port()},
                        {u"sni"_s, u"beta.fleet.test"_s}},
            QJsonObject{{u"name"_s, u"expired, private CA"_s},
                        {u"host"_s, u"127.0.0.1"_s},
                        {u"port"_s, old->port()},
                        {u"sni"_s, u"old.fleet.test"_s},
                        {u"accept_self_signed"_s, true}},
            // Listed, not written: blackbox cannot speak LDAP's STARTTLS.
            QJsonObject{{u"name"_s, u"directory"_s},
                        {u"host"_s, u"127.0.0.1"_s},
                        {u"port"_s, 1},
                        {u"starttls"_s, u"ldap"_s}},
        };
        for (const auto &[protocol, s] : std::as_const(startTls))
            inventory.append(QJsonObject{{u"name"_s, u"mail "_s + startTlsKey(protocol)},
                                         {u"host"_s, u"127.0.0.1"_s},
                                         {u"port"_s, s->port()},
                                         {u"sni"_s, startTlsKey(protocol) + u".fleet.test"_s},
                                         {u"starttls"_s, startTlsKey(protocol)}});
        const QString inventoryPath = write(u"inventory.json"_s, QJsonDocument(inventory).toJson());

        const QString exporter =
            fleetAddress().toString() + u':' + QString::number(freeFleetPort());
        const QString prometheus =
            fleetAddress().toString() + u':' + QString::number(freeFleetPort());
        const QString fleetDir = m_dir.filePath(u"fleet"_s);
        const auto [configExit, configErr] =
            run(m_certdash,
                {u"fleet"_s, u"config"_s, u"--targets"_s, inventoryPath, u"--output"_s, fleetDir,
                 u"--exporter"_s, exporter, u"--interval"_s, u"2s"_s, u"--timeout"_s, u"5"_s});
        QVERIFY2(configExit == 0, qPrintable(configErr));
        QVERIFY2(configErr.contains(u"directory (127.0.0.1:1): STARTTLS ldap"_s),
                 qPrintable(configErr));
        QVERIFY2(configErr.contains(u"expired, private CA (127.0.0.1:"_s), qPrintable(configErr));

        // The stock tools accept the files as written.
        const auto [promtoolExit, promtoolErr] =
            run(m_promtool, {u"check"_s, u"config"_s, fleetDir + u"/prometheus.yml"_s});
        QVERIFY2(promtoolExit == 0, qPrintable(promtoolErr));
        const auto [checkExit, checkErr] = run(
            m_blackbox, {u"--config.check"_s, u"--config.file="_s + fleetDir + u"/blackbox.yml"_s});
        QVERIFY2(checkExit == 0, qPrintable(checkErr));

        // CertDash's own probe of the same inventory: the earliest notAfter of each chain.
        QByteArray scanOut;
        const auto [scanExit, scanErr] =
            run(m_certdash,
                {u"scan"_s, u"--targets"_s, inventoryPath, u"--format"_s, u"json"_s, u"--timeout"_s,
                 u"10"_s, u"--quiet"_s},
                &scanOut);
        QVERIFY2(scanExit >= 0 && scanExit <= 2, qPrintable(scanErr));
        QHash<QString, qint64> certdashExpiry;
        for (const QJsonValue &row :
             QJsonDocument::fromJson(scanOut).object().value(u"results"_s).toArray()) {
            const QString earliest = row[u"earliest_expiry"_s].toString();
            if (!earliest.isEmpty())
                certdashExpiry.insert(
                    row[u"target"_s].toString(),
                    QDateTime::fromString(earliest, Qt::ISODate).toSecsSinceEpoch());
        }
        QCOMPARE(certdashExpiry.size(), 7); // every endpoint but the LDAP one (nothing listens)

        start(m_exporterProcess, m_blackbox,
              {u"--config.file="_s + fleetDir + u"/blackbox.yml"_s,
               u"--web.listen-address="_s + exporter},
              exporter);
        QVERIFY(QDir().mkpath(m_dir.filePath(u"tsdb"_s)));
        start(m_prometheusProcess, m_prometheus,
              {u"--config.file="_s + fleetDir + u"/prometheus.yml"_s,
               u"--web.listen-address="_s + prometheus,
               u"--storage.tsdb.path="_s + m_dir.filePath(u"tsdb"_s)},
              prometheus);

        // Until every target has been scraped with a certificate read.
        QJsonArray expiries;
        QTRY_VERIFY2_WITH_TIMEOUT(
            (expiries = query(prometheus, u"probe_ssl_earliest_cert_expiry"_s)).size() ==
                certdashExpiry.size(),
            qPrintable(u"Prometheus has %1 of %2 series; exporter: %3"_s.arg(expiries.size())
                           .arg(certdashExpiry.size())
                           .arg(QString::fromUtf8(m_exporterProcess.readAll().right(3000)))),
            60000);
        QHash<QString, qint64> fleetExpiry;
        for (const QJsonValue &series : std::as_const(expiries))
            fleetExpiry.insert(series[u"metric"_s][u"target"_s].toString(),
                               qint64(series[u"value"_s][1].toString().toDouble()));
        QCOMPARE(fleetExpiry, certdashExpiry);
        // And the earliest is the intermediate where that expires first: the chain, not the leaf.
        QCOMPARE(fleetExpiry.value(u"beta 'two'"_s),
                 beta.intermediate.certificate().expiryDate().toSecsSinceEpoch());
        QVERIFY(certdashExpiry.value(u"beta 'two'"_s) <
                certdashExpiry.value(u"alpha: \"one\" # first"_s));

        // Every probe succeeded, and the labels came through unchanged.
        const QJsonArray success = query(prometheus, u"probe_success"_s);
        QCOMPARE(success.size(), certdashExpiry.size());
        for (const QJsonValue &series : success)
            QVERIFY2(series[u"value"_s][1].toString() == u"1"_s,
                     qPrintable(series[u"metric"_s][u"target"_s].toString()));
        const QJsonArray alphaSeries =
            query(prometheus, u"probe_success{sni=\"alpha.fleet.test\"}"_s);
        QCOMPARE(alphaSeries.size(), 1);
        QCOMPARE(alphaSeries.at(0)[u"metric"_s][u"owner"_s].toString(), hostile);
        QCOMPARE(alphaSeries.at(0)[u"metric"_s][u"tags"_s].toString(), u"prod,a:b"_s);
        // Both names on the shared port were asked for by name.
        QVERIFY(sni->receivedSni().contains(u"alpha.fleet.test"_s));
        QVERIFY(sni->receivedSni().contains(u"beta.fleet.test"_s));
    }
};

QTEST_MAIN(TestFleetConfig)
#include "tst_fleetconfig.moc"
