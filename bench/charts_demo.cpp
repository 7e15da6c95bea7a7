// certdash_charts_demo: writes a demo store for looking at the charts (the README screenshot),
// without any network: 23 targets (24 addresses) pinned to loopback addresses, real certificates
// made with the tests' CertFactory, and up to 180 days of recorded history relative to the REAL
// current time, so that `certdash --database FILE` opens on it without wanting to probe.
//
//     certdash_charts_demo FILE
//
// The estate: 90-day certificates renewed at 2/3 of their lifetime (a saw-tooth in the band),
// one target whose two addresses diverge (one backend kept the old certificate), a 30-day
// rotation that failed, yearly certificates, 6-day mesh certificates, an expired wiki, a
// critical billing endpoint, a flaky host with timeouts and an unreachable one.

#include "CertFactory.h"
#include "probing/ChainVerifier.h"
#include "probing/TrustStore.h"
#include "probing/X509.h"
#include "storage/Database.h"
#include "storage/HistoryRepository.h"
#include "storage/TargetRepository.h"

#include <QCoreApplication>
#include <QFile>

#include <cstdio>
#include <functional>

using namespace certdash;
using namespace certdash::test;

namespace {

constexpr qint64 kDay = 86400;

struct Demo {
    Database &db;
    QDateTime now;
    TestCert root;
    TestCert ca;
    CertificateInfo caInfo;
    std::shared_ptr<const TrustStore> anchors;
    int nextAddress = 10;
    int probes = 0;

    CertificateInfo issue(const QString &host, const QDateTime &notBefore, double lifetimeDays) {
        CertSpec spec = CertSpec::leaf(host);
        spec.notBefore = notBefore;
        spec.notAfter = notBefore.addSecs(qint64(lifetimeDays * kDay));
        return *decodeCertificate(makeCert(spec, &ca).der);
    }

    Target add(const QString &host, const QStringList &tags, const QString &owner,
               int addresses = 1, std::optional<int> rotation = std::nullopt) {
        Target t;
        t.host = host;
        t.tags = tags;
        t.owner = owner;
        t.rotationDays = rotation;
        for (int i = 0; i < addresses; ++i)
            t.addresses << QStringLiteral("127.0.0.%1").arg(nextAddress++);
        // Added before the history starts, as a real inventory is (the Changes tab and `certdash
        // diff` would otherwise list 23 targets added just now).
        FixedClock clock(now.addDays(-181));
        QString error;
        if (!TargetRepository(db, clock).add(t, &error))
            qFatal("add %s: %s", qPrintable(host), qPrintable(error));
        return t;
    }

    // Probes of `address` from `from` to now every `step` seconds; serving(at) is the leaf
    // served then (a null one for a failed probe).
    void record(const Target &t, const QString &address, const QDateTime &from, qint64 step,
                const std::function<CertificateInfo(const QDateTime &)> &serving,
                Status failure = Status::Timeout) {
        QList<ProbeResult> results;
        for (QDateTime at = from; at <= now; at = at.addSecs(step)) {
            ProbeResult r;
            r.target = t;
            r.address = address;
            r.sni = t.host;
            r.probedAt = at;
            r.durationMs = 12;
            const CertificateInfo leaf = serving(at);
            if (leaf.isNull()) {
                r.status = failure;
                r.error = failure == Status::Timeout ? QStringLiteral("timed out after 10 s")
                                                     : QStringLiteral("connection refused");
            } else {
                r.tlsVersion = QStringLiteral("TLSv1.3");
                r.cipher = QStringLiteral("TLS_AES_256_GCM_SHA384");
                r.chain = {leaf, caInfo};
                r.trust = verifyChain(r.chain, t.host, at, *anchors);
                applyClassification(r, ExpiryPolicy{}.forTarget(t), at);
            }
            results << r;
        }
        QString error;
        if (!HistoryRepository(db).record(results, &error))
            qFatal("record %s: %s", qPrintable(t.host), qPrintable(error));
        probes += int(results.size());
    }

    // Certificates of `lifetime` days issued every `renewEvery` days from `firstIssue`.
    std::function<CertificateInfo(const QDateTime &)> renewing(const QString &host,
                                                               const QDateTime &firstIssue,
                                                               double lifetime, double renewEvery,
                                                               int renewals = 1000) {
        auto issued = std::make_shared<QMap<int, CertificateInfo>>();
        return
            [this, issued, host, firstIssue, lifetime, renewEvery, renewals](const QDateTime &at) {
                const int k =
                    std::min(int(double(firstIssue.secsTo(at)) / (renewEvery * kDay)), renewals);
                if (!issued->contains(k))
                    issued->insert(k, issue(host, firstIssue.addSecs(qint64(k * renewEvery * kDay)),
                                            lifetime));
                return issued->value(k);
            };
    }
};

} // namespace

