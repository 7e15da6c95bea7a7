#pragma once

#include <QCoreApplication>
#include <QList>
#include <QSslCertificate>
#include <QSslKey>
#include <QString>

#include <memory>

typedef struct x509_st X509;
typedef struct evp_pkey_st EVP_PKEY;
struct stack_st_X509;

namespace certdash {

class SecretStore;

// A client certificate with its private key (and the chain certificates that go with it), for
// servers that demand mutual TLS. Loaded once per scan, then shared read-only by every probe
// (ProbeOptions::clientIdentity): each probe's SSL object takes a reference, the shared context
// is never touched.
//
// Formats: a PEM certificate (optionally followed by its chain) with a PEM private key, in the
// same file or in keyPath; an encrypted PEM key (PKCS#8 "ENCRYPTED PRIVATE KEY" or the legacy
// "Proc-Type: 4,ENCRYPTED"); a PKCS#12 file (certificate, key and extra chain certificates) in
// certPath alone. The passphrase (or PKCS#12 password) is asked of the keychain only when the
// file is encrypted: resolveSecret(store, clientKeySecretName(file),
// kClientKeyPassphraseVariable). It lives only for the load and is never part of a message.
class ClientIdentity {
    Q_DECLARE_TR_FUNCTIONS(certdash::ClientIdentity)

public:
    struct Loaded {
        std::shared_ptr<const ClientIdentity> identity; // null when error is set
        QString error; // names the file and what is wrong; never the passphrase
    };

    // Files larger than this are refused (a client certificate file is a few KiB).
    static constexpr qint64 kMaxFileBytes = 1024 * 1024;

    // keyPath empty: the key is in certPath (PKCS#12, or PEM with the key after the certificate).
    // store may be null (no keychain): the environment variable is then the only source.
    static Loaded load(const QString &certPath, const QString &keyPath, SecretStore *store);

    ~ClientIdentity();
    ClientIdentity(const ClientIdentity &) = delete;
    ClientIdentity &operator=(const ClientIdentity &) = delete;

    // For the OpenSSL engine; owned by the identity (take a reference to keep one).
    X509 *certificate() const;
    EVP_PKEY *privateKey() const;
    // The extra chain certificates, in file order (may be empty, never null).
    stack_st_X509 *chain() const;

    // For the Qt engine. The key is an opaque OpenSSL key (QSsl::Opaque), which QSslKey can carry
    // for every key type (Ed25519 included) without the key ever being written out again.
    QSslCertificate qtCertificate() const;
    QSslKey qtKey() const;
    QList<QSslCertificate> qtChain() const;

    QString certificatePath() const { return m_certificatePath; }
    QString keyPath() const { return m_keyPath; } // == certificatePath() for PKCS#12
    QString subject() const;                      // "CN=client" for messages and logs

private:
    ClientIdentity() = default;
    struct Handles;
    std::unique_ptr<Handles> m_handles;
    QString m_certificatePath;
    QString m_keyPath;
};

} // namespace certdash
