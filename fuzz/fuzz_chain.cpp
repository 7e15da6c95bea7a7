// Chain logic over whatever list of certificates a server sends: verifyChain (path building,
// findings, out-of-order detection), the path clients use, the limiting certificate (earliest
// expiry) and its days left, and the report row, as the prober runs them after a handshake.
//
// Input: flags byte (unused bits kept for later), int16 day offset from the pinned now, an
// identity (8-bit length, UTF-8: a host name or an IP literal), then records of
// [kind byte][16-bit length][DER]; a record whose kind is odd is a trust anchor, else it is sent
// by the server, in input order. At most 12 records.
#include "CertificateChecks.h"
#include "FuzzInput.h"

#include "domain/ExpiryPolicy.h"
#include "probing/ChainVerifier.h"
#include "probing/TrustStore.h"
#include "probing/X509.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <openssl/err.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <vector>

using namespace certdash;
using namespace certdash::fuzz;

namespace {

constexpr int kMaxRecords = 12;

void checkSameReport(const TrustReport &a, const TrustReport &b, const char *what) {
    check(a.findings == b.findings, what,
          a.findings.join(QLatin1Char('|')) + QStringLiteral(" vs ") +
              b.findings.join(QLatin1Char('|')));
    check(a.kinds == b.kinds && a.trusted == b.trusted && a.pathToAnchor == b.pathToAnchor, what);
    const auto ders = [](const QList<CertificateInfo> &path) {
        QList<QByteArray> list;
        for (const CertificateInfo &c : path)
            list << c.der;
        return list;
    };
    check(ders(a.verifiedPath) == ders(b.verifiedPath) && ders(a.builtPath) == ders(b.builtPath),
          what);
}

// Where each certificate of path was sent first, -1 when the server did not send it.
QList<int> sentIndexes(const QList<CertificateInfo> &path, const QList<CertificateInfo> &sent) {
    QList<int> indexes;
    for (const CertificateInfo &c : path) {
        int index = -1;
        for (qsizetype j = 0; j < sent.size() && index < 0; ++j) {
            if (sent.at(j).der == c.der)
                index = int(j);
        }
        indexes << index;
    }
    return indexes;
}

void checkResult(const ProbeResult &result, const QDateTime &at) {
    const TrustReport &trust = result.trust;
    check(!trust.trusted || trust.pathToAnchor, "trusted without a path to an anchor");
    check(trust.pathToAnchor == !trust.verifiedPath.isEmpty(), "verified path iff path to anchor");
    check(!trust.pathToAnchor || trust.builtPath.isEmpty(), "built path beside a verified one");

    const QList<CertificateInfo> path = clientPath(result);
    check(!path.isEmpty() && path.first().der == result.chain.first().der,
          "path starts at the leaf");

    // Out of order exactly when a certificate of the path was sent before the one it issued.
    const QList<int> indexes = sentIndexes(path, result.chain);
    bool disorder = false;
    int previous = -1;
    for (const int index : indexes) {
        if (index < 0)
            continue;
        disorder = disorder || (previous >= 0 && index < previous);
        previous = index;
    }
    const bool pathKnown = !trust.verifiedPath.isEmpty() || !trust.builtPath.isEmpty();
    if (pathKnown)
        check(trust.kinds.contains(FindingKind::ChainOutOfOrder) == disorder,
              "out-of-order finding", trust.findings.join(QLatin1Char('|')));

    // The limiting certificate: on the path, the earliest notAfter, an unreadable one first.
    check(result.limiting.has_value(), "no limiting certificate");
    const CertificateInfo &limiting = *result.limiting;
    bool onPath = false;
    for (const CertificateInfo &c : path) {
        onPath = onPath || c.der == limiting.der;
        if (limiting.notAfterUnreadable())
            continue;
        check(!c.notAfterUnreadable() && c.notAfter >= limiting.notAfter,
              "limiting is not earliest");
    }
    check(onPath, "limiting certificate not on the path");
    const QString &role = result.limitingRole;
    check(role == QLatin1String("leaf") || role == QLatin1String("intermediate") ||
              role == QLatin1String("root"),
          "limiting role", role);
    if (role == QLatin1String("root"))
        check(limiting.selfIssued && path.last().der == limiting.der, "root role");
    checkUserViews(result, at);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    FuzzInput in(data, size);
    (void)in.byte(); // flags
    const QDateTime at = fuzzNow().addDays(int16_t(in.u16()));
    const QString identity = QString::fromUtf8(in.block8());
    QList<QByteArray> sentDer;
    QList<QByteArray> anchorDer;
    for (int records = 0; !in.atEnd() && records < kMaxRecords; ++records) {
        const bool anchor = in.byte() & 1;
        (anchor ? anchorDer : sentDer) << in.block16();
    }

    QString error;
    std::shared_ptr<const TrustStore> anchors = TrustStore::fromCertificates(anchorDer, &error);
    if (!anchors) {
        checkBounded(error, 400, "anchor error length");
        anchors = TrustStore::fromCertificates({});
    }

    // What the TLS stack hands over: certificates it could parse, in the order sent. The prober
    // decodes them in place and verifies them without parsing again.
    std::vector<ossl::X509Ptr> owned;
    std::vector<X509 *> presented;
    QList<CertificateInfo> decoded;
    QList<QByteArray> parsedDer;
    for (const QByteArray &der : std::as_const(sentDer)) {
        if (ossl::X509Ptr cert = ossl::parseDer(der)) {
            presented.push_back(cert.get());
            decoded << ossl::certificateInfo(cert.get(), {}, CertificateText::Omit);
            parsedDer << der;
            owned.push_back(std::move(cert));
        }
    }

    ProbeResult result;
    result.target.host = identity;
    result.status = Status::Ok;
    result.probedAt = at;
    result.chain = decoded;
    result.trust = verifyChain(presented, identity, at, *anchors, decoded);

    // The other entry points (tests use them) see the same chain the same way. Not when a public
    // key does not decode: OpenSSL 3.0's chain building then fails in ways that depend on what was
    // asked of the certificate before (the prober's entry, above, decodes first and reports, say,
    // an unhandled critical extension that a fresh parse does not; the input is
    // corpus/chain/undecodable_key_critical_extension.bin).
    const bool keysDecode = std::all_of(presented.begin(), presented.end(), [](X509 *cert) {
        return X509_get0_pubkey(cert) != nullptr;
    });
    ERR_clear_error();
    const TrustReport fromInfo = verifyChain(decoded, identity, at, *anchors);
    const TrustReport fromDer = verifyChain(sentDer, identity, at, *anchors);
    if (keysDecode)
        checkSameReport(result.trust, fromInfo, "CertificateInfo entry");
    if (keysDecode && parsedDer.size() == sentDer.size())
        checkSameReport(result.trust, fromDer, "DER entry");
    else if (parsedDer.size() != sentDer.size())
        check(fromDer.kinds.contains(FindingKind::UnreadableCertificate),
              "unreadable not reported");

    if (decoded.isEmpty()) {
        check(!result.trust.trusted && !result.trust.findings.isEmpty(), "empty chain");
        return 0;
    }
    applyClassification(result, ExpiryPolicy{}, at);
    // FUZZ_VERBOSE=1 shows what an input amounts to, for triage.
    if (qEnvironmentVariableIsSet("FUZZ_VERBOSE"))
        std::fprintf(stderr,
                     "sent %d (%d parsed), anchors %d, status %s, trusted %d, limiting %s: %s\n",
                     int(sentDer.size()), int(decoded.size()), int(anchorDer.size()),
                     qPrintable(statusKey(result.status)), int(result.trust.trusted),
                     qPrintable(result.limitingRole),
                     qPrintable(result.trust.findings.join(QStringLiteral("; "))));
    checkResult(result, at);
    return 0;
}
