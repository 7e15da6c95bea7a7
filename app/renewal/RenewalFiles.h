#pragma once

#include "renewal/RenewalRequest.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace certdash {

class SecretStore;

// A renewal request written out: DIR/key.pem (encrypted, owner-only) and DIR/csr.pem, the key's
// passphrase in the keychain as clientKeySecretName(keyPath). Shared by `certdash csr` and the
// window's "Renewal request..." so that both write the same files the same careful way.
struct RenewalFiles
{
    enum class Failure {
        None,
        Exists,     // key.pem or csr.pem is there already: nothing is overwritten
        Request,    // the certificate's key cannot be renewed like for like
        NoKeychain, // the passphrase could not be stored: no key is ever written in clear
        Io,         // the folder or a file could not be written (nothing is left behind)
    };
    Failure failure = Failure::None;
    QString error; // in words, for Failure != None (never a secret)
    QString keyPath;
    QString csrPath;
    QString secretName;
    RenewalKeyType keyType;
};
RenewalFiles writeRenewalFiles(const QByteArray &certificateDer, const QString &directory,
                               SecretStore &store);

} // namespace certdash
