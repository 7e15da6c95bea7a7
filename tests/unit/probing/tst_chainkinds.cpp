// Every trust finding the verifier makes carries its kind, and the kinds give the level that
// decides alerts and exit codes (hostname mismatch, untrusted, incomplete or expired chain, an
// unreadable date, a CN-only name fail; weak keys and a chain out of order are weak; an extra
// certificate alone, such as a stale cross-sign, leaves the chain trusted).
#include "CertFactory.h"
#include "TestSupport.h"
#include "probing/ChainVerifier.h"
#include "probing/TrustStore.h"

#include <QTest>

using namespace certdash;
using namespace certdash::test;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(certdash::FindingKind)
Q_DECLARE_METATYPE(certdash::TrustLevel)

class TestChainKinds : public QObject {
    Q_OBJECT

    TestCert root, otherRoot, ca, expiredCa, leaf, selfSigned, underExpiredCa, weakLeaf;
    TestCert int1, int2, reversedLeaf, badNotBefore, badNotAfter, cnOnly, staleCross;
    std::shared_ptr<const TrustStore> store;

    TrustReport verify(const QList<QByteArray> &served, const QString &identity) {
        return verifyChain(served, identity, pinnedNow(), *store);
    }

private slots:
    void initTestCase() {
        root = makeCert(CertSpec::root(u"Kinds Root"_s));
        otherRoot = makeCert(CertSpec::root(u"Kinds Other Root"_s));
        ca = makeCert(CertSpec::intermediate(u"Kinds CA"_s), &root);
        expiredCa =
            makeCert(CertSpec::intermediate(u"Kinds Expired CA"_s).validDays(-400, -5), &root);
        leaf = makeCert(CertSpec::leaf(u"kinds.test"_s), &ca);
        selfSigned = makeCert(CertSpec::leaf(u"kinds.test"_s));
        underExpiredCa = makeCert(CertSpec::leaf(u"kinds.test"_s).validDays(-10, 50), &expiredCa);
        CertSpec weak = CertSpec::leaf(u"kinds.test"_s);
        weak.key = KeySpec::rsa(1024);
        weakLeaf = makeCert(weak, &ca);

        // root -> int1 -> int2 -> leaf, for a server that sends int1 before int2.
        int1 = makeCert(CertSpec::intermediate(u"Kinds Int 1"_s, 1), &root);
        int2 = makeCert(CertSpec::intermediate(u"Kinds Int 2"_s), &int1);
        reversedLeaf = makeCert(CertSpec::leaf(u"kinds.test"_s), &int2);
        CertSpec notBefore = CertSpec::leaf(u"kinds.test"_s);
        notBefore.rawNotBefore = "991332250000Z"; // month 13
        badNotBefore = makeCert(notBefore, &ca);
        CertSpec notAfter = CertSpec::leaf(u"kinds.test"_s);
        notAfter.rawNotAfter = "00000101000000Z"; // year 0000
        badNotAfter = makeCert(notAfter, &ca);
        CertSpec cn = CertSpec::leaf(u"kinds.test"_s);
        cn.dnsNames.clear();
        cnOnly = makeCert(cn, &ca);
        // The root cross-signed by an older root, expired, still sent (Let's Encrypt, 2021).
        const TestCert oldRoot =
            makeCert(CertSpec::root(u"Kinds Old Root"_s).validDays(-3650, -30));
        staleCross = crossSign(root, oldRoot, pinnedNow().addDays(-900), pinnedNow().addDays(-20));

        store = TrustStore::fromCertificates({root.der});
        QVERIFY(store);
    }

    void trustedChainHasNoKind() {
        const TrustReport good = verify(derList({leaf, ca}), u"kinds.test"_s);
        QVERIFY2(good.kinds.isEmpty(), qPrintable(good.findings.join(u'\n')));
        QCOMPARE(trustVerdict(good.kinds, {}).level, TrustLevel::Trusted);
    }

