// Probing real TLS servers on loopback: every status, the limiting-certificate rule, SNI choice,
// each STARTTLS protocol and every way a server can misbehave. Every case runs through both
// probe engines (OpenSSL, then QSslSocket: CERTDASH_TEST_MAIN_EACH_ENGINE).
#include "ProbeHarness.h"

#include <QElapsedTimer>
#include <QHostInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>

using namespace certdash;
using namespace certdash::test;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(certdash::StartTls)
Q_DECLARE_METATYPE(certdash::test::LocalTlsServer::Mode)

class TestTlsProber : public QObject
{
    Q_OBJECT

    TestCert m_root;
    TestCert m_ca;

    TestCert leafFor(const QString &name, double fromDays, double toDays,
                     const TestCert *issuer = nullptr)
    {
        CertSpec spec = CertSpec::leaf(name);
        spec.validDays(fromDays, toDays);
        return makeCert(spec, issuer ? issuer : &m_ca);
    }

    // Starts a server presenting chain (leaf first) on 127.0.0.1.
    std::unique_ptr<LocalTlsServer> serve(const QList<TestCert> &chain)
    {
        auto server = std::make_unique<LocalTlsServer>();
        QList<QSslCertificate> certs;
        for (const TestCert &c : chain)
            certs << c.certificate();
        server->setChain(certs, chain.first().key());
        if (!server->listenLoopback())
            qFatal("cannot listen on loopback");
        return server;
    }

    // Qt's TLS server refuses to load a 1024-bit key or a SHA-1 certificate at Debian's
    // security level, before any option of ours applies; `openssl s_server` serves them, which
    // also shows the prober reading them from a server that is not Qt.
    QTemporaryDir m_tmp;
    std::unique_ptr<QProcess> opensslServer(const QList<TestCert> &chain, quint16 *port)
    {
        const QString openssl = QStandardPaths::findExecutable(u"openssl"_s);
        if (openssl.isEmpty())
            return nullptr;
        const auto write = [&](const QString &name, const QByteArray &data) {
            QFile f(m_tmp.filePath(name));
            f.open(QIODevice::WriteOnly);
            f.write(data);
            return f.fileName();
        };
        QByteArray rest;
        for (int i = 1; i < chain.size(); ++i)
            rest += chain[i].pem;
        {
            QTcpServer s;
            s.listen(QHostAddress::LocalHost, 0);
            *port = s.serverPort();
        }
        QStringList args{u"s_server"_s, u"-accept"_s, u"127.0.0.1:%1"_s.arg(*port),
                         u"-cert"_s, write(u"leaf.pem"_s, chain[0].pem), u"-key"_s,
                         write(u"leaf.key"_s, chain[0].keyPem), u"-cipher"_s, u"ALL:@SECLEVEL=0"_s};
        if (!rest.isEmpty())
            args << u"-cert_chain"_s << write(u"chain.pem"_s, rest);
        auto process = std::make_unique<QProcess>();
        process->start(openssl, args);
        process->waitForStarted();
        for (int i = 0; i < 100 && !process->readAllStandardOutput().contains("ACCEPT"); ++i)
            process->waitForReadyRead(50);
        return process;
    }

private slots:
    void initTestCase()
    {
        m_root = makeCert(CertSpec::root(u"CertDash Test Root"_s).validDays(-1000, 3000));
        m_ca = makeCert(CertSpec::intermediate(u"CertDash Issuing CA"_s).validDays(-500, 1000),
                        &m_root);
    }

