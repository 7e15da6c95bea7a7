// The trust level of a result from its finding kinds and the acceptance in force (pure).
#include "domain/FindingExplanation.h"
#include "domain/Trust.h"
#include "domain/TrustReport.h"

#include <QTest>

using namespace certdash;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(certdash::TrustLevel)
Q_DECLARE_METATYPE(certdash::AcceptanceRule)
Q_DECLARE_METATYPE(certdash::TrustAcceptance)
Q_DECLARE_METATYPE(QList<certdash::FindingKind>)

namespace {
using Kinds = QList<FindingKind>;
const QString kPin = u"AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:"
                     "AB:CD:EF:01:23:45:67:89"_s;

TrustAcceptance selfSigned() {
    TrustAcceptance a;
    a.acceptSelfSigned = true;
    return a;
}
TrustAcceptance issuer() {
    TrustAcceptance a;
    a.pinIssuer = u"CN=Private CA"_s;
    return a;
}
TrustAcceptance fingerprint() {
    TrustAcceptance a;
    a.pinSha256 = kPin;
    return a;
}
} // namespace

class TestTrust : public QObject {
    Q_OBJECT
private slots:
    void verdict_data() {
        QTest::addColumn<Kinds>("kinds");
        QTest::addColumn<TrustAcceptance>("acceptance");
        QTest::addColumn<TrustLevel>("level");
        QTest::addColumn<AcceptanceRule>("acceptedBy");

        using K = FindingKind;
        using L = TrustLevel;
        using R = AcceptanceRule;
        const TrustAcceptance none;
        QTest::newRow("no finding") << Kinds{} << none << L::Trusted << R::None;
        QTest::newRow("no finding, pinned") << Kinds{} << fingerprint() << L::Trusted << R::None;
        QTest::newRow("mismatch") << Kinds{K::HostnameMismatch} << none << L::Failed << R::None;
        QTest::newRow("untrusted root") << Kinds{K::UntrustedRoot} << none << L::Failed << R::None;
        QTest::newRow("incomplete") << Kinds{K::IncompleteChain} << none << L::Failed << R::None;
        QTest::newRow("self-signed") << Kinds{K::SelfSigned} << none << L::Failed << R::None;
        QTest::newRow("expired in chain")
            << Kinds{K::ExpiredInChain} << none << L::Failed << R::None;
        QTest::newRow("not yet valid")
            << Kinds{K::NotYetValidInChain} << none << L::Failed << R::None;
        QTest::newRow("unknown") << Kinds{K::Other} << none << L::Failed << R::None;
        QTest::newRow("weak key") << Kinds{K::WeakKey} << none << L::Weak << R::None;
        QTest::newRow("weak signature") << Kinds{K::WeakSignature} << none << L::Weak << R::None;
        QTest::newRow("unreadable date")
            << Kinds{K::UnreadableDate} << none << L::Failed << R::None;
        QTest::newRow("CN only") << Kinds{K::NoSubjectAltName} << none << L::Failed << R::None;
        QTest::newRow("chain out of order")
            << Kinds{K::ChainOutOfOrder} << none << L::Weak << R::None;
        // Hygiene alone (a stale cross-sign still sent) is listed, never lowers the level.
        QTest::newRow("extra certificate")
            << Kinds{K::ExtraCertificate} << none << L::Trusted << R::None;
        QTest::newRow("two extra certificates")
            << Kinds{K::ExtraCertificate, K::ExtraCertificate} << none << L::Trusted << R::None;
        QTest::newRow("extra certificate, pinned")
            << Kinds{K::ExtraCertificate} << fingerprint() << L::Trusted << R::None;
        QTest::newRow("extra certificate and weak signature")
            << Kinds{K::ExtraCertificate, K::WeakSignature} << none << L::Weak << R::None;
        QTest::newRow("extra certificate and out of order")
            << Kinds{K::ExtraCertificate, K::ChainOutOfOrder} << none << L::Weak << R::None;
        QTest::newRow("extra certificate and mismatch")
            << Kinds{K::ExtraCertificate, K::HostnameMismatch} << none << L::Failed << R::None;
        QTest::newRow("weak and mismatch")
            << Kinds{K::WeakKey, K::HostnameMismatch} << none << L::Failed << R::None;

        QTest::newRow("self-signed, accepted")
            << Kinds{K::SelfSigned} << selfSigned() << L::Accepted << R::SelfSigned;
        QTest::newRow("private root, accepted")
            << Kinds{K::UntrustedRoot} << selfSigned() << L::Accepted << R::SelfSigned;
        QTest::newRow("private CA leaf only, accepted")
            << Kinds{K::IncompleteChain} << selfSigned() << L::Accepted << R::SelfSigned;
        QTest::newRow("self-signed and mismatch, accept_self_signed")
            << Kinds{K::SelfSigned, K::HostnameMismatch} << selfSigned() << L::Failed << R::None;
        QTest::newRow("self-signed and expired, accept_self_signed")
            << Kinds{K::SelfSigned, K::ExpiredInChain} << selfSigned() << L::Failed << R::None;
        QTest::newRow("self-signed and weak key, accept_self_signed")
            << Kinds{K::SelfSigned, K::WeakKey} << selfSigned() << L::Weak << R::None;
        QTest::newRow("private root and extra certificate, accept_self_signed")
            << Kinds{K::UntrustedRoot, K::ExtraCertificate} << selfSigned() << L::Accepted
            << R::SelfSigned;
        QTest::newRow("private root out of order, accept_self_signed")
            << Kinds{K::UntrustedRoot, K::ChainOutOfOrder} << selfSigned() << L::Weak << R::None;
        // accept_self_signed is about who vouches for the chain, not about the names in it.
        QTest::newRow("CN only, accept_self_signed")
            << Kinds{K::SelfSigned, K::NoSubjectAltName} << selfSigned() << L::Failed << R::None;
        QTest::newRow("unreadable date, pinned issuer")
            << Kinds{K::UnreadableDate} << issuer() << L::Failed << R::None;
        QTest::newRow("untrusted root, issuer matches")
            << Kinds{K::UntrustedRoot} << issuer() << L::Accepted << R::Issuer;
        QTest::newRow("mismatch, issuer matches")
            << Kinds{K::HostnameMismatch} << issuer() << L::Failed << R::None;
        QTest::newRow("mismatch, fingerprint matches")
            << Kinds{K::HostnameMismatch} << fingerprint() << L::Accepted << R::Fingerprint;
        QTest::newRow("expired and weak, fingerprint matches")
            << Kinds{K::ExpiredInChain, K::WeakSignature} << fingerprint() << L::Accepted
            << R::Fingerprint;
        QTest::newRow("pin mismatch")
            << Kinds{K::PinMismatch} << fingerprint() << L::Failed << R::None;
        QTest::newRow("pin mismatch under accept_self_signed")
            << Kinds{K::SelfSigned, K::PinMismatch} << issuer() << L::Failed << R::None;
    }
    void verdict() {
        QFETCH(Kinds, kinds);
        QFETCH(TrustAcceptance, acceptance);
        QFETCH(TrustLevel, level);
        QFETCH(AcceptanceRule, acceptedBy);
        const TrustVerdict v = trustVerdict(kinds, acceptance);
        QCOMPARE(trustLevelKey(v.level), trustLevelKey(level));
        QCOMPARE(acceptanceRuleKey(v.acceptedBy), acceptanceRuleKey(acceptedBy));
    }

