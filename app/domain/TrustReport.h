#pragma once

#include "CertificateInfo.h"
#include "Trust.h"

#include <QDateTime>
#include <QList>
#include <QStringList>

namespace certdash {

// What is known about whether the leaf was revoked, and where it was learnt.
struct RevocationStatus
{
    enum class Source {
        None,    // nothing was learnt: no stapled response and no online check
        Stapled, // the OCSP response the server stapled in the handshake
        Ocsp,    // the certificate's OCSP responder (online check)
        Crl,     // the certificate's CRL (online check)
    };
    enum class State {
        NotChecked, // no answer (see why when a check was attempted)
        Good,
        Revoked,
        Unknown, // the OCSP responder does not know the certificate
    };
    Source source = Source::None;
    State state = State::NotChecked;
    QDateTime revokedAt; // UTC, with Revoked
    QString reason;      // RFC 5280 reason in words ("key compromise"), with Revoked; may be ""
    QDateTime thisUpdate, nextUpdate; // of the answer used (UTC; nextUpdate may be null)
    QString url;  // the responder or CRL asked, for online checks
    QString why;  // with NotChecked after an attempt: "no responder or CRL", "unreachable: ..."

    bool checked() const { return state != State::NotChecked; }
};
QString revocationSourceKey(RevocationStatus::Source source); // "", "stapled", "ocsp", "crl"
QString revocationStateKey(RevocationStatus::State state); // "", "good", "revoked", "unknown"

// What chain verification (probing/ChainVerifier) found for one presented chain.
struct TrustReport
{
    // The chain was built from the leaf to a trust anchor (system store or --ca-file). Time
    // validity, name mismatch and weak algorithms do not break this: they are findings.
    bool pathToAnchor = false;
    // pathToAnchor, the name matches, and no finding that a client would reject.
    bool trusted = false;
    // Leaf first, anchor last; only when pathToAnchor. May contain certificates the server did not
    // send (the anchor from the store) and omits extra ones it did send (stale cross-signs).
    QList<CertificateInfo> verifiedPath;
    // Without pathToAnchor: the path a client builds from the leaf through the certificates the
    // server sent (in whatever order it sent them), as far as they go. Certificates that are not
    // on it (a leftover intermediate, a stale cross-sign) do not decide the expiry, trusted or not.
    QList<CertificateInfo> builtPath;
    // Readable findings, one sentence each: "hostname mismatch: certificate is not valid for
    // example.org", "expired: CN=R3 expired 2026-01-01T00:00:00Z", ...
    QStringList findings;
    // The kind of each finding, same order and size as findings.
    QList<FindingKind> kinds;

    // The leaf's revocation status (stapled OCSP, online OCSP or CRL).
    RevocationStatus revocation;
    // Online revocation checks were asked for this endpoint (target, tag or global setting): an
    // unanswered check then weighs as weak (see findingSeverity(kind, revocationAsked)).
    bool revocationAsked = false;

    void add(FindingKind kind, const QString &finding) {
        findings << finding;
        kinds << kind;
    }
};

} // namespace certdash
