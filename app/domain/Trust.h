#pragma once

#include <QList>
#include <QString>

#include <optional>

namespace certdash {

struct CertificateInfo;
struct TrustReport;

// How bad a trust finding is on its own, before any acceptance.
enum class FindingSeverity {
    Hygiene, // clients ignore it, but it should be cleaned up (an extra certificate): listed and
             // explained, never lowers the trust level on its own
    Weak,    // some clients refuse it (short key, SHA-1, a chain sent out of order)
    Failed,  // clients refuse the connection
};

// Every kind of trust finding: X(enumerator, stable key for the store, severity). Adding a kind
// is one line here (then pass it where the finding is made); keys are stored, never rename one.
#define CERTDASH_FINDING_KINDS(X)                                                                  \
    X(Other, "other", Failed)                                                                      \
    X(HostnameMismatch, "hostname_mismatch", Failed)                                               \
    X(UntrustedRoot, "untrusted_root", Failed)                                                     \
    X(IncompleteChain, "incomplete_chain", Failed)                                                 \
    X(SelfSigned, "self_signed", Failed)                                                           \
    X(ExpiredInChain, "expired", Failed)                                                           \
    X(NotYetValidInChain, "not_yet_valid", Failed)                                                 \
    X(UnreadableCertificate, "unreadable_certificate", Failed)                                     \
    X(PinMismatch, "pin_mismatch", Failed)                                                         \
    X(UnreadableDate, "unreadable_date", Failed)                                                   \
    X(NoSubjectAltName, "no_subject_alt_name", Failed)                                             \
    X(WeakKey, "weak_key", Weak)                                                                   \
    X(WeakSignature, "weak_signature", Weak)                                                       \
    X(ChainOutOfOrder, "chain_out_of_order", Weak)                                                 \
    X(ExtraCertificate, "extra_certificate", Hygiene)                                              \
    X(ClientCertificateRequired, "client_certificate_required", Hygiene)                           \
    X(ClientCertificateRejected, "client_certificate_rejected", Hygiene)                           \
    X(Revoked, "revoked", Failed)                                                                  \
    X(OcspUnknown, "ocsp_unknown", Hygiene)                                                        \
    X(RevocationUnchecked, "revocation_unchecked", Hygiene)

enum class FindingKind {
#define CERTDASH_FINDING_ENUM(name, key, severity) name,
    CERTDASH_FINDING_KINDS(CERTDASH_FINDING_ENUM)
#undef CERTDASH_FINDING_ENUM
};

QString findingKindKey(FindingKind kind); // "hostname_mismatch"
// Unknown keys (a store written by a newer build) read as Other: never better than they were.
FindingKind findingKindFromKey(const QString &key);
FindingSeverity findingSeverity(FindingKind kind);
// The severity once the user's choice about revocation is known: ocsp_unknown and
// revocation_unchecked only inform (Hygiene) unless the user asked for online revocation checks
// for the endpoint, in which case they are Weak (they alert: the check asked for did not give an
// answer). Every other kind is findingSeverity(kind).
FindingSeverity findingSeverity(FindingKind kind, bool revocationAsked);
// Translated, short, for the window: "hostname mismatch", "untrusted root".
QString findingKindLabel(FindingKind kind);

// One trust level per endpoint address whose certificate was read, best first.
enum class TrustLevel {
    Trusted,  // clients accept the chain
    Accepted, // clients would refuse it, but the target's (or a tag's) acceptance says it is meant
    Weak,     // weak key/signature or a chain out of order (and nothing failed): fix it
    Failed,   // clients refuse it: hostname mismatch, untrusted root, self-signed, incomplete or
              // expired chain, an unreadable date, a CN-only name, a changed pin
};

QString trustLevelKey(TrustLevel level); // "trusted", "accepted", "weak", "failed"
std::optional<TrustLevel> trustLevelFromKey(const QString &key);
QString trustLevelLabel(TrustLevel level);        // translated: "Trusted", "Not trusted", ...
inline bool isWorse(TrustLevel a, TrustLevel b) { // a worse than b
    return static_cast<int>(a) > static_cast<int>(b);
}

// Exit code of `certdash scan`/`report` for the worst trust level (combined with exitCodeFor by
// max): 2 failed, 1 weak, 0 trusted or accepted.
int exitCodeForTrust(TrustLevel worst);

// The acceptance that declares an untrusted endpoint as meant to be so. Per target (its own
// keys) or per tag; the target's wins as a whole, else the tags' (see effectiveAcceptance).
enum class AcceptanceRule {
    None,
    SelfSigned,  // accept_self_signed: self-signed or private CA (untrusted root, issuer not sent)
    Issuer,      // pin_issuer: an untrusted chain is accepted while the leaf's issuer matches
    Fingerprint, // pin_sha256: anything is accepted while the leaf's fingerprint matches
};
QString acceptanceRuleKey(AcceptanceRule rule); // "accept_self_signed", "pin_issuer", ...
AcceptanceRule acceptanceRuleFromKey(const QString &key);

struct TrustAcceptance {
    bool acceptSelfSigned = false;
    QString pinIssuer; // the leaf's issuer: a whole one-line subject ("CN=a, O=b") or a CN
    QString pinSha256; // the leaf's SHA-256, canonical: upper-case hex with ':' separators
    // Where this came from once resolved for a probe: "" the target itself, else the tag.
    QString fromTag;

    bool isEmpty() const { return !acceptSelfSigned && pinIssuer.isEmpty() && pinSha256.isEmpty(); }
    bool operator==(const TrustAcceptance &o) const {
        return acceptSelfSigned == o.acceptSelfSigned && pinIssuer == o.pinIssuer &&
               pinSha256 == o.pinSha256 && fromTag == o.fromTag;
    }
    bool operator!=(const TrustAcceptance &o) const { return !(*this == o); }
};

// A fingerprint as written (32 bytes of hex, with or without ':' separators, any case) in the
// form CertificateInfo prints ("AB:CD:..."); nullopt when it is not one.
std::optional<QString> canonicalSha256(const QString &text);

// The result of judging one endpoint's trust.
struct TrustVerdict {
    TrustLevel level = TrustLevel::Trusted;
    AcceptanceRule acceptedBy = AcceptanceRule::None; // only for Accepted
    QString acceptedTag;                              // "" the target's own acceptance

    bool operator==(const TrustVerdict &o) const {
        return level == o.level && acceptedBy == o.acceptedBy && acceptedTag == o.acceptedTag;
    }
};

// Pure: the level of a result with these finding kinds under this acceptance. Hygiene kinds (an
// extra certificate) alone leave it trusted. Pins are checked before (checkPins adds
// PinMismatch); with a pin_sha256 that matched every other finding is accepted;
// pin_issuer and accept_self_signed accept only the untrusted-chain kinds (self-signed,
// untrusted root, incomplete chain), never a hostname mismatch or an expired certificate.
// A revoked certificate is never accepted, whatever pin or acceptance matches. revocationAsked:
// see findingSeverity(kind, revocationAsked).
TrustVerdict trustVerdict(const QList<FindingKind> &kinds, const TrustAcceptance &acceptance,
                          bool revocationAsked = false);

// Adds a PinMismatch finding to report when a pin of acceptance does not match leaf. Pure.
void checkPins(TrustReport &report, const CertificateInfo &leaf, const TrustAcceptance &acceptance);

// The finding text of each kind in words for one result: "hostname mismatch, untrusted root"
// (the failing kinds first), "" when there is none.
QString trustReason(const QList<FindingKind> &kinds);

} // namespace certdash
