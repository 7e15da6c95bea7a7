// The cost of online revocation checks for N endpoints under one CA: HTTP requests made and wall
// and CPU time, with the scan's shared RevocationCache and without it (a fresh cache per check,
// as if nothing were shared). Two sources: the CA's CRL (served by an in-process HTTP server
// that counts downloads) and `openssl ocsp` as the responder (one request per distinct leaf; a
// second round is answered from the cache until nextUpdate). Not a test: it prints figures.
//
//     ./build/bench/certdash_bench_revocation [N=1000] [CONCURRENCY=64]
#include "CertFactory.h"
#include "RevocationFactory.h"

#include "probing/ProbeOptions.h"
#include "probing/RevocationCheck.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QThread>

#include <sys/resource.h>

#include <cstdio>
#include <memory>

using namespace certdash;
using namespace certdash::test;

namespace {

double cpuSeconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// Answers every GET with one body, in its own thread; counts requests.
class CrlServer : public QTcpServer {
public:
    QByteArray body;
    QAtomicInt requests = 0;

protected:
    void incomingConnection(qintptr descriptor) override {
        auto *socket = new QTcpSocket(this);
        socket->setSocketDescriptor(descriptor);
        connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
            if (!socket->readAll().contains("\r\n\r\n"))
                return;
            requests.fetchAndAddRelaxed(1);
            socket->write("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: " +
                          QByteArray::number(body.size()) + "\r\n\r\n" + body);
            socket->disconnectFromHost();
        });
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    }
};

struct Figures {
    int checked = 0;
    int revoked = 0;
    int unchecked = 0;
    QString firstWhy; // of the first unchecked
    double wall = 0;
    double cpu = 0;
};

// Runs one online check per leaf, at most `concurrency` at once; shared: one cache for all.
Figures runChecks(const QList<CertificateInfo> &leaves, const QByteArray &issuerDer, bool shared,
                  int concurrency, std::shared_ptr<RevocationCache> cache = {}) {
    ProbeOptions options;
    options.revocationTimeoutMs = 10000;
    if (cache)
        options.revocationCache = cache;
    Figures f;
    QElapsedTimer wall;
    wall.start();
    const double cpu0 = cpuSeconds();
    int next = 0;
    int inFlight = 0;
    QEventLoop loop;
    std::function<void()> launch = [&] {
        while (inFlight < concurrency && next < leaves.size()) {
            ProbeOptions own = options;
            if (!shared)
                own.revocationCache = std::make_shared<RevocationCache>();
            auto *check = new OnlineRevocationCheck(own, &loop);
            ++inFlight;
            QObject::connect(check, &OnlineRevocationCheck::done, &loop,
                             [&, check](const RevocationStatus &status) {
                                 check->deleteLater();
                                 --inFlight;
                                 ++f.checked;
                                 f.revoked += status.state == RevocationStatus::State::Revoked;
                                 f.unchecked += !status.checked();
                                 if (!status.checked() && f.firstWhy.isEmpty())
                                     f.firstWhy = status.why;
                                 if (f.checked == leaves.size())
                                     loop.quit();
                                 else
                                     launch();
                             });
            check->start(leaves.at(next++), issuerDer, QDateTime::currentDateTimeUtc());
        }
    };
    launch();
    loop.exec();
    f.wall = double(wall.nsecsElapsed()) / 1e9;
    f.cpu = cpuSeconds() - cpu0;
    return f;
}

void print(const char *what, const Figures &f, int requests) {
    std::printf("%-44s %6d checks  %6d requests  %5d revoked  %3d unchecked  wall %7.3f s  "
                "CPU %7.3f s\n",
                what, f.checked, requests, f.revoked, f.unchecked, f.wall, f.cpu);
    if (!f.firstWhy.isEmpty())
        std::printf("    first unchecked: %s\n", qPrintable(f.firstWhy));
}

} // namespace

