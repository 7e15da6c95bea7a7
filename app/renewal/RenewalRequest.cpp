#include "RenewalRequest.h"

#include "probing/X509.h"

#include <QCoreApplication>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

namespace certdash {

namespace {
struct RenewalText {
    Q_DECLARE_TR_FUNCTIONS(certdash::Renewal)
};

using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, ossl::Free<EVP_PKEY_free>>;
using X509ReqPtr = std::unique_ptr<X509_REQ, ossl::Free<X509_REQ_free>>;
using GeneralNamesPtr = std::unique_ptr<GENERAL_NAMES, ossl::Free<GENERAL_NAMES_free>>;
void freeExtensions(STACK_OF(X509_EXTENSION) * extensions) {
    sk_X509_EXTENSION_pop_free(extensions, X509_EXTENSION_free);
}
using ExtensionsPtr = std::unique_ptr<STACK_OF(X509_EXTENSION), ossl::Free<freeExtensions>>;

QByteArray bioBytes(BIO *bio) {
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return QByteArray(data, int(size));
}

EvpPkeyPtr generateKey(const RenewalKeyType &type) {
    switch (type.kind) {
    case RenewalKeyType::Kind::Rsa:
        return EvpPkeyPtr(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(type.rsaBits)));
    case RenewalKeyType::Kind::Ec:
        return EvpPkeyPtr(
            EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", type.curve.toLatin1().constData()));
    case RenewalKeyType::Kind::Ed25519:
        return EvpPkeyPtr(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
    case RenewalKeyType::Kind::Ed448:
        return EvpPkeyPtr(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED448"));
    }
    return {};
}

// The certificate's DNS and IP subjectAltNames, in its order (nullptr when it has none).
GeneralNamesPtr dnsAndIpNames(X509 *certificate) {
    GeneralNamesPtr all(static_cast<GENERAL_NAMES *>(
        X509_get_ext_d2i(certificate, NID_subject_alt_name, nullptr, nullptr)));
    if (!all)
        return {};
    GeneralNamesPtr kept(sk_GENERAL_NAME_new_null());
    for (int i = 0; i < sk_GENERAL_NAME_num(all.get()); ++i) {
        const GENERAL_NAME *name = sk_GENERAL_NAME_value(all.get(), i);
        if (name->type == GEN_DNS || name->type == GEN_IPADD)
            sk_GENERAL_NAME_push(kept.get(), GENERAL_NAME_dup(name));
    }
    if (sk_GENERAL_NAME_num(kept.get()) == 0)
        return {};
    return kept;
}
} // namespace

QString RenewalKeyType::describe() const {
    switch (kind) {
    case Kind::Rsa:
        return QStringLiteral("RSA %1").arg(rsaBits);
    case Kind::Ec:
        return QStringLiteral("EC ") + curve;
    case Kind::Ed25519:
        return QStringLiteral("Ed25519");
    case Kind::Ed448:
        return QStringLiteral("Ed448");
    }
    return {};
}

std::optional<RenewalKeyType> renewalKeyType(const QByteArray &certificateDer, QString *error) {
    ossl::X509Ptr certificate = ossl::parseDer(certificateDer, error);
    if (!certificate)
        return std::nullopt;
    EVP_PKEY *key = X509_get0_pubkey(certificate.get());
    if (!key) {
        *error = RenewalText::tr("the certificate's public key cannot be read");
        return std::nullopt;
    }
    RenewalKeyType type;
    switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_RSA:
        type.kind = RenewalKeyType::Kind::Rsa;
        type.rsaBits = std::max(2048, EVP_PKEY_get_bits(key));
        return type;
    case EVP_PKEY_EC: {
        char curve[80] = {};
        size_t length = 0;
        if (!EVP_PKEY_get_utf8_string_param(key, "group", curve, sizeof curve, &length) ||
            length == 0) {
            *error = RenewalText::tr("the certificate's EC key has no named curve");
            return std::nullopt;
        }
        type.kind = RenewalKeyType::Kind::Ec;
        type.curve = QString::fromUtf8(curve, int(length));
        return type;
    }
    case EVP_PKEY_ED25519:
        type.kind = RenewalKeyType::Kind::Ed25519;
        return type;
    case EVP_PKEY_ED448:
        type.kind = RenewalKeyType::Kind::Ed448;
        return type;
    default:
        *error = RenewalText::tr("the certificate's key type (%1) cannot be renewed like for like")
                     .arg(QString::fromLatin1(OBJ_nid2sn(EVP_PKEY_get_base_id(key))));
        return std::nullopt;
    }
}

std::optional<RenewalRequest> makeRenewalRequest(const QByteArray &certificateDer,
                                                 const QByteArray &passphrase, QString *error) {
    if (passphrase.isEmpty()) {
        *error = RenewalText::tr("no passphrase for the new key: it is never written unencrypted");
        return std::nullopt;
    }
    const std::optional<RenewalKeyType> type = renewalKeyType(certificateDer, error);
    if (!type)
        return std::nullopt;
    ossl::X509Ptr certificate = ossl::parseDer(certificateDer, error);
    EvpPkeyPtr key = generateKey(*type);
    if (!key) {
        *error =
            RenewalText::tr("cannot make a %1 key: %2").arg(type->describe(), ossl::lastError());
        return std::nullopt;
    }

    X509ReqPtr request(X509_REQ_new());
    bool ok =
        request && X509_REQ_set_version(request.get(), 0) == 1 &&
        X509_REQ_set_subject_name(request.get(), X509_get_subject_name(certificate.get())) == 1 &&
        X509_REQ_set_pubkey(request.get(), key.get()) == 1;
    if (ok) {
        if (GeneralNamesPtr names = dnsAndIpNames(certificate.get())) {
            STACK_OF(X509_EXTENSION) *raw = nullptr;
            ok = X509V3_add1_i2d(&raw, NID_subject_alt_name, names.get(), 0, X509V3_ADD_DEFAULT) ==
                 1;
            ExtensionsPtr extensions(raw);
            ok = ok && X509_REQ_add_extensions(request.get(), extensions.get()) == 1;
        }
    }
    const bool digestless =
        type->kind == RenewalKeyType::Kind::Ed25519 || type->kind == RenewalKeyType::Kind::Ed448;
    ok = ok && X509_REQ_sign(request.get(), key.get(), digestless ? nullptr : EVP_sha256()) > 0;
    if (!ok) {
        *error = RenewalText::tr("cannot build the CSR: %1").arg(ossl::lastError());
        return std::nullopt;
    }

    ossl::BioPtr csrBio(BIO_new(BIO_s_mem()));
    ossl::BioPtr keyBio(BIO_new(BIO_s_mem()));
    if (!csrBio || !keyBio || PEM_write_bio_X509_REQ(csrBio.get(), request.get()) != 1 ||
        PEM_write_bio_PKCS8PrivateKey(keyBio.get(), key.get(), EVP_aes_256_cbc(),
                                      passphrase.constData(), int(passphrase.size()), nullptr,
                                      nullptr) != 1) {
        *error = RenewalText::tr("cannot write the key or the CSR: %1").arg(ossl::lastError());
        return std::nullopt;
    }
    return RenewalRequest{*type, bioBytes(keyBio.get()), bioBytes(csrBio.get())};
}

QByteArray randomPassphrase() {
    unsigned char bytes[32];
    if (RAND_bytes(bytes, sizeof bytes) != 1)
        return {};
    const QByteArray encoded =
        QByteArray(reinterpret_cast<const char *>(bytes), sizeof bytes)
            .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    OPENSSL_cleanse(bytes, sizeof bytes);
    return encoded;
}

} // namespace certdash