    // Each time status from a real handshake, with days_left and the limiting certificate.
    void timeStatuses_data()
    {
        QTest::addColumn<double>("fromDays");
        QTest::addColumn<double>("toDays");
        QTest::addColumn<int>("rotationDays");
        QTest::addColumn<QString>("status");
        QTest::addColumn<int>("daysLeft");
        QTest::newRow("ok") << -10.0 << 80.0 << 0 << "ok" << 80;
        QTest::newRow("warning") << -70.0 << 20.5 << 0 << "warning" << 20;
        QTest::newRow("critical") << -85.0 << 3.5 << 0 << "critical" << 3;
        QTest::newRow("expired") << -100.0 << -2.5 << 0 << "expired" << -3;
        QTest::newRow("not yet valid") << 2.0 << 92.0 << 0 << "not_yet_valid" << 92;
        QTest::newRow("rotation overdue") << -50.0 << 40.0 << 30 << "rotation_overdue" << 40;
    }
    void timeStatuses()
    {
        QFETCH(double, fromDays);
        QFETCH(double, toDays);
        QFETCH(int, rotationDays);
        QFETCH(QString, status);
        QFETCH(int, daysLeft);

        const TestCert leaf = leafFor(u"svc.test"_s, fromDays, toDays);
        auto server = serve({leaf, m_ca});
        ProbeHarness harness({m_root});
        Target target = loopbackTarget(u"svc.test"_s, server->port());
        if (rotationDays)
            target.rotationDays = rotationDays;
        const ProbeResult r = harness.probeOne(target);

        QCOMPARE(statusKey(r.status), status);
        QVERIFY(r.daysLeft);
        QCOMPARE(*r.daysLeft, daysLeft);
        QCOMPARE(r.chain.size(), 2);
        QCOMPARE(r.chain.first().der, leaf.der);
        QCOMPARE(r.limitingRole, u"leaf"_s);
        QCOMPARE(r.address, u"127.0.0.1"_s);
        QCOMPARE(r.sni, u"svc.test"_s);
        QVERIFY(!r.tlsVersion.isEmpty());
        QVERIFY(!r.cipher.isEmpty());
        QVERIFY(r.error.isEmpty());
        QCOMPARE(server->receivedSni(), QStringList{u"svc.test"_s});
        // A valid chain to our anchor is trusted; time problems make it untrusted, never hide it.
        QCOMPARE(r.trust.trusted, status == u"ok"_s || status == u"warning"_s
                                      || status == u"critical"_s
                                      || status == u"rotation_overdue"_s);
    }

    // The endpoint breaks when its intermediate expires, even if the leaf lives longer.
    void intermediateExpiringFirstLimits()
    {
        const TestCert shortCa = makeCert(
            CertSpec::intermediate(u"Short-lived CA"_s).validDays(-360, 5.5), &m_root);
        const TestCert leaf = leafFor(u"svc.test"_s, -10, 80, &shortCa);
        auto server = serve({leaf, shortCa});
        const ProbeResult r = ProbeHarness({m_root}).probeOne(loopbackTarget(u"svc.test"_s, server->port()));
        QCOMPARE(r.status, Status::Critical);
        QCOMPARE(*r.daysLeft, 5);
        QCOMPARE(r.limitingRole, u"intermediate"_s);
        QCOMPARE(r.limiting->subjectCommonName, u"Short-lived CA"_s);
        QVERIFY(r.trust.trusted);
    }

    // A stale, expired cross-sign the server still sends is not on the path clients build.
    void staleCrossSignIsAFindingNotTheExpiry()
    {
        const TestCert oldRoot = makeCert(CertSpec::root(u"Old Root"_s).validDays(-4000, -30));
        const TestCert cross = crossSign(m_root, oldRoot, pinnedNow().addDays(-1500),
                                         pinnedNow().addDays(-30));
        const TestCert leaf = leafFor(u"svc.test"_s, -10, 80);
        auto server = serve({leaf, m_ca, cross});
        const ProbeResult r = ProbeHarness({m_root}).probeOne(loopbackTarget(u"svc.test"_s, server->port()));
        QCOMPARE(r.chain.size(), 3);
        QCOMPARE(r.status, Status::Ok);
        QCOMPARE(*r.daysLeft, 80);
        QCOMPARE(r.limitingRole, u"leaf"_s);
        QVERIFY(r.trust.trusted);
        QVERIFY2(r.trust.findings.join(u"; "_s).contains(u"not on the verified path"_s),
                 qPrintable(r.trust.findings.join(u"; "_s)));
    }

