// `certdash scan` through real proxies from Debian, started here on loopback with their own
// configuration: tinyproxy (HTTP CONNECT with Basic authentication) and danted (SOCKS5 with
// username/password). danted checks its users against the system's password database, so the
// test makes (idempotently) a system user, certdash-socks-test (no home, no login shell), gives it
// a fresh random password each run and locks it again at the end. That needs root; without it the
// SOCKS cases are skipped (and fail under CI).
#include "CertFactory.h"
#include "CommandRunner.h"
#include "LocalTlsServer.h"
#include "ServerProcess.h"
#include "TestSupport.h"
#include "cli/ScanCommand.h"
#include "probing/ProxySettings.h"
#include "secrets/SecretStore.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <unistd.h>

using namespace certdash;
using namespace certdash::cli;
using namespace certdash::test;
using namespace Qt::StringLiterals;

namespace {
// Each proxy on its own loopback address, so that a port picked here and released again cannot be
// taken meanwhile by a test server of another suite on 127.0.0.1.
const QHostAddress kHttpProxyAddress(u"127.78.0.1"_s);
const QHostAddress kSocksProxyAddress(u"127.78.0.2"_s);
const QString kProxyUser = u"certdash"_s;
const QString kSocksUser = u"certdash-socks-test"_s;

quint16 freePort(const QHostAddress &address) {
    QTcpServer s;
    return s.listen(address, 0) ? s.serverPort() : 0;
}

bool waitUntilListening(const QHostAddress &address, quint16 port) {
    for (int i = 0; i < 100; ++i) {
        QTcpSocket probe;
        probe.connectToHost(address, port);
        if (probe.waitForConnected(100))
            return true;
        QTest::qWait(50);
    }
    return false;
}

bool runQuietly(const QString &program, const QStringList &arguments,
                const QByteArray &input = {}) {
    QProcess p;
    p.start(program, arguments);
    if (!p.waitForStarted(5000))
        return false;
    p.write(input);
    p.closeWriteChannel();
    return p.waitForFinished(10000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

struct ScanRow {
    int exitCode = -1;
    QString err;
    QJsonObject row; // the only row, when there is one
    QJsonArray rows;
    QString fingerprint() const {
        return row.value(u"chain"_s)
            .toArray()
            .first()
            .toObject()
            .value(u"sha256_fingerprint"_s)
            .toString();
    }
    QString value(const QString &key) const { return row.value(key).toVariant().toString(); }
};
} // namespace

class TestProxies : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    TestCert m_root;
    TestCert m_ca;
    TestCert m_leaf;
    QString m_rootPem;
    LocalTlsServer m_site;
    LocalTlsServer m_mail;
    QProcess m_tinyproxy;
    QProcess m_danted;
    quint16 m_httpPort = 0;
    quint16 m_socksPort = 0;
    QString m_httpPassword;
    QString m_socksPassword;
    QString m_socksSkipped; // why the SOCKS cases cannot run here

    QString write(const QString &name, const QByteArray &content) {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(content) != content.size())
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

    QString log(const QString &name) const {
        QFile f(m_dir.filePath(name));
        return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
    }

    static QString findTool(const QString &name) {
        return QStandardPaths::findExecutable(name, {u"/usr/sbin"_s, u"/usr/bin"_s});
    }

    // One target through `certdash scan`, the report as JSON; the password (if any) from
    // CERTDASH_PROXY_PASSWORD, as a run without a keychain takes it.
    ScanRow scan(const QString &targetLine, const QStringList &extra,
                 const QString &password = {}) {
        if (password.isEmpty())
            qunsetenv(kProxyPasswordVariable);
        else
            qputenv(kProxyPasswordVariable, password.toUtf8());
        const QString targets = write(u"targets.txt"_s, targetLine.toUtf8() + '\n');
        const CommandRun run =
            runCommand(&runScan, QStringList{u"--targets"_s, targets, u"--format"_s, u"json"_s,
                                             u"--no-system-ca"_s, u"--ca-file"_s, m_rootPem,
                                             u"--timeout"_s, u"5"_s, u"--quiet"_s} +
                                     extra);
        qunsetenv(kProxyPasswordVariable);
        ScanRow result;
        result.exitCode = run.exitCode;
        result.err = run.err;
        const QJsonArray rows =
            QJsonDocument::fromJson(run.out).object().value(u"results"_s).toArray();
        result.rows = rows;
        if (rows.size() == 1)
            result.row = rows.first().toObject();
        return result;
    }

    QString siteTarget() const { return u"site.test:%1 address=127.0.0.1"_s.arg(m_site.port()); }
    QString httpProxy() const {
        return u"http://%1@%2:%3"_s.arg(kProxyUser, kHttpProxyAddress.toString()).arg(m_httpPort);
    }
    QString socksProxy(const QString &scheme) const {
        return u"%1://%2@%3:%4"_s.arg(scheme, kSocksUser, kSocksProxyAddress.toString())
            .arg(m_socksPort);
    }

    void startTinyproxy() {
        const QString binary = findTool(u"tinyproxy"_s);
        if (binary.isEmpty()) {
            if (qEnvironmentVariableIsSet("CI"))
                QFAIL("tinyproxy is not installed; tools/install-deps.sh installs it");
            QSKIP("tinyproxy is not installed (tools/install-deps.sh installs it)");
        }
        m_httpPort = freePort(kHttpProxyAddress);
        m_httpPassword = QUuid::createUuid().toString(QUuid::WithoutBraces);
        // No Allow lines: every client may connect; no ConnectPort lines: every port may be
        // CONNECTed.
        const QString conf =
            write(u"tinyproxy.conf"_s,
                  u"Port %1\nListen %2\nTimeout 10\nMaxClients 20\nLogLevel Info\nLogFile \"%3\"\n"
                  "PidFile \"%4\"\nBasicAuth %5 %6\n"_s.arg(m_httpPort)
                      .arg(kHttpProxyAddress.toString(), m_dir.filePath(u"tinyproxy.log"_s),
                           m_dir.filePath(u"tinyproxy.pid"_s), kProxyUser, m_httpPassword)
                      .toUtf8());
        m_tinyproxy.setProcessChannelMode(QProcess::MergedChannels);
        endWithTest(m_tinyproxy);
        m_tinyproxy.start(binary, {u"-d"_s, u"-c"_s, conf});
        QVERIFY2(m_tinyproxy.waitForStarted(5000), qPrintable(m_tinyproxy.errorString()));
        QVERIFY2(waitUntilListening(kHttpProxyAddress, m_httpPort),
                 qPrintable(QString::fromUtf8(m_tinyproxy.readAll()) + log(u"tinyproxy.log"_s)));
    }

    void startDanted() {
        const QString binary = findTool(u"danted"_s);
        if (binary.isEmpty()) {
            m_socksSkipped =
                u"danted is not installed (tools/install-deps.sh installs dante-server)"_s;
            return;
        }
        if (::geteuid() != 0) {
            m_socksSkipped =
                u"danted authenticates system users: making the test user needs root"_s;
            return;
        }
        // The user danted checks the password of: made once, given a new password every run.
        if (!runQuietly(u"id"_s, {kSocksUser}) &&
            !runQuietly(u"useradd"_s, {u"--system"_s, u"--no-create-home"_s, u"--shell"_s,
                                       u"/usr/sbin/nologin"_s, kSocksUser})) {
            m_socksSkipped = u"useradd %1 failed"_s.arg(kSocksUser);
            return;
        }
        m_socksPassword = QUuid::createUuid().toString(QUuid::WithoutBraces);
        if (!runQuietly(u"chpasswd"_s, {},
                        (kSocksUser + u':' + m_socksPassword + u'\n').toUtf8())) {
            m_socksSkipped = u"chpasswd for %1 failed"_s.arg(kSocksUser);
            return;
        }
        m_socksPort = freePort(kSocksProxyAddress);
        const QString conf =
            write(u"danted.conf"_s,
                  u"logoutput: %1\ninternal: %2 port = %3\nexternal: 127.0.0.1\n"
                  "socksmethod: username\nclientmethod: none\n"
                  "user.privileged: root\nuser.unprivileged: nobody\n"
                  "client pass {\n  from: 127.0.0.0/8 to: 0.0.0.0/0\n  log: error\n}\n"
                  "socks pass {\n  from: 127.0.0.0/8 to: 0.0.0.0/0\n  socksmethod: username\n"
                  "  log: connect error\n}\n"_s
                      .arg(m_dir.filePath(u"danted.log"_s), kSocksProxyAddress.toString())
                      .arg(m_socksPort)
                      .toUtf8());
        m_danted.setProcessChannelMode(QProcess::MergedChannels);
        endWithTest(m_danted);
        m_danted.start(binary,
                       {u"-f"_s, conf, u"-p"_s, m_dir.filePath(u"danted.pid"_s), u"-N"_s, u"1"_s});
        QVERIFY2(m_danted.waitForStarted(5000), qPrintable(m_danted.errorString()));
        QVERIFY2(waitUntilListening(kSocksProxyAddress, m_socksPort),
                 qPrintable(QString::fromUtf8(m_danted.readAll()) + log(u"danted.log"_s)));
    }

    void requireSocks() {
        if (m_socksSkipped.isEmpty())
            return;
        if (qEnvironmentVariableIsSet("CI"))
            QFAIL(qPrintable(m_socksSkipped));
        QSKIP(qPrintable(m_socksSkipped));
    }

    static void stop(QProcess &process) {
        if (process.state() == QProcess::NotRunning)
            return;
        process.terminate();
        if (!process.waitForFinished(5000))
            process.kill();
        process.waitForFinished(5000);
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        qunsetenv("https_proxy");
        qunsetenv("HTTPS_PROXY");
        qunsetenv("all_proxy");
        qunsetenv("ALL_PROXY");
        qunsetenv("no_proxy");
        qunsetenv("NO_PROXY");
        // A run without a keychain session, as cron's: the scan asks the keychain first and
        // would otherwise start the session's keyring daemon (tst_keychain tests that path).
        qunsetenv("DBUS_SESSION_BUS_ADDRESS");
        m_root = makeCert(CertSpec::root(u"Proxy Test Root"_s).validDays(-1000, 3000));
        m_ca = makeCert(CertSpec::intermediate(u"Proxy Test CA"_s).validDays(-500, 1000), &m_root);
        m_leaf = makeCert(CertSpec::leaf(u"site.test"_s).validDays(-10, 80), &m_ca);
        m_rootPem = m_dir.filePath(u"root.pem"_s);
        QVERIFY(writePemBundle(m_rootPem, {m_root}));
        m_site.setChain({m_leaf.certificate(), m_ca.certificate()}, m_leaf.key());
        QVERIFY(m_site.listenLoopback());
        const TestCert mail = makeCert(CertSpec::leaf(u"mail.test"_s).validDays(-10, 60), &m_ca);
        m_mail.setChain({mail.certificate(), m_ca.certificate()}, mail.key());
        m_mail.setStartTls(StartTls::Smtp);
        QVERIFY(m_mail.listenLoopback());
        startTinyproxy();
        startDanted();
    }

    void cleanupTestCase() {
        stop(m_tinyproxy);
        stop(m_danted);
        if (!m_socksPassword.isEmpty())
            runQuietly(u"usermod"_s, {u"--lock"_s, kSocksUser});
    }

    // The same certificate through the proxy as directly, with the target's SNI, verified for
    // the target's name, and the connection really went through the proxy.
    void httpProxyReadsTheSameCertificate() {
        const ScanRow direct = scan(siteTarget(), {});
        QCOMPARE(direct.exitCode, 0);
        QVERIFY(!direct.fingerprint().isEmpty());

        const QString connect = u"CONNECT 127.0.0.1:%1"_s.arg(m_site.port());
        const qsizetype connectsBefore = log(u"tinyproxy.log"_s).count(connect);
        const ScanRow proxied = scan(siteTarget(), {u"--proxy"_s, httpProxy()}, m_httpPassword);
        QVERIFY2(proxied.exitCode == 0, qPrintable(proxied.err + proxied.value(u"error"_s)));
        QCOMPARE(proxied.value(u"status"_s), u"ok"_s);
        // The credentials go with the first CONNECT: one request per probe, not two.
        QCOMPARE(log(u"tinyproxy.log"_s).count(connect), connectsBefore + 1);
        QCOMPARE(proxied.value(u"trust"_s), u"trusted"_s);
        QCOMPARE(proxied.value(u"address"_s), u"127.0.0.1"_s); // pinned: that address, via CONNECT
        QCOMPARE(proxied.fingerprint(), direct.fingerprint());
        QCOMPARE(m_site.receivedSni().last(), u"site.test"_s);
        QVERIFY2(log(u"tinyproxy.log"_s).contains(u"CONNECT 127.0.0.1:%1"_s.arg(m_site.port())),
                 qPrintable(log(u"tinyproxy.log"_s)));
    }

    // Without a pinned address the name goes to the proxy, which resolves it: one row, whose
    // address says so. SNI and the verified identity stay the target's.
    void httpProxyResolvesTheName() {
        const ScanRow proxied = scan(u"localhost:%1 sni=site.test"_s.arg(m_site.port()),
                                     {u"--proxy"_s, httpProxy()}, m_httpPassword);
        QVERIFY2(proxied.exitCode == 0, qPrintable(proxied.err + proxied.value(u"error"_s)));
        QCOMPARE(proxied.value(u"address"_s), QString::fromLatin1(kViaProxyAddress));
        QCOMPARE(proxied.value(u"trust"_s), u"trusted"_s);
        QCOMPARE(m_site.receivedSni().last(), u"site.test"_s);
        QVERIFY(log(u"tinyproxy.log"_s).contains(u"CONNECT localhost:%1"_s.arg(m_site.port())));
    }

    void startTlsThroughHttpProxy() {
        const int before = m_mail.handshakesCompleted();
        const ScanRow proxied =
            scan(u"mail.test:%1 address=127.0.0.1 starttls=smtp"_s.arg(m_mail.port()),
                 {u"--proxy"_s, httpProxy()}, m_httpPassword);
        QVERIFY2(proxied.exitCode == 0, qPrintable(proxied.err + proxied.value(u"error"_s)));
        QCOMPARE(proxied.value(u"status"_s), u"ok"_s);
        QCOMPARE(proxied.value(u"subject"_s).contains(u"mail.test"_s), true);
        QTRY_COMPARE(m_mail.handshakesCompleted(), before + 1);
        QVERIFY(m_mail.plaintextReceived().last().contains("STARTTLS\r\n"));
        QVERIFY(log(u"tinyproxy.log"_s).contains(u"CONNECT 127.0.0.1:%1"_s.arg(m_mail.port())));
    }

    void httpProxyWrongPassword() {
        const QString wrong = u"not-the-password-%1"_s.arg(QUuid::createUuid().toString());
        const ScanRow r = scan(siteTarget(), {u"--proxy"_s, httpProxy()}, wrong);
        QCOMPARE(r.exitCode, 2);
        QCOMPARE(r.value(u"status"_s), u"unreachable"_s);
        const QString error = r.value(u"error"_s);
        QVERIFY2(error.contains(u"proxy "_s + httpProxy()), qPrintable(error));
        // tinyproxy answers a wrong password with 401, which Qt reports without the code.
        QVERIFY2(error.contains(u"check the password of certdash"_s), qPrintable(error));
        QVERIFY2(!error.contains(wrong) && !r.err.contains(wrong), qPrintable(error));
    }

    // A user without any password to be found stops the scan before it starts, saying where the
    // password goes.
    void missingPasswordIsAUsageError() {
        const ScanRow r = scan(siteTarget(), {u"--proxy"_s, httpProxy()});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains(u"certdash secret set proxy:"_s + httpProxy()), qPrintable(r.err));
        QVERIFY2(r.err.contains(QLatin1String(kProxyPasswordVariable)), qPrintable(r.err));
    }

