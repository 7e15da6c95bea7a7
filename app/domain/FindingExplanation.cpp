#include "FindingExplanation.h"

#include <QCoreApplication>

#include <array>

namespace certdash {

namespace {
struct FindingText
{
    Q_DECLARE_TR_FUNCTIONS(certdash::Findings)
};

struct Explanation
{
    FindingKind kind;
    const char *text;
};

// By kind, never by the finding's words: those are translated when the finding is made.
constexpr std::array<Explanation, 17> kExplanations{{
    {FindingKind::ExpiredInChain,
     QT_TRANSLATE_NOOP("certdash::Findings",
                       "A certificate on the path clients use has expired: they refuse the "
                       "connection. Renew it and reload the service.")},
    {FindingKind::NotYetValidInChain,
     QT_TRANSLATE_NOOP("certdash::Findings",
                       "A certificate is not valid yet: clients refuse it until its start date. "
                       "Check the issuing system's clock, or wait.")},
    {FindingKind::SelfSigned,
     QT_TRANSLATE_NOOP("certdash::Findings",
                       "The server presents a self-signed certificate that no trust anchor "
                       "vouches for: only clients that pin it will connect.")},
    {FindingKind::UntrustedRoot,
     QT_TRANSLATE_NOOP("certdash::Findings",
                       "The chain ends at a CA that is not among the trust anchors. For a private "
                       "CA, add its root in Settings (or --ca-file).")},
    {FindingKind::IncompleteChain,
     QT_TRANSLATE_NOOP("certdash::Findings",
                       "The server does not send the intermediate certificate. Browsers that "
                       "cached it work; other clients fail. Serve the full chain.")},
    {FindingKind::HostnameMismatch,
     QT_TRANSLATE_NOOP("certdash::Findings",
                       "The certificate does not name this host (or IP): clients refuse it. "
                       "Reissue it with the right SAN, or check the SNI.")},
    {FindingKind::WeakKey,
     QT_TRANSLATE_NOOP("certdash::Findings",
                       "The key is too short for current clients (RSA under 2048 bits): many "
                       "refuse it. Reissue with a stronger key.")},
    {FindingKind::WeakSignature,
     QT_TRANSLATE_NOOP("certdash::Findings",
                       "The certificate is signed with SHA-1 or MD5, which clients no longer "
                       "accept. Reissue it.")},
    {FindingKind::ExtraCertificate,
     QT_TRANSLATE_NOOP("certdash::Findings",
                       "The server sends a certificate clients do not need (often a stale "
                       "cross-sign). Most clients ignore it; old ones may build a path through "
                       "it and fail. Remove it from the served chain.")},
    {FindingKind::UnreadableDate,
     QT_TRANSLATE_NOOP("certdash::Findings",
                       "A validity date of the certificate cannot be read (malformed or "
                       "impossible, such as year 0000). Clients reject such a certificate, so its "
                       "status is judged as the worst: reissue it.")},
    {FindingKind::NoSubjectAltName,
     QT_TRANSLATE_NOOP("certdash::Findings",
                       "The certificate names the host only in its Common Name. Browsers have "
                       "ignored the Common Name since 2017 and refuse it: reissue it with the "
                       "name in subjectAltName.")},
    {FindingKind::ChainOutOfOrder,
     QT_TRANSLATE_NOOP("certdash::Findings",
                       "The server sends its intermediates out of order. Current browsers sort "
                       "them; old Java and many embedded clients fail. Serve the leaf, then each "
                       "issuer in turn.")},
    {FindingKind::ClientCertificateRequired,
     QT_TRANSLATE_NOOP("certdash::Findings",
                       "The server asks for a client certificate (mutual TLS) and none was "
                       "sent. Its own certificate was still read. To complete the handshake, "
                       "give CertDash a client certificate the server trusts (--client-cert).")},
    {FindingKind::ClientCertificateRejected,
     QT_TRANSLATE_NOOP("certdash::Findings",
                       "The server refused the client certificate CertDash presented (not "
                       "issued by a CA it trusts, expired, or revoked). Its own certificate was "
                       "still read. Check the client certificate and the server's client CA.")},
    {FindingKind::Revoked,
     QT_TRANSLATE_NOOP("certdash::Findings",
                       "The CA has revoked this certificate (said by a signed OCSP response or its "
                       "CRL): clients that check revocation refuse it, and a revoked certificate "
                       "still in service is an incident. Replace it now and find out why it was "
                       "revoked.")},
    {FindingKind::OcspUnknown,
     QT_TRANSLATE_NOOP("certdash::Findings",
                       "The OCSP responder answered that it does not know this certificate. The "
                       "certificate may come from another CA than it claims, or the responder "
                       "is out of step with its CA. Ask the CA; clients that require an answer "
                       "refuse it.")},
    {FindingKind::RevocationUnchecked,
     QT_TRANSLATE_NOOP("certdash::Findings",
                       "Whether the certificate was revoked could not be learnt: it names no OCSP "
                       "responder or CRL, they could not be reached in time, or the answer could "
                       "not be verified. This only informs, unless online revocation checks were "
                       "asked for this target: then it counts as weak.")},
}};
} // namespace

QString explainFinding(FindingKind kind)
{
    for (const Explanation &e : kExplanations) {
        if (e.kind == kind)
            return QCoreApplication::translate("certdash::Findings", e.text);
    }
    return {};
}

QString explainTrustVerdict(const TrustVerdict &verdict, const QList<FindingKind> &kinds)
{
    const QString reason = trustReason(kinds);
    switch (verdict.level) {
    case TrustLevel::Trusted: {
        // Hygiene findings (an extra certificate) leave an endpoint trusted. Client
        // authentication is about CertDash's own certificate, nothing to clean up on the server.
        QList<FindingKind> serverKinds = kinds;
        serverKinds.removeAll(FindingKind::ClientCertificateRequired);
        serverKinds.removeAll(FindingKind::ClientCertificateRejected);
        const QString cleanUp = trustReason(serverKinds);
        if (!cleanUp.isEmpty())
            return FindingText::tr("Trusted: clients accept this certificate; the %1 should "
                                   "still be cleaned up.")
                .arg(cleanUp);
        return FindingText::tr("Trusted: clients accept this certificate.");
    }
    case TrustLevel::Failed:
        return FindingText::tr(
                   "Not trusted: clients refuse this certificate (%1). This alerts and makes "
                   "the scan exit with 2.")
            .arg(reason);
    case TrustLevel::Weak:
        return FindingText::tr(
                   "Weak: clients accept it today, but %1 should be fixed. The scan exits "
                   "with 1.")
            .arg(reason);
    case TrustLevel::Accepted:
        break;
    }
    QString rule;
    switch (verdict.acceptedBy) {
    case AcceptanceRule::SelfSigned:
        rule = FindingText::tr(
            "accept_self_signed: a self-signed or private-CA endpoint, meant to be so");
        break;
    case AcceptanceRule::Issuer:
        rule = FindingText::tr("pin_issuer: the certificate's issuer is the pinned one");
        break;
    case AcceptanceRule::Fingerprint:
        rule = FindingText::tr("pin_sha256: the certificate is the pinned one");
        break;
    case AcceptanceRule::None:
        break;
    }
    const QString by = verdict.acceptedTag.isEmpty()
                           ? FindingText::tr("the target's own setting")
                           : FindingText::tr("the policy of tag %1").arg(verdict.acceptedTag);
    const QString text = FindingText::tr("Accepted (%1) by %2: clients without it would refuse "
                                         "this certificate (%3); CertDash counts it as trusted.")
                             .arg(rule, by, reason);
    if (verdict.acceptedBy == AcceptanceRule::SelfSigned)
        return text;
    return text + QLatin1Char(' ') + FindingText::tr("If the pinned value changes, it alerts.");
}

} // namespace certdash