    void acceptedNamesItsTag() {
        TrustAcceptance a = selfSigned();
        a.fromTag = u"lab"_s;
        const TrustVerdict v = trustVerdict({FindingKind::SelfSigned}, a);
        QCOMPARE(v.acceptedTag, u"lab"_s);
        QVERIFY(explainTrustVerdict(v, {FindingKind::SelfSigned}).contains(u"tag lab"_s));
        QVERIFY(
            explainTrustVerdict(v, {FindingKind::SelfSigned}).contains(u"accept_self_signed"_s));
    }

    // Trusted despite a hygiene finding, and the window says what to clean up.
    void trustedWithHygieneSaysSo() {
        const Kinds kinds{FindingKind::ExtraCertificate};
        const TrustVerdict v = trustVerdict(kinds, {});
        QCOMPARE(trustLevelKey(v.level), u"trusted"_s);
        const QString text = explainTrustVerdict(v, kinds);
        QVERIFY2(text.startsWith(u"Trusted"_s), qPrintable(text));
        QVERIFY2(text.contains(u"extra certificate"_s), qPrintable(text));
    }

    void exitCodes() {
        QCOMPARE(exitCodeForTrust(TrustLevel::Trusted), 0);
        QCOMPARE(exitCodeForTrust(TrustLevel::Accepted), 0);
        QCOMPARE(exitCodeForTrust(TrustLevel::Weak), 1);
        QCOMPARE(exitCodeForTrust(TrustLevel::Failed), 2);
    }

