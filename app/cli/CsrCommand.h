#pragma once

#include "CommandStreams.h"

#include <QStringList>

namespace certdash {
class SecretStore;
}

namespace certdash::cli {

// `certdash csr --target ENDPOINT [--database DB] --output DIR`: a renewal for the latest stored
// certificate of ENDPOINT: DIR/key.pem (a new key like the certificate's, encrypted with a random
// passphrase kept in the keychain as clientKeySecretName(DIR/key.pem)) and DIR/csr.pem (same
// subject and DNS/IP names, SHA-256). Without a usable keychain nothing is written (exit 2).
int runCsr(const QStringList &arguments, const CommandStreams &streams);
int runCsrWith(const QStringList &arguments, const CommandStreams &streams, SecretStore &store);

} // namespace certdash::cli
