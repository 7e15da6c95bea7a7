#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace certdash {

// The key a renewal gets: the same type as the certificate's, never weaker. RSA stays RSA with
// max(2048, current bits); EC keeps its named curve; Ed25519/Ed448 stay what they are.
struct RenewalKeyType {
    enum class Kind { Rsa, Ec, Ed25519, Ed448 };
    Kind kind = Kind::Rsa;
    int rsaBits = 0;          // Rsa only
    QString curve;            // Ec only: the OpenSSL short name ("prime256v1", "secp384r1")
    QString describe() const; // "RSA 3072", "EC prime256v1", "Ed25519"
};

// What the certificate's public key calls for; nullopt (and *error) for a key type or an
// unnamed EC curve that cannot be renewed like for like.
std::optional<RenewalKeyType> renewalKeyType(const QByteArray &certificateDer, QString *error);

// A renewal: a new private key of that type (PKCS#8 PEM, encrypted with AES-256-CBC under the
// passphrase) and a PEM CSR with the certificate's subject and its DNS and IP subjectAltNames,
// signed with SHA-256 (Ed25519/Ed448 sign without a separate digest).
struct RenewalRequest {
    RenewalKeyType keyType;
    QByteArray encryptedKeyPem;
    QByteArray csrPem;
};
std::optional<RenewalRequest> makeRenewalRequest(const QByteArray &certificateDer,
                                                 const QByteArray &passphrase, QString *error);

// 32 bytes from OpenSSL's CSPRNG as base64url without padding (43 characters).
QByteArray randomPassphrase();

} // namespace certdash
