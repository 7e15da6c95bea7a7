#include "CertFactory.h"
#include "TestSupport.h"
#include "probing/ChainVerifier.h"
#include "probing/TrustStore.h"
#include "probing/X509.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <thread>
#include <vector>

using namespace certdash;
using namespace certdash::test;
using namespace Qt::StringLiterals;

namespace {

QString iso(const QDateTime &t) {
    return t.toString(Qt::ISODate);
}

QStringList sorted(QStringList list) {
    list.sort();
    return list;
}

QStringList pathNames(const TrustReport &report) {
    QStringList names;
    for (const CertificateInfo &c : report.verifiedPath)
        names << c.displayName();
    return names;
}

} // namespace

class TestChainVerifier : public QObject {
    Q_OBJECT

    // One RSA hierarchy (so SHA-1 shows as sha1WithRSAEncryption) and its variants, made once.
    TestCert root, otherRoot, ca, expiredCa, leaf, expiredLeaf, futureLeaf, selfSigned,
        leafUnderExpiredCa, weakKeyLeaf, sha1Leaf, sha1Root, sha1RootCa, sha1RootLeaf;
    TestCert oldRoot, newRoot, staleCross, newCa, newLeaf;

    QDateTime oldRootEnd, expiredCaEnd, expiredLeafEnd, futureLeafStart, staleCrossEnd;

private slots:
    void initTestCase() {
        CertSpec rootSpec = CertSpec::root(u"Test Root"_s);
        rootSpec.key = KeySpec::rsa(2048);
        root = makeCert(rootSpec);
        otherRoot = makeCert(CertSpec::root(u"Other Root"_s));

        CertSpec caSpec = CertSpec::intermediate(u"Issuing CA"_s);
        caSpec.key = KeySpec::rsa(2048);
        ca = makeCert(caSpec, &root);

        CertSpec leafSpec = CertSpec::leaf(u"leaf.test"_s);
        leafSpec.dnsNames << u"*.wild.test"_s;
        leafSpec.ipAddresses = {u"192.0.2.10"_s, u"2001:db8::10"_s};
        leaf = makeCert(leafSpec, &ca);

        CertSpec expiredLeafSpec = CertSpec::leaf(u"leaf.test"_s).validDays(-100, -10);
        expiredLeafEnd = expiredLeafSpec.notAfter;
        expiredLeaf = makeCert(expiredLeafSpec, &ca);

        CertSpec futureSpec = CertSpec::leaf(u"leaf.test"_s).validDays(5, 95);
        futureLeafStart = futureSpec.notBefore;
        futureLeaf = makeCert(futureSpec, &ca);

        selfSigned = makeCert(CertSpec::leaf(u"leaf.test"_s));

        CertSpec expiredCaSpec = CertSpec::intermediate(u"Expired CA"_s).validDays(-400, -5);
        expiredCaEnd = expiredCaSpec.notAfter;
        expiredCa = makeCert(expiredCaSpec, &root);
        // The leaf itself is still valid: only the intermediate is the problem.
        leafUnderExpiredCa =
            makeCert(CertSpec::leaf(u"leaf.test"_s).validDays(-10, 50), &expiredCa);

        CertSpec weakSpec = CertSpec::leaf(u"leaf.test"_s);
        weakSpec.commonName = u"weak.test"_s;
        weakSpec.key = KeySpec::rsa(1024);
        weakKeyLeaf = makeCert(weakSpec, &ca);

        CertSpec sha1Spec = CertSpec::leaf(u"leaf.test"_s);
        sha1Spec.commonName = u"sha1.test"_s;
        sha1Spec.digest = Digest::Sha1;
        sha1Leaf = makeCert(sha1Spec, &ca);

        // A root that signed itself with SHA-1 is harmless: nobody checks an anchor's signature.
        CertSpec sha1RootSpec = CertSpec::root(u"SHA-1 Root"_s);
        sha1RootSpec.key = KeySpec::rsa(2048);
        sha1RootSpec.digest = Digest::Sha1;
        sha1Root = makeCert(sha1RootSpec);
        sha1RootCa = makeCert(CertSpec::intermediate(u"Modern CA"_s), &sha1Root);
        sha1RootLeaf = makeCert(CertSpec::leaf(u"leaf.test"_s), &sha1RootCa);

        // Let's Encrypt in 2021: the new root is in the store, the server still sends the new
        // root cross-signed by the old root, and that cross-sign has expired.
        CertSpec oldRootSpec = CertSpec::root(u"Old Root"_s).validDays(-3650, -30);
        oldRootEnd = oldRootSpec.notAfter;
        oldRoot = makeCert(oldRootSpec);
        newRoot = makeCert(CertSpec::root(u"New Root"_s).validDays(-1000, 3000));
        staleCrossEnd = pinnedNow().addDays(-20);
        staleCross = crossSign(newRoot, oldRoot, pinnedNow().addDays(-900), staleCrossEnd);
        newCa = makeCert(CertSpec::intermediate(u"New CA"_s), &newRoot);
        newLeaf = makeCert(CertSpec::leaf(u"leaf.test"_s), &newCa);
    }

