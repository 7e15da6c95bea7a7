#include "Revocation.h"

#include "X509.h"

#include <openssl/err.h>
#include <openssl/ocsp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

namespace certdash {

namespace {

using OcspResponsePtr = std::unique_ptr<OCSP_RESPONSE, ossl::Free<OCSP_RESPONSE_free>>;
using OcspBasicPtr = std::unique_ptr<OCSP_BASICRESP, ossl::Free<OCSP_BASICRESP_free>>;
using OcspCertIdPtr = std::unique_ptr<OCSP_CERTID, ossl::Free<OCSP_CERTID_free>>;
using OcspRequestPtr = std::unique_ptr<OCSP_REQUEST, ossl::Free<OCSP_REQUEST_free>>;
// A stack that only borrows its certificates.
void freeStackOnly(STACK_OF(X509) * stack) {
    sk_X509_free(stack);
}
using X509StackViewPtr = std::unique_ptr<STACK_OF(X509), ossl::Free<freeStackOnly>>;

QString utc(const QDateTime &time) {
    return time.toUTC().toString(Qt::ISODate);
}

RevocationStatus unchecked(RevocationStatus::Source source, const QString &why) {
    RevocationStatus status;
    status.source = source;
    status.why = why;
    return status;
}

OcspBasicPtr basicResponse(const QByteArray &der, QString *why) {
    const auto *p = reinterpret_cast<const unsigned char *>(der.constData());
    OcspResponsePtr response(d2i_OCSP_RESPONSE(nullptr, &p, long(der.size())));
    ERR_clear_error();
    if (!response || p != reinterpret_cast<const unsigned char *>(der.constData()) + der.size()) {
        *why = RevocationJudge::tr("the OCSP response is not readable");
        return {};
    }
    const int code = OCSP_response_status(response.get());
    if (code != OCSP_RESPONSE_STATUS_SUCCESSFUL) {
        *why = RevocationJudge::tr("the OCSP responder answered \"%1\"")
                   .arg(QString::fromLatin1(OCSP_response_status_str(code)));
        return {};
    }
    OcspBasicPtr basic(OCSP_response_get1_basic(response.get()));
    if (!basic)
        *why = RevocationJudge::tr("the OCSP response is not a basic response");
    return basic;
}

// Finds the leaf's single response: SHA-1 CertIDs first (RFC 5019), then SHA-256.
bool findStatus(OCSP_BASICRESP *basic, X509 *leaf, X509 *issuer, int *status, int *reason,
                ASN1_GENERALIZEDTIME **revokedAt, ASN1_GENERALIZEDTIME **thisUpdate,
                ASN1_GENERALIZEDTIME **nextUpdate) {
    for (const EVP_MD *digest : {EVP_sha1(), EVP_sha256()}) {
        OcspCertIdPtr id(OCSP_cert_to_id(digest, leaf, issuer));
        if (id && OCSP_resp_find_status(basic, id.get(), status, reason, revokedAt, thisUpdate,
                                        nextUpdate) == 1)
            return true;
    }
    return false;
}

// The currency of an answer (thisUpdate .. nextUpdate) at now, with the skew; "" when current.
QString staleness(const QDateTime &thisUpdate, const QDateTime &nextUpdate, const QDateTime &now,
                  const QString &what) {
    const int skew = RevocationJudge::kRevocationSkewSeconds;
    if (!thisUpdate.isValid())
        return RevocationJudge::tr("the %1 has no readable thisUpdate").arg(what);
    if (thisUpdate > now.addSecs(skew))
        return RevocationJudge::tr("the %1 is dated in the future (thisUpdate %2)")
            .arg(what, utc(thisUpdate));
    if (nextUpdate.isValid() && nextUpdate < now.addSecs(-skew))
        return RevocationJudge::tr("the %1 is out of date (nextUpdate %2)")
            .arg(what, utc(nextUpdate));
    return {};
}

} // namespace

QString RevocationJudge::reasonText(int reason) {
    switch (reason) {
    case OCSP_REVOKED_STATUS_UNSPECIFIED:
        return tr("unspecified");
    case OCSP_REVOKED_STATUS_KEYCOMPROMISE:
        return tr("key compromise");
    case OCSP_REVOKED_STATUS_CACOMPROMISE:
        return tr("CA compromise");
    case OCSP_REVOKED_STATUS_AFFILIATIONCHANGED:
        return tr("affiliation changed");
    case OCSP_REVOKED_STATUS_SUPERSEDED:
        return tr("superseded");
    case OCSP_REVOKED_STATUS_CESSATIONOFOPERATION:
        return tr("cessation of operation");
    case OCSP_REVOKED_STATUS_CERTIFICATEHOLD:
        return tr("certificate hold");
    case OCSP_REVOKED_STATUS_REMOVEFROMCRL:
        return tr("remove from CRL");
    case 9:
        return tr("privilege withdrawn");
    case 10:
        return tr("AA compromise");
    default:
        return {};
    }
}

RevocationStatus RevocationJudge::ocspResponse(const QByteArray &der, X509 *leaf, X509 *issuer,
                                               const QDateTime &now,
                                               RevocationStatus::Source source) {
    QString why;
    OcspBasicPtr basic = basicResponse(der, &why);
    if (!basic)
        return unchecked(source, why);

    // Signed by the issuer itself, or by a responder certificate it issued for OCSP signing
    // (carried in the response): the issuer is the only anchor, at the probe's time.
    ossl::X509StorePtr store(X509_STORE_new());
    X509_STORE_add_cert(store.get(), issuer);
    X509_VERIFY_PARAM *param = X509_STORE_get0_param(store.get());
    X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_PARTIAL_CHAIN);
    X509_VERIFY_PARAM_set_time(param, time_t(now.toSecsSinceEpoch()));
    X509StackViewPtr certs(sk_X509_new_null());
    sk_X509_push(certs.get(), issuer);
    ERR_clear_error();
    if (OCSP_basic_verify(basic.get(), certs.get(), store.get(), 0) != 1) {
        const QString detail = ossl::lastError();
        return unchecked(source, tr("the OCSP response's signature does not verify against the "
                                    "issuer %1 (%2)")
                                     .arg(ossl::displayName(X509_get_subject_name(issuer)),
                                          detail.isEmpty() ? tr("no signer") : detail));
    }