int main(int argc, char *argv[]) {
    QCoreApplication app(argc, argv);
    const int n = argc > 1 ? QByteArray(argv[1]).toInt() : 1000;
    const int concurrency = argc > 2 ? QByteArray(argv[2]).toInt() : 64;
    QTemporaryDir dir;
    const QDateTime now =
        QDateTime::fromSecsSinceEpoch(QDateTime::currentSecsSinceEpoch(), Qt::UTC);

    CertSpec rootSpec = CertSpec::root(QStringLiteral("Bench Root"));
    rootSpec.notBefore = now.addDays(-30);
    rootSpec.notAfter = now.addDays(3000);
    const TestCert root = makeCert(rootSpec);
    CertSpec caSpec = CertSpec::intermediate(QStringLiteral("Bench CA"));
    caSpec.notBefore = now.addDays(-20);
    caSpec.notAfter = now.addDays(1000);
    const TestCert ca = makeCert(caSpec, &root);

    // The CRL server in its own thread, as a CA's would be another machine.
    QThread serverThread;
    CrlServer crlServer;
    if (!crlServer.listen(QHostAddress::LocalHost, 0))
        qFatal("listen");
    crlServer.moveToThread(&serverThread);
    serverThread.start();
    const QString crlUrl = QStringLiteral("http://127.0.0.1:%1/ca.crl").arg(crlServer.serverPort());

    QTcpServer portPicker;
    portPicker.listen(QHostAddress::LocalHost, 0);
    const quint16 ocspPort = portPicker.serverPort();
    portPicker.close();
    const QString ocspUrl = QStringLiteral("http://127.0.0.1:%1/").arg(ocspPort);

    QList<CertificateInfo> crlLeaves, ocspLeaves;
    CrlSpec crl;
    crl.thisUpdate = now.addSecs(-3600);
    QByteArray index;
    const QByteArray expiry =
        now.addDays(80).toString(QStringLiteral("yyMMddHHmmss'Z'")).toLatin1();
    for (int i = 0; i < n; ++i) {
        const QByteArray serial = QByteArray::number(0x100000 + i, 16).toUpper();
        CertSpec spec = CertSpec::leaf(QStringLiteral("e%1.bench.test").arg(i));
        spec.notBefore = now.addDays(-10);
        spec.notAfter = now.addDays(80);
        spec.serialHex = serial;
        spec.crlUrl = crlUrl;
        CertificateInfo info;
        TestCert leaf = makeCert(spec, &ca);
        info.der = leaf.der;
        info.serial = QString::fromLatin1(serial);
        info.crlUrls = {crlUrl};
        crlLeaves << info;
        info.crlUrls.clear();
        info.ocspUrls = {ocspUrl};
        ocspLeaves << info;
        if (i % 10 == 0) {
            crl.revoked << RevokedEntry{serial, now.addDays(-1), 1};
            index += "R\t" + expiry + "\t" +
                     now.addDays(-1).toString(QStringLiteral("yyMMddHHmmss'Z'")).toLatin1() +
                     ",keyCompromise\t" + serial + "\tunknown\t/CN=e" + serial + "\n";
        } else {
            index += "V\t" + expiry + "\t\t" + serial + "\tunknown\t/CN=e" + serial + "\n";
        }
    }
    crlServer.body = makeCrl(crl, ca);
    std::printf("N=%d leaves under one CA (every 10th revoked), concurrency %d, CRL %lld bytes\n",
                n, concurrency, qint64(crlServer.body.size()));

    int before = crlServer.requests.loadRelaxed();
    Figures f = runChecks(crlLeaves, ca.der, true, concurrency);
    print("CRL, shared cache (one scan)", f, crlServer.requests.loadRelaxed() - before);
    before = crlServer.requests.loadRelaxed();
    f = runChecks(crlLeaves, ca.der, false, concurrency);
    print("CRL, no cache (a fresh cache per check)", f, crlServer.requests.loadRelaxed() - before);

    const QString indexPath = dir.filePath(QStringLiteral("index.txt"));
    QFile indexFile(indexPath);
    indexFile.open(QIODevice::WriteOnly);
    indexFile.write(index);
    indexFile.close();
    auto writeFile = [&](const QString &name, const QByteArray &bytes) {
        QFile file(dir.filePath(name));
        file.open(QIODevice::WriteOnly);
        file.write(bytes);
        return file.fileName();
    };
    QProcess responder;
    responder.setProcessChannelMode(QProcess::MergedChannels);
    responder.start(QStandardPaths::findExecutable(QStringLiteral("openssl")),
                    {QStringLiteral("ocsp"), QStringLiteral("-index"), indexPath,
                     QStringLiteral("-port"), QString::number(ocspPort), QStringLiteral("-rsigner"),
                     writeFile(QStringLiteral("ca.pem"), ca.pem), QStringLiteral("-rkey"),
                     writeFile(QStringLiteral("ca.key"), ca.keyPem), QStringLiteral("-CA"),
                     dir.filePath(QStringLiteral("ca.pem")), QStringLiteral("-ndays"),
                     QStringLiteral("1")});
    QByteArray said;
    while (!said.contains("waiting for OCSP client connections") &&
           responder.waitForReadyRead(5000))
        said += responder.readAll();
    if (!said.contains("waiting for OCSP client connections"))
        std::printf("openssl ocsp did not start: %s\n", said.constData());
    // `openssl ocsp` prints a line per request: count them.
    int ocspRequests = 0;
    auto countRequests = [&] {
        said += responder.readAll();
        const int total = int(said.count("Received request"));
        const int delta = total - ocspRequests;
        ocspRequests = total;
        return delta;
    };
    countRequests();
    auto cache = std::make_shared<RevocationCache>();
    f = runChecks(ocspLeaves, ca.der, true, concurrency, cache);
    responder.waitForReadyRead(200);
    print("OCSP, shared cache, first scan", f, countRequests());
    f = runChecks(ocspLeaves, ca.der, true, concurrency, cache);
    responder.waitForReadyRead(200);
    print("OCSP, shared cache, second scan", f, countRequests());
    f = runChecks(ocspLeaves, ca.der, false, concurrency);
    responder.waitForReadyRead(200);
    print("OCSP, no cache", f, countRequests());
    responder.kill();
    responder.waitForFinished();
    serverThread.quit();
    serverThread.wait();
    return 0;
}
