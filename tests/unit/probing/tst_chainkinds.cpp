// Every trust finding the verifier makes carries its kind, and the kinds give the level that
// decides alerts and exit codes (hostname mismatch, untrusted, incomplete or expired chain fail;
// weak keys and hygiene are weak).
#include "CertFactory.h"
#include "TestSupport.h"
#include "probing/ChainVerifier.h"
#include "probing/TrustStore.h"

#include <QTest>

using namespace certdash;
using namespace certdash::test;
using namespace Qt::StringLiterals;

class TestChainKinds : public QObject {
    Q_OBJECT

    TestCert root, otherRoot, ca, expiredCa, leaf, selfSigned, underExpiredCa, weakLeaf;
    std::shared_ptr<const TrustStore> store;

    TrustReport verify(const QList<TestCert> &served, const QString &identity) {
        return verifyChain(derList(served), identity, pinnedNow(), *store);
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
        store = TrustStore::fromCertificates({root.der});
        QVERIFY(store);
    }

    void kindsAndLevels() {
        const auto check = [](const TrustReport &r, FindingKind kind, TrustLevel level) {
            QCOMPARE(r.kinds.size(), r.findings.size());
            QVERIFY2(r.kinds.contains(kind), qPrintable(r.findings.join(u'\n')));
            QCOMPARE(trustLevelKey(trustVerdict(r.kinds, {}).level), trustLevelKey(level));
        };
        const TrustReport good = verify({leaf, ca}, u"kinds.test"_s);
        QVERIFY2(good.kinds.isEmpty(), qPrintable(good.findings.join(u'\n')));
        QCOMPARE(trustVerdict(good.kinds, {}).level, TrustLevel::Trusted);

        check(verify({leaf, ca}, u"other.test"_s), FindingKind::HostnameMismatch,
              TrustLevel::Failed);
        check(verify({selfSigned}, u"kinds.test"_s), FindingKind::SelfSigned, TrustLevel::Failed);
        check(verify({leaf}, u"kinds.test"_s), FindingKind::IncompleteChain, TrustLevel::Failed);
        const TestCert privateLeaf = makeCert(CertSpec::leaf(u"kinds.test"_s), &otherRoot);
        check(verify({privateLeaf, otherRoot}, u"kinds.test"_s), FindingKind::UntrustedRoot,
              TrustLevel::Failed);
        check(verify({underExpiredCa, expiredCa}, u"kinds.test"_s), FindingKind::ExpiredInChain,
              TrustLevel::Failed);
        check(verify({weakLeaf, ca}, u"kinds.test"_s), FindingKind::WeakKey, TrustLevel::Weak);
        check(verify({leaf, ca, otherRoot}, u"kinds.test"_s), FindingKind::ExtraCertificate,
              TrustLevel::Weak);
    }
};

QTEST_GUILESS_MAIN(TestChainKinds)
#include "tst_chainkinds.moc"
