#pragma once

#include "domain/CertificateInfo.h"
#include "domain/TrustReport.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QSslCertificate>
#include <QString>

#include <vector>

typedef struct x509_st X509;

namespace certdash {

class TrustStore;

// Verifies the chain a server presented (leaf first, as sent) the way a TLS client would, at the
// instant `at`, for identity (a DNS name, matched with OpenSSL's wildcard rules, or an IP
// literal; empty skips the name check). Every problem becomes a readable finding instead of
// stopping at the first: an expired intermediate and a hostname mismatch are both reported.
TrustReport verifyChain(const QList<QByteArray> &presentedDer, const QString &identity,
                        const QDateTime &at, const TrustStore &anchors);

// Same, reusing certificates already decoded by the prober so that the verified path is not
// decoded twice (only anchors the server did not send are decoded here).
TrustReport verifyChain(const QList<CertificateInfo> &presented, const QString &identity,
                        const QDateTime &at, const TrustStore &anchors);

// Same, from the certificates Qt handed over after the handshake: with Qt's OpenSSL backend no
// certificate is parsed again. decoded, when given, holds the prober's decoding of presented
// (same order) and is reused for the verified path.
TrustReport verifyChain(const QList<QSslCertificate> &presented, const QString &identity,
                        const QDateTime &at, const TrustStore &anchors,
                        const QList<CertificateInfo> &decoded = {});

// Same, from the certificates the TLS session holds after the handshake (borrowed, leaf first):
// nothing is parsed again. decoded, when given, is the prober's decoding of them.
TrustReport verifyChain(const std::vector<X509 *> &presented, const QString &identity,
                        const QDateTime &at, const TrustStore &anchors,
                        const QList<CertificateInfo> &decoded = {});

} // namespace certdash