    void passwordInTheUrlIsRefused() {
        const QString url =
            u"http://%1:%2@%3:%4"_s.arg(kProxyUser, m_httpPassword, kHttpProxyAddress.toString())
                .arg(m_httpPort);
        const ScanRow r = scan(siteTarget(), {u"--proxy"_s, url}, m_httpPassword);
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(!r.err.contains(m_httpPassword), qPrintable(r.err));
        QVERIFY2(r.err.contains(httpProxy()), qPrintable(r.err));
        QVERIFY(r.row.isEmpty()); // nothing was probed
    }

    void proxyDown() {
        const quint16 closed = freePort(kHttpProxyAddress);
        const QString url = u"http://%1:%2"_s.arg(kHttpProxyAddress.toString()).arg(closed);
        const ScanRow r = scan(siteTarget(), {u"--proxy"_s, url});
        QCOMPARE(r.exitCode, 2);
        QCOMPARE(r.value(u"status"_s), u"unreachable"_s);
        QVERIFY2(r.value(u"error"_s).contains(u"proxy %1 refused the connection"_s.arg(url)),
                 qPrintable(r.value(u"error"_s)));
    }

    // The environment's proxy is used by default; no_proxy sends a host direct; --no-proxy
    // ignores the environment. The environment's proxy here is down: only a direct connection
    // can read the certificate.
    void environmentAndNoProxy() {
        const quint16 closed = freePort(kHttpProxyAddress);
        const QString url = u"http://%1:%2"_s.arg(kHttpProxyAddress.toString()).arg(closed);
        qputenv("https_proxy", url.toUtf8());
        const ScanRow viaEnvironment = scan(siteTarget(), {});
        qputenv("no_proxy", "other.example,.test");
        const ScanRow bypassed = scan(siteTarget(), {});
        qunsetenv("no_proxy");
        const ScanRow noProxy = scan(siteTarget(), {u"--no-proxy"_s});
        qunsetenv("https_proxy");

        QCOMPARE(viaEnvironment.value(u"status"_s), u"unreachable"_s);
        QVERIFY2(viaEnvironment.value(u"error"_s).contains(url), qPrintable(viaEnvironment.err));
        QCOMPARE(bypassed.value(u"status"_s), u"ok"_s);
        QCOMPARE(bypassed.exitCode, 0);
        QCOMPARE(noProxy.value(u"status"_s), u"ok"_s);
    }

