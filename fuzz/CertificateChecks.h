// Checks shared by the certificate harnesses: what a decoded certificate must satisfy whatever the
// bytes were, and the views that show it to the user. A violation aborts, so that libFuzzer keeps
// the input as a crash.
#pragma once

#include "domain/CertificateInfo.h"
#include "domain/ExpiryPolicy.h"
#include "domain/ExpiryWords.h"
#include "domain/FindingExplanation.h"
#include "domain/ProbeResult.h"
#include "reports/CsvWriter.h"
#include "reports/ReportColumns.h"
#include "storage/StoredCertificate.h"

#include <QDateTime>
#include <QString>

#include <cstdio>
#include <cstdlib>

namespace certdash::fuzz {

[[noreturn]] inline void violated(const char *what, const QString &detail = {}) {
    std::fprintf(stderr, "invariant violated: %s %s\n", what, qPrintable(detail.left(2000)));
    std::abort();
}

inline void check(bool ok, const char *what, const QString &detail = {}) {
    if (!ok)
        violated(what, detail);
}

// The instant the harnesses judge certificates at: the tests' pinned "now", so that seeds made by
// CertFactory around it stay valid, expired or not yet valid as they were made.
inline QDateTime fuzzNow() {
    return QDateTime(QDate(2026, 3, 15), QTime(12, 0), Qt::UTC);
}

// A message part quoting a stranger's value: an excerpt, never the whole value.
inline void checkBounded(const QString &text, qsizetype limit, const char *what) {
    check(text.size() <= limit, what, text);
}

// What the store keeps of a certificate reads back as the same certificate.
inline void checkStoredRoundTrip(const CertificateInfo &info) {
    const QByteArray json = certificateToStoredJson(info);
    StringPool pool;
    for (StringPool *p : {static_cast<StringPool *>(nullptr), &pool, &pool}) {
        const CertificateInfo back = readCertificate(info.der, json, info.text, p);
        const auto same = [&](bool ok, const char *field) {
            check(ok, field, QString::fromUtf8(json));
        };
        same(back.der == info.der, "stored der");
        same(back.pem == pemFromDer(info.der), "stored pem");
        same(back.subject == info.subject, "stored subject");
        same(back.issuer == info.issuer, "stored issuer");
        same(back.subjectCommonName == info.subjectCommonName, "stored subject_cn");
        same(back.issuerCommonName == info.issuerCommonName, "stored issuer_cn");
        same(back.serial == info.serial, "stored serial");
        same(back.notBefore == info.notBefore &&
                 back.notBefore.isValid() == info.notBefore.isValid(),
             "stored not_before");
        same(back.notAfter == info.notAfter && back.notAfter.isValid() == info.notAfter.isValid(),
             "stored not_after");
        same(back.rawNotBefore == info.rawNotBefore, "stored not_before_raw");
        same(back.rawNotAfter == info.rawNotAfter, "stored not_after_raw");
        same(back.subjectAltNames == info.subjectAltNames, "stored san");
        same(back.keyType == info.keyType, "stored key_type");
        same(back.keyBits == info.keyBits, "stored key_bits");
        same(back.curve == info.curve, "stored curve");
        same(back.signatureAlgorithm == info.signatureAlgorithm, "stored signature_algorithm");
        same(back.sha256Fingerprint == info.sha256Fingerprint, "stored sha256");
        same(back.sha1Fingerprint == info.sha1Fingerprint, "stored sha1");
        same(back.subjectKeyId == info.subjectKeyId, "stored subject_key_id");
        same(back.authorityKeyId == info.authorityKeyId, "stored authority_key_id");
        same(back.isCa == info.isCa, "stored is_ca");
        same(back.pathLength == info.pathLength, "stored path_length");
        same(back.keyUsage == info.keyUsage, "stored key_usage");
        same(back.extendedKeyUsage == info.extendedKeyUsage, "stored extended_key_usage");
        same(back.ocspUrls == info.ocspUrls, "stored ocsp_urls");
        same(back.caIssuersUrls == info.caIssuersUrls, "stored ca_issuers_urls");
        same(back.crlUrls == info.crlUrls, "stored crl_urls");
        same(back.sctCount == info.sctCount, "stored sct_count");
        same(back.selfIssued == info.selfIssued, "stored self_issued");
        same(back.selfSigned == info.selfSigned, "stored self_signed");
    }
}

// Everything the user reads about a result: the expiry in words, the report row, the CSV, the
// explanations of its findings. Checks what the row says against the result.
inline void checkUserViews(const ProbeResult &result, const QDateTime &now) {
    if (result.limiting) {
        const CertificateInfo &limiting = *result.limiting;
        check(result.daysLeft.has_value() == !limiting.notAfterUnreadable(), "days_left presence");
        if (!limiting.notAfterUnreadable()) {
            const int days = *result.daysLeft;
            const qint64 secs = now.secsTo(limiting.notAfter);
            // floor(secs / 86400), exactly, whatever the distance.
            check(qint64(days) * 86400 <= secs && secs < (qint64(days) + 1) * 86400,
                  "days_left floor");
            const ExpiryDistance d = expiryDistance(limiting.notAfter, now);
            check(d.count >= 0, "expiry distance count");
            check(d.expired == (now >= limiting.notAfter), "expiry distance expired");
            check(d.expired == (result.status == Status::Expired), "status expired",
                  statusKey(result.status));
            check(!expiryInWords(limiting.notAfter, now).isEmpty(), "expiry words");
            const QString when = limiting.notAfter.toLocalTime().toString(Qt::ISODate);
            check(!expiryInWords(limiting.notAfter, now, when).isEmpty(), "expiry sentence");
        } else {
            check(result.status == Status::Expired, "unreadable notAfter is expired");
        }
    }
    const QList<ReportField> row = reportRow(result);
    check(row.size() == reportColumns().size(), "report row width");
    for (const ReportField &field : row) {
        if (field.column == QLatin1String("days_left"))
            check(field.value.isEmpty() == !result.daysLeft.has_value(), "days_left cell");
    }
    (void)renderCsvReport({result});
    for (const FindingKind kind : result.trust.kinds)
        (void)explainFinding(kind);
    (void)explainTrustVerdict(result.trustVerdict, result.trust.kinds);
    check(result.trust.findings.size() == result.trust.kinds.size(), "findings and kinds");
}

} // namespace certdash::fuzz
