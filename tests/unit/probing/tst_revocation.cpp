// Revocation answers judged without network: OCSP responses (stapled or fetched) and CRLs made at
// test time, each checked against the leaf's issuer, its CertID or list, and its dates.
#include "CertFactory.h"
#include "RevocationFactory.h"
#include "TestSupport.h"

#include "domain/FindingExplanation.h"
#include "domain/ProbeResult.h"
#include "probing/Revocation.h"
#include "probing/X509.h"

#include <QTest>

using namespace certdash;
using namespace certdash::test;
using namespace Qt::StringLiterals;

class TestRevocation : public QObject {
    Q_OBJECT

    TestCert m_root, m_ca, m_leaf, m_other, m_responder, m_rogueResponder, m_stranger;
    ossl::X509Ptr m_leafX, m_caX, m_otherX;

    RevocationStatus judge(const QByteArray &der, X509 *leaf = nullptr,
                           const QDateTime &now = pinnedNow()) {
        return RevocationJudge::ocspResponse(der, leaf ? leaf : m_leafX.get(), m_caX.get(), now,
                                             RevocationStatus::Source::Stapled);
    }

private slots:
    void initTestCase() {
        m_root = makeCert(CertSpec::root(u"Revocation Root"_s));
        m_ca = makeCert(CertSpec::intermediate(u"Revocation CA"_s), &m_root);
        CertSpec leaf = CertSpec::leaf(u"revoked.test"_s);
        leaf.serialHex = "0A11CE";
        m_leaf = makeCert(leaf, &m_ca);
        CertSpec other = CertSpec::leaf(u"other.test"_s);
        other.serialHex = "0B0B";
        m_other = makeCert(other, &m_ca);
        CertSpec responder = CertSpec::leaf(u"ocsp.revocation.test"_s);
        responder.extendedKeyUsage = {u"OCSPSigning"_s};
        m_responder = makeCert(responder, &m_ca);
        CertSpec rogue = CertSpec::leaf(u"rogue.revocation.test"_s);
        rogue.extendedKeyUsage = {u"serverAuth"_s};
        m_rogueResponder = makeCert(rogue, &m_ca);
        m_stranger = makeCert(CertSpec::intermediate(u"Revocation CA"_s), &m_root); // same name
        m_leafX = ossl::parseDer(m_leaf.der);
        m_caX = ossl::parseDer(m_ca.der);
        m_otherX = ossl::parseDer(m_other.der);
    }

    void goodRevokedUnknown() {
        OcspSpec spec;
        RevocationStatus status = judge(makeOcspResponse(spec, m_leaf, m_ca));
        QCOMPARE(status.state, RevocationStatus::State::Good);
        QCOMPARE(status.thisUpdate, pinnedNow().addSecs(-3600));

        spec.status = OcspSpec::Status::Revoked;
        spec.revokedAt = pinnedNow().addDays(-3);
        spec.reason = 1;
        status = judge(makeOcspResponse(spec, m_leaf, m_ca));
        QCOMPARE(status.state, RevocationStatus::State::Revoked);
        QCOMPARE(status.revokedAt, pinnedNow().addDays(-3));
        QCOMPARE(status.reason, u"key compromise"_s);

        spec.status = OcspSpec::Status::Unknown;
        status = judge(makeOcspResponse(spec, m_leaf, m_ca));
        QCOMPARE(status.state, RevocationStatus::State::Unknown);
    }

    // A responder the CA delegated (OCSPSigning) counts; one without that purpose does not.
    void delegatedResponder() {
        OcspSpec spec;
        spec.signer = &m_responder;
        QCOMPARE(judge(makeOcspResponse(spec, m_leaf, m_ca)).state, RevocationStatus::State::Good);
        spec.signer = &m_rogueResponder;
        const RevocationStatus status = judge(makeOcspResponse(spec, m_leaf, m_ca));
        QCOMPARE(status.state, RevocationStatus::State::NotChecked);
        QVERIFY2(status.why.contains(u"signature does not verify"_s), qPrintable(status.why));
    }

    // Signed by another CA of the same name: the issuer's key did not sign it.
    void signedByAnotherKey() {
        OcspSpec spec;
        spec.status = OcspSpec::Status::Revoked;
        spec.revokedAt = pinnedNow().addDays(-1);
        const RevocationStatus status = judge(makeOcspResponse(spec, m_leaf, m_stranger));
        QCOMPARE(status.state, RevocationStatus::State::NotChecked);
        QVERIFY(!status.why.isEmpty());
    }

    void aboutAnotherCertificate() {
        const RevocationStatus status =
            judge(makeOcspResponse(OcspSpec{}, m_other, m_ca), m_leafX.get());
        QCOMPARE(status.state, RevocationStatus::State::NotChecked);
        QVERIFY2(status.why.contains(u"another certificate"_s), qPrintable(status.why));
        QVERIFY2(status.why.contains(u"0A11CE"_s), qPrintable(status.why));
    }

    // thisUpdate/nextUpdate with five minutes of skew either way.
    void dates() {
        OcspSpec spec;
        spec.thisUpdate = pinnedNow().addDays(-8);
        spec.nextUpdate = pinnedNow().addSecs(-10 * 60);
        RevocationStatus status = judge(makeOcspResponse(spec, m_leaf, m_ca));
        QCOMPARE(status.state, RevocationStatus::State::NotChecked);
        QVERIFY2(status.why.contains(u"out of date"_s), qPrintable(status.why));
        spec.nextUpdate = pinnedNow().addSecs(-4 * 60);
        QCOMPARE(judge(makeOcspResponse(spec, m_leaf, m_ca)).state, RevocationStatus::State::Good);

        spec.thisUpdate = pinnedNow().addSecs(10 * 60);
        spec.nextUpdate = pinnedNow().addDays(7);
        status = judge(makeOcspResponse(spec, m_leaf, m_ca));
        QCOMPARE(status.state, RevocationStatus::State::NotChecked);
        QVERIFY2(status.why.contains(u"in the future"_s), qPrintable(status.why));
        spec.thisUpdate = pinnedNow().addSecs(4 * 60);
        QCOMPARE(judge(makeOcspResponse(spec, m_leaf, m_ca)).state, RevocationStatus::State::Good);
    }

