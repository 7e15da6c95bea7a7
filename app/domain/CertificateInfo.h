#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QStringList>

namespace certdash {

// Everything CertDash shows about one X.509 certificate, decoded by OpenSSL (probing/X509).
// A plain value: no OpenSSL types leak out of probing/.
struct CertificateInfo
{
    QByteArray der;
    QString pem;  // PEM text of der
    QString text; // X509_print_ex output, for the monospace details view

    QString subject; // one line, RFC 2253 order reversed for reading: "CN=a, O=b, C=c"
    QString issuer;
    QString subjectCommonName; // CN, or "" when the subject has none
    QString issuerCommonName;
    QString serial; // upper-case hex, no separators
    QDateTime notBefore; // UTC; invalid when the certificate's time cannot be read
    QDateTime notAfter;  // UTC; invalid when the certificate's time cannot be read
    // When a time cannot be read (an invalid UTCTime, a year 0000): its encoding, quoted for
    // messages ("000001010000Z", at most 32 characters, escaped). Empty when the time is valid.
    QString rawNotBefore;
    QString rawNotAfter;

    QStringList subjectAltNames; // "DNS:example.com", "IP:10.0.0.1", "email:a@b", "URI:https://..."
    QString keyType; // "RSA", "EC", "Ed25519", "Ed448", "DSA", or OpenSSL's short name
    int keyBits = 0;
    QString curve; // EC curve name ("prime256v1"), "" otherwise
    QString signatureAlgorithm; // OpenSSL long name, "sha256WithRSAEncryption"
    QString sha256Fingerprint; // upper-case hex with ':' separators
    QString sha1Fingerprint;
    QString subjectKeyId; // upper-case hex with ':' separators
    QString authorityKeyId;

    bool isCa = false;
    int pathLength = -1; // -1: no constraint
    QStringList keyUsage;         // "Digital Signature", "Certificate Sign", ...
    QStringList extendedKeyUsage; // "TLS Web Server Authentication", ...
    QStringList ocspUrls;
    QStringList caIssuersUrls;
    QStringList crlUrls;
    int sctCount = 0; // embedded Signed Certificate Timestamps

    bool selfIssued = false; // subject == issuer
    bool selfSigned = false; // and the signature verifies with its own key

    bool isNull() const { return der.isEmpty(); }
    // A certificate with an unreadable time is rejected by clients: never judged by a made-up date.
    bool notBeforeUnreadable() const { return !isNull() && !notBefore.isValid(); }
    bool notAfterUnreadable() const { return !isNull() && !notAfter.isValid(); }
    qint64 lifetimeSeconds() const { return notBefore.secsTo(notAfter); }
    // A short name for messages: the CN, else the whole subject.
    QString displayName() const { return subjectCommonName.isEmpty() ? subject : subjectCommonName; }
};

} // namespace certdash
