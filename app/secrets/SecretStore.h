#pragma once

#include <QString>

class QUrl;

namespace certdash {

// What a secret lookup came to. A value is only ever held in memory, for as long as it is used.
struct SecretLookup
{
    enum class Outcome {
        Found,       // value holds the secret
        NotFound,    // the keychain works and has no entry of that name
        Unavailable, // no usable keychain (no session bus, locked, no Secret Service)
    };
    Outcome outcome = Outcome::Unavailable;
    QString value;
    QString error; // for NotFound/Unavailable: why, in words (never a secret)
};

// Where CertDash keeps key passphrases, PKCS#12 passwords and proxy passwords: the OS keychain
// (QtKeychain), and nowhere else. There is deliberately no plaintext fallback: without a keychain
// the caller gets Unavailable and says so; headless runs may then take the documented environment
// variables (resolveSecret).
class SecretStore
{
public:
    virtual ~SecretStore() = default;
    // Blocks until the keychain answers (bounded); safe from the GUI thread and the CLI.
    virtual SecretLookup read(const QString &name) = 0;
    // Empty on success, else why it failed (in words, never the value).
    virtual QString write(const QString &name, const QString &value) = 0;
    virtual QString remove(const QString &name) = 0;
};

// A store that has no keychain at all: every read is Unavailable, every write refused. For the
// tests of what depends on secrets, and for builds where QtKeychain cannot be reached.
class NoSecretStore final : public SecretStore
{
public:
    SecretLookup read(const QString &name) override;
    QString write(const QString &name, const QString &value) override;
    QString remove(const QString &name) override;
};

// The documented environment variables for headless runs without a keychain session.
inline constexpr char kClientKeyPassphraseVariable[] = "CERTDASH_CLIENT_KEY_PASSPHRASE";
inline constexpr char kProxyPasswordVariable[] = "CERTDASH_PROXY_PASSWORD";
// The bearer token or Basic password of a Prometheus that `certdash fleet read` reads.
inline constexpr char kFleetSecretVariable[] = "CERTDASH_FLEET_SECRET";

// Entry names: derived from what the secret unlocks, so that the CLI and the window find the
// same entry without configuration, and a message can tell the user which name to set.
//   client key or PKCS#12 file: "client-key:" + the file's absolute, clean path
//   proxy:                      "proxy:" + scheme://user@host:port (no password, no path)
//   Prometheus of the fleet:    "fleet:" + scheme://user@host:port/path (FleetSource::secretKey)
QString clientKeySecretName(const QString &keyOrPkcs12Path);
QString proxySecretName(const QUrl &proxy);

// The secret for name: the keychain entry when there is one, else the environment variable
// (when set and not empty), else nothing, with error saying which name to store (`certdash secret
// set NAME`) or which variable to set. store may be null (no keychain).
struct ResolvedSecret
{
    bool found = false;
    QString value;
    QString error;
};
ResolvedSecret resolveSecret(SecretStore *store, const QString &name, const char *environmentVariable);

} // namespace certdash
