#pragma once

// Shared by the storage tests of history: certificates decoded from generated ones, stored
// targets and results, and field-by-field comparisons that name the field that differs.
#include "CertFactory.h"
#include "TestSupport.h"
#include "domain/ExpiryPolicy.h"
#include "domain/ProbeResult.h"
#include "probing/X509.h"
#include "storage/Database.h"
#include "storage/HistoryRepository.h"
#include "storage/Schema.h"
#include "storage/StoredCertificate.h"
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

namespace certdash::test {

using namespace Qt::StringLiterals;

inline CertificateInfo decoded(const TestCert &cert) {
    QString error;
    const auto info = decodeCertificate(cert.der, &error);
    if (!info)
        qFatal("test certificate does not decode: %s", qPrintable(error));
    return *info;
}

// Field-by-field, so that a failure names the field that did not survive the store.
inline void compareCertificate(const CertificateInfo &actual, const CertificateInfo &expected) {
    QCOMPARE(actual.der, expected.der);
    QCOMPARE(actual.pem, expected.pem);
    QCOMPARE(actual.text, expected.text);
    QCOMPARE(actual.subject, expected.subject);
    QCOMPARE(actual.issuer, expected.issuer);
    QCOMPARE(actual.subjectCommonName, expected.subjectCommonName);
    QCOMPARE(actual.issuerCommonName, expected.issuerCommonName);
    QCOMPARE(actual.serial, expected.serial);
    QCOMPARE(actual.notBefore, expected.notBefore);
    QCOMPARE(actual.notAfter, expected.notAfter);
    QCOMPARE(actual.subjectAltNames, expected.subjectAltNames);
    QCOMPARE(actual.keyType, expected.keyType);
    QCOMPARE(actual.keyBits, expected.keyBits);
    QCOMPARE(actual.curve, expected.curve);
    QCOMPARE(actual.signatureAlgorithm, expected.signatureAlgorithm);
    QCOMPARE(actual.sha256Fingerprint, expected.sha256Fingerprint);
    QCOMPARE(actual.sha1Fingerprint, expected.sha1Fingerprint);
    QCOMPARE(actual.subjectKeyId, expected.subjectKeyId);
    QCOMPARE(actual.authorityKeyId, expected.authorityKeyId);
    QCOMPARE(actual.isCa, expected.isCa);
    QCOMPARE(actual.pathLength, expected.pathLength);
    QCOMPARE(actual.keyUsage, expected.keyUsage);
    QCOMPARE(actual.extendedKeyUsage, expected.extendedKeyUsage);
    QCOMPARE(actual.ocspUrls, expected.ocspUrls);
    QCOMPARE(actual.caIssuersUrls, expected.caIssuersUrls);
    QCOMPARE(actual.crlUrls, expected.crlUrls);
    QCOMPARE(actual.sctCount, expected.sctCount);
    QCOMPARE(actual.selfIssued, expected.selfIssued);
    QCOMPARE(actual.selfSigned, expected.selfSigned);
}

inline void compareCertificates(const QList<CertificateInfo> &actual,
                         const QList<CertificateInfo> &expected) {
    QCOMPARE(actual.size(), expected.size());
    for (qsizetype i = 0; i < actual.size(); ++i) {
        compareCertificate(actual.at(i), expected.at(i));
        if (QTest::currentTestFailed()) {
            qWarning("certificate %d differs", int(i));
            return;
        }
    }
}

inline void compareTarget(const Target &actual, const Target &expected) {
    QCOMPARE(actual.id, expected.id);
    QCOMPARE(actual.name, expected.name);
    QCOMPARE(actual.host, expected.host);
    QCOMPARE(actual.port, expected.port);
    QCOMPARE(actual.sni, expected.sni);
    QCOMPARE(actual.noSni, expected.noSni);
    QCOMPARE(actual.addresses, expected.addresses);
    QCOMPARE(actual.startTls, expected.startTls);
    QCOMPARE(actual.warningDays, expected.warningDays);
    QCOMPARE(actual.criticalDays, expected.criticalDays);
    QCOMPARE(actual.rotationDays, expected.rotationDays);
    QCOMPARE(actual.tags, expected.tags);
    QCOMPARE(actual.owner, expected.owner);
    QCOMPARE(actual.notes, expected.notes);
    QCOMPARE(actual.enabled, expected.enabled);
    QCOMPARE(actual.acceptance.acceptSelfSigned, expected.acceptance.acceptSelfSigned);
    QCOMPARE(actual.acceptance.pinIssuer, expected.acceptance.pinIssuer);
    QCOMPARE(actual.acceptance.pinSha256, expected.acceptance.pinSha256);
    QCOMPARE(actual.createdAt, expected.createdAt);
    QCOMPARE(actual.updatedAt, expected.updatedAt);
}

inline void compareResult(const ProbeResult &actual, const ProbeResult &expected) {
    compareTarget(actual.target, expected.target);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(actual.address, expected.address);
    QCOMPARE(actual.sni, expected.sni);
    QCOMPARE(statusKey(actual.status), statusKey(expected.status));
    QCOMPARE(actual.error, expected.error);
    QCOMPARE(actual.tlsVersion, expected.tlsVersion);
    QCOMPARE(actual.cipher, expected.cipher);
    compareCertificates(actual.chain, expected.chain);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(actual.trust.pathToAnchor, expected.trust.pathToAnchor);
    QCOMPARE(actual.trust.trusted, expected.trust.trusted);
    compareCertificates(actual.trust.verifiedPath, expected.trust.verifiedPath);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(actual.trust.findings, expected.trust.findings);
    QCOMPARE(actual.trust.kinds, expected.trust.kinds);
    QCOMPARE(trustLevelKey(actual.trustVerdict.level), trustLevelKey(expected.trustVerdict.level));
    QCOMPARE(acceptanceRuleKey(actual.trustVerdict.acceptedBy),
             acceptanceRuleKey(expected.trustVerdict.acceptedBy));
    QCOMPARE(actual.trustVerdict.acceptedTag, expected.trustVerdict.acceptedTag);
    QCOMPARE(actual.limiting.has_value(), expected.limiting.has_value());
    if (expected.limiting) {
        compareCertificate(*actual.limiting, *expected.limiting);
        if (QTest::currentTestFailed())
            return;
    }
    QCOMPARE(actual.limitingRole, expected.limitingRole);
    QCOMPARE(actual.daysLeft, expected.daysLeft);
    QCOMPARE(actual.probedAt, expected.probedAt);
    QCOMPARE(actual.durationMs, expected.durationMs);
}

inline qint64 count(Database &db, const QString &sql) {
    QSqlQuery q(db.connection());
    if (!q.exec(sql) || !q.next())
        qFatal("count query failed: %s", qPrintable(sql));
    return q.value(0).toLongLong();
}

// Targets are written with raw SQL, as the store would hold them, so that these tests exercise
// HistoryRepository alone. Returns the target as latest() should rebuild it.
inline Target insertTarget(Database &db, const QString &host, const QStringList &tags = {}) {
    Target t;
    t.host = host;
    t.port = 443;
    t.createdAt = pinnedNow().addDays(-100);
    t.updatedAt = pinnedNow().addDays(-3);
    t.tags = tags;
    QSqlQuery q(db.connection());
    q.prepare(u"INSERT INTO targets(endpoint_key, host, port, created_at, updated_at) "
              "VALUES (?, ?, ?, ?, ?)"_s);
    q.addBindValue(host + u":443"_s);
    q.addBindValue(host);
    q.addBindValue(443);
    q.addBindValue(t.createdAt.toSecsSinceEpoch());
    q.addBindValue(t.updatedAt.toSecsSinceEpoch());
    if (!q.exec())
        qFatal("cannot insert target %s", qPrintable(host));
    t.id = q.lastInsertId().toLongLong();
    for (const QString &tag : tags) {
        QSqlQuery tagQuery(db.connection());
        tagQuery.prepare(u"INSERT INTO target_tags(target_id, tag) VALUES (?, ?)"_s);
        tagQuery.addBindValue(t.id);
        tagQuery.addBindValue(tag);
        if (!tagQuery.exec())
            qFatal("cannot insert tag");
    }
    return t;
}

// A probe that read a certificate: chain leaf + intermediate, classified at `probedAt`.
inline ProbeResult certificateResult(const Target &target, const QString &address,
                              const QList<CertificateInfo> &chain, const QDateTime &probedAt) {
    ProbeResult r;
    r.target = target;
    r.address = address;
    r.sni = target.host;
    r.tlsVersion = u"TLSv1.3"_s;
    r.cipher = u"TLS_AES_128_GCM_SHA256"_s;
    r.chain = chain;
    r.probedAt = probedAt;
    r.durationMs = 12;
    applyClassification(r, ExpiryPolicy(), probedAt);
    return r;
}

inline ProbeResult timeoutResult(const Target &target, const QString &address, const QDateTime &probedAt) {
    ProbeResult r;
    r.target = target;
    r.address = address;
    r.sni = target.host;
    r.status = Status::Timeout;
    r.error = u"timed out after 5 s"_s;
    r.probedAt = probedAt;
    r.durationMs = 5000;
    return r;
}


} // namespace certdash::test
