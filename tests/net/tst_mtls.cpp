// Mutual TLS against real servers: Debian's nginx with ssl_verify_client on (TLS 1.2 and 1.3),
// and `openssl s_server -Verify` for a server that ends the handshake without (or with a wrong)
// client certificate. Every certificate and key is made at test time; the certdash binary probes.
#include "ClientCerts.h"
#include "ServerProcess.h"

#include "probing/ClientIdentity.h"
#include "secrets/SecretStore.h"

#include <QDir>
#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QFileInfo>
#include <QProcess>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QSslConfiguration>
#include <QSslServer>
#include <QSslSocket>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace certdash;
using namespace certdash::test;
using namespace Qt::StringLiterals;

namespace {
// Its own loopback address, as tst_nginx: a port picked here cannot be taken meanwhile by a test
// server of another suite on 127.0.0.1.
const QHostAddress kAddress(QStringLiteral("127.77.0.2"));
const QByteArray kPassphrase = "mTLS passphrase 7f3a-swordfish";

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

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QJsonArray results() const {
        return QJsonDocument::fromJson(out).object().value(u"results"_s).toArray();
    }
};

QString findings(const QJsonObject &row) {
    const QJsonValue v = row.value(u"verification_errors"_s);
    return v.isArray() ? v.toVariant().toStringList().join(u"; "_s) : v.toString();
}
} // namespace

