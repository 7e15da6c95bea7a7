#include "ClientIdentity.h"

#include "ProbeOptions.h"
#include "domain/Target.h"

#include "X509.h"
#include "secrets/SecretStore.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QSet>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include <cstring>
#include <optional>
#include <vector>

namespace certdash {

using PKeyPtr = std::unique_ptr<EVP_PKEY, ossl::Free<EVP_PKEY_free>>;
using Pkcs12Ptr = std::unique_ptr<PKCS12, ossl::Free<PKCS12_free>>;

struct ClientIdentity::Handles {
    ossl::X509Ptr certificate;
    PKeyPtr key;
    ossl::X509StackPtr chain{sk_X509_new_null()};
};

namespace {

// A passphrase held only while a file is decoded, wiped when it goes.
class Passphrase {
public:
    Passphrase() = default;
    explicit Passphrase(const QString &value)
        : m_bytes(value.toUtf8())
        , m_set(true) {}
    ~Passphrase() { OPENSSL_cleanse(m_bytes.data(), size_t(m_bytes.size())); }
    Passphrase(const Passphrase &) = delete;
    Passphrase &operator=(const Passphrase &) = delete;
    bool isSet() const { return m_set; }
    const char *data() const { return m_bytes.constData(); }
    int size() const { return int(m_bytes.size()); }

