#pragma once

#include "CertificateInfo.h"
#include "Trust.h"

#include <QList>
#include <QStringList>

namespace certdash {

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

    void add(FindingKind kind, const QString &finding) {
        findings << finding;
        kinds << kind;
    }
};

} // namespace certdash