class TestMutualTls : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QProcess m_nginx;
    QString m_nginxBinary;
    ClientPki m_client;
    TestCert m_serverRoot;
    QString m_serverRootPem;
    QString m_serverChain;
    QString m_serverKey;
    quint16 m_tls12Port = 0;
    quint16 m_tls13Port = 0;

    QString write(const QString &name, const QByteArray &data) {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size())
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

    QString targets(const QList<quint16> &ports) {
        QString text;
        for (quint16 port : ports)
            text += u"mtls.test:%1 address=%2\n"_s.arg(port).arg(kAddress.toString());
        return write(u"targets-%1.txt"_s.arg(ports.first()), text.toUtf8());
    }

    // certdash ARGS, with the passphrase variable set only when passphrase is not empty.
    Run certdash(const QStringList &arguments, const QByteArray &passphrase = {}) {
        const QString binary = qEnvironmentVariable("CERTDASH_BINARY");
        if (binary.isEmpty())
            qFatal("CERTDASH_BINARY is not set (run through ctest)");
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QLatin1String(kClientKeyPassphraseVariable));
        if (!passphrase.isEmpty())
            env.insert(QLatin1String(kClientKeyPassphraseVariable), QString::fromUtf8(passphrase));
        env.insert(u"HOME"_s, m_dir.path()); // no user store or settings
        // A run without a keychain session (cron's): the passphrase comes from the variable, and
        // no keyring daemon is started on the test's bus (tst_keychain tests the keychain path).
        env.remove(u"DBUS_SESSION_BUS_ADDRESS"_s);
        env.insert(u"XDG_DATA_HOME"_s, m_dir.filePath(u"data"_s));
        env.insert(u"XDG_CONFIG_HOME"_s, m_dir.filePath(u"config"_s));
        p.setProcessEnvironment(env);
        p.start(binary, arguments);
        Run run;
        if (!p.waitForFinished(60000))
            qFatal("certdash did not finish");
        run.exitCode = p.exitCode();
        run.out = p.readAllStandardOutput();
        run.err = p.readAllStandardError();
        return run;
    }

    Run scan(const QList<quint16> &ports, const QStringList &clientArgs,
             const QByteArray &passphrase = {}, const QString &format = u"json"_s) {
        return certdash(QStringList{u"scan"_s, u"--targets"_s, targets(ports), u"--ca-file"_s,
                                    m_serverRootPem, u"--format"_s, format, u"--timeout"_s,
                                    u"5"_s} +
                            clientArgs,
                        passphrase);
    }

    // `openssl s_server -Verify` on a free loopback port, TLS 1.2: it refuses the handshake
    // without a client certificate its client root trusts. Returns the port, 0 if it did not come
    // up (the caller kills `server`, whatever happened).
    quint16 startVerifyingServer(QProcess &server) {
        const quint16 port = freePort();
        server.setProcessChannelMode(QProcess::MergedChannels);
        endWithTest(server);
        server.start(QStandardPaths::findExecutable(u"openssl"_s),
                     {u"s_server"_s, u"-accept"_s, u"%1:%2"_s.arg(kAddress.toString()).arg(port),
                      u"-cert"_s, m_serverChain, u"-key"_s, m_serverKey, u"-tls1_2"_s, u"-Verify"_s,
                      u"3"_s, u"-verify_return_error"_s, u"-CAfile"_s,
                      write(u"s_server-client-root.pem"_s, m_client.clientRoot.pem), u"-quiet"_s});
        if (!server.waitForStarted(5000) || !waitForPort(port)) {
            qWarning("s_server did not start: %s %s", qPrintable(server.errorString()),
                     server.readAll().constData());
            return 0;
        }
        return port;
    }

    // The server side made at test time: a root, an intermediate and the leaf for mtls.test.
    void makeServerPki() {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        CertSpec root = CertSpec::root(u"mTLS Server Root"_s);
        root.notBefore = now.addDays(-30);
        root.notAfter = now.addDays(3000);
        m_serverRoot = makeCert(root);
        CertSpec ca = CertSpec::intermediate(u"mTLS Server CA"_s);
        ca.notBefore = now.addDays(-20);
        ca.notAfter = now.addDays(1000);
        const TestCert intermediate = makeCert(ca, &m_serverRoot);
        CertSpec leaf = CertSpec::leaf(u"mtls.test"_s);
        leaf.notBefore = now.addDays(-5);
        leaf.notAfter = now.addSecs(qint64(80.5 * 86400));
        const TestCert server = makeCert(leaf, &intermediate);
        m_serverRootPem = write(u"server-root.pem"_s, m_serverRoot.pem);
        m_serverChain = write(u"server.crt"_s, server.pem + intermediate.pem);
        m_serverKey = write(u"server.key"_s, server.keyPem);
    }

    void checkCertificateRead(const QJsonObject &row, const QString &protocol) {
        QCOMPARE(row.value(u"status"_s).toString(), u"ok"_s);
        QCOMPARE(row.value(u"days_left"_s).toInt(), 80);
        QCOMPARE(row.value(u"chain_length"_s).toInt(), 2);
        QCOMPARE(row.value(u"trust"_s).toString(), u"trusted"_s);
        QCOMPARE(row.value(u"tls_version"_s).toString(), protocol);
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_nginxBinary = QStandardPaths::findExecutable(u"nginx"_s, {u"/usr/sbin"_s, u"/usr/bin"_s});
        if (m_nginxBinary.isEmpty()) {
            if (qEnvironmentVariableIsSet("CI"))
                QFAIL("nginx is not installed; tools/install-deps.sh installs nginx-light");
            QSKIP("nginx is not installed (tools/install-deps.sh installs it)");
        }
        makeServerPki();
        m_client = makeClientPki();
        // nginx trusts the client root only: a client must send the issuing CA with its
        // certificate for its chain to verify.
        const QString clientCa = write(u"client-root.pem"_s, m_client.clientRoot.pem);
        m_tls12Port = freePort();
        m_tls13Port = freePort();
        QString servers;
        for (const auto &[port, protocol] :
             {std::pair{m_tls12Port, u"TLSv1.2"_s}, std::pair{m_tls13Port, u"TLSv1.3"_s}}) {
            servers += u"  server {\n    listen %1:%2 ssl;\n    server_name mtls.test;\n"
                       "    ssl_protocols %3;\n"
                       "    ssl_certificate %4;\n    ssl_certificate_key %5;\n"
                       "    ssl_verify_client on;\n    ssl_client_certificate %6;\n"
                       "    ssl_verify_depth 3;\n"
                       "    location / { return 200 \"$ssl_client_verify\\n\"; }\n  }\n"_s
                           .arg(kAddress.toString())
                           .arg(port)
                           .arg(protocol, m_serverChain, m_serverKey, clientCa);
        }
        const QString dir = m_dir.path();
        const QString conf =
            write(u"nginx.conf"_s,
                  (u"daemon off;\nmaster_process off;\npid %1/nginx.pid;\nerror_log %1/error.log;\n"
                   "events { worker_connections 256; }\n"
                   "http {\n  access_log off;\n  client_body_temp_path %1/body;\n"
                   "  proxy_temp_path %1/proxy;\n  fastcgi_temp_path %1/fastcgi;\n"
                   "  uwsgi_temp_path %1/uwsgi;\n  scgi_temp_path %1/scgi;\n"_s.arg(dir) +
                   servers + u"}\n"_s)
                      .toUtf8());
        m_nginx.setProcessChannelMode(QProcess::MergedChannels);
        endWithTest(m_nginx);
        m_nginx.start(m_nginxBinary, {u"-p"_s, dir, u"-e"_s, dir + u"/error.log"_s, u"-c"_s, conf});
        QVERIFY2(m_nginx.waitForStarted(5000), qPrintable(m_nginx.errorString()));
        for (quint16 port : {m_tls12Port, m_tls13Port}) {
            if (!waitForPort(port)) {
                QFile log(dir + u"/error.log"_s);
                log.open(QIODevice::ReadOnly);
                QFAIL(qPrintable(u"nginx did not listen on %1: %2 %3"_s.arg(port).arg(
                    QString::fromUtf8(m_nginx.readAll()), QString::fromUtf8(log.readAll()))));
            }
        }
    }

    void cleanupTestCase() {
        if (m_nginx.state() != QProcess::NotRunning) {
            m_nginx.terminate();
            if (!m_nginx.waitForFinished(5000))
                m_nginx.kill();
        }
    }

    // No client certificate: the server's chain is still read, dated and verified, in TLS 1.2 and
    // 1.3, and the finding says that a client certificate was asked for.
    void withoutIdentityTheCertificateIsReadWithAFinding() {
        const Run run = scan({m_tls12Port, m_tls13Port}, {});
        QVERIFY2(run.exitCode == 0, run.err.constData()); // a finding, not a failure
        const QJsonArray results = run.results();
        QCOMPARE(results.size(), 2);
        for (int i = 0; i < 2; ++i) {
            const QJsonObject row = results[i].toObject();
            checkCertificateRead(row, i == 0 ? u"TLSv1.2"_s : u"TLSv1.3"_s);
            QVERIFY2(findings(row).contains(u"client certificate required"_s),
                     qPrintable(findings(row)));
            QCOMPARE(row.value(u"error"_s).toString(), QString());
        }
    }

    void withTheRightIdentityTheHandshakeCompletes_data() {
        QTest::addColumn<QString>("format");
        QTest::newRow("PEM certificate and key") << u"pem"_s;
        QTest::newRow("encrypted PEM key") << u"encrypted"_s;
        QTest::newRow("PKCS#12") << u"pkcs12"_s;
    }

    void withTheRightIdentityTheHandshakeCompletes() {
        QFETCH(QString, format);
        QStringList args;
        QByteArray passphrase;
        // The certificate file carries the issuing CA after the client certificate.
        const QString cert =
            write(u"client-%1.crt"_s.arg(format), m_client.client.pem + m_client.issuingCa.pem);
        if (format == u"pem"_s) {
            args = {u"--client-cert"_s, cert, u"--client-key"_s,
                    write(u"client.key"_s, m_client.client.keyPem)};
        } else if (format == u"encrypted"_s) {
            passphrase = kPassphrase;
            args = {
                u"--client-cert"_s, cert, u"--client-key"_s,
                write(u"client-enc.key"_s, encryptedKeyPem(m_client.client.keyPem, kPassphrase))};
        } else {
            passphrase = kPassphrase;
            args = {
                u"--client-cert"_s,
                write(u"client.p12"_s, pkcs12(m_client.client, {m_client.issuingCa}, kPassphrase))};
        }
        const Run run = scan({m_tls12Port, m_tls13Port}, args, passphrase);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonArray results = run.results();
        QCOMPARE(results.size(), 2);
        for (int i = 0; i < 2; ++i) {
            const QJsonObject row = results[i].toObject();
            checkCertificateRead(row, i == 0 ? u"TLSv1.2"_s : u"TLSv1.3"_s);
            QVERIFY2(!findings(row).contains(u"client certificate"_s), qPrintable(findings(row)));
        }
        if (!passphrase.isEmpty()) {
            QVERIFY(!run.out.contains(passphrase));
            QVERIFY(!run.err.contains(passphrase));
        }
    }

    void wrongPassphraseIsAClearErrorNamingTheKey() {
        const QString key =
            write(u"client-wrong.key"_s, encryptedKeyPem(m_client.client.keyPem, kPassphrase));
        const QByteArray wrong = "not the passphrase 0815";
        const Run run = scan({m_tls12Port},
                             {u"--client-cert"_s, write(u"client-w.crt"_s, m_client.client.pem),
                              u"--client-key"_s, key},
                             wrong);
        QCOMPARE(run.exitCode, 3); // an input error, before any probe
        const QString err = QString::fromUtf8(run.err);
        QVERIFY2(err.contains(key) && err.contains(u"wrong passphrase"_s), qPrintable(err));
        QVERIFY(!run.err.contains(wrong) && !run.out.contains(wrong));
        QVERIFY(run.results().isEmpty());
    }

    // A scan of the stored inventory with an encrypted key: the passphrase is nowhere in the
    // CSV or JSON reports, nor in the stored rows.
    void passphraseIsNowhereInReportsOrStore() {
        const QString database = m_dir.filePath(u"store.sqlite"_s);
        const Run imported =
            certdash({u"import"_s, u"--database"_s, database, targets({m_tls12Port, m_tls13Port})});
        QVERIFY2(imported.exitCode == 0, imported.err.constData());
        const QStringList client{
            u"--client-cert"_s,
            write(u"client-s.crt"_s, m_client.client.pem + m_client.issuingCa.pem),
            u"--client-key"_s,
            write(u"client-s.key"_s, encryptedKeyPem(m_client.client.keyPem, kPassphrase))};
        QByteArray everything;
        for (const QString &format : {u"csv"_s, u"json"_s}) {
            const Run run =
                certdash(QStringList{u"scan"_s, u"--database"_s, database, u"--ca-file"_s,
                                     m_serverRootPem, u"--format"_s, format, u"--timeout"_s, u"5"_s,
                                     u"--event-log"_s, m_dir.filePath(u"events.jsonl"_s)} +
                             client,
                         kPassphrase);
            QVERIFY2(run.exitCode == 0, run.err.constData());
            QVERIFY(run.out.contains("mtls.test"));
            everything += run.out + run.err;
            const Run report =
                certdash({u"report"_s, u"--database"_s, database, u"--format"_s, format});
            QVERIFY2(report.exitCode == 0, report.err.constData());
            everything += report.out + report.err;
        }
        QVERIFY(!everything.contains(kPassphrase));
        QVERIFY(!everything.contains("client certificate required")); // it was presented
        // Every file the scans left: the store (and its WAL), settings, the event log.
        QDirIterator files(m_dir.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        int checked = 0;
        while (files.hasNext()) {
            QFile f(files.next());
            QVERIFY(f.open(QIODevice::ReadOnly));
            QVERIFY2(!f.readAll().contains(kPassphrase), qPrintable(f.fileName()));
            ++checked;
        }
        QVERIFY(checked > 0);
        QVERIFY(QFile::exists(database));
    }

    // A server that ends the handshake (OpenSSL's s_server with -Verify, TLS 1.2): its chain was
    // sent before its alert and is read; without a certificate the finding says one was required,
    // with one it does not trust, that it was rejected; with the right one (whose chain the server
    // needs: it trusts only the client root) the handshake completes.
    void serverThatEndsTheHandshake() {
        if (QStandardPaths::findExecutable(u"openssl"_s).isEmpty())
            QSKIP("openssl is not installed");
        QProcess server;
        const quint16 port = startVerifyingServer(server);
        QVERIFY(port != 0);
        const auto stop = qScopeGuard([&server] {
            server.kill();
            server.waitForFinished(5000);
        });

        // s_server's leaf comes without the intermediate: one certificate read.
        const auto expectRead = [](const QJsonObject &row) {
            QCOMPARE(row.value(u"status"_s).toString(), u"ok"_s);
            QCOMPARE(row.value(u"days_left"_s).toInt(), 80);
            QCOMPARE(row.value(u"tls_version"_s).toString(), u"TLSv1.2"_s);
        };

        Run run = scan({port}, {});
        QCOMPARE(run.results().size(), 1);
        QJsonObject row = run.results()[0].toObject();
        expectRead(row);
        QVERIFY2(findings(row).contains(u"client certificate required"_s) &&
                     findings(row).contains(u"ended the handshake"_s),
                 qPrintable(findings(row)));

        run = scan({port},
                   {u"--client-cert"_s,
                    write(u"stranger.pem"_s, m_client.stranger.pem + m_client.stranger.keyPem)});
        QCOMPARE(run.results().size(), 1);
        row = run.results()[0].toObject();
        expectRead(row);
        QVERIFY2(findings(row).contains(u"client certificate rejected"_s) &&
                     findings(row).contains(u"CN=stranger"_s),
                 qPrintable(findings(row)));

        run = scan({port}, {u"--client-cert"_s,
                            write(u"right.pem"_s, m_client.client.pem + m_client.client.keyPem +
                                                      m_client.issuingCa.pem)});
        QCOMPARE(run.results().size(), 1);
        row = run.results()[0].toObject();
        expectRead(row);
        QVERIFY2(!findings(row).contains(u"client certificate"_s), qPrintable(findings(row)));
    }

    // A target names its own client certificate (client_cert= in its line; tags and the store
    // work the same way): it is presented to that target only, by either engine, against a
    // server that refuses the handshake without it.
    void targetNamesItsIdentity_data() {
        QTest::addColumn<QString>("engine");
        QTest::newRow("openssl") << u"openssl"_s;
        QTest::newRow("qt") << u"qt"_s;
    }
    void targetNamesItsIdentity() {
        QFETCH(QString, engine);
        if (QStandardPaths::findExecutable(u"openssl"_s).isEmpty())
            QSKIP("openssl is not installed");
        QProcess server;
        const quint16 port = startVerifyingServer(server);
        QVERIFY(port != 0);
        const auto stop = qScopeGuard([&server] {
            server.kill();
            server.waitForFinished(5000);
        });

        const QString p12 = QFileInfo(write(u"target-identity.p12"_s,
                                            pkcs12(m_client.client, {m_client.issuingCa},
                                                   kPassphrase)))
                                .absoluteFilePath();
        const QString file = write(u"targets-own-identity.txt"_s,
                                   u"mtls.test:%1 address=%2 client_cert=\"%3\"\n"_s
                                       .arg(port)
                                       .arg(kAddress.toString(), p12)
                                       .toUtf8());
        const Run run = certdash({u"scan"_s, u"--targets"_s, file, u"--ca-file"_s, m_serverRootPem,
                                  u"--format"_s, u"json"_s, u"--timeout"_s, u"5"_s, u"--engine"_s,
                                  engine},
                                 kPassphrase);
        // (Exit 1 or 0: s_server sends its leaf without the intermediate, a trust finding.)
        QCOMPARE(run.results().size(), 1);
        const QJsonObject row = run.results()[0].toObject();
        QCOMPARE(row.value(u"status"_s).toString(), u"ok"_s);
        QCOMPARE(row.value(u"error"_s).toString(), QString());
        QVERIFY2(!findings(row).contains(u"client certificate"_s), qPrintable(findings(row)));

        // Its passphrase missing stops the scan before any probe, naming the target and file.
        const Run missing = certdash({u"scan"_s, u"--targets"_s, file, u"--ca-file"_s,
                                      m_serverRootPem, u"--engine"_s, engine});
        QCOMPARE(missing.exitCode, 3);
        QVERIFY2(missing.err.contains("the client certificate of mtls.test:") &&
                     missing.err.contains(p12.toUtf8()),
                 missing.err.constData());
    }

    // The identity as the Qt engine takes it (QSslCertificate, an opaque QSslKey, the chain) in a
    // real QSslSocket handshake with a server that verifies it against the client root only.
    void qtAccessorsAuthenticateAQSslSocket() {
        const QString p12 =
            write(u"qt.p12"_s, pkcs12(m_client.client, {m_client.issuingCa}, kPassphrase));
        qputenv(kClientKeyPassphraseVariable, kPassphrase);
        const auto loaded = ClientIdentity::load(p12, {}, nullptr);
        qunsetenv(kClientKeyPassphraseVariable);
        QVERIFY2(loaded.identity, qPrintable(loaded.error));

        QSslServer server;
        QSslConfiguration serverConfig = QSslConfiguration::defaultConfiguration();
        serverConfig.setLocalCertificateChain(QSslCertificate::fromPath(m_serverChain, QSsl::Pem));
        QFile keyFile(m_serverKey);
        QVERIFY(keyFile.open(QIODevice::ReadOnly));
        serverConfig.setPrivateKey(QSslKey(keyFile.readAll(), QSsl::Ec));
        serverConfig.setPeerVerifyMode(QSslSocket::VerifyPeer);
        serverConfig.setCaCertificates({m_client.clientRoot.certificate()});
        server.setSslConfiguration(serverConfig);
        QVERIFY(server.listen(kAddress, 0));
        QList<QSslCertificate> seenByServer;
        QStringList serverErrors;
        connect(&server, &QSslServer::sslErrors, this,
                [&serverErrors](QSslSocket *, const QList<QSslError> &errors) {
                    for (const QSslError &e : errors)
                        serverErrors << e.errorString();
                });
        connect(&server, &QSslServer::pendingConnectionAvailable, this, [&] {
            QSslSocket *socket = qobject_cast<QSslSocket *>(server.nextPendingConnection());
            if (socket)
                seenByServer = socket->peerCertificateChain();
        });

        QSslSocket client;
        QSslConfiguration clientConfig = QSslConfiguration::defaultConfiguration();
        clientConfig.setLocalCertificateChain(
            QList<QSslCertificate>{loaded.identity->qtCertificate()} + loaded.identity->qtChain());
        clientConfig.setPrivateKey(loaded.identity->qtKey());
        clientConfig.setCaCertificates({m_serverRoot.certificate()});
        client.setSslConfiguration(clientConfig);
        client.setPeerVerifyName(u"mtls.test"_s);
        QSignalSpy encrypted(&client, &QSslSocket::encrypted);
        client.connectToHostEncrypted(kAddress.toString(), server.serverPort(), u"mtls.test"_s);
        QVERIFY2(encrypted.wait(10000), qPrintable(client.errorString()));
        QTRY_VERIFY2_WITH_TIMEOUT(!seenByServer.isEmpty(), qPrintable(serverErrors.join(u"; "_s)),
                                  10000);
        QCOMPARE(seenByServer.first(), m_client.client.certificate());
        QVERIFY(serverErrors.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestMutualTls)
#include "tst_mtls.moc"
