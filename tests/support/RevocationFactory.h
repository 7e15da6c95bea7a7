#pragma once

#include "CertFactory.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>

namespace certdash::test {

// Revocation answers made at test time with the OpenSSL C API, beside CertFactory: CRLs and OCSP
// responses for certificates it made (give the leaf a known CertSpec::serialHex to list it).

struct RevokedEntry {
    QByteArray serialHex;
    QDateTime revokedAt;
    int reason = 1; // RFC 5280 CRLReason: 1 keyCompromise; -1 none
};

struct CrlSpec {
    QDateTime thisUpdate; // null: an hour before pinnedNow()
    QDateTime nextUpdate; // null: seven days after thisUpdate
    QList<RevokedEntry> revoked;
};
// DER CRL signed by issuer (with issuer's name).
QByteArray makeCrl(const CrlSpec &spec, const TestCert &issuer);

struct OcspSpec {
    enum class Status { Good, Revoked, Unknown };
    Status status = Status::Good;
    QDateTime revokedAt;  // with Revoked
    int reason = 1;       // with Revoked; -1 none
    QDateTime thisUpdate; // null: an hour before pinnedNow()
    QDateTime nextUpdate; // null: seven days after thisUpdate; invalid with noNextUpdate
    bool noNextUpdate = false;
    // Who signs: null is the issuer itself; else a responder certificate (included in the
    // response), normally issued by issuer with extendedKeyUsage OCSPSigning.
    const TestCert *signer = nullptr;
};
// DER OCSPResponse (successful, basic) about leaf as issued by issuer (SHA-1 CertID).
QByteArray makeOcspResponse(const OcspSpec &spec, const TestCert &leaf, const TestCert &issuer);

// DER of one leaf's OCSP request, as `openssl ocsp -reqout` would write it.
QByteArray makeOcspRequest(const TestCert &leaf, const TestCert &issuer);

} // namespace certdash::test
