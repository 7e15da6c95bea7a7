#pragma once

#include "domain/TrustReport.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QDateTime>
#include <QString>

#include <memory>

typedef struct x509_st X509;
typedef struct X509_crl_st X509_CRL;

namespace certdash {

// Revocation answers judged with OpenSSL, pure (no network): what a stapled or fetched OCSP
// response, or a CRL, says about one leaf certificate issued by `issuer`.
//
// An answer counts only when it is verifiable: signed by the issuer (or by a responder the
// issuer delegated with the OCSP-signing purpose), about this very certificate (the CertID's
// issuer hashes and serial), and current: thisUpdate not after now + kRevocationSkewSeconds,
// nextUpdate (when given) not before now - kRevocationSkewSeconds. Anything else gives
// State::NotChecked with `why` saying what was wrong.
class RevocationJudge {
    Q_DECLARE_TR_FUNCTIONS(certdash::Revocation)

public:
    // The clock difference allowed between CertDash and the responder or CA: 5 minutes, as
    // OpenSSL's own `ocsp -validity_period` default.
    static constexpr int kRevocationSkewSeconds = 300;

    // A DER OCSPResponse (stapled or fetched). source says where it came from.
    static RevocationStatus ocspResponse(const QByteArray &der, X509 *leaf, X509 *issuer,
                                         const QDateTime &now, RevocationStatus::Source source);
    // A parsed CRL (see parseCrl) checked for leaf: its signature by issuer, its dates, and
    // whether the leaf's serial is listed.
    static RevocationStatus crl(X509_CRL *crl, X509 *leaf, X509 *issuer, const QDateTime &now);

    // The DER OCSPRequest asking about leaf (SHA-1 CertID, as RFC 5019 responders expect).
    static QByteArray ocspRequest(X509 *leaf, X509 *issuer);
    // A CRL as served: DER or PEM. Null (and *error) when it is neither.
    static std::shared_ptr<X509_CRL> parseCrl(const QByteArray &data, QString *error = nullptr);
    // When a CRL stops being current (its nextUpdate; null when it has none).
    static QDateTime crlNextUpdate(X509_CRL *crl);
    // An OCSP response's earliest nextUpdate, for caching it (null when unreadable or absent).
    static QDateTime ocspNextUpdate(const QByteArray &der);
    // RFC 5280 CRLReason in words ("key compromise"); "" for none/unspecified-by-absence.
    static QString reasonText(int reason);
};

// Adds the finding a revocation status calls for to report (and records the status):
// revoked -> Revoked (reason and date in the words; the report is no longer `trusted`), unknown ->
// OcspUnknown, not checked after an attempt (why set) -> RevocationUnchecked; good or never
// attempted: no finding.
void addRevocationFinding(TrustReport &report, const RevocationStatus &status);

} // namespace certdash