    void keysRoundTrip() {
        for (const TrustLevel level :
             {TrustLevel::Trusted, TrustLevel::Accepted, TrustLevel::Weak, TrustLevel::Failed})
            QVERIFY(trustLevelFromKey(trustLevelKey(level)) == level);
        for (const FindingKind kind :
             {FindingKind::HostnameMismatch, FindingKind::WeakKey, FindingKind::ExtraCertificate,
              FindingKind::PinMismatch, FindingKind::ChainOutOfOrder, FindingKind::UnreadableDate,
              FindingKind::NoSubjectAltName})
            QCOMPARE(findingKindFromKey(findingKindKey(kind)), kind);
        // Stored keys, never renamed.
        QCOMPARE(findingKindKey(FindingKind::ChainOutOfOrder), u"chain_out_of_order"_s);
        QCOMPARE(findingKindKey(FindingKind::UnreadableDate), u"unreadable_date"_s);
        QCOMPARE(findingKindKey(FindingKind::NoSubjectAltName), u"no_subject_alt_name"_s);
        // A kind from a newer build is never read as harmless.
        QCOMPARE(findingKindFromKey(u"some_future_kind"_s), FindingKind::Other);
        QCOMPARE(findingSeverity(FindingKind::Other), FindingSeverity::Failed);
    }

    void fingerprints_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("canonical");
        QTest::newRow("canonical") << kPin << kPin;
        QTest::newRow("lower, no colons") << kPin.toLower().remove(u':') << kPin;
        QTest::newRow("spaces around") << u"  "_s + kPin + u" "_s << kPin;
        QTest::newRow("31 bytes") << kPin.left(kPin.size() - 3) << QString();
        QTest::newRow("not hex") << QString(kPin).replace(u'A', u'G') << QString();
        QTest::newRow("SHA-1") << u"AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01"_s
                               << QString();
        QTest::newRow("empty") << QString() << QString();
    }
    void fingerprints() {
        QFETCH(QString, text);
        QFETCH(QString, canonical);
        QCOMPARE(canonicalSha256(text).value_or(QString()), canonical);
    }

    void pinsAreChecked() {
        CertificateInfo leaf;
        leaf.sha256Fingerprint = kPin;
        leaf.issuer = u"CN=Private CA, O=Example"_s;
        leaf.issuerCommonName = u"Private CA"_s;

        TrustReport report;
        TrustAcceptance a;
        a.pinSha256 = kPin.toLower().remove(u':');
        a.pinIssuer = u"cn=private ca,o=example"_s; // same name, other spelling
        checkPins(report, leaf, a);
        QVERIFY2(report.kinds.isEmpty(), qPrintable(report.findings.join(u'\n')));
        a.pinIssuer = u"Private CA"_s; // a CN alone names the issuer too
        checkPins(report, leaf, a);
        QVERIFY(report.kinds.isEmpty());

        leaf.issuer = u"CN=Other CA"_s;
        leaf.issuerCommonName = u"Other CA"_s;
        leaf.sha256Fingerprint = QString(kPin).replace(u'A', u'0');
        a.fromTag = u"legacy"_s;
        checkPins(report, leaf, a);
        QCOMPARE(report.kinds, (Kinds{FindingKind::PinMismatch, FindingKind::PinMismatch}));
        QCOMPARE(report.findings.size(), 2);
        QVERIFY(report.findings.at(0).contains(u"tag legacy"_s));
        QVERIFY(report.findings.at(1).contains(u"CN=Other CA"_s));
    }

    void reasonListsFailuresFirst() {
        QCOMPARE(trustReason({FindingKind::WeakKey, FindingKind::HostnameMismatch}),
                 u"hostname mismatch, weak key"_s);
        QCOMPARE(trustReason({}), QString());
    }
};

QTEST_GUILESS_MAIN(TestTrust)
#include "tst_trust.moc"
