// Revocation through real servers on loopback, through both engines: `openssl s_server
// -status_file` stapling a "revoked", a "good" and an "unknown" response; `openssl ocsp` as the
// leaf's responder (index.txt with a revoked serial); a local HTTP server serving the CA's CRL,
// which counts its downloads; a responder that never answers. Every certificate, response and
// CRL is made at test time, dated around the real time (Qt's backend checks the stapled
// response's dates against the system clock).
#include "ProbeHarness.h"
#include "RevocationFactory.h"
#include "ServerProcess.h"

#include "CommandRunner.h"
#include "cli/InventoryCommands.h"
#include "cli/ScanCommand.h"
#include "domain/Clock.h"
#include "probing/RevocationCache.h"
#include "storage/Database.h"
#include "storage/TargetRepository.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QScopeGuard>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace certdash;
using namespace certdash::test;
using namespace Qt::StringLiterals;

namespace {
// Its own loopback address: a port picked here cannot be taken meanwhile by another suite.
const QHostAddress kAddress(QStringLiteral("127.77.0.3"));

quint16 freePort() {
    QTcpServer s;
    return s.listen(kAddress, 0) ? s.serverPort() : 0;
}

bool waitForPort(quint16 port) {
    for (int i = 0; i < 100; ++i) {
        QTcpSocket probe;
        probe.connectToHost(kAddress, port);
        if (probe.waitForConnected(100))
            return true;
        QTest::qWait(50);
    }
    return false;
}

// A minimal HTTP/1.1 server in the test's event loop: answers every request with one body (or,
// silent, never answers), and counts the requests.
class CountingHttpServer : public QTcpServer {
public:
    QByteArray body;
    bool silent = false;
    int requests = 0;
    QList<QByteArray> paths; // of each request, in order

protected:
    void incomingConnection(qintptr descriptor) override {
        auto *socket = new QTcpSocket(this);
        socket->setSocketDescriptor(descriptor);
        auto buffer = std::make_shared<QByteArray>();
        connect(socket, &QTcpSocket::readyRead, socket, [this, socket, buffer] {
            *buffer += socket->readAll();
            const qsizetype end = buffer->indexOf("\r\n\r\n");
            if (end < 0)
                return;
            // A POST's body (an OCSP request) is read by Content-Length, then ignored.
            const QByteArray head = buffer->left(end).toLower();
            const qsizetype at = head.indexOf("content-length:");
            const int length =
                at < 0 ? 0 : head.mid(at + 15, head.indexOf('\r', at) - at - 15).trimmed().toInt();
            if (buffer->size() < end + 4 + length)
                return;
            const QList<QByteArray> requestLine = buffer->left(buffer->indexOf("\r\n")).split(' ');
            paths << requestLine.value(1);
            buffer->clear();
            ++requests;
            if (silent)
                return;
            socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                          "Connection: close\r\nContent-Length: " +
                          QByteArray::number(body.size()) + "\r\n\r\n" + body);
            socket->disconnectFromHost();
        });
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    }
};
} // namespace