    // OpenSSL's pem_password_cb: never prompts (OpenSSL's default would ask the terminal).
    static int callback(char *buffer, int size, int, void *self) {
        const auto *p = static_cast<const Passphrase *>(self);
        if (!p || !p->m_set || p->size() > size)
            return -1;
        memcpy(buffer, p->data(), size_t(p->size()));
        return p->size();
    }

private:
    QByteArray m_bytes;
    bool m_set = false;
};

struct Text {
    Q_DECLARE_TR_FUNCTIONS(certdash::ClientIdentity)
};

QString opensslReason() {
    const QString reason = ossl::lastError();
    return reason.isEmpty() ? QStringLiteral("?") : reason;
}

// The whole file, or an error naming it.
std::optional<QByteArray> readFile(const QString &path, QString *error) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = Text::tr("%1: cannot read: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    const QByteArray data = file.read(ClientIdentity::kMaxFileBytes + 1);
    if (data.size() > ClientIdentity::kMaxFileBytes) {
        *error = Text::tr("%1: larger than %2 KiB; not a client certificate or key file")
                     .arg(path)
                     .arg(ClientIdentity::kMaxFileBytes / 1024);
        return std::nullopt;
    }
    if (data.isEmpty()) {
        *error = Text::tr("%1: the file is empty").arg(path);
        return std::nullopt;
    }
    return data;
}

bool isPem(const QByteArray &data) {
    return data.contains("-----BEGIN ");
}

// The first PEM block whose label ends in "PRIVATE KEY" (PRIVATE KEY, ENCRYPTED PRIVATE KEY, RSA
// PRIVATE KEY, EC PRIVATE KEY), with its headers; empty when there is none.
QByteArray privateKeyBlock(const QByteArray &pem) {
    qsizetype from = 0;
    while ((from = pem.indexOf("-----BEGIN ", from)) >= 0) {
        const qsizetype labelEnd = pem.indexOf("-----", from + 11);
        if (labelEnd < 0)
            return {};
        const QByteArray label = pem.mid(from + 11, labelEnd - from - 11);
        if (label.endsWith("PRIVATE KEY")) {
            const QByteArray endLine = "-----END " + label + "-----";
            const qsizetype end = pem.indexOf(endLine, labelEnd);
            if (end < 0)
                return {};
            return pem.mid(from, end + endLine.size() - from) + '\n';
        }
        from = labelEnd + 5;
    }
    return {};
}

bool isEncryptedPemKey(const QByteArray &block) {
    return block.startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----") ||
           block.contains("Proc-Type: 4,ENCRYPTED");
}

// Every certificate of a PEM file, in order (other blocks are skipped).
std::vector<ossl::X509Ptr> pemCertificates(const QByteArray &pem) {
    std::vector<ossl::X509Ptr> certs;
    ossl::BioPtr bio(BIO_new_mem_buf(pem.constData(), int(pem.size())));
    while (X509 *cert = PEM_read_bio_X509(bio.get(), nullptr, &Passphrase::callback, nullptr))
        certs.emplace_back(cert);
    ERR_clear_error(); // the end of the file reads as "no start line"
    return certs;
}

// The passphrase of an encrypted file, from the keychain or the environment.
std::optional<QString> passphraseFor(const QString &path, SecretStore *store, QString *error) {
    const ResolvedSecret secret =
        resolveSecret(store, clientKeySecretName(path), kClientKeyPassphraseVariable);
    if (!secret.found) {
        *error = Text::tr("%1: the key is encrypted and no passphrase is available: %2")
                     .arg(path, secret.error);
        return std::nullopt;
    }
    return secret.value;
}

PKeyPtr readPrivateKey(const QString &path, const QByteArray &data, SecretStore *store,
                       QString *error) {
    if (!isPem(data)) {
        // A DER private key (PKCS#8 or traditional) is read too; anything else is not a key.
        const auto *p = reinterpret_cast<const unsigned char *>(data.constData());
        PKeyPtr key(d2i_AutoPrivateKey(nullptr, &p, long(data.size())));
        ERR_clear_error();
        if (!key)
            *error = Text::tr("%1: unsupported key format: a PEM private key (-----BEGIN PRIVATE "
                              "KEY-----) was expected")
                         .arg(path);
        return key;
    }
    const QByteArray block = privateKeyBlock(data);
    if (block.isEmpty()) {
        *error = data.contains("-----BEGIN CERTIFICATE-----")
                     ? Text::tr("%1: no private key in it, only a certificate").arg(path)
                     : Text::tr("%1: no private key in it (-----BEGIN PRIVATE KEY----- expected)")
                           .arg(path);
        return {};
    }
    ossl::BioPtr bio(BIO_new_mem_buf(block.constData(), int(block.size())));
    ERR_clear_error();
    if (!isEncryptedPemKey(block)) {
        PKeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, &Passphrase::callback, nullptr));
        if (!key)
            *error = Text::tr("%1: the private key cannot be read (%2)").arg(path, opensslReason());
        return key;
    }
    const auto value = passphraseFor(path, store, error);
    if (!value)
        return {};
    Passphrase passphrase(*value);
    PKeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, &Passphrase::callback, &passphrase));
    if (!key) {
        ERR_clear_error();
        *error = Text::tr("%1: wrong passphrase: it does not decrypt the private key").arg(path);
    }
    return key;
}