    int code = -1;
    int reason = -1;
    ASN1_GENERALIZEDTIME *revokedAt = nullptr;
    ASN1_GENERALIZEDTIME *thisUpdate = nullptr;
    ASN1_GENERALIZEDTIME *nextUpdate = nullptr;
    if (!findStatus(basic.get(), leaf, issuer, &code, &reason, &revokedAt, &thisUpdate,
                    &nextUpdate)) {
        return unchecked(source,
                         tr("the OCSP response is about another certificate (serial %1 not in it)")
                             .arg(ossl::certificateInfo(leaf, {}, CertificateText::Omit).serial));
    }
    RevocationStatus status;
    status.source = source;
    status.thisUpdate = ossl::toDateTime(thisUpdate);
    status.nextUpdate = ossl::toDateTime(nextUpdate);
    const QString stale = staleness(status.thisUpdate, status.nextUpdate, now, tr("OCSP response"));
    if (!stale.isEmpty())
        return unchecked(source, stale);
    switch (code) {
    case V_OCSP_CERTSTATUS_GOOD:
        status.state = RevocationStatus::State::Good;
        break;
    case V_OCSP_CERTSTATUS_REVOKED:
        status.state = RevocationStatus::State::Revoked;
        status.revokedAt = ossl::toDateTime(revokedAt);
        status.reason = reasonText(reason);
        break;
    default:
        status.state = RevocationStatus::State::Unknown;
        break;
    }
    return status;
}

std::shared_ptr<X509_CRL> RevocationJudge::parseCrl(const QByteArray &data, QString *error) {
    ERR_clear_error();
    X509_CRL *crl = nullptr;
    if (data.trimmed().startsWith("-----BEGIN")) {
        ossl::BioPtr bio(BIO_new_mem_buf(data.constData(), int(data.size())));
        crl = PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr);
    } else {
        const auto *p = reinterpret_cast<const unsigned char *>(data.constData());
        crl = d2i_X509_CRL(nullptr, &p, long(data.size()));
    }
    ERR_clear_error();
    if (!crl) {
        if (error)
            *error = tr("the CRL is not readable (neither DER nor PEM)");
        return {};
    }
    return std::shared_ptr<X509_CRL>(crl, X509_CRL_free);
}

QDateTime RevocationJudge::crlNextUpdate(X509_CRL *crl) {
    return crl ? ossl::toDateTime(X509_CRL_get0_nextUpdate(crl)) : QDateTime();
}

QDateTime RevocationJudge::ocspNextUpdate(const QByteArray &der) {
    QString why;
    OcspBasicPtr basic = basicResponse(der, &why);
    if (!basic)
        return {};
    QDateTime earliest;
    for (int i = 0; i < OCSP_resp_count(basic.get()); ++i) {
        OCSP_SINGLERESP *single = OCSP_resp_get0(basic.get(), i);
        ASN1_GENERALIZEDTIME *thisUpdate = nullptr;
        ASN1_GENERALIZEDTIME *nextUpdate = nullptr;
        OCSP_single_get0_status(single, nullptr, nullptr, &thisUpdate, &nextUpdate);
        const QDateTime next = ossl::toDateTime(nextUpdate);
        if (next.isValid() && (!earliest.isValid() || next < earliest))
            earliest = next;
    }
    return earliest;
}

