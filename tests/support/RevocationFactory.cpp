#include "RevocationFactory.h"

#include "OpenSslHandles.h"

#include "TestSupport.h"

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/ocsp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace certdash::test {

namespace {

using CrlPtr = std::unique_ptr<X509_CRL, Free<X509_CRL_free>>;
using TimePtr = std::unique_ptr<ASN1_TIME, Free<ASN1_TIME_free>>;
using BasicPtr = std::unique_ptr<OCSP_BASICRESP, Free<OCSP_BASICRESP_free>>;
using ResponsePtr = std::unique_ptr<OCSP_RESPONSE, Free<OCSP_RESPONSE_free>>;
using CertIdPtr = std::unique_ptr<OCSP_CERTID, Free<OCSP_CERTID_free>>;
using RequestPtr = std::unique_ptr<OCSP_REQUEST, Free<OCSP_REQUEST_free>>;

[[noreturn]] void fail(const char *what) {
    opensslFailure("RevocationFactory", what);
}

void check(long ok, const char *what) {
    if (ok <= 0)
        fail(what);
}

PKeyPtr readKey(const QByteArray &pem) {
    return readPrivateKey(pem, "RevocationFactory");
}

X509Ptr readCert(const QByteArray &der) {
    const unsigned char *p = reinterpret_cast<const unsigned char *>(der.constData());
    X509Ptr cert(d2i_X509(nullptr, &p, long(der.size())));
    if (!cert)
        fail("d2i_X509");
    return cert;
}

TimePtr timeOf(const QDateTime &t) {
    TimePtr time(ASN1_TIME_set(nullptr, time_t(t.toSecsSinceEpoch())));
    if (!time)
        fail("ASN1_TIME_set");
    return time;
}

TimePtr generalizedTimeOf(const QDateTime &t) {
    TimePtr time(ASN1_GENERALIZEDTIME_set(nullptr, time_t(t.toSecsSinceEpoch())));
    if (!time)
        fail("ASN1_GENERALIZEDTIME_set");
    return time;
}

const EVP_MD *digestFor(EVP_PKEY *key) {
    return EVP_PKEY_get_id(key) == EVP_PKEY_ED25519 ? nullptr : EVP_sha256();
}

QByteArray derOf(int length, unsigned char *out) {
    if (length <= 0)
        fail("i2d");
    QByteArray der(reinterpret_cast<const char *>(out), length);
    OPENSSL_free(out);
    return der;
}

} // namespace

QByteArray makeCrl(const CrlSpec &spec, const TestCert &issuer) {
    const X509Ptr ca = readCert(issuer.der);
    const PKeyPtr key = readKey(issuer.keyPem);
    CrlPtr crl(X509_CRL_new());
    check(X509_CRL_set_version(crl.get(), 1), "X509_CRL_set_version"); // v2
    check(X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(ca.get())), "set issuer");
    const QDateTime thisUpdate =
        spec.thisUpdate.isValid() ? spec.thisUpdate : pinnedNow().addSecs(-3600);
    const QDateTime nextUpdate =
        spec.nextUpdate.isValid() ? spec.nextUpdate : thisUpdate.addDays(7);
    check(X509_CRL_set1_lastUpdate(crl.get(), timeOf(thisUpdate).get()), "lastUpdate");
    check(X509_CRL_set1_nextUpdate(crl.get(), timeOf(nextUpdate).get()), "nextUpdate");
    for (const RevokedEntry &entry : spec.revoked) {
        X509_REVOKED *revoked = X509_REVOKED_new();
        BIGNUM *bn = nullptr;
        check(BN_hex2bn(&bn, entry.serialHex.constData()), "BN_hex2bn");
        ASN1_INTEGER *serial = BN_to_ASN1_INTEGER(bn, nullptr);
        BN_free(bn);
        check(X509_REVOKED_set_serialNumber(revoked, serial), "set serial");
        ASN1_INTEGER_free(serial);
        check(X509_REVOKED_set_revocationDate(revoked, timeOf(entry.revokedAt).get()),
              "revocationDate");
        if (entry.reason >= 0) {
            ASN1_ENUMERATED *reason = ASN1_ENUMERATED_new();
            ASN1_ENUMERATED_set(reason, entry.reason);
            check(X509_REVOKED_add1_ext_i2d(revoked, NID_crl_reason, reason, 0, 0), "reason");
            ASN1_ENUMERATED_free(reason);
        }
        check(X509_CRL_add0_revoked(crl.get(), revoked), "add0_revoked");
    }
    X509_CRL_sort(crl.get());
    check(X509_CRL_sign(crl.get(), key.get(), digestFor(key.get())), "X509_CRL_sign");
    unsigned char *out = nullptr;
    const int length = i2d_X509_CRL(crl.get(), &out);
    return derOf(length, out);
}

