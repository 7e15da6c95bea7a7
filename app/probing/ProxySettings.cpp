#include "ProxySettings.h"

#include "domain/Excerpt.h"
#include "domain/Status.h"
#include "domain/Target.h"
#include "secrets/SecretStore.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QSet>

namespace certdash {

namespace {
struct ProxyText {
    Q_DECLARE_TR_FUNCTIONS(certdash::Proxy)
};

// "[::1]" for IPv6 literals, as URLs and messages write them.
QString hostForDisplay(const QString &host) {
    return host.contains(QLatin1Char(':')) ? QLatin1Char('[') + host + QLatin1Char(']') : host;
}

// An ASCII, lower-case host name without a trailing dot, or an IP literal; empty when invalid.
QString normalizedHost(QString host) {
    host = host.trimmed();
    if (const auto address = canonicalAddress(host))
        return *address;
    while (host.endsWith(QLatin1Char('.')))
        host.chop(1);
    if (host.isEmpty())
        return {};
    return toAsciiHostName(host).toLower();
}

// "user:secret@host" quoted without the password.
QString withoutPassword(const QString &text) {
    const qsizetype at = text.lastIndexOf(QLatin1Char('@'));
    if (at < 0)
        return text;
    const qsizetype schemeEnd = text.indexOf(QLatin1String("://"));
    const qsizetype userStart = schemeEnd >= 0 && schemeEnd < at ? schemeEnd + 3 : 0;
    const qsizetype colon = text.indexOf(QLatin1Char(':'), userStart);
    if (colon < 0 || colon > at)
        return text;
    return text.left(colon) + text.mid(at);
}
} // namespace

QString ProxyServer::scheme() const {
    switch (kind) {
    case Kind::Http:
        return QStringLiteral("http");
    case Kind::Socks5:
        return QStringLiteral("socks5");
    case Kind::Socks5h:
        return QStringLiteral("socks5h");
    }
    return {};
}

QUrl ProxyServer::url() const {
    QUrl url;
    url.setScheme(scheme());
    url.setUserName(user);
    url.setHost(host);
    url.setPort(port);
    return url;
}

QString ProxyServer::display() const {
    return url().toString(QUrl::FullyEncoded);
}

QNetworkProxy ProxyServer::networkProxy() const {
    QNetworkProxy proxy(kind == Kind::Http ? QNetworkProxy::HttpProxy : QNetworkProxy::Socks5Proxy,
                        host, port, user, password);
    // Whether names go to the proxy is decided by what the probe connects to (a name, or an
    // address CertDash resolved).
    if (kind == Kind::Http) {
        proxy.setRawHeader("User-Agent", "CertDash");
        // Basic credentials with the first CONNECT: Qt would otherwise send one without them,
        // be told 407, and send it again (two requests per probe).
        if (!user.isEmpty())
            proxy.setRawHeader("Proxy-Authorization",
                               "Basic " + (user + QLatin1Char(':') + password).toUtf8().toBase64());
    }
    return proxy;
}

ProxyUrlParse parseProxyUrl(const QString &text, const QString &where) {
    ProxyUrlParse result;
    const QString trimmed = text.trimmed();
    const QString shown = quoteExcerpt(withoutPassword(trimmed), 80);
    const auto fail = [&](const QString &why) {
        result.error = ProxyText::tr("%1: %2 is not a usable proxy: %3").arg(where, shown, why);
        return result;
    };
    if (trimmed.isEmpty())
        return fail(ProxyText::tr("it is empty"));
    const QString withScheme =
        trimmed.contains(QLatin1String("://")) ? trimmed : QStringLiteral("http://") + trimmed;
    const QUrl url(withScheme, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty())
        return fail(ProxyText::tr("expected http://[user@]host:port, socks5://[user@]host:port "
                                  "or socks5h://[user@]host:port"));
    ProxyServer server;
    const QString scheme = url.scheme().toLower();
    if (scheme == QLatin1String("http"))
        server.kind = ProxyServer::Kind::Http;
    else if (scheme == QLatin1String("socks5"))
        server.kind = ProxyServer::Kind::Socks5;
    else if (scheme == QLatin1String("socks5h"))
        server.kind = ProxyServer::Kind::Socks5h;
    else
        return fail(ProxyText::tr("the scheme %1 is not supported (http, socks5 or socks5h)")
                        .arg(quoteExcerpt(scheme)));
    if (!url.path().isEmpty() && url.path() != QLatin1String("/"))
        return fail(ProxyText::tr("a proxy URL has no path"));
    if (url.hasQuery() || url.hasFragment())
        return fail(ProxyText::tr("a proxy URL has no query or fragment"));
    server.host = normalizedHost(url.host());
    if (server.host.isEmpty())
        return fail(ProxyText::tr("the host is not a valid name or address"));
    const int port = url.port(1080);
    if (port < 1 || port > 65535)
        return fail(ProxyText::tr("the port must be from 1 to 65535"));
    server.port = quint16(port);
    server.user = url.userName();
    // "user:@host" too: any password field, even an empty one.
    const QString userInfo = withScheme.mid(withScheme.indexOf(QLatin1String("://")) + 3)
                                 .section(QLatin1Char('@'), 0, -2, QString::SectionSkipEmpty);
    if (!url.password().isEmpty() || userInfo.contains(QLatin1Char(':'))) {
        result.error =
            ProxyText::tr("%1: %2: a password does not belong in a proxy URL (it would show in "
                          "process lists and shell history); store it with `certdash secret set "
                          "%3` or set %4 for a run without a keychain")
                .arg(where, shown, proxySecretName(server.url()),
                     QString::fromLatin1(kProxyPasswordVariable));
        return result;
    }
    result.server = server;
    return result;
}

ProxyBypass ProxyBypass::parse(const QString &list) {
    ProxyBypass bypass;
    const QStringList entries =
        list.split(QRegularExpression(QStringLiteral("[,\\s]+")), Qt::SkipEmptyParts);
    for (QString entry : entries) {
        Rule rule;
        if (entry == QLatin1String("*")) {
            bypass.m_rules << rule;
            continue;
        }
        // A port: "host:443", "[::1]:443", "10.0.0.1:443" (but "::1" is an address).
        if (entry.startsWith(QLatin1Char('['))) {
            const qsizetype close = entry.indexOf(QLatin1Char(']'));
            if (close < 0)
                continue;
            const QString rest = entry.mid(close + 1);
            if (rest.startsWith(QLatin1Char(':')))
                rule.port = quint16(rest.mid(1).toUInt());
            entry = entry.mid(1, close - 1);
        } else if (entry.count(QLatin1Char(':')) == 1) {
            bool ok = false;
            const uint port = entry.section(QLatin1Char(':'), 1).toUInt(&ok);
            if (!ok || port == 0 || port > 65535)
                continue;
            rule.port = quint16(port);
            entry = entry.section(QLatin1Char(':'), 0, 0);
        }
        if (entry.contains(QLatin1Char('/'))) {
            const auto subnet = QHostAddress::parseSubnet(entry);
            if (subnet.first.isNull())
                continue;
            rule.kind = Rule::Kind::Network;
            rule.network = subnet.first;
            rule.prefix = subnet.second;
        } else if (const auto address = canonicalAddress(entry)) {
            rule.kind = Rule::Kind::Network;
            rule.network = QHostAddress(*address);
            rule.prefix = rule.network.protocol() == QAbstractSocket::IPv6Protocol ? 128 : 32;
        } else {
            if (entry.startsWith(QLatin1String("*."))) {
                rule.kind = Rule::Kind::Subdomains;
                entry = entry.mid(2);
            } else if (entry.startsWith(QLatin1Char('.'))) {
                rule.kind = Rule::Kind::Subdomains;
                entry = entry.mid(1);
            } else {
                rule.kind = Rule::Kind::NameAndSubdomains;
            }
            rule.name = normalizedHost(entry);
            if (rule.name.isEmpty())
                continue;
        }
        bypass.m_rules << rule;
    }
    return bypass;
}

bool ProxyBypass::matches(const QString &host, quint16 port, const QString &address) const {
    const QString name = normalizedHost(host);
    const QHostAddress hostAddress(canonicalAddress(name).value_or(QString()));
    const QHostAddress connected(canonicalAddress(address).value_or(QString()));
    for (const Rule &rule : m_rules) {
        if (rule.port != 0 && rule.port != port)
            continue;
        switch (rule.kind) {
        case Rule::Kind::All:
            return true;
        case Rule::Kind::NameAndSubdomains:
            if (name == rule.name)
                return true;
            [[fallthrough]];
        case Rule::Kind::Subdomains:
            if (name.endsWith(QLatin1Char('.') + rule.name))
                return true;
            break;
        case Rule::Kind::Network:
            if ((!hostAddress.isNull() && hostAddress.isInSubnet(rule.network, rule.prefix)) ||
                (!connected.isNull() && connected.isInSubnet(rule.network, rule.prefix)))
                return true;
            break;
        }
    }
    return false;
}

const ProxyServer *ProxySettings::serverFor(const QString &host, quint16 port,
                                            const QString &address) const {
    if (!server || bypass.matches(host, port,
                                  address == QLatin1String(kViaProxyAddress) ? QString() : address))
        return nullptr;
    return &*server;
}

bool ProxySettings::resolvedByProxy(const QString &host, quint16 port) const {
    const ProxyServer *proxy = serverFor(host, port);
    return proxy && proxy->resolvesNames() && !host.isEmpty() && !canonicalAddress(host);
}

const ProxyServer *ProxySettings::serverFor(const Target &target, const QString &address) const {
    const QString &own = target.connection.proxy;
    if (own == QLatin1String(kDirectProxy))
        return nullptr;
    if (!own.isEmpty()) {
        const auto found = targetProxies.constFind(own);
        // addTargetProxies refuses to start a scan with a proxy it could not prepare.
        Q_ASSERT(found != targetProxies.cend());
        return found == targetProxies.cend() ? nullptr : &*found;
    }
    return serverFor(target.asciiHost(), target.port, address);
}

bool ProxySettings::resolvedByProxy(const Target &target) const {
    const QString host = target.asciiHost();
    const ProxyServer *proxy = serverFor(target);
    return proxy && proxy->resolvesNames() && !host.isEmpty() && !canonicalAddress(host);
}

QStringList addTargetProxies(ProxySettings &settings, const QList<Target> &targets,
                             SecretStore *store) {
    QStringList problems;
    QSet<QString> failed;
    for (const Target &target : targets) {
        const QString &url = target.connection.proxy;
        if (url.isEmpty() || url == QLatin1String(kDirectProxy) ||
            settings.targetProxies.contains(url) || failed.contains(url))
            continue;
        const QString where = ProxyText::tr("the proxy of %1").arg(target.label());
        ProxyUrlParse parsed = parseProxyUrl(url, where);
        if (!parsed.server) {
            failed.insert(url);
            problems << parsed.error;
            continue;
        }
        ProxySettings one;
        one.server = parsed.server;
        one.source = where;
        if (const QString missing = attachProxyPassword(one, store); !missing.isEmpty()) {
            failed.insert(url);
            problems << missing;
            continue;
        }
        settings.targetProxies.insert(url, *one.server);
    }
    return problems;
}

ProxyChoice chooseProxy(const std::optional<QString> &explicitProxy, bool disabled,
                        const QProcessEnvironment &environment) {
    ProxyChoice choice;
    ProxySettings settings;
    if (disabled || (explicitProxy && explicitProxy->trimmed().compare(QLatin1String("none"),
                                                                       Qt::CaseInsensitive) == 0)) {
        choice.settings = settings;
        return choice;
    }
    // Lower case first, as curl reads them.
    const auto variable = [&](const char *lower, const char *upper) -> std::pair<QString, QString> {
        for (const char *name : {lower, upper}) {
            const QString value = environment.value(QString::fromLatin1(name)).trimmed();
            if (!value.isEmpty())
                return {QString::fromLatin1(name), value};
        }
        return {};
    };
    QString source;
    QString text;
    if (explicitProxy) {
        source = QStringLiteral("--proxy");
        text = *explicitProxy;
    } else {
        std::tie(source, text) = variable("https_proxy", "HTTPS_PROXY");
        if (text.isEmpty())
            std::tie(source, text) = variable("all_proxy", "ALL_PROXY");
    }
    if (!source.isEmpty()) {
        const ProxyUrlParse parsed = parseProxyUrl(text, source);
        if (!parsed.server) {
            choice.error = parsed.error;
            return choice;
        }
        settings.server = parsed.server;
        settings.source = source;
        settings.bypass = ProxyBypass::parse(variable("no_proxy", "NO_PROXY").second);
    }
    choice.settings = settings;
    return choice;
}

QString attachProxyPassword(ProxySettings &settings, SecretStore *store) {
    if (!settings.server || settings.server->user.isEmpty())
        return {};
    const ResolvedSecret secret =
        resolveSecret(store, proxySecretName(settings.server->url()), kProxyPasswordVariable);
    if (!secret.found)
        return ProxyText::tr("the proxy %1 (from %2) needs a password: %3")
            .arg(settings.server->display(), settings.source, secret.error);
    settings.server->password = secret.value;
    return {};
}

std::optional<ProxyFailure> proxyFailure(QAbstractSocket::SocketError error,
                                         const QString &errorString, const ProxyServer &proxy,
                                         const QString &target) {
    const QString name = proxy.display();
    switch (error) {
    case QAbstractSocket::ProxyConnectionRefusedError:
        return ProxyFailure{Status::Unreachable,
                            ProxyText::tr("proxy %1 refused the connection").arg(name)};
    case QAbstractSocket::ProxyNotFoundError:
        return ProxyFailure{Status::Unreachable, ProxyText::tr("proxy %1 not found").arg(name)};
    case QAbstractSocket::ProxyConnectionTimeoutError:
        return ProxyFailure{Status::Timeout,
                            ProxyText::tr("proxy %1 did not answer in time").arg(name)};
    case QAbstractSocket::ProxyAuthenticationRequiredError:
        return ProxyFailure{
            Status::Unreachable,
            proxy.user.isEmpty()
                ? ProxyText::tr("proxy %1 requires authentication: give the user in the URL "
                                "(%2://USER@%3:%4) and store its password")
                      .arg(name, proxy.scheme(), hostForDisplay(proxy.host))
                      .arg(proxy.port)
                : ProxyText::tr("proxy %1 refused the user name or password (authentication "
                                "failed)")
                      .arg(name)};
    case QAbstractSocket::ProxyConnectionClosedError:
        return ProxyFailure{Status::Unreachable,
                            ProxyText::tr("proxy %1 closed the connection before the tunnel to "
                                          "%2 was open")
                                .arg(name, target)};
    case QAbstractSocket::ProxyProtocolError:
        // Qt does not tell the HTTP status. Proxies answer a wrong password with 407 (handled
        // above) or, like tinyproxy, with 401, which lands here.
        return ProxyFailure{Status::Unreachable,
                            proxy.user.isEmpty()
                                ? ProxyText::tr("proxy %1 did not open a tunnel to %2: %3")
                                      .arg(name, target, errorString)
                                : ProxyText::tr("proxy %1 did not open a tunnel to %2 (%3): check "
                                                "the password of %4 at this proxy (a proxy may "
                                                "answer a wrong one this way), and whether it "
                                                "allows this destination")
                                      .arg(name, target, errorString, proxy.user)};
    default:
        // Anything else before the tunnel is open (the proxy could not reach the target, denied
        // it, or its reply was not understood) is still said through the proxy.
        return ProxyFailure{Status::Unreachable,
                            ProxyText::tr("cannot connect to %1 through proxy %2: %3")
                                .arg(target, name, errorString)};
    }
}

} // namespace certdash
