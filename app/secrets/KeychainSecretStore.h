#pragma once

#include "SecretStore.h"

#include <chrono>

namespace certdash {

// The OS keychain through QtKeychain: Secret Service (libsecret) on Linux, Keychain on macOS,
// Credential Manager on Windows. Every entry lives under the service "CertDash" with the entry
// name as its key. Each call runs the QtKeychain job in a local event loop bounded by `bound`,
// so neither the CLI nor the window waits on a keychain that never answers. The insecure
// fallback (QtKeychain's plaintext QSettings) is never enabled: without a keychain, reads are
// Unavailable and writes are refused.
class KeychainSecretStore final : public SecretStore {
public:
    static constexpr char kService[] = "CertDash";

    explicit KeychainSecretStore(std::chrono::milliseconds bound = std::chrono::seconds(5));

    SecretLookup read(const QString &name) override;
    QString write(const QString &name, const QString &value) override;
    QString remove(const QString &name) override;

private:
    std::chrono::milliseconds m_bound;
};

} // namespace certdash
