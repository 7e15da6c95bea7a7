#include "Connection.h"

#include <QCoreApplication>
#include <QUrl>

namespace certdash {

namespace {
struct ConnectionText
{
    Q_DECLARE_TR_FUNCTIONS(certdash::Connection)
};

// The URL as it may be shown: never a password, and short.
QString shown(const QString &url) {
    QUrl parsed(url, QUrl::StrictMode);
    QString text = parsed.isValid() ? parsed.toString(QUrl::RemovePassword) : url;
    if (!parsed.isValid()) {
        // A URL that does not parse may still carry "user:password@": cut what precedes '@'.
        const qsizetype at = text.lastIndexOf(QLatin1Char('@'));
        const qsizetype scheme = text.indexOf(QLatin1String("://"));
        if (at > 0)
            text = (scheme >= 0 ? text.left(scheme + 3) : QString()) + QStringLiteral("...") +
                   text.mid(at);
    }
    if (text.size() > 80)
        text = text.left(77) + QStringLiteral("...");
    return QLatin1Char('"') + text + QLatin1Char('"');
}
} // namespace

QString proxyUrlProblem(const QString &url) {
    if (url == QLatin1String(kDirectProxy))
        return {};
    const QUrl parsed(url, QUrl::StrictMode);
    if (!parsed.isValid() || parsed.scheme().isEmpty())
        return ConnectionText::tr("proxy %1 is not a URL (write http://host:port, "
                                  "socks5://host:port, or %2 for none)")
            .arg(shown(url), QString::fromLatin1(kDirectProxy));
    const QString scheme = parsed.scheme().toLower();
    if (scheme != QLatin1String("http") && scheme != QLatin1String("socks5") &&
        scheme != QLatin1String("socks5h"))
        return ConnectionText::tr("proxy %1: the scheme must be http, socks5 or socks5h")
            .arg(shown(url));
    if (!parsed.password().isEmpty())
        return ConnectionText::tr("proxy %1 carries a password: passwords are never stored with "
                                  "targets; keep it in the keychain (certdash secret set) instead")
            .arg(shown(url));
    if (parsed.host().isEmpty())
        return ConnectionText::tr("proxy %1 has no host").arg(shown(url));
    if (parsed.port() <= 0)
        return ConnectionText::tr("proxy %1 has no port").arg(shown(url));
    if (!parsed.path().isEmpty() && parsed.path() != QLatin1String("/"))
        return ConnectionText::tr("proxy %1: a proxy URL has no path").arg(shown(url));
    if (parsed.hasQuery() || parsed.hasFragment())
        return ConnectionText::tr("proxy %1: a proxy URL has no query or fragment").arg(shown(url));
    return {};
}

} // namespace certdash
