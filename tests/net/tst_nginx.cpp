// The real thing: Debian's nginx on loopback serving a valid, an expired and an incomplete-chain
// endpoint, probed by the certdash binary with each probe engine (--engine openssl, then qt).
// Certificates are made relative to the real clock here, because the binary runs with it.
#include "CertFactory.h"
#include "EngineUnderTest.h"
#include "ServerProcess.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace certdash::test;
using namespace Qt::StringLiterals;

namespace {
// nginx listens on its own loopback address, so that a port picked here and released again cannot
// be taken meanwhile by a test server of another suite running in parallel on 127.0.0.1.
const QHostAddress kNginxAddress(QStringLiteral("127.77.0.1"));

quint16 freePort()
{
    QTcpServer s;
    return s.listen(kNginxAddress, 0) ? s.serverPort() : 0;
}

CertSpec relativeToNow(CertSpec spec, double fromDays, double toDays)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    spec.notBefore = now.addSecs(qint64(fromDays * 86400));
    spec.notAfter = now.addSecs(qint64(toDays * 86400));
    return spec;
}
} // namespace

class TestNginx : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QProcess m_nginx;
    QString m_nginxBinary;

    QString write(const QString &name, const QByteArray &data)
    {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size())
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

private slots:
    void initTestCase()
    {
        m_nginxBinary = QStandardPaths::findExecutable(u"nginx"_s, {u"/usr/sbin"_s, u"/usr/bin"_s});
        if (m_nginxBinary.isEmpty()) {
            if (qEnvironmentVariableIsSet("CI"))
                QFAIL("nginx is not installed; tools/install-deps.sh installs nginx-light");
            QSKIP("nginx is not installed (tools/install-deps.sh installs it)");
        }
        QVERIFY(m_dir.isValid());
    }

    void cleanupTestCase()
    {
        if (m_nginx.state() != QProcess::NotRunning) {
            m_nginx.terminate();
            if (!m_nginx.waitForFinished(5000))
                m_nginx.kill();
        }
    }

    void scanRealServer()
    {
        const TestCert root = makeCert(relativeToNow(CertSpec::root(u"Nginx Test Root"_s), -400, 3000));
        const TestCert ca = makeCert(
            relativeToNow(CertSpec::intermediate(u"Nginx Test CA"_s), -200, 1000), &root);
        const TestCert valid = makeCert(relativeToNow(CertSpec::leaf(u"valid.test"_s), -10, 80.5), &ca);
        const TestCert expired =
            makeCert(relativeToNow(CertSpec::leaf(u"expired.test"_s), -100, -9.5), &ca);
        const TestCert incomplete =
            makeCert(relativeToNow(CertSpec::leaf(u"incomplete.test"_s), -5, 60), &ca);

        const QString rootPem = write(u"root.pem"_s, root.pem);
        struct Site
        {
            QString name;
            QByteArray chainPem;
            QByteArray keyPem;
            quint16 port;
        };
        const QList<Site> sites{
            {u"valid.test"_s, valid.pem + ca.pem, valid.keyPem, freePort()},
            {u"expired.test"_s, expired.pem + ca.pem, expired.keyPem, freePort()},
            {u"incomplete.test"_s, incomplete.pem, incomplete.keyPem, freePort()}, // no intermediate
        };
        QString servers;
        QString targets;
        for (const Site &s : sites) {
            const QString cert = write(s.name + u".crt"_s, s.chainPem);
            const QString key = write(s.name + u".key"_s, s.keyPem);
            servers += u"  server {\n    listen 127.77.0.1:%1 ssl;\n    server_name %2;\n"
                       "    ssl_certificate %3;\n    ssl_certificate_key %4;\n"
                       "    location / { return 200 \"ok\\n\"; }\n  }\n"_s
                           .arg(s.port)
                           .arg(s.name, cert, key);
            targets += u"%1:%2 address=127.77.0.1\n"_s.arg(s.name).arg(s.port);
        }
        const QString dir = m_dir.path();
        const QString conf = write(
            u"nginx.conf"_s,
            (u"daemon off;\nmaster_process off;\npid %1/nginx.pid;\nerror_log %1/error.log;\n"
             "events { worker_connections 256; }\n"
             "http {\n  access_log off;\n  client_body_temp_path %1/body;\n"
             "  proxy_temp_path %1/proxy;\n  fastcgi_temp_path %1/fastcgi;\n"
             "  uwsgi_temp_path %1/uwsgi;\n  scgi_temp_path %1/scgi;\n"_s.arg(dir)
             + servers + u"}\n"_s)
                .toUtf8());
        m_nginx.setProcessChannelMode(QProcess::MergedChannels);
        endWithTest(m_nginx);
        m_nginx.start(m_nginxBinary, {u"-p"_s, dir, u"-e"_s, dir + u"/error.log"_s, u"-c"_s, conf});
        QVERIFY2(m_nginx.waitForStarted(5000), qPrintable(m_nginx.errorString()));
        // Ready when every port accepts connections.
        for (const Site &s : sites) {
            bool up = false;
            for (int i = 0; i < 100 && !up; ++i) {
                QTcpSocket probe;
                probe.connectToHost(kNginxAddress, s.port);
                up = probe.waitForConnected(100);
                if (!up)
                    QTest::qWait(50);
            }
            if (!up) {
                QFile log(dir + u"/error.log"_s);
                log.open(QIODevice::ReadOnly);
                QFAIL(qPrintable(u"nginx did not listen on %1: %2 %3"_s.arg(s.port).arg(
                    QString::fromUtf8(m_nginx.readAll()), QString::fromUtf8(log.readAll()))));
            }
        }

        const QString binary = qEnvironmentVariable("CERTDASH_BINARY");
        QVERIFY2(!binary.isEmpty(), "CERTDASH_BINARY is not set (run through ctest)");
        QProcess scan;
        scan.start(binary, {u"scan"_s, u"--targets"_s, write(u"targets.txt"_s, targets.toUtf8()),
                            u"--ca-file"_s, rootPem, u"--format"_s, u"json"_s, u"--timeout"_s,
                            u"5"_s, u"--engine"_s, probeEngineKey(engineUnderTest())});
        QVERIFY(scan.waitForFinished(30000));
        const QByteArray err = scan.readAllStandardError();
        QVERIFY2(scan.exitCode() == 2, err.constData()); // one expired endpoint
        const QJsonArray results =
            QJsonDocument::fromJson(scan.readAllStandardOutput()).object().value(u"results"_s).toArray();
        QCOMPARE(results.size(), 3);

        const QJsonObject ok = results[0].toObject();
        QCOMPARE(ok.value(u"status"_s).toString(), u"ok"_s);
        QCOMPARE(ok.value(u"trust"_s).toString(), u"trusted"_s);
        // Half a day of margin: the certificates were made seconds before the probe.
        QCOMPARE(ok.value(u"days_left"_s).toInt(), 80);
        QCOMPARE(ok.value(u"chain_length"_s).toInt(), 2);
        QCOMPARE(ok.value(u"sha256_fingerprint"_s).toString(),
                 QString::fromLatin1(QCryptographicHash::hash(valid.der, QCryptographicHash::Sha256)
                                         .toHex(':')
                                         .toUpper()));

        const QJsonObject old = results[1].toObject();
        QCOMPARE(old.value(u"status"_s).toString(), u"expired"_s);
        QCOMPARE(old.value(u"days_left"_s).toInt(), -10);
        QCOMPARE(old.value(u"trust"_s).toString(), u"untrusted"_s);

        const QJsonObject partial = results[2].toObject();
        QCOMPARE(partial.value(u"status"_s).toString(), u"ok"_s); // dates are fine...
        QCOMPARE(partial.value(u"trust"_s).toString(), u"untrusted"_s); // ...the chain is not
        QCOMPARE(partial.value(u"chain_length"_s).toInt(), 1);
        const QString findings = partial.value(u"verification_errors"_s).toVariant().toStringList().join(u"; "_s)
            + partial.value(u"verification_errors"_s).toString();
        QVERIFY2(findings.contains(u"incomplete chain"_s), qPrintable(findings));
    }
};

CERTDASH_TEST_MAIN_EACH_ENGINE(TestNginx)
#include "tst_nginx.moc"
