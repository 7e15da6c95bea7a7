#include "Target.h"

#include <QHostAddress>
#include <QUrl>

#include <array>

namespace certdash {

namespace {
struct ProtocolInfo
{
    StartTls protocol;
    const char *key;
    quint16 port;
};
constexpr std::array<ProtocolInfo, 7> kProtocols{{
    {StartTls::Smtp, "smtp", 25},
    {StartTls::Imap, "imap", 143},
    {StartTls::Pop3, "pop3", 110},
    {StartTls::Ftp, "ftp", 21},
    {StartTls::Ldap, "ldap", 389},
    {StartTls::Xmpp, "xmpp", 5222},
    {StartTls::Postgres, "postgres", 5432},
}};
} // namespace

QString startTlsKey(StartTls protocol)
{
    for (const auto &p : kProtocols) {
        if (p.protocol == protocol)
            return QString::fromLatin1(p.key);
    }
    return {};
}

std::optional<StartTls> startTlsFromKey(const QString &key)
{
    const QString lower = key.trimmed().toLower();
    if (lower.isEmpty() || lower == QLatin1String("none"))
        return StartTls::None;
    for (const auto &p : kProtocols) {
        if (lower == QLatin1String(p.key))
            return p.protocol;
    }
    return std::nullopt;
}

QStringList startTlsKeys()
{
    QStringList keys;
    for (const auto &p : kProtocols)
        keys << QString::fromLatin1(p.key);
    return keys;
}

quint16 defaultPort(StartTls protocol)
{
    for (const auto &p : kProtocols) {
        if (p.protocol == protocol)
            return p.port;
    }
    return 443;
}

QString SourceLocation::toString() const
{
    if (file.isEmpty())
        return {};
    return line > 0 ? QStringLiteral("%1:%2").arg(file).arg(line) : file;
}

std::optional<QString> canonicalAddress(const QString &text)
{
    QString t = text.trimmed();
    if (t.startsWith(QLatin1Char('[')) && t.endsWith(QLatin1Char(']')))
        t = t.mid(1, t.size() - 2);
    if (t.isEmpty())
        return std::nullopt;
    // QHostAddress accepts scope ids and some legacy IPv4 spellings ("1" -> 0.0.0.1); only
    // dotted quads and colon forms count as addresses here.
    if (!t.contains(QLatin1Char(':'))) {
        const QStringList parts = t.split(QLatin1Char('.'));
        if (parts.size() != 4)
            return std::nullopt;
        for (const QString &part : parts) {
            bool ok = false;
            const int v = part.toInt(&ok);
            if (!ok || v < 0 || v > 255 || part.isEmpty() || part.size() > 3)
                return std::nullopt;
        }
    }
    // QHostAddress takes any text after '%' as the scope: only an interface name or number (at
    // most 15 characters, as Linux's IFNAMSIZ allows) can name one, and anything else would be
    // stored, shown and quoted back whole.
    if (const qsizetype percent = t.indexOf(QLatin1Char('%')); percent >= 0) {
        const QStringView scope = QStringView(t).mid(percent + 1);
        if (scope.isEmpty() || scope.size() > 15)
            return std::nullopt;
        for (const QChar c : scope) {
            if (c.unicode() > 0x7F || !(c.isLetterOrNumber() || c == QLatin1Char('.') ||
                                        c == QLatin1Char('_') || c == QLatin1Char('-')))
                return std::nullopt;
        }
    }
    QHostAddress address;
    if (!address.setAddress(t))
        return std::nullopt;
    return address.toString();
}

QString toAsciiHostName(const QString &host)
{
    if (host.isEmpty() || host.size() > 253)
        return {};
    // QUrl::toAce applies IDNA (UTS #46) and returns an empty array for names it rejects.
    const QString ace = QString::fromLatin1(QUrl::toAce(host));
    if (ace.isEmpty() || ace.size() > 253)
        return {};
    QString name = ace.toLower();
    if (name.endsWith(QLatin1Char('.')))
        name.chop(1);
    const QStringList labels = name.split(QLatin1Char('.'));
    for (const QString &label : labels) {
        if (label.isEmpty() || label.size() > 63)
            return {};
        if (label.startsWith(QLatin1Char('-')) || label.endsWith(QLatin1Char('-')))
            return {};
        for (const QChar c : label) {
            const bool ok = (c >= QLatin1Char('a') && c <= QLatin1Char('z'))
                || (c >= QLatin1Char('0') && c <= QLatin1Char('9')) || c == QLatin1Char('-')
                || c == QLatin1Char('_') || c == QLatin1Char('*');
            if (!ok)
                return {};
        }
    }
    return name;
}

bool Target::hostIsAddress() const
{
    return canonicalAddress(host).has_value();
}

QString Target::asciiHost() const
{
    if (const auto address = canonicalAddress(host))
        return *address;
    return toAsciiHostName(host);
}

QString Target::effectiveSni() const
{
    if (noSni)
        return {};
    if (!sni.isEmpty())
        return toAsciiHostName(sni);
    if (hostIsAddress())
        return {};
    return asciiHost();
}

QString Target::verificationIdentity() const
{
    const QString name = effectiveSni();
    if (!name.isEmpty())
        return name;
    if (!sni.isEmpty())
        return toAsciiHostName(sni);
    return asciiHost();
}

QString Target::hostPort() const
{
    const QString h = host.contains(QLatin1Char(':')) ? QStringLiteral("[%1]").arg(host) : host;
    return QStringLiteral("%1:%2").arg(h).arg(port);
}

QString Target::label() const
{
    return name.isEmpty() ? hostPort() : name;
}

bool Target::sameEndpoint(const Target &other) const
{
    QStringList a = addresses;
    QStringList b = other.addresses;
    a.sort();
    b.sort();
    return asciiHost() == other.asciiHost() && port == other.port
        && effectiveSni() == other.effectiveSni() && noSni == other.noSni
        && startTls == other.startTls && a == b;
}

QString endpointKey(const Target &target)
{
    QStringList addresses;
    addresses.reserve(target.addresses.size());
    for (const QString &a : target.addresses)
        addresses << canonicalAddress(a).value_or(a.trimmed()).toLower();
    addresses.sort();
    addresses.removeDuplicates();
    // A host that is neither an IP literal nor a valid name has no ASCII form; keep its text so
    // that two different bad hosts never share a key.
    QString host = target.asciiHost();
    if (host.isEmpty())
        host = target.host.trimmed().toLower();
    return QStringList{host,
                       QString::number(target.port),
                       target.effectiveSni(),
                       target.noSni ? QStringLiteral("1") : QStringLiteral("0"),
                       addresses.join(QLatin1Char(',')),
                       startTlsKey(target.startTls)}
        .join(QLatin1Char('|'));
}

} // namespace certdash