int main(int argc, char **argv) {
    QCoreApplication app(argc, argv);
    if (argc != 2) {
        std::fprintf(stderr, "usage: certdash_charts_demo FILE\n");
        return 3;
    }
    const QString path = QString::fromLocal8Bit(argv[1]);
    for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
        QFile::remove(path + suffix);
    QString error;
    auto db = Database::open(path, &error);
    if (!db) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    const QDateTime now = QDateTime::currentDateTimeUtc().addSecs(-60);
    Demo demo{*db, now, {}, {}, {}, {}};
    CertSpec rootSpec = CertSpec::root(QStringLiteral("CertDash Demo Root"));
    rootSpec.notBefore = now.addYears(-5);
    rootSpec.notAfter = now.addYears(15);
    demo.root = makeCert(rootSpec);
    CertSpec caSpec = CertSpec::intermediate(QStringLiteral("CertDash Demo Issuing CA"));
    caSpec.notBefore = now.addYears(-2);
    caSpec.notAfter = now.addYears(6);
    demo.ca = makeCert(caSpec, &demo.root);
    demo.caInfo = *decodeCertificate(demo.ca.der);
    demo.anchors = TrustStore::fromCertificates({demo.root.der});

    const QDateTime from = now.addDays(-180);
    const qint64 halfDay = kDay / 2;
    // Web shop: 90-day certificates renewed every 60 days, staggered by a week.
    for (int i = 1; i <= 8; ++i) {
        const QString host = QStringLiteral("shop-%1.example.com").arg(i);
        const Target t = demo.add(host, {QStringLiteral("shop"), QStringLiteral("acme")},
                                  QStringLiteral("web team"));
        demo.record(t, t.addresses.first(), from, halfDay,
                    demo.renewing(host, from.addDays(-7 * i), 90, 60));
    }
    // One load balancer, two backends: the second never got the renewed certificate.
    {
        const QString host = QStringLiteral("api.payments.example.com");
        const Target t =
            demo.add(host, {QStringLiteral("payments")}, QStringLiteral("payments"), 2);
        demo.record(t, t.addresses.at(0), from, halfDay,
                    demo.renewing(host, from.addDays(-25), 90, 60));
        demo.record(t, t.addresses.at(1), from, halfDay,
                    demo.renewing(host, from.addDays(-25), 90, 60, 2));
    }
    // Rotated every 30 days until the automation broke 50 days ago.
    {
        const QString host = QStringLiteral("vpn.corp.example");
        const Target t = demo.add(host, {QStringLiteral("corp")}, QStringLiteral("it"), 1, 30);
        demo.record(t, t.addresses.first(), from, halfDay,
                    demo.renewing(host, now.addDays(-170), 90, 30, 4));
    }
    // Yearly certificates at various points of their lives.
    const int yearlyLeft[] = {300, 210, 150, 120, 62, 20};
    for (int i = 0; i < 6; ++i) {
        const QString host = QStringLiteral("www.brand-%1.example").arg(i + 1);
        const Target t = demo.add(host, {QStringLiteral("brands")}, QStringLiteral("marketing"));
        const CertificateInfo cert = demo.issue(host, now.addDays(yearlyLeft[i] - 397), 397);
        demo.record(t, t.addresses.first(), from, kDay, [&](const QDateTime &) { return cert; });
    }
    // Short-lived mesh certificates: 6 days, renewed every 4, probed every 6 hours.
    for (const char *name : {"mesh-a.internal", "mesh-b.internal", "mesh-c.internal"}) {
        const QString host = QString::fromLatin1(name);
        const Target t = demo.add(host, {QStringLiteral("mesh")}, QStringLiteral("platform"));
        demo.record(t, t.addresses.first(), now.addDays(-30), kDay / 4,
                    demo.renewing(host, now.addDays(-31.5 - host.size() % 3), 6, 4));
    }
    // Expired nine days ago; critical with four days left; a flaky host; an unreachable one.
    {
        const Target wiki = demo.add(QStringLiteral("old-wiki.corp.example"),
                                     {QStringLiteral("corp")}, QStringLiteral("it"));
        const CertificateInfo cert = demo.issue(wiki.host, now.addDays(-99), 90);
        demo.record(wiki, wiki.addresses.first(), from, kDay,
                    [&](const QDateTime &) { return cert; });
        const Target billing = demo.add(QStringLiteral("billing.example.com"),
                                        {QStringLiteral("payments")}, QStringLiteral("payments"));
        demo.record(billing, billing.addresses.first(), from, halfDay,
                    demo.renewing(billing.host, now.addDays(-146), 90, 60, 1));
        const Target flaky = demo.add(QStringLiteral("flaky.shop.example.com"),
                                      {QStringLiteral("shop")}, QStringLiteral("web team"));
        const auto renewing = demo.renewing(flaky.host, from.addDays(-40), 90, 60);
        demo.record(flaky, flaky.addresses.first(), from, halfDay, [&](const QDateTime &at) {
            const qint64 slot = from.secsTo(at) / halfDay;
            return slot % 23 == 7 || slot % 31 == 3 ? CertificateInfo{} : renewing(at);
        });
        const Target down =
            demo.add(QStringLiteral("retired.example.com"), {}, QStringLiteral("web team"));
        demo.record(
            down, down.addresses.first(), now.addDays(-3), kDay,
            [](const QDateTime &) { return CertificateInfo{}; }, Status::Unreachable);
    }
    std::printf("wrote %s: %d probes recorded\n", qPrintable(path), demo.probes);
    return 0;
}
