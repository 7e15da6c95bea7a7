#include "JsonReport.h"

#include "probing/X509.h"

#include "ReportColumns.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>

namespace certdash {

namespace {
// Empty text is null, as in the report columns: "no value" and "empty value" are one thing here.
QJsonValue textOrNull(const QString &text) {
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

QJsonValue timeOrNull(const QDateTime &time) {
    return textOrNull(isoUtc(time));
}

QJsonValue cellToJson(const ReportCell &cell) {
    switch (cell.kind()) {
    case ReportCell::Kind::Text:
    case ReportCell::Kind::Hex:
        return cell.toString();
    case ReportCell::Kind::Number:
        return cell.toNumber();
    case ReportCell::Kind::Empty:
        break;
    }
    return QJsonValue::Null;
}
} // namespace

QJsonObject certificateToJson(const CertificateInfo &c) {
    QJsonObject o;
    o.insert(QStringLiteral("subject"), textOrNull(c.subject));
    o.insert(QStringLiteral("issuer"), textOrNull(c.issuer));
    o.insert(QStringLiteral("subject_common_name"), textOrNull(c.subjectCommonName));
    o.insert(QStringLiteral("issuer_common_name"), textOrNull(c.issuerCommonName));
    o.insert(QStringLiteral("serial"), textOrNull(c.serial));
    o.insert(QStringLiteral("not_before"), timeOrNull(c.notBefore));
    o.insert(QStringLiteral("not_after"), timeOrNull(c.notAfter));
    o.insert(QStringLiteral("san"), QJsonArray::fromStringList(c.subjectAltNames));
    o.insert(QStringLiteral("key_type"), textOrNull(c.keyType));
    o.insert(QStringLiteral("key_bits"), c.keyBits);
    o.insert(QStringLiteral("curve"), textOrNull(c.curve));
    o.insert(QStringLiteral("signature_algorithm"), textOrNull(c.signatureAlgorithm));
    o.insert(QStringLiteral("sha256_fingerprint"), textOrNull(c.sha256Fingerprint));
    o.insert(QStringLiteral("sha1_fingerprint"), textOrNull(c.sha1Fingerprint));
    o.insert(QStringLiteral("subject_key_id"), textOrNull(c.subjectKeyId));
    o.insert(QStringLiteral("authority_key_id"), textOrNull(c.authorityKeyId));
    o.insert(QStringLiteral("is_ca"), c.isCa);
    // -1 means "no constraint": null says that without a magic number.
    o.insert(QStringLiteral("path_length"),
             c.pathLength < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(c.pathLength));
    o.insert(QStringLiteral("key_usage"), QJsonArray::fromStringList(c.keyUsage));
    o.insert(QStringLiteral("extended_key_usage"), QJsonArray::fromStringList(c.extendedKeyUsage));
    o.insert(QStringLiteral("ocsp_urls"), QJsonArray::fromStringList(c.ocspUrls));
    o.insert(QStringLiteral("ca_issuers_urls"), QJsonArray::fromStringList(c.caIssuersUrls));
    o.insert(QStringLiteral("crl_urls"), QJsonArray::fromStringList(c.crlUrls));
    o.insert(QStringLiteral("sct_count"), c.sctCount);
    o.insert(QStringLiteral("self_issued"), c.selfIssued);
    o.insert(QStringLiteral("self_signed"), c.selfSigned);
    o.insert(QStringLiteral("pem"), textOrNull(c.pem));
    o.insert(QStringLiteral("text"), textOrNull(certificateText(c)));
    return o;
}

QJsonObject probeResultToJson(const ProbeResult &result) {
    QJsonObject o;
    for (const ReportField &field : reportRow(result))
        o.insert(field.column, cellToJson(field.value));

    QJsonArray chain;
    for (const CertificateInfo &certificate : result.chain)
        chain.append(certificateToJson(certificate));
    o.insert(QStringLiteral("chain"), chain);

    QJsonArray verifiedPath;
    for (const CertificateInfo &certificate : result.trust.verifiedPath)
        verifiedPath.append(certificate.subject);
    o.insert(QStringLiteral("verified_path"), verifiedPath);

    // A list is what a script wants; the CSV joins the same findings with "; ".
    o.insert(QStringLiteral("verification_errors"),
             QJsonArray::fromStringList(result.trust.findings));
    // Likewise the target's tags, which the CSV joins with ",".
    o.insert(QStringLiteral("tags"), QJsonArray::fromStringList(result.target.tags));
    return o;
}

QByteArray renderJsonReport(const QList<ProbeResult> &results, const QDateTime &generatedAt) {
    QJsonArray rows;
    for (const ProbeResult &result : results)
        rows.append(probeResultToJson(result));
    QJsonObject root;
    root.insert(QStringLiteral("generated_at"), timeOrNull(generatedAt));
    root.insert(QStringLiteral("results"), rows);
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

} // namespace certdash