    // A target may name its own proxy (its line, CSV, JSON, the store): it wins over --proxy and
    // the environment, and "direct" goes direct whatever they say. The other proxy here is down:
    // only the target's choice can read the certificate.
    void targetNamesItsProxy() {
        const quint16 closed = freePort(kHttpProxyAddress);
        const QString down = u"http://%1:%2"_s.arg(kHttpProxyAddress.toString()).arg(closed);
        const QString connect = u"CONNECT 127.0.0.1:%1"_s.arg(m_site.port());
        const qsizetype connectsBefore = log(u"tinyproxy.log"_s).count(connect);

        const ScanRow own = scan(siteTarget() + u" proxy="_s + httpProxy(), {u"--proxy"_s, down},
                                 m_httpPassword);
        QVERIFY2(own.exitCode == 0, qPrintable(own.err + own.value(u"error"_s)));
        QCOMPARE(own.value(u"status"_s), u"ok"_s);
        QCOMPARE(log(u"tinyproxy.log"_s).count(connect), connectsBefore + 1);

        qputenv("https_proxy", down.toUtf8());
        const ScanRow direct = scan(siteTarget() + u" proxy=direct"_s, {});
        const ScanRow inherits = scan(siteTarget(), {});
        qunsetenv("https_proxy");
        QCOMPARE(direct.value(u"status"_s), u"ok"_s);
        QCOMPARE(inherits.value(u"status"_s), u"unreachable"_s);
        QCOMPARE(log(u"tinyproxy.log"_s).count(connect), connectsBefore + 1);

        // A target's proxy that needs a password nobody has stops the scan before it starts.
        const ScanRow missing = scan(siteTarget() + u" proxy="_s + httpProxy(), {});
        QCOMPARE(missing.exitCode, 3);
        QVERIFY2(missing.err.contains(u"certdash secret set proxy:"_s + httpProxy()),
                 qPrintable(missing.err));
        QVERIFY(missing.rows.isEmpty());
    }