    void verify_data() {
        QTest::addColumn<QList<QByteArray>>("presented");
        QTest::addColumn<QList<QByteArray>>("anchors");
        QTest::addColumn<QString>("identity");
        QTest::addColumn<bool>("pathToAnchor");
        QTest::addColumn<bool>("trusted");
        QTest::addColumn<QStringList>("path");
        QTest::addColumn<QStringList>("findings");

        const QList<QByteArray> anchors = {root.der};
        const QList<QByteArray> served = {leaf.der, ca.der};
        const QStringList fullPath = {u"leaf.test"_s, u"Issuing CA"_s, u"Test Root"_s};
        const QString mismatch = u"hostname mismatch: certificate is not valid for %1"_s;

        QTest::newRow("valid chain")
            << served << anchors << u"leaf.test"_s << true << true << fullPath << QStringList();
        QTest::newRow("server also sends the root")
            << QList<QByteArray>{leaf.der, ca.der, root.der} << anchors << u"leaf.test"_s << true
            << true << fullPath << QStringList();
        QTest::newRow("expired leaf")
            << QList<QByteArray>{expiredLeaf.der, ca.der} << anchors << u"leaf.test"_s << true
            << false << fullPath
            << QStringList{u"expired: CN=leaf.test expired "_s + iso(expiredLeafEnd)};
        QTest::newRow("expired intermediate on the path")
            << QList<QByteArray>{leafUnderExpiredCa.der, expiredCa.der} << anchors << u"leaf.test"_s
            << true << false << QStringList{u"leaf.test"_s, u"Expired CA"_s, u"Test Root"_s}
            << QStringList{u"expired: CN=Expired CA expired "_s + iso(expiredCaEnd)};
        QTest::newRow("not yet valid")
            << QList<QByteArray>{futureLeaf.der, ca.der} << anchors << u"leaf.test"_s << true
            << false << fullPath
            << QStringList{u"not yet valid: CN=leaf.test valid from "_s + iso(futureLeafStart)};
        QTest::newRow("self-signed leaf")
            << QList<QByteArray>{selfSigned.der} << anchors << u"leaf.test"_s << false << false
            << QStringList()
            << QStringList{u"self-signed certificate: CN=leaf.test is not a trusted anchor"_s};
        QTest::newRow("self-signed leaf pinned as an anchor")
            << QList<QByteArray>{selfSigned.der} << QList<QByteArray>{selfSigned.der}
            << u"leaf.test"_s << true << true << QStringList{u"leaf.test"_s} << QStringList();
        QTest::newRow("untrusted root, not sent")
            << served << QList<QByteArray>{otherRoot.der} << u"leaf.test"_s << false << false
            << QStringList()
            << QStringList{
                   u"untrusted root: issuer of CN=Issuing CA (CN=Test Root) is not a trusted anchor"_s};
        QTest::newRow("untrusted root, sent")
            << QList<QByteArray>{leaf.der, ca.der, root.der} << QList<QByteArray>{otherRoot.der}
            << u"leaf.test"_s << false << false << QStringList()
            << QStringList{u"untrusted root: CN=Test Root is not a trusted anchor"_s};
        QTest::newRow("incomplete chain")
            << QList<QByteArray>{leaf.der} << anchors << u"leaf.test"_s << false << false
            << QStringList()
            << QStringList{
                   u"incomplete chain: issuer of CN=leaf.test (CN=Issuing CA) was not sent"_s};
        QTest::newRow("hostname mismatch") << served << anchors << u"other.test"_s << true << false
                                           << fullPath << QStringList{mismatch.arg(u"other.test")};
        QTest::newRow("IPv4 in IP SAN")
            << served << anchors << u"192.0.2.10"_s << true << true << fullPath << QStringList();
        QTest::newRow("IPv6 in IP SAN")
            << served << anchors << u"2001:db8::10"_s << true << true << fullPath << QStringList();
        QTest::newRow("IPv6 in brackets") << served << anchors << u"[2001:db8::10]"_s << true
                                          << true << fullPath << QStringList();
        QTest::newRow("IP not in SAN") << served << anchors << u"192.0.2.99"_s << true << false
                                       << fullPath << QStringList{mismatch.arg(u"192.0.2.99")};
        QTest::newRow("wildcard matches one label")
            << served << anchors << u"a.wild.test"_s << true << true << fullPath << QStringList();
        QTest::newRow("wildcard does not match two labels")
            << served << anchors << u"a.b.wild.test"_s << true << false << fullPath
            << QStringList{mismatch.arg(u"a.b.wild.test")};
        QTest::newRow("wildcard does not match the bare domain")
            << served << anchors << u"wild.test"_s << true << false << fullPath
            << QStringList{mismatch.arg(u"wild.test")};
        QTest::newRow("no identity skips the name check")
            << served << anchors << QString() << true << true << fullPath << QStringList();
        QTest::newRow("RSA-1024 weak key")
            << QList<QByteArray>{weakKeyLeaf.der, ca.der} << anchors << u"leaf.test"_s << true
            << false << QStringList{u"weak.test"_s, u"Issuing CA"_s, u"Test Root"_s}
            << QStringList{u"weak key: CN=weak.test has a 1024-bit RSA key"_s};
        QTest::newRow("SHA-1 weak signature")
            << QList<QByteArray>{sha1Leaf.der, ca.der} << anchors << u"leaf.test"_s << true << false
            << QStringList{u"sha1.test"_s, u"Issuing CA"_s, u"Test Root"_s}
            << QStringList{u"weak signature: CN=sha1.test is signed with sha1WithRSAEncryption"_s};
        QTest::newRow("SHA-1 self-signature of the anchor is fine")
            << QList<QByteArray>{sha1RootLeaf.der, sha1RootCa.der}
            << QList<QByteArray>{sha1Root.der} << u"leaf.test"_s << true << true
            << QStringList{u"leaf.test"_s, u"Modern CA"_s, u"SHA-1 Root"_s} << QStringList();
        const QString extra =
            u"extra certificate not on the verified path: CN=New Root issued by CN=Old Root (expired "_s +
            iso(staleCrossEnd) + u")"_s;
        const QStringList newPath = {u"leaf.test"_s, u"New CA"_s, u"New Root"_s};
        const QList<QByteArray> servedWithCross = {newLeaf.der, newCa.der, staleCross.der};
        QTest::newRow("stale cross-sign, both roots in the store")
            << servedWithCross << QList<QByteArray>{oldRoot.der, newRoot.der} << u"leaf.test"_s
            << true << true << newPath << QStringList{extra};
        QTest::newRow("stale cross-sign, new root only")
            << servedWithCross << QList<QByteArray>{newRoot.der} << u"leaf.test"_s << true << true
            << newPath << QStringList{extra};
        QTest::newRow("stale cross-sign, old root only: the path really expired")
            << servedWithCross << QList<QByteArray>{oldRoot.der} << u"leaf.test"_s << true << false
            << QStringList{u"leaf.test"_s, u"New CA"_s, u"New Root"_s, u"Old Root"_s}
            << QStringList{u"expired: CN=New Root expired "_s + iso(staleCrossEnd),
                           u"expired: CN=Old Root expired "_s + iso(oldRootEnd)};
        QTest::newRow("expired leaf and hostname mismatch together")
            << QList<QByteArray>{expiredLeaf.der, ca.der} << anchors << u"other.test"_s << true
            << false << fullPath
            << QStringList{u"expired: CN=leaf.test expired "_s + iso(expiredLeafEnd),
                           mismatch.arg(u"other.test")};
        QTest::newRow("nothing presented")
            << QList<QByteArray>() << anchors << u"leaf.test"_s << false << false << QStringList()
            << QStringList{u"no certificate presented"_s};
    }

