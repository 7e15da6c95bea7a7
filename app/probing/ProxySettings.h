#pragma once

#include <QAbstractSocket>
#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QNetworkProxy>
#include <QProcessEnvironment>
#include <QString>
#include <QUrl>

#include <optional>

namespace certdash {

class SecretStore;
enum class Status;
struct Target;

// What a probe through an HTTP proxy or a socks5h proxy reports as its address: the proxy
// resolves the name, so CertDash never learns which address it connected to. A data token (stored
// and exported like an IP), not a translated word.
inline constexpr char kViaProxyAddress[] = "via proxy";

// One proxy server. The password is only ever held in memory, for a scan; it never appears in a
// URL, a message or display().
struct ProxyServer {
    enum class Kind {
        Http,    // http://: HTTP CONNECT (Basic authentication); the proxy resolves names
        Socks5,  // socks5://: CertDash resolves names and asks the proxy for each address
        Socks5h, // socks5h://: the proxy resolves names
    };
    Kind kind = Kind::Http;
    QString host; // ASCII (punycode) name, or an IP literal without brackets
    quint16 port = 1080;
    QString user; // empty: no authentication
    QString password;

    bool resolvesNames() const { return kind != Kind::Socks5; }
    QString scheme() const; // "http", "socks5", "socks5h"
    // The URL without any password: what the keychain entry is named after
    // (proxySecretName(url())) and what messages quote.
    QUrl url() const;
    QString display() const; // url() as text: "http://user@proxy.example:3128"
    QNetworkProxy networkProxy() const;
};

struct ProxyUrlParse {
    std::optional<ProxyServer> server;
    QString error; // names `where` and quotes the URL without any password
};

// Parses `[scheme://][user@]host[:port][/]` with scheme http (also when none is given, as curl
// does), socks5 or socks5h; the port defaults to 1080 (curl's default). A password in the URL is
// refused: it belongs in the keychain (`certdash secret set <proxySecretName>`) or in
// CERTDASH_PROXY_PASSWORD. `where` names the source in messages ("--proxy", "https_proxy").
ProxyUrlParse parseProxyUrl(const QString &text, const QString &where);

// A no_proxy list: hosts reached directly. Entries are separated by commas or spaces:
//   *                  every host
//   example.com        example.com and every name under it (also written *.example.com or
//                      .example.com, which match only the names under it)
//   192.0.2.7, ::1     that address (a target whose host or pinned address it is)
//   10.0.0.0/8         any address in that network
//   entry:PORT         only connections to that port ([::1]:443 for IPv6)
// Names compare case-insensitively, without a trailing dot, Unicode names as punycode.
class ProxyBypass {
public:
    static ProxyBypass parse(const QString &list);
    bool isEmpty() const { return m_rules.isEmpty(); }
    // host: the target's ASCII host; address: the IP about to be connected, when known.
    bool matches(const QString &host, quint16 port, const QString &address = {}) const;

private:
    struct Rule {
        enum class Kind { All, NameAndSubdomains, Subdomains, Network };
        Kind kind = Kind::All;
        QString name;
        QHostAddress network;
        int prefix = -1;
        quint16 port = 0; // 0: any port
    };
    QList<Rule> m_rules;
};

// The proxy of a scan (or none) and the hosts that bypass it.
struct ProxySettings {
    std::optional<ProxyServer> server; // none: every connection is direct
    ProxyBypass bypass;                // no_proxy
    QString source;                    // where the proxy came from: "--proxy", "https_proxy"
    // The proxies targets (or their tags) name themselves, by the URL as they write it (see
    // Target::connection.proxy): prepared once per scan by addTargetProxies, passwords included.
    QHash<QString, ProxyServer> targetProxies;

    // The proxy for a connection to host:port (address: the IP about to be connected, if known);
    // null when the connection goes direct.
    const ProxyServer *serverFor(const QString &host, quint16 port,
                                 const QString &address = {}) const;
    // True when a target named host is probed by name through a proxy that resolves it: no local
    // resolution, one probe whose address is kViaProxyAddress.
    bool resolvedByProxy(const QString &host, quint16 port) const;

    // The same for a target, whose own (or its tags') proxy wins over the scan's: "direct" goes
    // direct, a URL goes through that proxy (no_proxy does not apply to what a target asks for),
    // nothing set falls back to the scan's proxy and bypass list.
    const ProxyServer *serverFor(const Target &target, const QString &address = {}) const;
    bool resolvedByProxy(const Target &target) const;
};

// The proxy settings of a scan. Precedence: an explicit proxy (`--proxy URL`) over the
// environment; `--proxy none` or `--no-proxy` (disabled) turns every proxy off, the environment's
// included. From the environment: https_proxy, else all_proxy (each lower case first, then upper
// case). no_proxy / NO_PROXY applies to an explicit proxy too (as curl does).
struct ProxyChoice {
    std::optional<ProxySettings> settings;
    QString error;
};
ProxyChoice chooseProxy(const std::optional<QString> &explicitProxy, bool disabled,
                        const QProcessEnvironment &environment);

// Fills in the proxy's password when it names a user: the keychain entry
// proxySecretName(server->url()), else CERTDASH_PROXY_PASSWORD. Returns an empty string on
// success, else why (naming the proxy and the entry to set, never a secret). store may be null.
QString attachProxyPassword(ProxySettings &settings, SecretStore *store);

// Parses every proxy the targets name (their effective connection.proxy) into
// settings.targetProxies, each with its password (keychain, else CERTDASH_PROXY_PASSWORD). Returns
// the problems, one per proxy, naming a target that uses it; a scan must not start with any, or
// a target would silently go direct.
QStringList addTargetProxies(ProxySettings &settings, const QList<Target> &targets,
                             SecretStore *store);

// A socket error of a connection through `proxy`, as a probe reports it: the status and a message
// naming the proxy (never its password). Nothing when the error is not the proxy's (e.g. the
// tunnel was open and the server closed it).
struct ProxyFailure {
    Status status;
    QString error;
};
std::optional<ProxyFailure> proxyFailure(QAbstractSocket::SocketError error,
                                         const QString &errorString, const ProxyServer &proxy,
                                         const QString &target);

} // namespace certdash
