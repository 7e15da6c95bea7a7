#pragma once

#include "CommandStreams.h"

#include <QStringList>

#include <optional>

namespace certdash {
class SecretStore;
}

namespace certdash::cli {

// Exit codes of `certdash secret` (consistent with the scan's: 3 is a usage or input error).
enum SecretExit : int {
    SecretDone = 0,
    SecretNoEntry = 1,    // `check`/`delete`: the keychain works and has no entry of that name
    SecretNoKeychain = 2, // no usable keychain: nothing was stored, read or deleted
    SecretUsageError = 3,
};

// `certdash secret set|delete|check NAME`: the OS keychain's CertDash entries. `set` reads the
// secret from standard input (one line; the newline is dropped; never echoed); `check` says
// whether the entry exists and never prints a secret.
int runSecret(const QStringList &arguments, const CommandStreams &streams);

// The same on a given store and input (tests; the window's Settings may reuse it).
int runSecretWith(const QStringList &arguments, const CommandStreams &streams, SecretStore &store,
                  QIODevice *input);

// The canonical entry name for what the user typed: "client-key:PATH" (PATH made absolute and
// clean, as clientKeySecretName does) or "proxy:URL" (as proxySecretName does; a URL with a
// password is refused). Anything else: nullopt and *error says which forms exist.
std::optional<QString> canonicalSecretName(const QString &typed, QString *error);

// The secret in what standard input gave: its first line, without "\n" or "\r\n". Empty input,
// an empty first line, or more than one line: nullopt and *error says why (never quoting it).
std::optional<QString> secretFromInput(const QByteArray &input, QString *error);

} // namespace certdash::cli