    void untrustedFindings_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("finding");
        QTest::newRow("self-signed") << "self-signed" << "self-signed";
        QTest::newRow("untrusted root") << "untrusted-root" << "untrusted root";
        QTest::newRow("incomplete chain") << "incomplete" << "incomplete chain";
        QTest::newRow("hostname mismatch") << "mismatch" << "hostname mismatch";
        QTest::newRow("weak key") << "weak-key" << "weak key";
        QTest::newRow("weak signature") << "weak-signature" << "weak signature";
    }
    void untrustedFindings()
    {
        QFETCH(QString, kind);
        QFETCH(QString, finding);
        QList<TestCert> chain;
        QString name = u"svc.test"_s;
        if (kind == u"self-signed"_s) {
            CertSpec spec = CertSpec::leaf(name);
            spec.validDays(-1, 60);
            chain = {makeCert(spec)};
        } else if (kind == u"untrusted-root"_s) {
            const TestPki other = makePki(name);
            chain = {other.leaf, other.intermediate};
        } else if (kind == u"incomplete"_s) {
            chain = {leafFor(name, -1, 60)};
        } else if (kind == u"mismatch"_s) {
            chain = {leafFor(u"other.test"_s, -1, 60), m_ca};
        } else if (kind == u"weak-key"_s) {
            CertSpec spec = CertSpec::leaf(name);
            spec.validDays(-1, 60);
            spec.key = KeySpec::rsa(1024);
            chain = {makeCert(spec, &m_ca), m_ca};
        } else if (kind == u"weak-signature"_s) {
            CertSpec spec = CertSpec::leaf(name);
            spec.validDays(-1, 60);
            spec.digest = Digest::Sha1;
            const TestCert rsaCa = makeCert([] {
                CertSpec s = CertSpec::intermediate(u"RSA CA"_s).validDays(-100, 900);
                s.key = KeySpec::rsa(2048);
                return s;
            }(), &m_root);
            chain = {makeCert(spec, &rsaCa), rsaCa};
        }
        std::unique_ptr<LocalTlsServer> server;
        std::unique_ptr<QProcess> opensslProcess;
        quint16 port = 0;
        if (kind.startsWith(u"weak"_s)) {
            opensslProcess = opensslServer(chain, &port);
            if (!opensslProcess)
                QSKIP("the openssl command is not installed");
        } else {
            server = serve(chain);
            port = server->port();
        }
        const ProbeResult r = ProbeHarness({m_root}).probeOne(loopbackTarget(name, port));
        if (opensslProcess) {
            opensslProcess->kill();
            opensslProcess->waitForFinished();
        }
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        // The dates are still read and classified: trust findings never hide them.
        QCOMPARE(r.status, Status::Ok);
        QVERIFY(r.daysLeft);
        QVERIFY(!r.trust.trusted);
        const QString findings = r.trust.findings.join(u"; "_s);
        QVERIFY2(findings.contains(finding), qPrintable(findings));
    }

    // Two names on one server: each target gets the certificate for its own SNI.
    void sniSelectsTheCertificate()
    {
        const TestCert a = leafFor(u"a.test"_s, -1, 30);
        const TestCert b = leafFor(u"b.test"_s, -1, 60);
        const TestCert fallback = leafFor(u"default.test"_s, -1, 90);
        auto server = serve({fallback, m_ca});
        server->addSniChain(u"a.test"_s, {a.certificate(), m_ca.certificate()}, a.key());
        server->addSniChain(u"b.test"_s, {b.certificate(), m_ca.certificate()}, b.key());

        Target ta = loopbackTarget(u"a.test"_s, server->port());
        Target tb = loopbackTarget(u"b.test"_s, server->port());
        Target viaIp = loopbackTarget(u"127.0.0.1"_s, server->port(), {});
        Target overridden = loopbackTarget(u"127.0.0.1"_s, server->port(), {});
        overridden.sni = u"b.test"_s;
        Target none = loopbackTarget(u"a.test"_s, server->port());
        none.noSni = true;

        const QList<ProbeResult> results =
            ProbeHarness({m_root}).probe({ta, tb, viaIp, overridden, none}, 1);
        QCOMPARE(results.size(), 5);
        QCOMPARE(results[0].chain.first().der, a.der);
        QCOMPARE(results[1].chain.first().der, b.der);
        QCOMPARE(results[2].chain.first().der, fallback.der); // IP host: no SNI
        QCOMPARE(results[2].sni, QString());
        QCOMPARE(results[3].chain.first().der, b.der); // sni= override
        QCOMPARE(results[3].sni, u"b.test"_s);
        QCOMPARE(results[4].chain.first().der, fallback.der); // no_sni
        QCOMPARE(server->receivedSni(),
                 (QStringList{u"a.test"_s, u"b.test"_s, QString(), u"b.test"_s, QString()}));
        QVERIFY(results[0].trust.trusted);
        // no_sni still verifies against the host name: the default certificate does not match.
        QVERIFY(results[4].trust.findings.join(u" "_s).contains(u"hostname mismatch"_s));
    }

    // One bad backend behind a load balancer: every pinned address is probed, with the same SNI.
    void everyAddressIsProbed()
    {
        const TestCert good = leafFor(u"lb.test"_s, -5, 85);
        const TestCert stale = leafFor(u"lb.test"_s, -95, -5);
        auto first = serve({good, m_ca});
        LocalTlsServer second;
        second.setChain({stale.certificate(), m_ca.certificate()}, stale.key());
        if (!second.listen(QHostAddress(u"127.0.0.2"_s), first->port()))
            QSKIP("127.0.0.2 is not usable on this machine");
        Target t = loopbackTarget(u"lb.test"_s, first->port());
        t.addresses = {u"127.0.0.1"_s, u"127.0.0.2"_s};
        const QList<ProbeResult> results = ProbeHarness({m_root}).probe({t});
        QCOMPARE(results.size(), 2);
        QCOMPARE(results[0].address, u"127.0.0.1"_s);
        QCOMPARE(results[0].status, Status::Ok);
        QCOMPARE(results[1].address, u"127.0.0.2"_s);
        QCOMPARE(results[1].status, Status::Expired);
        QCOMPARE(first->receivedSni(), QStringList{u"lb.test"_s});
        QCOMPARE(second.receivedSni(), QStringList{u"lb.test"_s});
    }

    // A name is resolved to all its addresses; each gets its own row.
    void resolvesEveryAddress()
    {
        const QHostInfo info = QHostInfo::fromName(u"localhost"_s);
        QStringList expected;
        for (const QHostAddress &a : info.addresses())
            if (!expected.contains(a.toString()))
                expected << a.toString();
        expected.sort();
        const TestCert v4 = leafFor(u"localhost"_s, -1, 50);
        const TestCert v6 = leafFor(u"localhost"_s, -1, 70);
        auto server4 = serve({v4, m_ca});
        LocalTlsServer server6;
        server6.setChain({v6.certificate(), m_ca.certificate()}, v6.key());
        const bool haveV6 = expected.contains(u"::1"_s)
            && server6.listen(QHostAddress::LocalHostIPv6, server4->port());
        if (expected.contains(u"::1"_s) && !haveV6)
            QSKIP("::1 resolves but cannot be listened on");
        const QList<ProbeResult> results =
            ProbeHarness({m_root}).probe({loopbackTarget(u"localhost"_s, server4->port(), {})});
        QStringList probed;
        for (const ProbeResult &r : results)
            probed << r.address;
        probed.sort();
        QCOMPARE(probed, expected);
        for (const ProbeResult &r : results)
            QCOMPARE(*r.daysLeft, r.address == u"::1"_s ? 70 : 50);
    }

    void dnsFailureIsOneUnreachableRow()
    {
        Target t;
        t.host = u"no-such-host.invalid"_s;
        t.port = 443;
        const QList<ProbeResult> results = ProbeHarness({m_root}, 3000).probe({t});
        QCOMPARE(results.size(), 1);
        QCOMPARE(results[0].status, Status::Unreachable);
        QVERIFY2(results[0].error.startsWith(u"DNS"_s), qPrintable(results[0].error));
        QVERIFY(results[0].address.isEmpty());
    }

    void connectionRefusedIsUnreachable()
    {
        quint16 port = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            port = probe.serverPort();
        } // closed again: nothing listens there now
        const ProbeResult r = ProbeHarness({m_root}).probeOne(loopbackTarget(u"svc.test"_s, port));
        QCOMPARE(r.status, Status::Unreachable);
        QVERIFY2(r.error.contains(u"refused"_s), qPrintable(r.error));
    }

    // No server behaviour makes a probe outlive its timeout by more than a second.
    void misbehavingServers_data()
    {
        QTest::addColumn<LocalTlsServer::Mode>("mode");
        QTest::addColumn<QString>("status");
        QTest::addColumn<QString>("errorPart");
        QTest::newRow("silent") << LocalTlsServer::Mode::Silent << "timeout" << "handshake";
        QTest::newRow("drip") << LocalTlsServer::Mode::Drip << "timeout" << "handshake";
        QTest::newRow("plaintext") << LocalTlsServer::Mode::Plaintext << "handshake_failed" << "";
        QTest::newRow("garbage") << LocalTlsServer::Mode::Garbage << "handshake_failed" << "";
        QTest::newRow("close after hello")
            << LocalTlsServer::Mode::CloseAfterHello << "handshake_failed" << "closed";
    }
    void misbehavingServers()
    {
        QFETCH(LocalTlsServer::Mode, mode);
        QFETCH(QString, status);
        QFETCH(QString, errorPart);
        LocalTlsServer server;
        server.setMode(mode);
        server.setDripIntervalMs(200);
        QVERIFY(server.listenLoopback());
        const int timeoutMs = 1500;
        ProbeHarness harness({m_root}, timeoutMs);
        QElapsedTimer elapsed;
        elapsed.start();
        const ProbeResult r = harness.probeOne(loopbackTarget(u"svc.test"_s, server.port()));
        QCOMPARE(statusKey(r.status), status);
        QVERIFY2(r.error.contains(errorPart), qPrintable(r.error));
        QVERIFY(!r.hasCertificate());
        QVERIFY2(elapsed.elapsed() < timeoutMs + 1000, qPrintable(QString::number(elapsed.elapsed())));
        QVERIFY(r.durationMs <= timeoutMs + 1000);
    }

    void startTls_data()
    {
        QTest::addColumn<StartTls>("protocol");
        QTest::addColumn<QByteArray>("clientSaid");
        QTest::newRow("smtp") << StartTls::Smtp << QByteArray("STARTTLS\r\n");
        QTest::newRow("imap") << StartTls::Imap << QByteArray("a1 STARTTLS\r\n");
        QTest::newRow("pop3") << StartTls::Pop3 << QByteArray("STLS\r\n");
        QTest::newRow("ftp") << StartTls::Ftp << QByteArray("AUTH TLS\r\n");
        QTest::newRow("ldap") << StartTls::Ldap << QByteArray("1.3.6.1.4.1.1466.20037");
        QTest::newRow("xmpp") << StartTls::Xmpp << QByteArray("<starttls");
        QTest::newRow("postgres") << StartTls::Postgres << QByteArray::fromHex("04d2162f");
    }
    void startTls()
    {
        QFETCH(StartTls, protocol);
        QFETCH(QByteArray, clientSaid);
        const TestCert leaf = leafFor(u"mail.test"_s, -70, 25);
        auto server = serve({leaf, m_ca});
        server->setStartTls(protocol);
        Target t = loopbackTarget(u"mail.test"_s, server->port());
        t.startTls = protocol;
        const ProbeResult r = ProbeHarness({m_root}).probeOne(t);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(r.status, Status::Warning);
        QCOMPARE(*r.daysLeft, 25);
        QCOMPARE(r.chain.first().der, leaf.der);
        QVERIFY(r.trust.trusted);
        QTRY_COMPARE(server->handshakesCompleted(), 1);
        QVERIFY(server->plaintextReceived().value(0).contains(clientSaid));
    }

    void startTlsRefused_data() { startTls_data(); }
    void startTlsRefused()
    {
        QFETCH(StartTls, protocol);
        const TestCert leaf = leafFor(u"mail.test"_s, -10, 25);
        auto server = serve({leaf, m_ca});
        server->setStartTls(protocol, true);
        Target t = loopbackTarget(u"mail.test"_s, server->port());
        t.startTls = protocol;
        const ProbeResult r = ProbeHarness({m_root}, 3000).probeOne(t);
        QCOMPARE(r.status, Status::HandshakeFailed);
        QVERIFY2(r.error.startsWith(u"STARTTLS failed"_s), qPrintable(r.error));
        QCOMPARE(server->handshakesCompleted(), 0);
    }

    // Never more probes in flight than the concurrency cap, and the cap is used.
    void concurrencyIsBounded()
    {
        LocalTlsServer server;
        server.setMode(LocalTlsServer::Mode::Silent);
        QVERIFY(server.listenLoopback());
        QList<Target> targets;
        for (int i = 0; i < 6; ++i)
            targets << loopbackTarget(u"t%1.test"_s.arg(i), server.port());
        int peak = 0;
        const QList<ProbeResult> results =
            ProbeHarness({m_root}, 500).probe(targets, 2, 30000, &peak);
        QCOMPARE(results.size(), 6);
        for (const ProbeResult &r : results)
            QCOMPARE(r.status, Status::Timeout);
        QCOMPARE(peak, 2);
        QCOMPARE(server.connectionCount(), 6);
    }

    // Each probe is a fresh full handshake: the certificate is always presented.
    void noSessionResumption()
    {
        const TestCert leaf = leafFor(u"svc.test"_s, -10, 80);
        auto server = serve({leaf, m_ca});
        const Target t = loopbackTarget(u"svc.test"_s, server->port());
        const QList<ProbeResult> results = ProbeHarness({m_root}).probe({t, t, t}, 1);
        QCOMPARE(results.size(), 3);
        for (const ProbeResult &r : results)
            QCOMPARE(r.chain.size(), 2);
        // The server saw three complete handshakes: the probe closes only after its Finished.
        QTRY_COMPARE(server->handshakesCompleted(), 3);
    }
};

CERTDASH_TEST_MAIN_EACH_ENGINE(TestTlsProber)
#include "tst_tlsprober.moc"