    void garbage() {
        const RevocationStatus status = judge(QByteArray("not an OCSP response"));
        QCOMPARE(status.state, RevocationStatus::State::NotChecked);
        QVERIFY(status.why.contains(u"not readable"_s));
    }

    void crl() {
        CrlSpec spec;
        spec.revoked = {{"0A11CE", pinnedNow().addDays(-2), 4}};
        const auto parsed = RevocationJudge::parseCrl(makeCrl(spec, m_ca));
        QVERIFY(parsed);
        RevocationStatus status =
            RevocationJudge::crl(parsed.get(), m_leafX.get(), m_caX.get(), pinnedNow());
        QCOMPARE(status.state, RevocationStatus::State::Revoked);
        QCOMPARE(status.source, RevocationStatus::Source::Crl);
        QCOMPARE(status.revokedAt, pinnedNow().addDays(-2));
        QCOMPARE(status.reason, u"superseded"_s);
        status = RevocationJudge::crl(parsed.get(), m_otherX.get(), m_caX.get(), pinnedNow());
        QCOMPARE(status.state, RevocationStatus::State::Good);
        QCOMPARE(RevocationJudge::crlNextUpdate(parsed.get()),
                 pinnedNow().addSecs(-3600).addDays(7));

        // PEM as well as DER; a CRL signed by another key, or out of date, is no answer.
        QVERIFY(RevocationJudge::parseCrl("-----BEGIN X509 CRL-----\n" +
                                          makeCrl(spec, m_ca).toBase64() +
                                          "\n-----END X509 CRL-----\n"));
        const auto forged = RevocationJudge::parseCrl(makeCrl(spec, m_stranger));
        status = RevocationJudge::crl(forged.get(), m_leafX.get(), m_caX.get(), pinnedNow());
        QCOMPARE(status.state, RevocationStatus::State::NotChecked);
        QVERIFY2(status.why.contains(u"signature"_s), qPrintable(status.why));
        status =
            RevocationJudge::crl(parsed.get(), m_leafX.get(), m_caX.get(), pinnedNow().addDays(8));
        QCOMPARE(status.state, RevocationStatus::State::NotChecked);
        QVERIFY2(status.why.contains(u"out of date"_s), qPrintable(status.why));
        QVERIFY(!RevocationJudge::parseCrl("garbage"));
    }

    // The request is the one `openssl ocsp` would send for the leaf.
    void request() {
        QCOMPARE(RevocationJudge::ocspRequest(m_leafX.get(), m_caX.get()),
                 makeOcspRequest(m_leaf, m_ca));
    }

    // Findings: revoked fails trust whatever is accepted; unknown and unchecked only inform,
    // unless online checks were asked for: then they are weak.
    void findingsAndVerdicts() {
        RevocationStatus revoked;
        revoked.source = RevocationStatus::Source::Stapled;
        revoked.state = RevocationStatus::State::Revoked;
        revoked.revokedAt = pinnedNow().addDays(-3);
        revoked.reason = u"key compromise"_s;
        TrustReport report;
        addRevocationFinding(report, revoked);
        QCOMPARE(report.kinds, QList<FindingKind>{FindingKind::Revoked});
        QVERIFY2(report.findings.first().contains(u"key compromise"_s),
                 qPrintable(report.findings.first()));
        QVERIFY(report.findings.first().contains(pinnedNow().addDays(-3).toString(Qt::ISODate)));
        QCOMPARE(findingKindKey(FindingKind::Revoked), u"revoked"_s);
        TrustAcceptance pinned;
        pinned.pinSha256 = u"AB"_s;
        pinned.acceptSelfSigned = true;
        QCOMPARE(trustVerdict(report.kinds, pinned).level, TrustLevel::Failed);
        QCOMPARE(trustVerdict(report.kinds, {}).level, TrustLevel::Failed);

        for (const FindingKind kind :
             {FindingKind::OcspUnknown, FindingKind::RevocationUnchecked}) {
            QCOMPARE(trustVerdict({kind}, {}).level, TrustLevel::Trusted);
            QCOMPARE(trustVerdict({kind}, {}, true).level, TrustLevel::Weak);
            QVERIFY(!explainFinding(kind).isEmpty());
        }
        QVERIFY(!explainFinding(FindingKind::Revoked).isEmpty());
        QCOMPARE(findingKindKey(FindingKind::OcspUnknown), u"ocsp_unknown"_s);
        QCOMPARE(findingKindKey(FindingKind::RevocationUnchecked), u"revocation_unchecked"_s);

        RevocationStatus unknown;
        unknown.source = RevocationStatus::Source::Ocsp;
        unknown.state = RevocationStatus::State::Unknown;
        unknown.url = u"http://ocsp.test/"_s;
        TrustReport second;
        addRevocationFinding(second, unknown);
        QCOMPARE(second.kinds, QList<FindingKind>{FindingKind::OcspUnknown});
        QVERIFY(second.findings.first().contains(u"http://ocsp.test/"_s));

        // Good, or never attempted: nothing to say.
        TrustReport third;
        RevocationStatus good;
        good.state = RevocationStatus::State::Good;
        addRevocationFinding(third, good);
        addRevocationFinding(third, RevocationStatus{});
        QVERIFY(third.kinds.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestRevocation)
#include "tst_revocation.moc"