    // The Qt engine goes through the same proxies the same way (by name when the proxy
    // resolves it), and fails through a dead one in the same words.
    void qtEngineThroughProxies() {
        const ScanRow direct = scan(siteTarget(), {});
        const ScanRow http = scan(u"localhost:%1 sni=site.test"_s.arg(m_site.port()),
                                  {u"--proxy"_s, httpProxy(), u"--engine"_s, u"qt"_s},
                                  m_httpPassword);
        QVERIFY2(http.exitCode == 0, qPrintable(http.err + http.value(u"error"_s)));
        QCOMPARE(http.value(u"address"_s), QString::fromLatin1(kViaProxyAddress));
        QCOMPARE(http.fingerprint(), direct.fingerprint());
        QVERIFY(log(u"tinyproxy.log"_s).contains(u"CONNECT localhost:%1"_s.arg(m_site.port())));

        const quint16 closed = freePort(kHttpProxyAddress);
        const QString down = u"http://%1:%2"_s.arg(kHttpProxyAddress.toString()).arg(closed);
        const ScanRow dead = scan(siteTarget(), {u"--proxy"_s, down, u"--engine"_s, u"qt"_s});
        QCOMPARE(dead.value(u"status"_s), u"unreachable"_s);
        QVERIFY2(dead.value(u"error"_s).contains(u"proxy %1 refused the connection"_s.arg(down)),
                 qPrintable(dead.value(u"error"_s)));

        requireSocks();
        const ScanRow socks = scan(siteTarget(), {u"--proxy"_s, socksProxy(u"socks5"_s),
                                                  u"--engine"_s, u"qt"_s},
                                   m_socksPassword);
        QVERIFY2(socks.exitCode == 0, qPrintable(socks.err + socks.value(u"error"_s)));
        QCOMPARE(socks.fingerprint(), direct.fingerprint());
    }

