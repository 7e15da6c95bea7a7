#pragma once

#include "domain/CertificateInfo.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QMutex>
#include <QSslCertificate>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

struct x509_store_st;
struct x509_st;

namespace certdash {

// The anchors chain verification trusts: the system store and/or private CA files. Loading the
// system bundle costs ~17 ms, so one TrustStore is built per run and shared by every probe.
// Immutable after creation; verifying against it from several threads at once is safe.
class TrustStore {
public:
    // pemFiles: --ca-file arguments. A file that cannot be read or holds no certificate makes
    // the whole store fail with an error naming the file.
    static std::shared_ptr<const TrustStore>
    create(bool useSystemAnchors, const QStringList &pemFiles, QString *error = nullptr);
    // In-memory anchors (tests, or certificates from the database): each entry is DER, or PEM
    // holding one or more certificates. No system anchors.
    static std::shared_ptr<const TrustStore> fromCertificates(const QList<QByteArray> &certs,
                                                              QString *error = nullptr);

    ~TrustStore();
    TrustStore(const TrustStore &) = delete;
    TrustStore &operator=(const TrustStore &) = delete;

    bool usesSystemAnchors() const { return m_system; }
    // Anchors added from files or memory (the system ones are not counted).
    int privateAnchorCount() const { return m_privateCount; }

    // For ChainVerifier: an X509_STORE that must only be read (X509_STORE_CTX_init).
    x509_store_st *nativeHandle() const { return m_store; }
    // An anchor of this store decoded, cached: the same few roots end every verified path, and
    // decoding one costs more than verifying a chain.
    CertificateInfo anchorInfo(x509_st *anchor) const;
    // Every anchor as Qt certificates, made once: the Qt engine's CA list, against which Qt
    // verifies a stapled OCSP response's signer (QtTlsProber).
    QList<QSslCertificate> qtAnchors() const;

private:
    TrustStore() = default;
    x509_store_st *m_store = nullptr;
    bool m_system = false;
    int m_privateCount = 0;
    mutable QMutex m_cacheMutex;
    mutable QHash<const void *, CertificateInfo> m_anchorCache; // the store owns the keys
    mutable std::optional<QList<QSslCertificate>> m_qtAnchors;
};

} // namespace certdash
