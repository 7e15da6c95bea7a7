#pragma once

#include "domain/CertificateInfo.h"

#include <QByteArray>
#include <QDateTime>
#include <QSslCertificate>
#include <QString>

#include <openssl/bio.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <memory>
#include <optional>

namespace certdash {

// Whether CertificateInfo::text (the X509_print_ex dump) is made while decoding. It is the
// costliest field (~100 us a certificate) and CSV/Prometheus never show it: the prober omits it
// and whoever shows or stores it makes it from the DER with certificateText().
enum class CertificateText { Include, Omit };

// DER -> CertificateInfo. Garbage (or trailing bytes) gives nullopt and a readable reason.
std::optional<CertificateInfo> decodeCertificate(const QByteArray &der, QString *error = nullptr);
// The same from a certificate Qt already parsed. With Qt's OpenSSL backend this reuses Qt's X509
// instead of parsing the DER again (d2i_X509 costs ~100 us per RSA certificate in OpenSSL 3.0).
std::optional<CertificateInfo> decodeCertificate(const QSslCertificate &cert,
                                                 QString *error = nullptr,
                                                 CertificateText text = CertificateText::Include);

// The OpenSSL text dump of a DER certificate; "" when it cannot be parsed.
QString certificateText(const QByteArray &der);
// The text when the info already has it, else made from its DER.
QString certificateText(const CertificateInfo &info);

namespace ossl {

// OpenSSL handles owned by std::unique_ptr with their free function. Only probing/ sees these.
template<auto Fn> struct Free {
    template<class T> void operator()(T *p) const { Fn(p); }
};
void freeX509Stack(STACK_OF(X509) * stack); // sk_X509_pop_free(stack, X509_free)

using X509Ptr = std::unique_ptr<X509, Free<X509_free>>;
using X509StackPtr = std::unique_ptr<STACK_OF(X509), Free<freeX509Stack>>;
using X509StorePtr = std::unique_ptr<X509_STORE, Free<X509_STORE_free>>;
using X509StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, Free<X509_STORE_CTX_free>>;
using BioPtr = std::unique_ptr<BIO, Free<BIO_free>>;

// Qt's own X509 (one more reference) when its TLS backend is OpenSSL, else parseDer(toDer()).
X509Ptr fromQt(const QSslCertificate &cert, QString *error = nullptr);
// d2i_X509 that accepts exactly one certificate and nothing after it.
X509Ptr parseDer(const QByteArray &der, QString *error = nullptr);
// For a certificate already parsed (chain verification); der is its encoding when known.
CertificateInfo certificateInfo(X509 *cert, const QByteArray &der = {},
                                CertificateText text = CertificateText::Include);
QByteArray toDer(X509 *cert);
// "CN=name" when the subject has a CN, else the whole one-line subject: how messages name it.
QString displayName(const X509_NAME *name);
QDateTime toDateTime(const ASN1_TIME *time); // UTC; null when absent or malformed
// The time as encoded, for messages about a malformed one: printable ASCII, at most 32
// characters, anything else escaped as \xNN ("000001010000Z", "99\x00...").
QString rawTimeText(const ASN1_TIME *time);
// Drains OpenSSL's error queue of this thread into one readable line.
QString lastError();

} // namespace ossl

} // namespace certdash
