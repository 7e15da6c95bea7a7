// Writes the fixtures of the scan benchmark (bench/scan_bench.sh): a root and an intermediate, N
// leaf certificates of mixed validity relative to the REAL current time, an nginx.conf serving
// them on a few loopback ports, a targets file for `certdash scan` and root.pem for --ca-file.
//
//     certdash_bench_fixtures N OUTDIR [--key ec|rsa|mixed] [--rsa] [--ports P] [--workers W]
//                             [--protocols "TLSv1.2 TLSv1.3"]
//
// --key mixed is the estate of docs' speed bar (PLATFORM.md): leaf keys 80 % RSA-2048, 5 %
// RSA-4096, 10 % EC P-256, 5 % EC P-384, under an RSA-2048 root and intermediate. --rsa is
// --key rsa. --ports 1 serves every name on one listener (SNI only); --workers sets nginx's
// worker_processes (1 by default, so its CPU is one process's).
//
// The mix (by leaf index, so it is the same for every N that is a multiple of 20):
//   70 % ok, 10 % warning, 5 % critical, 10 % expired, 5 % incomplete chain (served without the
//   intermediate; valid dates, so the status is ok and only the trust column shows it).
// expected.txt in OUTDIR records the counts the scan must reproduce.

#include "CertFactory.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QHostAddress>
#include <QList>
#include <QSaveFile>
#include <QTcpServer>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <vector>

using namespace certdash::test;
using namespace Qt::StringLiterals;

namespace {

enum class Kind { Ok, Warning, Critical, Expired, Incomplete };

const char *kindName(Kind k)
{
    switch (k) {
    case Kind::Ok:
        return "ok";
    case Kind::Warning:
        return "warning";
    case Kind::Critical:
        return "critical";
    case Kind::Expired:
        return "expired";
    case Kind::Incomplete:
        return "incomplete_chain";
    }
    return "?";
}

enum class KeyMix { Ec, Rsa, Mixed };

// Per 20 leaves: 16 RSA-2048, 1 RSA-4096, 2 P-256, 1 P-384. Spread with a stride coprime to 20
// so that the key type does not follow the validity kind (which also cycles by i % 20).
KeySpec leafKeyFor(KeyMix mix, int i)
{
    switch (mix) {
    case KeyMix::Ec:
        return KeySpec::ecP256();
    case KeyMix::Rsa:
        return KeySpec::rsa(2048);
    case KeyMix::Mixed:
        break;
    }
    switch ((i * 7 + 3) % 20) {
    case 0:
        return KeySpec::rsa(4096);
    case 1:
    case 2:
        return KeySpec::ecP256();
    case 3:
        return KeySpec::ecP384();
    default:
        return KeySpec::rsa(2048);
    }
}

QString keyLabel(const KeySpec &key)
{
    switch (key.type) {
    case KeyType::Rsa:
        return u"rsa%1"_s.arg(key.rsaBits);
    case KeyType::EcP256:
        return u"p256"_s;
    case KeyType::EcP384:
        return u"p384"_s;
    case KeyType::Ed25519:
        return u"ed25519"_s;
    }
    return u"?"_s;
}

// Interleaved rather than in blocks, so that any prefix of the targets file (the s_client
// baseline probes a subset) has about the same mix as the whole.
Kind kindFor(int i)
{
    switch (i % 20) {
    case 0:
    case 10:
        return Kind::Warning;
    case 5:
        return Kind::Critical;
    case 3:
    case 13:
        return Kind::Expired;
    case 17:
        return Kind::Incomplete;
    default:
        return Kind::Ok;
    }
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size() || !f.commit()) {
        std::fprintf(stderr, "cannot write %s: %s\n", qPrintable(path), qPrintable(f.errorString()));
        return false;
    }
    return true;
}