    void verify() {
        QFETCH(QList<QByteArray>, presented);
        QFETCH(QList<QByteArray>, anchors);
        QFETCH(QString, identity);
        QFETCH(bool, pathToAnchor);
        QFETCH(bool, trusted);
        QFETCH(QStringList, path);
        QFETCH(QStringList, findings);

        QString error;
        const auto store = TrustStore::fromCertificates(anchors, &error);
        QVERIFY2(store, qPrintable(error));
        const TrustReport report = verifyChain(presented, identity, pinnedNow(), *store);

        QCOMPARE(sorted(report.findings), sorted(findings));
        QCOMPARE(report.pathToAnchor, pathToAnchor);
        QCOMPARE(report.trusted, trusted);
        QCOMPARE(pathNames(report), path);
        for (const QString &finding : report.findings)
            QVERIFY2(!finding.contains(QLatin1Char(';')), qPrintable(finding));
        if (!report.verifiedPath.isEmpty()) {
            // Fully decoded, not just named.
            QVERIFY(!report.verifiedPath.constFirst().sha256Fingerprint.isEmpty());
            QCOMPARE(report.verifiedPath.constFirst().der, presented.constFirst());
        }

        // The overload that reuses the prober's decoding agrees.
        QList<CertificateInfo> infos;
        for (const QByteArray &der : presented)
            infos << *decodeCertificate(der);
        const TrustReport again = verifyChain(infos, identity, pinnedNow(), *store);
        QCOMPARE(again.findings, report.findings);
        QCOMPARE(again.trusted, report.trusted);
        QCOMPARE(pathNames(again), path);

        // And so does the one that takes what Qt handed over after a handshake.
        QList<QSslCertificate> qtCerts;
        for (const QByteArray &der : presented)
            qtCerts << QSslCertificate(der, QSsl::Der);
        for (const QList<CertificateInfo> &decoded : {QList<CertificateInfo>(), infos}) {
            const TrustReport fromQt = verifyChain(qtCerts, identity, pinnedNow(), *store, decoded);
            QCOMPARE(fromQt.findings, report.findings);
            QCOMPARE(fromQt.trusted, report.trusted);
            QCOMPARE(fromQt.pathToAnchor, report.pathToAnchor);
            QCOMPARE(pathNames(fromQt), path);
            for (qsizetype i = 0; i < fromQt.verifiedPath.size(); ++i)
                QCOMPARE(fromQt.verifiedPath.at(i).der, report.verifiedPath.at(i).der);
        }
    }

