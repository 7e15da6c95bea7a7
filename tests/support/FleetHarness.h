#pragma once

// What the fleet's integration tests share: Debian's prometheus, prometheus-blackbox-exporter
// and promtool found or skipped, started on loopback (dying with the test), certificate chains
// made relative to the real clock (the binaries run with it), programs run to their end with
// the event loop turning (the TLS servers live in it), and one instant query through
// Prometheus's HTTP API.
#include "CertFactory.h"
#include "ServerProcess.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QUrlQuery>

namespace certdash::test {

// Prometheus and the exporter listen on an address of their own, so that a port picked here and
// released again cannot be taken meanwhile by a test server of another suite on 127.0.0.1.
inline const QHostAddress &fleetAddress() {
    static const QHostAddress address(QStringLiteral("127.78.0.1"));
    return address;
}

inline quint16 freeFleetPort() {
    QTcpServer s;
    return s.listen(fleetAddress(), 0) ? s.serverPort() : 0;
}

inline QDateTime daysFromNow(double days) {
    return QDateTime::currentDateTimeUtc().addSecs(qint64(days * 86400));
}

// A root, an intermediate and a leaf for name with the given lifetimes (days from now), so that
// which certificate of the chain expires first differs between endpoints.
struct FleetChain {
    TestCert root, intermediate, leaf;
    QList<QSslCertificate> served() const {
        return {leaf.certificate(), intermediate.certificate()};
    }
};
// intermediateBorn: when the intermediate's validity began (days from now).
inline FleetChain makeFleetChain(const QString &name, double intermediateDays, double leafDays,
                                 double intermediateBorn = -10) {
    FleetChain c;
    CertSpec root = CertSpec::root(QStringLiteral("Fleet Test Root ") + name);
    root.notBefore = daysFromNow(-10);
    root.notAfter = daysFromNow(3650);
    c.root = makeCert(root);
    CertSpec intermediate = CertSpec::intermediate(QStringLiteral("Fleet Test CA ") + name);
    intermediate.notBefore = daysFromNow(intermediateBorn);
    intermediate.notAfter = daysFromNow(intermediateDays);
    c.intermediate = makeCert(intermediate, &c.root);
    CertSpec leaf = CertSpec::leaf(name);
    leaf.notBefore = daysFromNow(leafDays < 0 ? leafDays - 90 : -1);
    leaf.notAfter = daysFromNow(leafDays);
    c.leaf = makeCert(leaf, &c.intermediate);
    return c;
}

inline bool waitUntilFinished(QProcess &process, int ms) {
    QElapsedTimer timer;
    timer.start();
    while (process.state() != QProcess::NotRunning && timer.elapsed() < ms)
        QTest::qWait(20);
    return process.state() == QProcess::NotRunning;
}

struct ProgramRun {
    int exitCode = -1; // -1: crashed or did not finish
    QString err;
    QByteArray out;
};

// Runs a program to its end with the event loop turning.
inline ProgramRun runProgram(const QString &program, const QStringList &arguments,
                             const QByteArray &input = {},
                             const QProcessEnvironment &environment = {}) {
    QProcess p;
    if (!environment.isEmpty())
        p.setProcessEnvironment(environment);
    p.start(program, arguments);
    ProgramRun run;
    if (!p.waitForStarted(10000)) {
        run.err = program + QStringLiteral(" did not start");
        return run;
    }
    if (!input.isEmpty())
        p.write(input);
    p.closeWriteChannel();
    if (!waitUntilFinished(p, 60000)) {
        p.kill();
        p.waitForFinished();
        run.err = program + QStringLiteral(" did not finish");
        return run;
    }
    run.out = p.readAllStandardOutput();
    run.err = QString::fromUtf8(p.readAllStandardError());
    run.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    return run;
}

// The fleet's programs (empty when not installed).
struct FleetTools {
    QString prometheus, blackbox, promtool;
    static FleetTools find() {
        const QStringList dirs{QStringLiteral("/usr/bin"), QStringLiteral("/usr/sbin")};
        return {
            QStandardPaths::findExecutable(QStringLiteral("prometheus"), dirs),
            QStandardPaths::findExecutable(QStringLiteral("prometheus-blackbox-exporter"), dirs),
            QStandardPaths::findExecutable(QStringLiteral("promtool"), dirs)};
    }
    bool complete() const {
        return !prometheus.isEmpty() && !blackbox.isEmpty() && !promtool.isEmpty();
    }
};

// In a fleet suite's initTestCase(): finds the fleet's programs into toolsOut, and certdash into
// binaryOut (CERTDASH_BINARY, which ctest sets). Without the programs the suite is skipped, but
// under CI (where tools/install-deps.sh installs them) it fails. A macro: QSKIP and QFAIL return
// from the test function that calls them.
#define CERTDASH_FIND_FLEET_TOOLS(toolsOut, binaryOut)                                             \
    do {                                                                                           \
        (toolsOut) = certdash::test::FleetTools::find();                                           \
        if (!(toolsOut).complete()) {                                                              \
            if (qEnvironmentVariableIsSet("CI"))                                                   \
                QFAIL("prometheus or prometheus-blackbox-exporter is not installed; "              \
                      "tools/install-deps.sh installs them");                                      \
            QSKIP("prometheus and prometheus-blackbox-exporter are not installed "                 \
                  "(tools/install-deps.sh installs them)");                                        \
        }                                                                                          \
        (binaryOut) = qEnvironmentVariable("CERTDASH_BINARY");                                     \
        QVERIFY2(!(binaryOut).isEmpty(), "CERTDASH_BINARY is not set (run through ctest)");        \
    } while (false)

// Starts a server program that dies with the test, and returns once it listens on address.
inline bool startListening(QProcess &process, const QString &program, const QStringList &arguments,
                           const QString &address, QString *why) {
    process.setProcessChannelMode(QProcess::MergedChannels);
    endWithTest(process);
    process.start(program, arguments);
    if (!process.waitForStarted(10000)) {
        *why = process.errorString();
        return false;
    }
    const qsizetype colon = address.lastIndexOf(QLatin1Char(':'));
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < 30000) {
        QTcpSocket probe;
        probe.connectToHost(address.left(colon), address.mid(colon + 1).toUShort());
        if (probe.waitForConnected(200))
            return true;
        if (process.state() == QProcess::NotRunning)
            break;
        QTest::qWait(50);
    }
    *why = program + QStringLiteral(" did not listen on ") + address + QStringLiteral(": ") +
           QString::fromUtf8(process.readAll().right(2000));
    return false;
}

inline void stopProcess(QProcess &process) {
    if (process.state() == QProcess::NotRunning)
        return;
    process.terminate();
    if (!process.waitForFinished(10000))
        process.kill();
    process.waitForFinished();
}

// One instant query through Prometheus's HTTP API; the result vector, empty on any error.
inline QJsonArray promQuery(QNetworkAccessManager &network, const QString &prometheus,
                            const QString &promql) {
    QUrl url(QStringLiteral("http://") + prometheus + QStringLiteral("/api/v1/query"));
    url.setQuery(QUrlQuery{{QStringLiteral("query"), promql}});
    QNetworkRequest request(url);
    request.setTransferTimeout(5000);
    QNetworkReply *reply = network.get(request);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    reply->deleteLater();
    const QJsonObject answer = QJsonDocument::fromJson(reply->readAll()).object();
    return answer.value(QStringLiteral("data"))
        .toObject()
        .value(QStringLiteral("result"))
        .toArray();
}

} // namespace certdash::test