    void socks5ReadsTheSameCertificate_data() {
        QTest::addColumn<QString>("scheme");
        QTest::newRow("socks5") << u"socks5"_s;
        QTest::newRow("socks5h") << u"socks5h"_s;
    }
    void socks5ReadsTheSameCertificate() {
        requireSocks();
        QFETCH(QString, scheme);
        const ScanRow direct = scan(siteTarget(), {});
        const ScanRow proxied =
            scan(siteTarget(), {u"--proxy"_s, socksProxy(scheme)}, m_socksPassword);
        QVERIFY2(proxied.exitCode == 0,
                 qPrintable(proxied.err + proxied.value(u"error"_s) + log(u"danted.log"_s)));
        QCOMPARE(proxied.value(u"trust"_s), u"trusted"_s);
        QCOMPARE(proxied.fingerprint(), direct.fingerprint());
        QCOMPARE(m_site.receivedSni().last(), u"site.test"_s);
        QVERIFY2(log(u"danted.log"_s).contains(u"127.0.0.1.%1"_s.arg(m_site.port())),
                 qPrintable(log(u"danted.log"_s)));
    }

    // socks5h: the proxy resolves the name (one row, "via proxy").
    void socks5hResolvesTheName() {
        requireSocks();
        const ScanRow proxied = scan(u"localhost:%1 sni=site.test"_s.arg(m_site.port()),
                                     {u"--proxy"_s, socksProxy(u"socks5h"_s)}, m_socksPassword);
        QVERIFY2(proxied.exitCode == 0,
                 qPrintable(proxied.err + proxied.value(u"error"_s) + log(u"danted.log"_s)));
        QCOMPARE(proxied.value(u"address"_s), QString::fromLatin1(kViaProxyAddress));
        QCOMPARE(m_site.receivedSni().last(), u"site.test"_s);
    }