class TestRevocationProbe : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QDateTime m_now;
    TestCert m_root, m_ca, m_revoked, m_good;

    QString write(const QString &name, const QByteArray &bytes) {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

    ProbeHarness harness(int revocationTimeoutMs = 3000) {
        ProbeHarness h({m_root});
        h.options.clock = std::make_shared<FixedClock>(m_now);
        h.options.revocationTimeoutMs = revocationTimeoutMs;
        return h;
    }

    TestCert leaf(const QString &name, const QByteArray &serial, const QString &ocspUrl,
                  const QString &crlUrl) {
        CertSpec spec = CertSpec::leaf(name);
        spec.notBefore = m_now.addDays(-10);
        spec.notAfter = m_now.addDays(80);
        spec.serialHex = serial;
        spec.ocspUrl = ocspUrl;
        spec.crlUrl = crlUrl;
        return makeCert(spec, &m_ca);
    }

    // `openssl s_server` serving leaf + CA and stapling response (DER). Returns the port.
    quint16 startStaplingServer(QProcess &server, const TestCert &served,
                                const QByteArray &response) {
        const quint16 port = freePort();
        const QString tag = QString::fromLatin1(served.der.toHex().right(8));
        server.setProcessChannelMode(QProcess::MergedChannels);
        endWithTest(server);
        server.start(QStandardPaths::findExecutable(u"openssl"_s),
                     {u"s_server"_s, u"-accept"_s, u"%1:%2"_s.arg(kAddress.toString()).arg(port),
                      u"-cert"_s, write(tag + u".crt"_s, served.pem), u"-cert_chain"_s,
                      write(u"ca-chain.pem"_s, m_ca.pem), u"-key"_s,
                      write(tag + u".key"_s, served.keyPem), u"-status_file"_s,
                      write(tag + u".ocsp"_s, response), u"-quiet"_s});
        if (!server.waitForStarted(5000) || !waitForPort(port)) {
            qWarning("s_server did not start: %s", server.readAll().constData());
            return 0;
        }
        return port;
    }

    ProbeResult probeStapled(const TestCert &served, const QByteArray &response) {
        QProcess server;
        const quint16 port = startStaplingServer(server, served, response);
        const auto stop = qScopeGuard([&server] {
            server.kill();
            server.waitForFinished(3000);
        });
        if (port == 0)
            return {};
        const QString name = served.commonName;
        return harness().probeOne(loopbackTarget(name, port, kAddress.toString()));
    }

    // A TLS server (the test's own) for the leaf, and a target for it with online checks on.
    struct Served {
        std::shared_ptr<LocalTlsServer> server;
        Target target;
    };
    Served serve(const TestCert &leafCert) {
        Served s;
        s.server = std::make_shared<LocalTlsServer>();
        s.server->setChain({leafCert.certificate(), m_ca.certificate()}, leafCert.key());
        if (!s.server->listenLoopback())
            qFatal("LocalTlsServer did not listen");
        s.target = loopbackTarget(leafCert.commonName, s.server->port());
        s.target.checkRevocation = true;
        return s;
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        if (QStandardPaths::findExecutable(u"openssl"_s).isEmpty())
            QSKIP("openssl is not installed");
        m_now = QDateTime::fromSecsSinceEpoch(QDateTime::currentSecsSinceEpoch(), Qt::UTC);
        CertSpec root = CertSpec::root(u"Revocation Test Root"_s);
        root.notBefore = m_now.addDays(-30);
        root.notAfter = m_now.addDays(3000);
        m_root = makeCert(root);
        CertSpec ca = CertSpec::intermediate(u"Revocation Test CA"_s);
        ca.notBefore = m_now.addDays(-20);
        ca.notAfter = m_now.addDays(1000);
        m_ca = makeCert(ca, &m_root);
        m_revoked = leaf(u"revoked.revocation.test"_s, "5EC0DE", {}, {});
        m_good = leaf(u"good.revocation.test"_s, "600D", {}, {});
    }

    // The server staples "revoked": the finding says so, with the reason (and, where the engine
    // can read the response itself, the date), and trust fails.
    void stapledRevoked() {
        OcspSpec spec;
        spec.status = OcspSpec::Status::Revoked;
        spec.revokedAt = m_now.addDays(-2);
        spec.reason = 1;
        spec.thisUpdate = m_now.addSecs(-600);
        const ProbeResult r = probeStapled(m_revoked, makeOcspResponse(spec, m_revoked, m_ca));
        QCOMPARE(r.status, Status::Ok);
        QVERIFY2(r.trust.kinds.contains(FindingKind::Revoked),
                 qPrintable(r.trust.findings.join(u"; "_s)));
        QCOMPARE(r.trustVerdict.level, TrustLevel::Failed);
        QCOMPARE(r.trust.revocation.source, RevocationStatus::Source::Stapled);
        QCOMPARE(r.trust.revocation.state, RevocationStatus::State::Revoked);
        const QString finding = r.trust.findings.at(r.trust.kinds.indexOf(FindingKind::Revoked));
        QVERIFY2(finding.contains(u"key compromise"_s), qPrintable(finding));
        if (!testingQtEngine()) {
            QCOMPARE(r.trust.revocation.revokedAt, m_now.addDays(-2));
            QVERIFY2(finding.contains(m_now.addDays(-2).toString(Qt::ISODate)),
                     qPrintable(finding));
        }
    }

    void stapledGood() {
        OcspSpec spec;
        spec.thisUpdate = m_now.addSecs(-600);
        const ProbeResult r = probeStapled(m_good, makeOcspResponse(spec, m_good, m_ca));
        QCOMPARE(r.status, Status::Ok);
        QVERIFY2(r.trust.kinds.isEmpty(), qPrintable(r.trust.findings.join(u"; "_s)));
        QCOMPARE(r.trustVerdict.level, TrustLevel::Trusted);
        QCOMPARE(r.trust.revocation.state, RevocationStatus::State::Good);
        QCOMPARE(r.trust.revocation.source, RevocationStatus::Source::Stapled);
    }

    // "unknown" informs without lowering trust (no online check was asked for).
    void stapledUnknown() {
        OcspSpec spec;
        spec.status = OcspSpec::Status::Unknown;
        spec.thisUpdate = m_now.addSecs(-600);
        const ProbeResult r = probeStapled(m_good, makeOcspResponse(spec, m_good, m_ca));
        QCOMPARE(r.trust.kinds, QList<FindingKind>{FindingKind::OcspUnknown});
        QCOMPARE(r.trustVerdict.level, TrustLevel::Trusted);
    }

    // A "revoked" response about this serial signed by a key that is not the issuer's is no
    // answer: revocation_unchecked, never revoked.
    void stapledForgery() {
        CertSpec impostor = CertSpec::intermediate(u"Revocation Test CA"_s);
        impostor.notBefore = m_now.addDays(-20);
        impostor.notAfter = m_now.addDays(1000);
        const TestCert forger = makeCert(impostor, &m_root);
        OcspSpec spec;
        spec.status = OcspSpec::Status::Revoked;
        spec.revokedAt = m_now.addDays(-2);
        spec.thisUpdate = m_now.addSecs(-600);
        const ProbeResult r = probeStapled(m_good, makeOcspResponse(spec, m_good, forger));
        QCOMPARE(r.trust.kinds, QList<FindingKind>{FindingKind::RevocationUnchecked});
        QVERIFY2(r.trust.findings.first().contains(u"not verifiable"_s),
                 qPrintable(r.trust.findings.first()));
        QCOMPARE(r.trustVerdict.level, TrustLevel::Trusted);
    }

    // `openssl ocsp` answers for the CA from an index with one revoked serial; the prober asks
    // it by HTTP POST (the leaf's AIA) once each leaf.
    void onlineOcspResponder() {
        const quint16 port = freePort();
        const QString url = u"http://%1:%2/"_s.arg(kAddress.toString()).arg(port);
        const TestCert revoked = leaf(u"ocsp-revoked.revocation.test"_s, "0C5B01", url, {});
        const TestCert good = leaf(u"ocsp-good.revocation.test"_s, "0C5B02", url, {});
        const QByteArray expiry = m_now.addDays(80).toString(u"yyMMddHHmmss'Z'"_s).toLatin1();
        const QByteArray revokedOn = m_now.addDays(-1).toString(u"yyMMddHHmmss'Z'"_s).toLatin1();
        const QString index =
            write(u"index.txt"_s, "R\t" + expiry + "\t" + revokedOn +
                                      ",keyCompromise\t0C5B01\tunknown\t/CN=ocsp-revoked\n"
                                      "V\t" +
                                      expiry + "\t\t0C5B02\tunknown\t/CN=ocsp-good\n");
        QProcess responder;
        responder.setProcessChannelMode(QProcess::MergedChannels);
        endWithTest(responder);
        responder.start(QStandardPaths::findExecutable(u"openssl"_s),
                        {u"ocsp"_s, u"-index"_s, index, u"-port"_s, QString::number(port),
                         u"-rsigner"_s, write(u"ca.pem"_s, m_ca.pem), u"-rkey"_s,
                         write(u"ca.key"_s, m_ca.keyPem), u"-CA"_s, m_dir.filePath(u"ca.pem"_s),
                         u"-ndays"_s, u"1"_s});
        const auto stop = qScopeGuard([&responder] {
            responder.kill();
            responder.waitForFinished(3000);
        });
        // Not waitForPort: `openssl ocsp` serves one connection at a time, and an empty one
        // would hold it. It says when it listens.
        QVERIFY(responder.waitForStarted(5000));
        QByteArray said;
        while (!said.contains("waiting for OCSP client connections") &&
               responder.waitForReadyRead(5000))
            said += responder.readAll();
        QVERIFY2(said.contains("waiting for OCSP client connections"), said.constData());

        Served revokedServer = serve(revoked);
        Served goodServer = serve(good);
        const QList<ProbeResult> results =
            harness().probe({revokedServer.target, goodServer.target});
        QCOMPARE(results.size(), 2);
        const ProbeResult &r = results.at(0);
        QVERIFY2(r.trust.kinds.contains(FindingKind::Revoked),
                 qPrintable(r.trust.findings.join(u"; "_s)));
        QCOMPARE(r.trust.revocation.source, RevocationStatus::Source::Ocsp);
        QCOMPARE(r.trust.revocation.revokedAt, m_now.addDays(-1));
        const QString finding = r.trust.findings.at(r.trust.kinds.indexOf(FindingKind::Revoked));
        QVERIFY2(finding.contains(u"key compromise"_s) && finding.contains(url),
                 qPrintable(finding));
        QCOMPARE(r.trustVerdict.level, TrustLevel::Failed);
        const ProbeResult &g = results.at(1);
        QVERIFY2(g.trust.kinds.isEmpty(), qPrintable(g.trust.findings.join(u"; "_s)));
        QCOMPARE(g.trust.revocation.state, RevocationStatus::State::Good);
        QCOMPARE(g.trust.revocation.source, RevocationStatus::Source::Ocsp);
    }

    // No responder in the certificate: the CRL, downloaded once for every endpoint under the CA
    // however many probe at once (the cache waits for the download in flight).
    void crlDownloadedOnce() {
        CountingHttpServer http;
        QVERIFY(http.listen(kAddress, 0));
        const QString url =
            u"http://%1:%2/ca.crl"_s.arg(kAddress.toString()).arg(http.serverPort());
        CrlSpec crl;
        crl.thisUpdate = m_now.addSecs(-3600);
        crl.revoked = {{"C0FFEE", m_now.addDays(-5), 4}};
        http.body = makeCrl(crl, m_ca);

        QList<Served> servers;
        QList<Target> targets;
        for (int i = 0; i < 12; ++i) {
            const QByteArray serial =
                i == 0 ? QByteArray("C0FFEE") : QByteArray::number(0xC100 + i, 16);
            servers.push_back(serve(leaf(u"crl%1.revocation.test"_s.arg(i), serial, {}, url)));
            targets << servers.last().target;
        }
        const QList<ProbeResult> results = harness().probe(targets, 12);
        QCOMPARE(results.size(), 12);
        QCOMPARE(http.requests, 1);
        QVERIFY2(results.at(0).trust.kinds.contains(FindingKind::Revoked),
                 qPrintable(results.at(0).trust.findings.join(u"; "_s)));
        const QString finding = results.at(0).trust.findings.at(
            results.at(0).trust.kinds.indexOf(FindingKind::Revoked));
        QVERIFY2(finding.contains(u"superseded"_s) && finding.contains(url), qPrintable(finding));
        QCOMPARE(results.at(0).trust.revocation.source, RevocationStatus::Source::Crl);
        for (int i = 1; i < results.size(); ++i) {
            QVERIFY2(results.at(i).trust.kinds.isEmpty(),
                     qPrintable(results.at(i).trust.findings.join(u"; "_s)));
            QCOMPARE(results.at(i).trust.revocation.state, RevocationStatus::State::Good);
        }
    }

    // A responder that accepts and never answers: each probe ends after the revocation timeout
    // with revocation_unchecked saying it was unreachable, weak since the check was asked for.
    void silentResponder() {
        CountingHttpServer http;
        http.silent = true;
        QVERIFY(http.listen(kAddress, 0));
        const QString url = u"http://%1:%2/"_s.arg(kAddress.toString()).arg(http.serverPort());
        Served s = serve(leaf(u"silent.revocation.test"_s, "51E7", url, {}));
        const QList<ProbeResult> results = harness(400).probe({s.target}, 1, 20000);
        QCOMPARE(results.size(), 1);
        const ProbeResult &r = results.first();
        QCOMPARE(r.status, Status::Ok);
        QCOMPARE(r.trust.kinds, QList<FindingKind>{FindingKind::RevocationUnchecked});
        QVERIFY2(r.trust.findings.first().contains(u"unreachable"_s) &&
                     r.trust.findings.first().contains(url),
                 qPrintable(r.trust.findings.first()));
        QCOMPARE(r.trustVerdict.level, TrustLevel::Weak);
        QCOMPARE(http.requests, 1);
    }

    // `certdash scan --check-revocation`: the revoked certificate's row fails trust (exit 2) and
    // its findings say revoked, with the reason and the date; without the option nothing is
    // downloaded and the row is trusted.
    void scanCommand() {
        CountingHttpServer http;
        QVERIFY(http.listen(kAddress, 0));
        const QString url =
            u"http://%1:%2/ca.crl"_s.arg(kAddress.toString()).arg(http.serverPort());
        CrlSpec crl;
        crl.thisUpdate = m_now.addSecs(-3600);
        crl.revoked = {{"0C11", m_now.addDays(-4), 1}};
        http.body = makeCrl(crl, m_ca);
        Served s = serve(leaf(u"cli.revocation.test"_s, "0C11", {}, url));
        const QString targets =
            write(u"targets.txt"_s,
                  u"cli.revocation.test:%1 address=127.0.0.1\n"_s.arg(s.server->port()).toUtf8());
        const QStringList common{u"--targets"_s, targets,
                                 u"--quiet"_s,   u"--format"_s,
                                 u"json"_s,      u"--no-system-ca"_s,
                                 u"--ca-file"_s, write(u"root.pem"_s, m_root.pem),
                                 u"--engine"_s,  probeEngineKey(engineUnderTest())};
        CommandRun run = runCommand(&cli::runScan, common, m_now);
        QCOMPARE(http.requests, 0);
        QCOMPARE(run.exitCode, 0);
        run = runCommand(&cli::runScan, common + QStringList{u"--check-revocation"_s}, m_now);
        QCOMPARE(http.requests, 1);
        QCOMPARE(run.exitCode, 2);
        const QJsonObject row = QJsonDocument::fromJson(run.out)
                                    .object()
                                    .value(u"results"_s)
                                    .toArray()
                                    .first()
                                    .toObject();
        QCOMPARE(row.value(u"trust_level"_s).toString(), u"failed"_s);
        QCOMPARE(row.value(u"trust"_s).toString(), u"untrusted"_s);
        const QString findings =
            row.value(u"verification_errors"_s).toVariant().toStringList().join(u"; "_s);
        QVERIFY2(findings.contains(u"revoked"_s) && findings.contains(u"key compromise"_s) &&
                     findings.contains(m_now.addDays(-4).toString(Qt::ISODate)),
                 qPrintable(QString::fromUtf8(run.out)));
    }

    // A target marked check_revocation=no is never checked online, even with the global setting
    // on; nor is any target while the setting is off.
    void offlineTargetNeverAsks() {
        CountingHttpServer http;
        QVERIFY(http.listen(kAddress, 0));
        const QString url =
            u"http://%1:%2/ca.crl"_s.arg(kAddress.toString()).arg(http.serverPort());
        Served s = serve(leaf(u"offline.revocation.test"_s, "0FF1", {}, url));
        s.target.checkRevocation = false;
        ProbeHarness h = harness();
        h.options.checkRevocation = true;
        ProbeResult r = h.probeOne(s.target);
        QCOMPARE(r.status, Status::Ok);
        s.target.checkRevocation.reset();
        h.options.checkRevocation = false;
        r = h.probeOne(s.target);
        QCOMPARE(r.status, Status::Ok);
        QCOMPARE(http.requests, 0);
        QCOMPARE(r.trust.revocation.state, RevocationStatus::State::NotChecked);
        QVERIFY(r.trust.kinds.isEmpty());
    }

    // The stored inventory with online checks on for the scan (`certdash scan --check-revocation`
    // of the store): a target stored with check_revocation=no, and one whose tag says no, make
    // no request; a target that says nothing is checked. Each leaf names its own CRL path, so the
    // requests say which target asked.
    void storedChoicesKeepTargetsOffline() {
        CountingHttpServer http;
        QVERIFY(http.listen(kAddress, 0));
        const QString base = u"http://%1:%2/"_s.arg(kAddress.toString()).arg(http.serverPort());
        CrlSpec crl;
        crl.thisUpdate = m_now.addSecs(-3600);
        http.body = makeCrl(crl, m_ca);
        Served asks = serve(leaf(u"asks.revocation.test"_s, "A5C5", {}, base + u"asks.crl"_s));
        Served own = serve(leaf(u"own.revocation.test"_s, "0A1E", {}, base + u"own.crl"_s));
        Served tagged =
            serve(leaf(u"tagged.revocation.test"_s, "7A66", {}, base + u"tagged.crl"_s));
        const QString targets = write(
            u"stored.txt"_s,
            u"asks.revocation.test:%1 address=127.0.0.1\n"
            "own.revocation.test:%2 address=127.0.0.1 check_revocation=no\n"
            "tagged.revocation.test:%3 address=127.0.0.1 tags=airgap\n"_s
                .arg(asks.server->port())
                .arg(own.server->port())
                .arg(tagged.server->port())
                .toUtf8());
        // A store per engine: the suite runs once per engine in one process.
        const QString db =
            m_dir.filePath(u"stored-%1.sqlite"_s.arg(probeEngineKey(engineUnderTest())));
        const CommandRun import = runCommand(&cli::runImport, {targets, u"--database"_s, db});
        QVERIFY2(import.exitCode == 0, qPrintable(import.err));
        {
            QString error;
            auto database = Database::open(db, &error);
            QVERIFY2(database, qPrintable(error));
            FixedClock clock(m_now);
            TagPolicy airgap;
            airgap.tag = u"airgap"_s;
            airgap.checkRevocation = false;
            QVERIFY2(TargetRepository(*database, clock).setTagPolicy(airgap, &error),
                     qPrintable(error));
        }
        const CommandRun run = runCommand(
            &cli::runScan,
            {u"--database"_s, db, u"--check-revocation"_s, u"--quiet"_s, u"--format"_s,
             u"json"_s, u"--no-system-ca"_s, u"--ca-file"_s, write(u"root.pem"_s, m_root.pem),
             u"--engine"_s, probeEngineKey(engineUnderTest())},
            m_now);
        QVERIFY2(run.exitCode == 0, qPrintable(run.err + QString::fromUtf8(run.out)));
        QCOMPARE(http.paths, QList<QByteArray>{"/asks.crl"});
    }
};

CERTDASH_TEST_MAIN_EACH_ENGINE(TestRevocationProbe)
#include "tst_revocationprobe.moc"
