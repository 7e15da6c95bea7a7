#include "CertFactory.h"
#include "TestSupport.h"
#include "probing/CertificateCache.h"

#include <QTest>

using namespace certdash;
using namespace certdash::test;
using namespace Qt::StringLiterals;

class TestCertificateCache : public QObject {
    Q_OBJECT

    TestPki pki = makePki(u"leaf.test"_s);

private slots:
    void sameIntermediateIsDecodedOnce() {
        CertificateCache cache;
        // Two probes: each handshake parses its own X509 objects from the same bytes.
        const ossl::X509Ptr first = ossl::parseDer(pki.intermediate.der);
        const ossl::X509Ptr second = ossl::parseDer(pki.intermediate.der);
        QVERIFY(first && second);

        const CertificateCache::Decoded a = cache.decode(first.get());
        QCOMPARE(a.cert, first.get());
        QCOMPARE(cache.size(), 1);
        const CertificateCache::Decoded b = cache.decode(second.get());
        QCOMPARE(b.cert, first.get()); // the first probe's object, not a second decode
        QCOMPARE(cache.size(), 1);

        // What a fresh decode gives, field for field that reports show.
        const auto fresh = decodeCertificate(pki.intermediate.der);
        QVERIFY(fresh);
        for (const CertificateInfo &info : {a.info, b.info}) {
            QCOMPARE(info.der, pki.intermediate.der);
            QCOMPARE(info.subject, fresh->subject);
            QCOMPARE(info.notAfter, fresh->notAfter);
            QCOMPARE(info.sha256Fingerprint, fresh->sha256Fingerprint);
            QCOMPARE(info.sha1Fingerprint, fresh->sha1Fingerprint);
            QVERIFY(info.isCa);
            QVERIFY(info.text.isEmpty());
        }
    }

    void leavesAreNotKept() {
        CertificateCache cache;
        const ossl::X509Ptr leaf = ossl::parseDer(pki.leaf.der);
        const CertificateCache::Decoded d = cache.decode(leaf.get());
        QCOMPARE(d.cert, leaf.get());
        QCOMPARE(d.info.der, pki.leaf.der);
        QCOMPARE(cache.size(), 0);
    }

    void boundedByCapacity() {
        CertificateCache cache(1);
        const ossl::X509Ptr root = ossl::parseDer(pki.root.der);
        const ossl::X509Ptr ca = ossl::parseDer(pki.intermediate.der);
        cache.decode(root.get());
        const CertificateCache::Decoded d = cache.decode(ca.get());
        QCOMPARE(cache.size(), 1);
        QCOMPARE(d.cert, ca.get()); // decoded, just not remembered
        QCOMPARE(d.info.der, pki.intermediate.der);
    }
};

QTEST_GUILESS_MAIN(TestCertificateCache)
#include "tst_certificatecache.moc"