    // socks5 (not socks5h): CertDash resolves the name and probes each address through the
    // proxy, as without one.
    void socks5ResolvesLocally() {
        requireSocks();
        const ScanRow r = scan(u"localhost:%1 sni=site.test"_s.arg(m_site.port()),
                               {u"--proxy"_s, socksProxy(u"socks5"_s)}, m_socksPassword);
        QVERIFY(!r.rows.isEmpty());
        bool sawIpv4 = false;
        for (const QJsonValue &row : r.rows) {
            const QString address = row.toObject().value(u"address"_s).toString();
            QVERIFY2(canonicalAddress(address), qPrintable(address));
            if (address == u"127.0.0.1"_s) {
                sawIpv4 = true;
                QCOMPARE(row.toObject().value(u"status"_s).toString(), u"ok"_s);
            }
        }
        QVERIFY(sawIpv4);
        QCOMPARE(m_site.receivedSni().last(), u"site.test"_s);
        QVERIFY(log(u"danted.log"_s).contains(u"127.0.0.1.%1"_s.arg(m_site.port())));
    }

    void socks5WrongPassword() {
        requireSocks();
        const QString wrong = u"wrong-%1"_s.arg(QUuid::createUuid().toString());
        const ScanRow r = scan(siteTarget(), {u"--proxy"_s, socksProxy(u"socks5"_s)}, wrong);
        QCOMPARE(r.exitCode, 2);
        QCOMPARE(r.value(u"status"_s), u"unreachable"_s);
        const QString error = r.value(u"error"_s);
        QVERIFY2(error.contains(u"proxy "_s + socksProxy(u"socks5"_s)), qPrintable(error));
        QVERIFY2(error.contains(u"authentication failed"_s), qPrintable(error));
        QVERIFY2(!error.contains(wrong), qPrintable(error));
    }
};

QTEST_MAIN(TestProxies)
#include "tst_proxies.moc"