    void kindsAndLevels_data() {
        QTest::addColumn<QList<QByteArray>>("served");
        QTest::addColumn<QString>("identity");
        QTest::addColumn<FindingKind>("kind");
        QTest::addColumn<TrustLevel>("level");
        QTest::addColumn<bool>("chainTrusted"); // TrustReport::trusted: path verified, no rejection
        QTest::addColumn<QString>("sentence");  // how the finding of that kind begins

        const QString name = u"kinds.test"_s;
        const TestCert privateLeaf = makeCert(CertSpec::leaf(name), &otherRoot);
        using K = FindingKind;
        using L = TrustLevel;
        QTest::newRow("hostname mismatch")
            << derList({leaf, ca}) << u"other.test"_s << K::HostnameMismatch << L::Failed << false
            << u"hostname mismatch"_s;
        QTest::newRow("self-signed") << derList({selfSigned}) << name << K::SelfSigned << L::Failed
                                     << false << u"self-signed"_s;
        QTest::newRow("incomplete chain") << derList({leaf}) << name << K::IncompleteChain
                                          << L::Failed << false << u"incomplete chain"_s;
        QTest::newRow("untrusted root")
            << derList({privateLeaf, otherRoot}) << name << K::UntrustedRoot << L::Failed << false
            << u"untrusted root"_s;
        QTest::newRow("expired intermediate")
            << derList({underExpiredCa, expiredCa}) << name << K::ExpiredInChain << L::Failed
            << false << u"expired"_s;
        QTest::newRow("weak key") << derList({weakLeaf, ca}) << name << K::WeakKey << L::Weak
                                  << false << u"weak key"_s;
        QTest::newRow("unreadable notBefore")
            << derList({badNotBefore, ca}) << name << K::UnreadableDate << L::Failed << false
            << u"unreadable notBefore"_s;
        QTest::newRow("unreadable notAfter")
            << derList({badNotAfter, ca}) << name << K::UnreadableDate << L::Failed << false
            << u"unreadable notAfter"_s;
        QTest::newRow("CN only") << derList({cnOnly, ca}) << name << K::NoSubjectAltName
                                 << L::Failed << false << u"no subjectAltName"_s;
        // Modern clients reorder, old Java and embedded ones fail: weak, the chain still verifies.
        QTest::newRow("chain out of order")
            << derList({reversedLeaf, int1, int2}) << name << K::ChainOutOfOrder << L::Weak << true
            << u"chain out of order"_s;
        // Clients ignore what they do not need: listed, but trusted.
        QTest::newRow("extra root") << derList({leaf, ca, otherRoot}) << name << K::ExtraCertificate
                                    << L::Trusted << true << u"extra certificate"_s;
        QTest::newRow("stale cross-sign")
            << derList({leaf, ca, staleCross}) << name << K::ExtraCertificate << L::Trusted << true
            << u"extra certificate"_s;
    }
    void kindsAndLevels() {
        QFETCH(QList<QByteArray>, served);
        QFETCH(QString, identity);
        QFETCH(FindingKind, kind);
        QFETCH(TrustLevel, level);
        QFETCH(bool, chainTrusted);
        QFETCH(QString, sentence);
        const TrustReport r = verify(served, identity);
        QCOMPARE(r.kinds.size(), r.findings.size());
        QVERIFY2(r.kinds.contains(kind), qPrintable(r.findings.join(u'\n')));
        // The kind belongs to the sentence that says it, in the same place.
        QVERIFY2(r.findings.at(r.kinds.indexOf(kind)).startsWith(sentence),
                 qPrintable(r.findings.join(u'\n')));
        QCOMPARE(trustLevelKey(trustVerdict(r.kinds, {}).level), trustLevelKey(level));
        QCOMPARE(r.trusted, chainTrusted);
    }
};

QTEST_GUILESS_MAIN(TestChainKinds)
#include "tst_chainkinds.moc"