bool readPkcs12(const QString &path, const QByteArray &data, SecretStore *store, QString *error,
                ossl::X509Ptr *cert, PKeyPtr *key, ossl::X509StackPtr *chain) {
    const auto *p = reinterpret_cast<const unsigned char *>(data.constData());
    Pkcs12Ptr p12(d2i_PKCS12(nullptr, &p, long(data.size())));
    ERR_clear_error();
    if (!p12) {
        // A DER certificate alone has no key to go with it in this file.
        const auto *q = reinterpret_cast<const unsigned char *>(data.constData());
        if (ossl::X509Ptr der{d2i_X509(nullptr, &q, long(data.size()))}) {
            ERR_clear_error();
            *error = Text::tr("%1: a DER certificate without its key; give it in PEM with "
                              "--client-key, or as a PKCS#12 file")
                         .arg(path);
            return false;
        }
        ERR_clear_error();
        *error = Text::tr("%1: not a certificate: unsupported format (expected PEM or PKCS#12)")
                     .arg(path);
        return false;
    }
    // No password at all, or an empty one: nothing is asked of the keychain.
    std::unique_ptr<Passphrase> passphrase;
    if (!PKCS12_mac_present(p12.get()) || PKCS12_verify_mac(p12.get(), nullptr, 0))
        passphrase = std::make_unique<Passphrase>();
    else if (PKCS12_verify_mac(p12.get(), "", 0))
        passphrase = std::make_unique<Passphrase>(QString());
    ERR_clear_error();
    if (!passphrase) {
        const auto value = passphraseFor(path, store, error);
        if (!value)
            return false;
        passphrase = std::make_unique<Passphrase>(*value);
        if (!PKCS12_verify_mac(p12.get(), passphrase->data(), passphrase->size())) {
            ERR_clear_error();
            *error = Text::tr("%1: wrong password: it does not open the PKCS#12 file").arg(path);
            return false;
        }
    }
    EVP_PKEY *rawKey = nullptr;
    X509 *rawCert = nullptr;
    STACK_OF(X509) *rawChain = nullptr;
    if (!PKCS12_parse(p12.get(), passphrase->isSet() ? passphrase->data() : nullptr, &rawKey,
                      &rawCert, &rawChain)) {
        *error = Text::tr("%1: the PKCS#12 file cannot be read (%2); one made with legacy "
                          "algorithms (RC2, 40-bit) can be re-exported with `openssl pkcs12`")
                     .arg(path, opensslReason());
        return false;
    }
    key->reset(rawKey);
    cert->reset(rawCert);
    if (rawChain)
        chain->reset(rawChain);
    if (!*cert) {
        *error = Text::tr("%1: the PKCS#12 file holds no certificate for its key").arg(path);
        return false;
    }
    if (!*key) {
        *error = Text::tr("%1: the PKCS#12 file holds no private key").arg(path);
        return false;
    }
    return true;
}

} // namespace

ClientIdentity::~ClientIdentity() = default;

ClientIdentity::Loaded ClientIdentity::load(const QString &certPath, const QString &keyPath,
                                            SecretStore *store) {
    Loaded out;
    QString error;
    auto fail = [&out](const QString &why) {
        out.error = why;
        return std::move(out);
    };
    if (certPath.isEmpty())
        return fail(Text::tr("no client certificate file given"));
    const auto certData = readFile(certPath, &error);
    if (!certData)
        return fail(error);

    std::shared_ptr<ClientIdentity> identity(new ClientIdentity);
    identity->m_handles = std::make_unique<Handles>();
    Handles &h = *identity->m_handles;
    identity->m_certificatePath = certPath;

    if (!isPem(*certData)) {
        if (!keyPath.isEmpty() && keyPath != certPath) {
            const auto *p = reinterpret_cast<const unsigned char *>(certData->constData());
            Pkcs12Ptr p12(d2i_PKCS12(nullptr, &p, long(certData->size())));
            ERR_clear_error();
            if (p12)
                return fail(Text::tr("%1 is a PKCS#12 file, which holds its own key: give it "
                                     "as --client-cert alone, without --client-key")
                                .arg(certPath));
        }
        ossl::X509StackPtr chain;
        if (!readPkcs12(certPath, *certData, store, &error, &h.certificate, &h.key, &chain))
            return fail(error);
        if (chain)
            h.chain = std::move(chain);
        identity->m_keyPath = certPath;
    } else {
        std::vector<ossl::X509Ptr> certs = pemCertificates(*certData);
        if (certs.empty()) {
            if (!privateKeyBlock(*certData).isEmpty())
                return fail(Text::tr("%1: not a certificate: it holds only a private key (give "
                                     "it with --client-key, and the certificate with "
                                     "--client-cert)")
                                .arg(certPath));
            return fail(Text::tr("%1: not a certificate: no -----BEGIN CERTIFICATE----- block "
                                 "in it")
                            .arg(certPath));
        }
        h.certificate = std::move(certs.front());
        for (size_t i = 1; i < certs.size(); ++i)
            sk_X509_push(h.chain.get(), certs[i].release());

        const QString keyFile = keyPath.isEmpty() ? certPath : keyPath;
        std::optional<QByteArray> keyData =
            keyFile == certPath ? certData : readFile(keyFile, &error);
        if (!keyData)
            return fail(error);
        if (keyFile == certPath && privateKeyBlock(*keyData).isEmpty())
            return fail(Text::tr("%1: holds a certificate but no private key: give the key "
                                 "with --client-key")
                            .arg(certPath));
        h.key = readPrivateKey(keyFile, *keyData, store, &error);
        if (!h.key)
            return fail(error);
        identity->m_keyPath = keyFile;
    }

    if (!X509_check_private_key(h.certificate.get(), h.key.get())) {
        ERR_clear_error();
        return fail(identity->m_keyPath == certPath
                        ? Text::tr("%1: the private key does not match the certificate (%2)")
                              .arg(certPath, identity->subject())
                        : Text::tr("the key in %1 does not match the certificate in %2 (%3)")
                              .arg(identity->m_keyPath, certPath, identity->subject()));
    }
    out.identity = std::move(identity);
    return out;
}