    void verificationTimeIsTheGivenInstant() {
        const auto store = TrustStore::fromCertificates({root.der});
        QVERIFY(store);
        // The same leaf, 80 days later: it has expired (default lifetime 90 days from -1).
        const QDateTime later = pinnedNow().addDays(100);
        const TrustReport report = verifyChain({leaf.der, ca.der}, u"leaf.test"_s, later, *store);
        QVERIFY(report.pathToAnchor);
        QVERIFY(!report.trusted);
        QCOMPARE(report.findings.size(), 1);
        QVERIFY(report.findings.constFirst().startsWith(u"expired: CN=leaf.test expired "_s));
    }

    void unreadableCertificateInTheChain() {
        const auto store = TrustStore::fromCertificates({root.der});
        const TrustReport report =
            verifyChain({leaf.der, QByteArray("garbage")}, u"leaf.test"_s, pinnedNow(), *store);
        QVERIFY(!report.trusted);
        QVERIFY(report.findings.join(u"|").contains(u"unreadable certificate #2"_s));
        QVERIFY(report.findings.join(u"|").contains(u"incomplete chain"_s));
    }

    void caFileErrorsNameTheFile_data() {
        QTest::addColumn<QByteArray>("content"); // null: the file does not exist
        QTest::addColumn<QString>("reason");
        QTest::newRow("missing") << QByteArray() << "cannot read CA file";
        QTest::newRow("empty") << QByteArray("") << "no certificate found";
        QTest::newRow("garbage") << QByteArray("this is not a certificate\n")
                                 << "no certificate found";
        QTest::newRow("damaged PEM")
            << QByteArray("-----BEGIN CERTIFICATE-----\nAAAA!!!!\n-----END CERTIFICATE-----\n")
            << "damaged PEM certificate";
        QTest::newRow("only a private key")
            << makeCert(CertSpec::leaf(u"k.test"_s)).keyPem << "no certificate found";
    }

    void caFileErrorsNameTheFile() {
        QFETCH(QByteArray, content);
        QFETCH(QString, reason);
        QTemporaryDir dir;
        const QString path = dir.filePath(u"anchors.pem"_s);
        if (!content.isNull()) {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(content);
        }
        QString error;
        QVERIFY(!TrustStore::create(false, {path}, &error));
        QVERIFY2(error.startsWith(path + u": "_s), qPrintable(error));
        QVERIFY2(error.contains(reason), qPrintable(error));
    }