// Ports the kernel hands out for 127.0.0.1:0 are free at this moment; nginx binds them a few
// seconds later, which is good enough for a benchmark (the script checks that they all accept).
QList<quint16> freePorts(int count)
{
    std::vector<std::unique_ptr<QTcpServer>> holders;
    QList<quint16> ports;
    for (int i = 0; i < count; ++i) {
        auto server = std::make_unique<QTcpServer>();
        if (!server->listen(QHostAddress::LocalHost, 0)) {
            std::fprintf(stderr, "cannot find a free port: %s\n",
                         qPrintable(server->errorString()));
            std::exit(1);
        }
        ports << server->serverPort();
        holders.push_back(std::move(server));
    }
    return ports;
}

int usage()
{
    std::fprintf(stderr, "usage: certdash_bench_fixtures N OUTDIR [--key ec|rsa|mixed] [--rsa] "
                         "[--ports P] [--workers W] [--protocols \"TLSv1.2 TLSv1.3\"]\n");
    return 2;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc < 3)
        return usage();
    bool ok = false;
    const int n = QString::fromLocal8Bit(argv[1]).toInt(&ok);
    if (!ok || n < 1 || n > 1000000)
        return usage();
    const QString outDir = QDir(QString::fromLocal8Bit(argv[2])).absolutePath();
    KeyMix mix = KeyMix::Ec;
    int portCount = 8;
    int workers = 1;
    // nginx 1.22's default stops at TLS 1.2; today's servers mostly speak 1.3.
    QByteArray protocols = "TLSv1.2 TLSv1.3";
    for (int i = 3; i < argc; ++i) {
        const QByteArray arg(argv[i]);
        if (arg == "--rsa") {
            mix = KeyMix::Rsa;
        } else if (arg == "--key" && i + 1 < argc) {
            const QByteArray value(argv[++i]);
            if (value == "ec")
                mix = KeyMix::Ec;
            else if (value == "rsa")
                mix = KeyMix::Rsa;
            else if (value == "mixed")
                mix = KeyMix::Mixed;
            else
                return usage();
        } else if (arg == "--workers" && i + 1 < argc) {
            workers = QString::fromLocal8Bit(argv[++i]).toInt(&ok);
            if (!ok || workers < 1 || workers > 64)
                return usage();
        } else if (arg == "--protocols" && i + 1 < argc) {
            protocols = QByteArray(argv[++i]).trimmed();
            if (protocols.isEmpty())
                return usage();
        } else if (arg == "--ports" && i + 1 < argc) {
            portCount = QString::fromLocal8Bit(argv[++i]).toInt(&ok);
            if (!ok || portCount < 1 || portCount > 1000)
                return usage();
        } else {
            return usage();
        }
    }
    portCount = std::min(portCount, n);

    QDir dir(outDir);
    if (!dir.mkpath(u"certs"_s)) {
        std::fprintf(stderr, "cannot create %s/certs\n", qPrintable(outDir));
        return 1;
    }

    // The scan classifies against the wall clock, so the dates are relative to it, not to the
    // tests' pinned instant.
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const KeySpec key = mix == KeyMix::Ec ? KeySpec::ecP256() : KeySpec::rsa(2048);

    CertSpec rootSpec = CertSpec::root(u"CertDash Bench Root"_s);
    rootSpec.key = key;
    rootSpec.notBefore = now.addDays(-365);
    rootSpec.notAfter = now.addDays(3650);
    const TestCert root = makeCert(rootSpec);
    CertSpec caSpec = CertSpec::intermediate(u"CertDash Bench Issuing CA"_s);
    caSpec.key = key;
    caSpec.notBefore = now.addDays(-365);
    caSpec.notAfter = now.addDays(1825);
    const TestCert ca = makeCert(caSpec, &root);
    if (!writePemBundle(dir.filePath(u"root.pem"_s), {root}))
        return 1;

    const QList<quint16> ports = freePorts(portCount);
    std::map<Kind, int> expected;
    // One key per key type for all leaves: generating 10,000 RSA keys would take minutes, and the
    // handshake costs the same whether or not leaves share a key.
    std::map<QString, QByteArray> sharedLeafKeys;
    std::map<QString, int> keyCounts;
    QByteArray servers;
    QByteArray targets;
    for (int i = 0; i < n; ++i) {
        const QString name = u"s%1.bench"_s.arg(i);
        const Kind kind = kindFor(i);
        ++expected[kind];
        CertSpec spec = CertSpec::leaf(name);
        spec.key = leafKeyFor(mix, i);
        const QString label = keyLabel(spec.key);
        ++keyCounts[label];
        spec.reuseKeyPem = sharedLeafKeys[label];
        // 90-day certificates, like most of the public web.
        double fromDays = -30, toDays = 60;
        switch (kind) {
        case Kind::Ok:
        case Kind::Incomplete:
            break;
        case Kind::Warning:
            fromDays = -75;
            toDays = 15;
            break;
        case Kind::Critical:
            fromDays = -87;
            toDays = 3;
            break;
        case Kind::Expired:
            fromDays = -95;
            toDays = -5;
            break;
        }
        spec.notBefore = now.addSecs(qint64(fromDays * 86400));
        spec.notAfter = now.addSecs(qint64(toDays * 86400));
        const TestCert leaf = makeCert(spec, &ca);
        if (spec.key.type != KeyType::EcP256 && spec.reuseKeyPem.isEmpty())
            sharedLeafKeys[label] = leaf.keyPem;

        const QString certPath = dir.filePath(u"certs/%1.crt"_s.arg(name));
        const QString keyPath = dir.filePath(u"certs/%1.key"_s.arg(name));
        const QByteArray chain = kind == Kind::Incomplete ? leaf.pem : leaf.pem + ca.pem;
        if (!writeFile(certPath, chain) || !writeFile(keyPath, leaf.keyPem))
            return 1;
        const quint16 port = ports.at(i % ports.size());
        servers += u"  server {\n    listen 127.0.0.1:%1 ssl;\n    server_name %2;\n"
                   "    ssl_certificate %3;\n    ssl_certificate_key %4;\n  }\n"_s
                       .arg(port)
                       .arg(name, certPath, keyPath)
                       .toUtf8();
        targets += u"%1:%2 address=127.0.0.1\n"_s.arg(name).arg(port).toUtf8();
    }

    // One worker by default, so its CPU time is the server's whole cost per probe; no session
    // cache and no tickets, so every handshake is a full one (as CertDash's are). The names hash
    // must hold N/P names per port.
    const QByteArray conf =
        (u"daemon off;\nmaster_process on;\nworker_processes %3;\n"
         "pid %1/nginx.pid;\nerror_log %1/error.log warn;\n"
         "events { worker_connections 4096; }\n"
         "http {\n  access_log off;\n"
         "  client_body_temp_path %1/tmp/body;\n  proxy_temp_path %1/tmp/proxy;\n"
         "  fastcgi_temp_path %1/tmp/fastcgi;\n  uwsgi_temp_path %1/tmp/uwsgi;\n"
         "  scgi_temp_path %1/tmp/scgi;\n"
         "  server_names_hash_max_size %2;\n  server_names_hash_bucket_size 64;\n"
         "  ssl_session_cache off;\n  ssl_session_tickets off;\n"_s.arg(outDir)
             .arg(std::max(512, 2 * n))
             .arg(workers))
            .toUtf8()
        + "  ssl_protocols " + protocols + ";\n" + servers + "}\n";
    if (!dir.mkpath(u"tmp"_s) || !writeFile(dir.filePath(u"nginx.conf"_s), conf)
        || !writeFile(dir.filePath(u"targets.txt"_s), targets))
        return 1;

    QByteArray counts;
    for (const auto &[kind, count] : expected)
        counts += QByteArray(kindName(kind)) + ' ' + QByteArray::number(count) + '\n';
    QByteArray portList;
    for (quint16 p : ports)
        portList += QByteArray::number(p) + '\n';
    if (!writeFile(dir.filePath(u"expected.txt"_s), counts)
        || !writeFile(dir.filePath(u"ports.txt"_s), portList))
        return 1;
    QString keys;
    for (const auto &[label, count] : keyCounts)
        keys += u"%1%2 x%3"_s.arg(keys.isEmpty() ? QString() : u", "_s, label).arg(count);
    std::printf("%d endpoints on %lld ports in %s (%s)\n", n, qlonglong(ports.size()),
                qPrintable(outDir), qPrintable(keys));
    return 0;
}