RevocationStatus RevocationJudge::crl(X509_CRL *crl, X509 *leaf, X509 *issuer,
                                      const QDateTime &now) {
    const auto source = RevocationStatus::Source::Crl;
    const QString issuerName = ossl::displayName(X509_get_subject_name(issuer));
    if (X509_NAME_cmp(X509_CRL_get_issuer(crl), X509_get_subject_name(issuer)) != 0)
        return unchecked(source, tr("the CRL is issued by %1, not by the certificate's issuer %2")
                                     .arg(ossl::displayName(X509_CRL_get_issuer(crl)), issuerName));
    ERR_clear_error();
    if (X509_CRL_verify(crl, X509_get0_pubkey(issuer)) != 1) {
        ERR_clear_error();
        return unchecked(
            source,
            tr("the CRL's signature does not verify against the issuer %1").arg(issuerName));
    }
    RevocationStatus status;
    status.source = source;
    status.thisUpdate = ossl::toDateTime(X509_CRL_get0_lastUpdate(crl));
    status.nextUpdate = ossl::toDateTime(X509_CRL_get0_nextUpdate(crl));
    const QString stale = staleness(status.thisUpdate, status.nextUpdate, now, tr("CRL"));
    if (!stale.isEmpty())
        return unchecked(source, stale);
    X509_REVOKED *entry = nullptr;
    // 1: listed; 2: listed as removeFromCRL (a hold lifted): not revoked.
    if (X509_CRL_get0_by_cert(crl, &entry, leaf) == 1 && entry) {
        status.state = RevocationStatus::State::Revoked;
        status.revokedAt = ossl::toDateTime(X509_REVOKED_get0_revocationDate(entry));
        int critical = 0;
        if (auto *reason = static_cast<ASN1_ENUMERATED *>(
                X509_REVOKED_get_ext_d2i(entry, NID_crl_reason, &critical, nullptr))) {
            status.reason = reasonText(int(ASN1_ENUMERATED_get(reason)));
            ASN1_ENUMERATED_free(reason);
        }
    } else {
        status.state = RevocationStatus::State::Good;
    }
    ERR_clear_error();
    return status;
}

QByteArray RevocationJudge::ocspRequest(X509 *leaf, X509 *issuer) {
    OcspRequestPtr request(OCSP_REQUEST_new());
    OCSP_CERTID *id = OCSP_cert_to_id(EVP_sha1(), leaf, issuer);
    if (!request || !id || !OCSP_request_add0_id(request.get(), id)) {
        OCSP_CERTID_free(id);
        return {};
    }
    unsigned char *out = nullptr;
    const int length = i2d_OCSP_REQUEST(request.get(), &out);
    if (length <= 0)
        return {};
    QByteArray der(reinterpret_cast<const char *>(out), length);
    OPENSSL_free(out);
    return der;
}

void addRevocationFinding(TrustReport &report, const RevocationStatus &status) {
    report.revocation = status;
    const QString from = status.source == RevocationStatus::Source::Stapled
                             ? RevocationJudge::tr("the stapled OCSP response")
                         : status.source == RevocationStatus::Source::Crl
                             ? RevocationJudge::tr("the CRL %1").arg(status.url)
                             : RevocationJudge::tr("the OCSP responder %1").arg(status.url);
    switch (status.state) {
    case RevocationStatus::State::Good:
        return;
    case RevocationStatus::State::Revoked: {
        const QString reason =
            status.reason.isEmpty() ? RevocationJudge::tr("no reason given") : status.reason;
        const QString when = status.revokedAt.isValid() ? utc(status.revokedAt)
                                                        : RevocationJudge::tr("an unknown date");
        // A client that checks revocation refuses it: the chain no longer counts as trusted.
        report.trusted = false;
        report.add(FindingKind::Revoked,
                   RevocationJudge::tr("revoked: %1 says the certificate was revoked on %2 (%3)")
                       .arg(from, when, reason));
        return;
    }
    case RevocationStatus::State::Unknown:
        report.add(FindingKind::OcspUnknown,
                   RevocationJudge::tr("OCSP unknown: %1 does not know the certificate").arg(from));
        return;
    case RevocationStatus::State::NotChecked:
        if (!status.why.isEmpty())
            report.add(FindingKind::RevocationUnchecked,
                       RevocationJudge::tr("revocation unchecked: %1").arg(status.why));
        return;
    }
}

} // namespace certdash