    void caFileAnchorsAreTrusted() {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"bundle.pem"_s);
        QVERIFY(writePemBundle(path, {otherRoot, root}));
        QString error;
        const auto store = TrustStore::create(false, {path}, &error);
        QVERIFY2(store, qPrintable(error));
        QCOMPARE(store->privateAnchorCount(), 2);
        QVERIFY(!store->usesSystemAnchors());
        QVERIFY(verifyChain({leaf.der, ca.der}, u"leaf.test"_s, pinnedNow(), *store).trusted);
    }

    void systemAnchorsDoNotTrustTestRoots() {
        QString error;
        const auto store = TrustStore::create(true, {}, &error);
        QVERIFY2(store, qPrintable(error));
        QVERIFY(store->usesSystemAnchors());
        const TrustReport report =
            verifyChain({leaf.der, ca.der}, u"leaf.test"_s, pinnedNow(), *store);
        QVERIFY(!report.pathToAnchor);
        QVERIFY(!report.trusted);
    }

    void systemAnchorsFollowOpenSslEnvironment() {
        // SSL_CERT_FILE and SSL_CERT_DIR redirect the system store, as they do for OpenSSL.
        QTemporaryDir dir;
        const QString bundle = dir.filePath(u"bundle.pem"_s);
        QVERIFY(writePemBundle(bundle, {root}));
        QVERIFY(QDir(dir.path()).mkdir(u"hashed"_s));
        // A hashed file that repeats the bundle's root is skipped unparsed; one that repeats it
        // beside a root the bundle lacks must still be loaded whole.
        QVERIFY(writePemBundle(dir.filePath(u"hashed/89abcdef.0"_s), {root}));
        QVERIFY(writePemBundle(dir.filePath(u"hashed/0123abcd.0"_s), {root, newRoot}));
        QVERIFY(writePemBundle(dir.filePath(u"hashed/not-hashed.pem"_s), {oldRoot}));
        qputenv("SSL_CERT_FILE", QFile::encodeName(bundle));
        qputenv("SSL_CERT_DIR", QFile::encodeName(dir.filePath(u"hashed"_s)));
        QString error;
        const auto store = TrustStore::create(true, {}, &error);
        qunsetenv("SSL_CERT_FILE");
        qunsetenv("SSL_CERT_DIR");
        QVERIFY2(store, qPrintable(error));
        QVERIFY(verifyChain({leaf.der, ca.der}, u"leaf.test"_s, pinnedNow(), *store).trusted);
        QVERIFY(verifyChain({newLeaf.der, newCa.der}, u"leaf.test"_s, pinnedNow(), *store).trusted);
        // Like OpenSSL, only c_rehash names in the directory count.
        const TrustReport old = verifyChain({oldRoot.der}, u"leaf.test"_s, pinnedNow(), *store);
        QVERIFY(!old.pathToAnchor);

        qputenv("SSL_CERT_FILE", QFile::encodeName(dir.filePath(u"missing.pem"_s)));
        qputenv("SSL_CERT_DIR", QFile::encodeName(dir.filePath(u"missing"_s)));
        QVERIFY(!TrustStore::create(true, {}, &error));
        qunsetenv("SSL_CERT_FILE");
        qunsetenv("SSL_CERT_DIR");
        QVERIFY2(error.contains(u"no system CA certificates"_s), qPrintable(error));
    }

    void sharedStoreAcrossThreads() {
        const auto store = TrustStore::fromCertificates({root.der, newRoot.der});
        QVERIFY(store);
        std::atomic<int> wrong{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back([&, t] {
                for (int i = 0; i < 50; ++i) {
                    const bool good = (i + t) % 2 == 0;
                    const TrustReport r =
                        good ? verifyChain({leaf.der, ca.der}, u"leaf.test"_s, pinnedNow(), *store)
                             : verifyChain({expiredLeaf.der, ca.der}, u"leaf.test"_s, pinnedNow(),
                                           *store);
                    if (r.trusted != good || r.verifiedPath.size() != 3)
                        ++wrong;
                }
            });
        }
        for (std::thread &t : threads)
            t.join();
        QCOMPARE(wrong.load(), 0);
    }
};

QTEST_GUILESS_MAIN(TestChainVerifier)
#include "tst_chainverifier.moc"
