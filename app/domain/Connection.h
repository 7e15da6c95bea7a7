#pragma once

#include <QString>

#include <optional>

namespace certdash {

// How CertDash reaches one endpoint, beyond host and port: the client certificate it presents
// (mTLS) and the proxy it goes through. Set per target, per tag and globally; only names and
// paths, never a secret (passphrases and proxy passwords live in the OS keychain, see
// secrets/SecretStore.h).
struct ConnectionSettings
{
    // A PEM certificate (its key in clientKey, or in the same file) or a PKCS#12 file alone.
    QString clientCertificate;
    QString clientKey; // a PEM key file, encrypted or not; empty with PKCS#12 or a combined PEM
    // A proxy URL without a password (http://[user@]host:port, socks5://, socks5h://), or
    // kDirectProxy: no proxy for this target even if a tag, the settings or the environment name
    // one. Empty: inherit.
    QString proxy;

    bool hasClientCertificate() const { return !clientCertificate.isEmpty(); }
    bool isEmpty() const { return clientCertificate.isEmpty() && clientKey.isEmpty() && proxy.isEmpty(); }
    bool operator==(const ConnectionSettings &o) const {
        return clientCertificate == o.clientCertificate && clientKey == o.clientKey &&
               proxy == o.proxy;
    }
    bool operator!=(const ConnectionSettings &o) const { return !(*this == o); }
};

inline constexpr char kDirectProxy[] = "direct";

// Why a proxy URL cannot be stored: empty when it can. Checks the form only (scheme, host, port,
// no password, no path); quotes the URL without any password it carried.
QString proxyUrlProblem(const QString &url);

} // namespace certdash