QByteArray makeOcspResponse(const OcspSpec &spec, const TestCert &leaf, const TestCert &issuer) {
    const X509Ptr leafCert = readCert(leaf.der);
    const X509Ptr ca = readCert(issuer.der);
    const TestCert &signer = spec.signer ? *spec.signer : issuer;
    const X509Ptr signerCert = readCert(signer.der);
    const PKeyPtr signerKey = readKey(signer.keyPem);

    BasicPtr basic(OCSP_BASICRESP_new());
    CertIdPtr id(OCSP_cert_to_id(EVP_sha1(), leafCert.get(), ca.get()));
    const QDateTime thisUpdate =
        spec.thisUpdate.isValid() ? spec.thisUpdate : pinnedNow().addSecs(-3600);
    const QDateTime nextUpdate =
        spec.nextUpdate.isValid() ? spec.nextUpdate : thisUpdate.addDays(7);
    const TimePtr thisTime = generalizedTimeOf(thisUpdate);
    const TimePtr nextTime = generalizedTimeOf(nextUpdate);
    TimePtr revokedTime;
    int status = V_OCSP_CERTSTATUS_GOOD;
    if (spec.status == OcspSpec::Status::Revoked) {
        status = V_OCSP_CERTSTATUS_REVOKED;
        revokedTime = generalizedTimeOf(spec.revokedAt);
    } else if (spec.status == OcspSpec::Status::Unknown) {
        status = V_OCSP_CERTSTATUS_UNKNOWN;
    }
    if (!OCSP_basic_add1_status(basic.get(), id.get(), status, spec.reason, revokedTime.get(),
                                thisTime.get(), spec.noNextUpdate ? nullptr : nextTime.get()))
        fail("OCSP_basic_add1_status");
    // producedAt is the signing time; OpenSSL sets it to the real now: keep it at thisUpdate.
    check(OCSP_basic_sign(basic.get(), signerCert.get(), signerKey.get(),
                          digestFor(signerKey.get()), nullptr, spec.signer ? 0 : OCSP_NOCERTS),
          "OCSP_basic_sign");
    ResponsePtr response(OCSP_response_create(OCSP_RESPONSE_STATUS_SUCCESSFUL, basic.get()));
    if (!response)
        fail("OCSP_response_create");
    unsigned char *out = nullptr;
    const int length = i2d_OCSP_RESPONSE(response.get(), &out);
    return derOf(length, out);
}

QByteArray makeOcspRequest(const TestCert &leaf, const TestCert &issuer) {
    const X509Ptr leafCert = readCert(leaf.der);
    const X509Ptr ca = readCert(issuer.der);
    RequestPtr request(OCSP_REQUEST_new());
    OCSP_CERTID *id = OCSP_cert_to_id(EVP_sha1(), leafCert.get(), ca.get());
    if (!OCSP_request_add0_id(request.get(), id))
        fail("OCSP_request_add0_id");
    unsigned char *out = nullptr;
    const int length = i2d_OCSP_REQUEST(request.get(), &out);
    return derOf(length, out);
}

} // namespace certdash::test
