#pragma once

#include "TestSupport.h"
#include "domain/ProbeResult.h"

#include <QByteArray>
#include <QList>
#include <QStringList>

namespace certdash::test {

// Report tests build results by hand: every field is known, no OpenSSL and no network involved.
inline CertificateInfo certificate(const QString &cn, const QString &issuerCn,
                                   const QDateTime &notBefore, const QDateTime &notAfter) {
    CertificateInfo c;
    c.der = cn.toUtf8(); // non-null marker
    c.subject = QStringLiteral("CN=") + cn + QStringLiteral(", O=Example, C=DE");
    c.issuer = QStringLiteral("CN=") + issuerCn + QStringLiteral(", O=Example, C=DE");
    c.subjectCommonName = cn;
    c.issuerCommonName = issuerCn;
    c.serial = QStringLiteral("0A1B2C") + QString::number(cn.size());
    c.notBefore = notBefore;
    c.notAfter = notAfter;
    c.keyType = QStringLiteral("EC");
    c.keyBits = 256;
    c.curve = QStringLiteral("prime256v1");
    c.signatureAlgorithm = QStringLiteral("ecdsa-with-SHA256");
    c.sha256Fingerprint = QStringLiteral("AB:CD:") + cn.toUpper();
    c.sha1Fingerprint = QStringLiteral("12:34:") + cn.toUpper();
    c.pem = QStringLiteral("-----BEGIN CERTIFICATE-----\n") + cn +
            QStringLiteral("\n-----END CERTIFICATE-----\n");
    c.text = QStringLiteral("Certificate:\n    Subject: CN=") + cn + QLatin1Char('\n');
    return c;
}

// A healthy endpoint whose intermediate expires before its leaf: the leaf columns and the
// earliest_* columns must then differ.
inline ProbeResult okResult() {
    const QDateTime now = pinnedNow();
    ProbeResult r;
    r.target.host = QStringLiteral("www.example.com");
    r.target.port = 443;
    r.address = QStringLiteral("192.0.2.10");
    r.sni = QStringLiteral("www.example.com");
    r.tlsVersion = QStringLiteral("TLSv1.3");
    r.cipher = QStringLiteral("TLS_AES_256_GCM_SHA384");

    CertificateInfo leaf =
        certificate(QStringLiteral("www.example.com"), QStringLiteral("Example CA"),
                    now.addDays(-10), now.addDays(80));
    leaf.subjectAltNames = {QStringLiteral("DNS:www.example.com"),
                            QStringLiteral("DNS:example.com"), QStringLiteral("IP:192.0.2.10")};
    leaf.keyUsage = {QStringLiteral("Digital Signature")};
    leaf.extendedKeyUsage = {QStringLiteral("TLS Web Server Authentication")};
    leaf.ocspUrls = {QStringLiteral("http://ocsp.example.com")};
    leaf.sctCount = 2;
    CertificateInfo ca = certificate(QStringLiteral("Example CA"), QStringLiteral("Example Root"),
                                     now.addDays(-300), now.addDays(40));
    ca.isCa = true;
    ca.pathLength = 0;
    CertificateInfo root =
        certificate(QStringLiteral("Example Root"), QStringLiteral("Example Root"),
                    now.addDays(-3000), now.addDays(3000));
    root.isCa = true;
    root.selfIssued = root.selfSigned = true;

    r.chain = {leaf, ca};
    r.trust.pathToAnchor = true;
    r.trust.trusted = true;
    r.trust.verifiedPath = {leaf, ca, root};
    r.limiting = ca;
    r.limitingRole = QStringLiteral("intermediate");
    r.daysLeft = 40;
    r.status = Status::Ok;
    r.probedAt = now;
    r.durationMs = 1500;
    return r;
}

// A probe that never got a certificate.
inline ProbeResult timeoutResult() {
    ProbeResult r;
    r.target.host = QStringLiteral("slow.example.com");
    r.target.port = 25;
    r.target.startTls = StartTls::Smtp;
    r.address = QStringLiteral("2001:db8::25");
    r.sni = QStringLiteral("slow.example.com");
    r.status = Status::Timeout;
    r.error = QStringLiteral("timed out after 10 s during the STARTTLS dialogue");
    r.probedAt = pinnedNow();
    r.durationMs = 10000;
    return r;
}

// An RFC 4180 reader, independent of the writer under test, so that tests check what a
// spreadsheet or a script would read back.
inline QList<QStringList> parseCsv(const QByteArray &data) {
    const QString text = QString::fromUtf8(data);
    QList<QStringList> rows;
    QStringList row;
    QString field;
    bool quoted = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (quoted) {
            if (c == QLatin1Char('"')) {
                if (i + 1 < text.size() && text.at(i + 1) == QLatin1Char('"')) {
                    field += c;
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                field += c;
            }
        } else if (c == QLatin1Char('"')) {
            quoted = true;
        } else if (c == QLatin1Char(',')) {
            row.append(field);
            field.clear();
        } else if (c == QLatin1Char('\r') && i + 1 < text.size() &&
                   text.at(i + 1) == QLatin1Char('\n')) {
            row.append(field);
            field.clear();
            rows.append(row);
            row.clear();
            ++i;
        } else {
            field += c;
        }
    }
    if (!field.isEmpty() || !row.isEmpty()) {
        row.append(field);
        rows.append(row);
    }
    return rows;
}

} // namespace certdash::test