X509 *ClientIdentity::certificate() const {
    return m_handles->certificate.get();
}

EVP_PKEY *ClientIdentity::privateKey() const {
    return m_handles->key.get();
}

stack_st_X509 *ClientIdentity::chain() const {
    return m_handles->chain.get();
}

QSslCertificate ClientIdentity::qtCertificate() const {
    return QSslCertificate(ossl::toDer(certificate()), QSsl::Der);
}

QSslKey ClientIdentity::qtKey() const {
    // QSslKey takes ownership of the handle it is given: give it a reference of its own.
    EVP_PKEY_up_ref(privateKey());
    return QSslKey(Qt::HANDLE(privateKey()), QSsl::PrivateKey);
}

QList<QSslCertificate> ClientIdentity::qtChain() const {
    QList<QSslCertificate> certs;
    for (int i = 0; i < sk_X509_num(chain()); ++i)
        certs << QSslCertificate(ossl::toDer(sk_X509_value(chain(), i)), QSsl::Der);
    return certs;
}

QString ClientIdentity::subject() const {
    return ossl::displayName(X509_get_subject_name(certificate()));
}

QString clientIdentityKey(const QString &certificatePath, const QString &keyPath)
{
    return certificatePath + QLatin1Char('\n') + keyPath;
}

const ClientIdentity *ProbeOptions::identityFor(const Target &target) const
{
    if (!target.connection.hasClientCertificate())
        return clientIdentity.get();
    const auto found = targetIdentities.constFind(
        clientIdentityKey(target.connection.clientCertificate, target.connection.clientKey));
    // addTargetIdentities refuses to start a scan with a certificate it could not load.
    Q_ASSERT(found != targetIdentities.cend());
    return found == targetIdentities.cend() ? nullptr : found->get();
}

QStringList addTargetIdentities(ProbeOptions &options, const QList<Target> &targets,
                                SecretStore *store)
{
    QStringList problems;
    QSet<QString> failed;
    for (const Target &target : targets) {
        const ConnectionSettings &c = target.connection;
        if (!c.hasClientCertificate())
            continue;
        const QString key = clientIdentityKey(c.clientCertificate, c.clientKey);
        if (options.targetIdentities.contains(key) || failed.contains(key))
            continue;
        const ClientIdentity::Loaded loaded =
            ClientIdentity::load(c.clientCertificate, c.clientKey, store);
        if (!loaded.identity) {
            failed.insert(key);
            problems << QCoreApplication::translate("certdash::ClientIdentity",
                                                    "the client certificate of %1: %2")
                            .arg(target.label(), loaded.error);
            continue;
        }
        options.targetIdentities.insert(key, loaded.identity);
    }
    return problems;
}

} // namespace certdash
