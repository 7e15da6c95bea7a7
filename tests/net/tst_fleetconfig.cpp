// `certdash fleet config` against the real thing: Debian's prometheus-blackbox-exporter and
// prometheus, started on loopback with the files CertDash wrote (after `promtool check config`
// and blackbox's --config.check), probe local TLS servers (plain TLS with an SNI per target, the
// STARTTLS dialogues blackbox can hold, a private-CA certificate that has expired). Once
// Prometheus has scraped every target, probe_ssl_earliest_cert_expiry of each must equal the
// earliest notAfter `certdash scan` reports for the same endpoint, with probe_success 1.
// Certificates are made relative to the real clock: the binaries run with it.
#include "CertFactory.h"
#include "LocalTlsServer.h"
#include "ServerProcess.h"

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

namespace {
// Prometheus and the exporter listen on an address of their own, so that a port picked here and
// released again cannot be taken meanwhile by a test server of another suite on 127.0.0.1.
const QHostAddress kFleetAddress(QStringLiteral("127.78.0.1"));

quint16 freePort() {
    QTcpServer s;
    return s.listen(kFleetAddress, 0) ? s.serverPort() : 0;
}

QDateTime daysFromNow(double days) {
    return QDateTime::currentDateTimeUtc().addSecs(qint64(days * 86400));
}

// A root, an intermediate and a leaf for name with the given lifetimes (days from now), so that
// which certificate of the chain expires first differs between endpoints.
struct Chain {
    TestCert root, intermediate, leaf;
    QList<QSslCertificate> served() const {
        return {leaf.certificate(), intermediate.certificate()};
    }
};
Chain makeChain(const QString &name, double intermediateDays, double leafDays) {
    Chain c;
    CertSpec root = CertSpec::root(u"Fleet Test Root "_s + name);
    root.notBefore = daysFromNow(-10);
    root.notAfter = daysFromNow(3650);
    c.root = makeCert(root);
    CertSpec intermediate = CertSpec::intermediate(u"Fleet Test CA "_s + name);
    intermediate.notBefore = daysFromNow(-10);
    intermediate.notAfter = daysFromNow(intermediateDays);
    c.intermediate = makeCert(intermediate, &c.root);
    CertSpec leaf = CertSpec::leaf(name);
    leaf.notBefore = daysFromNow(leafDays < 0 ? leafDays - 90 : -1);
    leaf.notAfter = daysFromNow(leafDays);
    c.leaf = makeCert(leaf, &c.intermediate);
    return c;
}

bool waitUntil(QProcess &process, int ms) {
    QElapsedTimer timer;
    timer.start();
    while (process.state() != QProcess::NotRunning && timer.elapsed() < ms)
        QTest::qWait(20);
    return process.state() == QProcess::NotRunning;
}
} // namespace

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

    // Runs a program to its end with the event loop turning (the TLS servers live in it).
    QPair<int, QString> run(const QString &program, const QStringList &arguments,
                            QByteArray *out = nullptr) {
        QProcess p;
        p.start(program, arguments);
        if (!p.waitForStarted(10000) || !waitUntil(p, 60000)) {
            p.kill();
            p.waitForFinished();
            return {-1, program + u" did not finish"_s};
        }
        if (out)
            *out = p.readAllStandardOutput();
        else
            p.readAllStandardOutput();
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
                QString::fromUtf8(p.readAllStandardError())};
    }

    LocalTlsServer *server(const Chain &chain, StartTls protocol = StartTls::None) {
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
        process.setProcessChannelMode(QProcess::MergedChannels);
        endWithTest(process);
        process.start(program, arguments);
        QVERIFY2(process.waitForStarted(10000), qPrintable(process.errorString()));
        const QStringList hostPort = address.split(u':');
        QTRY_VERIFY2_WITH_TIMEOUT(
            [&] {
                QTcpSocket probe;
                probe.connectToHost(hostPort.at(0), hostPort.at(1).toUShort());
                return probe.waitForConnected(200);
            }(),
            qPrintable(program + u" did not listen on "_s + address + u": "_s +
                       QString::fromUtf8(process.readAll().right(2000))),
            30000);
    }

    // One instant query through Prometheus's HTTP API; the result vector, empty on any error.
    QJsonArray query(const QString &prometheus, const QString &promql) {
        QUrl url(u"http://"_s + prometheus + u"/api/v1/query"_s);
        url.setQuery(QUrlQuery{{u"query"_s, promql}});
        QNetworkRequest request(url);
        request.setTransferTimeout(5000);
        QNetworkReply *reply = m_network.get(request);
        QEventLoop loop;
        connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        loop.exec();
        reply->deleteLater();
        const QJsonObject answer = QJsonDocument::fromJson(reply->readAll()).object();
        return answer.value(u"data"_s).toObject().value(u"result"_s).toArray();
    }

    static void stop(QProcess &process) {
        if (process.state() == QProcess::NotRunning)
            return;
        process.terminate();
        if (!process.waitForFinished(10000))
            process.kill();
        process.waitForFinished();
    }

private slots:
    void initTestCase() {
        const QStringList dirs{u"/usr/bin"_s, u"/usr/sbin"_s};
        m_prometheus = QStandardPaths::findExecutable(u"prometheus"_s, dirs);
        m_blackbox = QStandardPaths::findExecutable(u"prometheus-blackbox-exporter"_s, dirs);
        m_promtool = QStandardPaths::findExecutable(u"promtool"_s, dirs);
        if (m_prometheus.isEmpty() || m_blackbox.isEmpty() || m_promtool.isEmpty()) {
            if (qEnvironmentVariableIsSet("CI"))
                QFAIL("prometheus or prometheus-blackbox-exporter is not installed; "
                      "tools/install-deps.sh installs them");
            QSKIP("prometheus and prometheus-blackbox-exporter are not installed "
                  "(tools/install-deps.sh installs them)");
        }
        m_certdash = qEnvironmentVariable("CERTDASH_BINARY");
        QVERIFY2(!m_certdash.isEmpty(), "CERTDASH_BINARY is not set (run through ctest)");
        QVERIFY(m_dir.isValid());
    }

    void cleanupTestCase() {
        stop(m_prometheusProcess);
        stop(m_exporterProcess);
    }

    void fleetReadsWhatCertDashReads() {
        // Two names on one port, each with its own chain: only a per-target SNI reads each.
        const Chain alpha = makeChain(u"alpha.fleet.test"_s, 400, 60);
        const Chain beta = makeChain(u"beta.fleet.test"_s, 45, 200); // the intermediate first
        LocalTlsServer *sni = server(alpha);
        sni->addSniChain(u"beta.fleet.test"_s, beta.served(), beta.leaf.key());
        // A private CA's certificate that has expired: read anyway, never refused for trust.
        const Chain expired = makeChain(u"old.fleet.test"_s, 400, -3);
        LocalTlsServer *old = server(expired);
        QList<QPair<StartTls, LocalTlsServer *>> startTls;
        double days = 20;
        for (StartTls protocol : {StartTls::Smtp, StartTls::Imap, StartTls::Pop3, StartTls::Ftp}) {
            const QString name = startTlsKey(protocol) + u".fleet.test"_s;
            startTls.append({protocol, server(makeChain(name, 500, days), protocol)});
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

        const QString exporter = kFleetAddress.toString() + u':' + QString::number(freePort());
        const QString prometheus = kFleetAddress.toString() + u':' + QString::number(freePort());
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
