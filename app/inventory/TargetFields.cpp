#include "TargetFields.h"

#include "InputText.h"
#include "domain/HostName.h"

#include <QDir>
#include <QRegularExpression>

#include <algorithm>

namespace certdash::inventory {


namespace {

// Every value quoted back goes through the one excerpt helper: short, escaped, length said.
QString quoted(const QString &value) {
    return quoteExcerpt(value);
}

bool allDigits(const QString &text) {
    if (text.isEmpty())
        return false;
    for (const QChar c : text) {
        if (c < QLatin1Char('0') || c > QLatin1Char('9'))
            return false;
    }
    return true;
}

bool looksLikeIpv4(const QString &text) {
    for (const QChar c : text) {
        if (c != QLatin1Char('.') && (c < QLatin1Char('0') || c > QLatin1Char('9')))
            return false;
    }
    return text.contains(QLatin1Char('.'));
}

// Splits "host", "host:port", "[v6]", "[v6]:port" or a bare IPv6 literal. The host comes back
// validated: canonical text for IP literals, as written (trimmed) for names.
bool parseHostToken(const QString &token, QString &host, std::optional<QString> &port,
                    bool portGivenApart, QStringList &reasons) {
    QString name = token.trimmed();
    if (name.startsWith(QLatin1Char('['))) {
        const qsizetype close = name.indexOf(QLatin1Char(']'));
        if (close < 0) {
            reasons << InventoryText::tr("bad address %1: missing ']'").arg(quoted(name));
            return false;
        }
        const QString inner = name.mid(1, close - 1).trimmed();
        const QString rest = name.mid(close + 1);
        if (inner.isEmpty()) {
            reasons << InventoryText::tr("empty host");
            return false;
        }
        const auto address = canonicalAddress(inner);
        if (!address || !inner.contains(QLatin1Char(':'))) {
            reasons << InventoryText::tr("bad address %1: brackets hold an IPv6 address").arg(quoted(inner));
            return false;
        }
        if (!rest.isEmpty() && !rest.startsWith(QLatin1Char(':'))) {
            reasons << InventoryText::tr("bad host %1: unexpected text after ']'").arg(quoted(name));
            return false;
        }
        if (!rest.isEmpty())
            port = rest.mid(1);
        host = *address;
        return true;
    }

    if (name.contains(QLatin1Char(':'))) {
        if (const auto address = canonicalAddress(name)) {
            // A bare IPv6 literal, only when the whole text is one and it cannot also be read as
            // ADDRESS:PORT ("2001:db8::1:8443", "::1:8443" are both valid addresses), unless the
            // port is given apart (a CSV or JSON port), which leaves no port to mean.
            const qsizetype colon = name.lastIndexOf(QLatin1Char(':'));
            const QString last = name.mid(colon + 1);
            const QString before = name.left(colon);
            if (!portGivenApart && allDigits(last) && canonicalAddress(before)) {
                reasons << InventoryText::tr("ambiguous address %1: write [%2]:%3 for port %3 of "
                                             "%2, or [%4] for the address itself")
                               .arg(quoted(name), before, last, name);
                return false;
            }
            host = *address;
            return true;
        }
        if (name.count(QLatin1Char(':')) > 1) {
            reasons << InventoryText::tr("bad address %1: write an IPv6 address with a port as "
                                "[ADDRESS]:PORT")
                           .arg(quoted(name));
            return false;
        }
        const qsizetype colon = name.indexOf(QLatin1Char(':'));
        port = name.mid(colon + 1);
        name = name.left(colon).trimmed();
    }

    if (name.isEmpty()) {
        reasons << InventoryText::tr("empty host");
        return false;
    }
    if (const auto address = canonicalAddress(name)) {
        host = *address;
        return true;
    }
    if (looksLikeIpv4(name)) {
        reasons << InventoryText::tr("bad address %1: not a valid IPv4 address").arg(quoted(name));
        return false;
    }
    if (name.contains(QLatin1Char('*'))) {
        reasons << InventoryText::tr("invalid host name %1: a wildcard cannot be connected to")
                       .arg(quoted(name));
        return false;
    }
    if (toAsciiHostName(name).isEmpty()) {
        reasons << InventoryText::tr("invalid host name %1").arg(quoted(name));
        return false;
    }
    if (const QString problem = hostNameProblem(name); !problem.isEmpty()) {
        reasons << InventoryText::tr("invalid host name %1: %2").arg(quoted(name), problem);
        return false;
    }
    host = name;
    return true;
}

std::optional<quint16> parsePort(const QString &text, QStringList &reasons) {
    const QString t = text.trimmed();
    if (!allDigits(t)) {
        reasons << InventoryText::tr("bad port %1: not a number").arg(quoted(t));
        return std::nullopt;
    }
    bool ok = false;
    const int value = t.size() > 5 ? 0 : t.toInt(&ok);
    if (!ok || value < 1 || value > 65535) {
        reasons << InventoryText::tr("bad port %1: must be between 1 and 65535").arg(quoted(t));
        return std::nullopt;
    }
    return quint16(value);
}

std::optional<int> parseDays(const QString &key, const QString &text, QStringList &reasons) {
    const QString t = text.trimmed();
    bool ok = false;
    const int value = allDigits(t) && t.size() <= 6 ? t.toInt(&ok) : 0;
    if (!ok || value < 1) {
        reasons << InventoryText::tr("bad number for %1: %2 (must be a positive whole number of days)")
                       .arg(key, quoted(t));
        return std::nullopt;
    }
    return value;
}

QStringList splitList(const QString &text, const QRegularExpression &separators) {
    QStringList items;
    const QStringList parts = text.split(separators, Qt::SkipEmptyParts);
    for (const QString &part : parts) {
        const QString item = part.trimmed();
        if (!item.isEmpty())
            items << item;
    }
    return items;
}

QStringList listValue(const RawTarget &raw, const QString &key, const QRegularExpression &sep) {
    if (raw.lists.contains(key)) {
        // Each item (a JSON array's string) is split like the text form: a tag "a,b" would be
        // written out as "a,b" and read back as two tags, so it is two tags from the start.
        QStringList items;
        for (const QString &item : raw.lists.value(key))
            items << splitList(item, sep);
        return items;
    }
    return splitList(raw.text.value(key), sep);
}

} // namespace

void parseAcceptance(const RawTarget &raw, TrustAcceptance &acceptance, QStringList &reasons) {
    if (raw.has(QStringLiteral("accept_self_signed"))) {
        const QString text = raw.text.value(QStringLiteral("accept_self_signed"));
        if (const auto flag = parseBool(text))
            acceptance.acceptSelfSigned = *flag;
        else
            reasons << InventoryText::tr("bad value for accept_self_signed: %1 (must be true or "
                                         "false)")
                           .arg(quoted(text));
    }
    if (raw.has(QStringLiteral("pin_issuer"))) {
        const QString issuer = raw.text.value(QStringLiteral("pin_issuer")).trimmed();
        if (issuer.isEmpty())
            reasons << InventoryText::tr("empty pin_issuer (give the issuer's name, e.g. "
                                         "pin_issuer=\"CN=Example CA, O=Example\")");
        else if (issuer.size() > kMaxPinIssuerLength)
            reasons << InventoryText::tr("pin_issuer %1 is too long (at most %2 characters)")
                           .arg(quoted(issuer), QString::number(kMaxPinIssuerLength));
        else
            acceptance.pinIssuer = issuer;
    }
    if (raw.has(QStringLiteral("pin_sha256"))) {
        const QString text = raw.text.value(QStringLiteral("pin_sha256"));
        if (const auto fingerprint = canonicalSha256(text))
            acceptance.pinSha256 = *fingerprint;
        else
            reasons << InventoryText::tr("bad pin_sha256 %1: a SHA-256 fingerprint is 32 bytes, "
                                         "64 hex digits, with or without ':'")
                           .arg(quoted(text));
    }
}

void parseConnection(const RawTarget &raw, ConnectionSettings &connection, QStringList &reasons) {
    const auto path = [&](const QString &key, QString &into) {
        if (!raw.has(key))
            return;
        const QString text = raw.text.value(key).trimmed();
        const bool control = std::any_of(text.begin(), text.end(),
                                         [](QChar c) { return c.category() == QChar::Other_Control; });
        if (text.isEmpty())
            reasons << InventoryText::tr("empty %1 (give the file's absolute path)").arg(key);
        else if (text.size() > kMaxPathLength)
            reasons << InventoryText::tr("%1 %2 is too long (at most %3 characters)")
                           .arg(key, quoted(text), QString::number(kMaxPathLength));
        else if (control)
            reasons << InventoryText::tr("%1 %2 holds a control character").arg(key, quoted(text));
        else if (!QDir::isAbsolutePath(text))
            reasons << InventoryText::tr("%1 %2 is not an absolute path (a scan may run from any "
                                         "folder, by cron or the window)")
                           .arg(key, quoted(text));
        else
            into = QDir::cleanPath(text);
    };
    path(QStringLiteral("client_cert"), connection.clientCertificate);
    path(QStringLiteral("client_key"), connection.clientKey);
    if (raw.has(QStringLiteral("client_key")) && !raw.has(QStringLiteral("client_cert")))
        reasons << InventoryText::tr("client_key without client_cert (give the certificate too)");
    if (raw.has(QStringLiteral("proxy"))) {
        const QString url = raw.text.value(QStringLiteral("proxy")).trimmed();
        const QString problem = url.isEmpty()
                                    ? InventoryText::tr("empty proxy (give a URL such as "
                                                        "http://proxy:3128, or %1 for none)")
                                          .arg(QString::fromLatin1(kDirectProxy))
                                    : proxyUrlProblem(url);
        if (problem.isEmpty())
            connection.proxy = url;
        else
            reasons << problem;
    }
}

const QStringList &targetKeys() {
    static const QStringList keys{
        QStringLiteral("name"),
        QStringLiteral("host"),
        QStringLiteral("port"),
        QStringLiteral("sni"),
        QStringLiteral("no_sni"),
        QStringLiteral("address"),
        QStringLiteral("starttls"),
        QStringLiteral("rotation"),
        QStringLiteral("warning"),
        QStringLiteral("critical"),
        QStringLiteral("tags"),
        QStringLiteral("owner"),
        QStringLiteral("notes"),
        QStringLiteral("enabled"),
        // Trust acceptance, after the original keys so that CSV columns keep their positions.
        QStringLiteral("accept_self_signed"),
        QStringLiteral("pin_issuer"),
        QStringLiteral("pin_sha256"),
        // How to reach the endpoint (mTLS, proxy): again after the others, for the same reason.
        QStringLiteral("client_cert"),
        QStringLiteral("client_key"),
        QStringLiteral("proxy"),
        // Online revocation checks (yes, no; none: the tags', else the global setting).
        QStringLiteral("check_revocation"),
    };
    return keys;
}

QString joinForMessage(const QStringList &items) {
    return items.join(QLatin1String(", "));
}

std::optional<bool> parseBool(const QString &text) {
    const QString t = text.trimmed().toLower();
    if (t == QLatin1String("true") || t == QLatin1String("yes") || t == QLatin1String("1") ||
        t == QLatin1String("on"))
        return true;
    if (t == QLatin1String("false") || t == QLatin1String("no") || t == QLatin1String("0") ||
        t == QLatin1String("off"))
        return false;
    return std::nullopt;
}

std::optional<Target> buildTarget(const RawTarget &input, const SourceLocation &where,
                                  QStringList &reasons) {
    // Line breaks in a value (a quoted CSV cell, a JSON "\r" escape, a stray CR in a line file)
    // are kept as LF, as the CSV reader keeps them: a CR would come back as LF from an exported
    // CSV, so the same target would not import the same.
    RawTarget raw = input;
    const auto normalizeLineEnds = [](QString &text) {
        if (text.contains(QLatin1Char('\r')))
            text.replace(QLatin1String("\r\n"), QLatin1String("\n")).replace(QLatin1Char('\r'), QLatin1Char('\n'));
    };
    for (QString &value : raw.text)
        normalizeLineEnds(value);
    for (QStringList &items : raw.lists) {
        for (QString &item : items)
            normalizeLineEnds(item);
    }

    static const QRegularExpression addressSeparators(QStringLiteral("[\\s,;]+"));
    static const QRegularExpression tagSeparators(QStringLiteral("[,;]"));

    const qsizetype before = reasons.size();
    Target target;
    target.origin = where;

    std::optional<QString> portInHost;
    // A host rejected for its type was reported already; "empty host" would only repeat it.
    const QString hostText = raw.text.value(QStringLiteral("host"));
    if (raw.alreadyReported.contains(QStringLiteral("host")))
        target.host.clear();
    else if (hostText.trimmed().isEmpty())
        reasons << InventoryText::tr("empty host");
    else
        parseHostToken(hostText, target.host, portInHost, raw.has(QStringLiteral("port")),
                       reasons);

    if (raw.has(QStringLiteral("starttls"))) {
        const QString key = raw.text.value(QStringLiteral("starttls"));
        if (const auto protocol = startTlsFromKey(key)) {
            target.startTls = *protocol;
        } else {
            reasons << InventoryText::tr("unknown STARTTLS protocol %1 (valid: %2)")
                           .arg(quoted(key.trimmed()), joinForMessage(startTlsKeys()));
        }
    }

    if (portInHost && raw.has(QStringLiteral("port"))) {
        reasons << InventoryText::tr("port given twice: in host (%1) and as port (%2)")
                       .arg(quoted(*portInHost), quoted(raw.text.value(QStringLiteral("port"))));
    } else if (portInHost || raw.has(QStringLiteral("port"))) {
        const QString text = portInHost ? *portInHost : raw.text.value(QStringLiteral("port"));
        if (const auto port = parsePort(text, reasons))
            target.port = *port;
    } else {
        target.port = defaultPort(target.startTls);
    }

    if (raw.has(QStringLiteral("no_sni"))) {
        const QString text = raw.text.value(QStringLiteral("no_sni"));
        if (const auto flag = parseBool(text))
            target.noSni = *flag;
        else
            reasons
                << InventoryText::tr("bad value for no_sni: %1 (must be true or false)").arg(quoted(text));
    }

    if (raw.has(QStringLiteral("enabled"))) {
        const QString text = raw.text.value(QStringLiteral("enabled"));
        if (const auto flag = parseBool(text))
            target.enabled = *flag;
        else
            reasons << InventoryText::tr("bad value for enabled: %1 (must be true or false)")
                           .arg(quoted(text));
    }

    if (raw.has(QStringLiteral("sni"))) {
        const QString sni = raw.text.value(QStringLiteral("sni")).trimmed();
        if (sni.isEmpty()) {
            reasons << InventoryText::tr("empty sni (use no_sni to send no server name)");
        } else if (canonicalAddress(sni)) {
            reasons
                << InventoryText::tr("bad sni %1: a server name cannot be an IP address").arg(quoted(sni));
        } else if (sni.contains(QLatin1Char('*')) || toAsciiHostName(sni).isEmpty()) {
            reasons << InventoryText::tr("invalid sni name %1").arg(quoted(sni));
        } else if (const QString problem = hostNameProblem(sni); !problem.isEmpty()) {
            reasons << InventoryText::tr("invalid sni name %1: %2").arg(quoted(sni), problem);
        } else if (target.noSni) {
            reasons << InventoryText::tr("sni and no_sni cannot be combined: sni=%1 sends a name, no_sni "
                                "sends none")
                           .arg(quoted(sni));
        } else {
            target.sni = sni;
        }
    }

    if (raw.has(QStringLiteral("address"))) {
        const QStringList items = listValue(raw, QStringLiteral("address"), addressSeparators);
        if (items.isEmpty())
            reasons << InventoryText::tr("bad address: empty (give one or more IP addresses)");
        for (const QString &item : items) {
            const auto address = canonicalAddress(item);
            if (!address) {
                reasons
                    << InventoryText::tr("bad address %1: not an IPv4 or IPv6 address").arg(quoted(item));
            } else if (!target.addresses.contains(*address)) {
                target.addresses << *address;
            }
        }
    }

    const auto days = [&](const QString &key) -> std::optional<int> {
        if (!raw.has(key))
            return std::nullopt;
        return parseDays(key, raw.text.value(key), reasons);
    };
    target.rotationDays = days(QStringLiteral("rotation"));
    target.warningDays = days(QStringLiteral("warning"));
    target.criticalDays = days(QStringLiteral("critical"));
    if (target.warningDays && target.criticalDays && *target.criticalDays > *target.warningDays) {
        reasons << InventoryText::tr("critical (%1 days) must not exceed warning (%2 days)")
                       .arg(*target.criticalDays)
                       .arg(*target.warningDays);
    }

    if (raw.has(QStringLiteral("tags"))) {
        for (const QString &tag : listValue(raw, QStringLiteral("tags"), tagSeparators)) {
            if (!target.tags.contains(tag))
                target.tags << tag;
        }
    }
    parseAcceptance(raw, target.acceptance, reasons);
    parseConnection(raw, target.connection, reasons);
    if (raw.has(QStringLiteral("check_revocation"))) {
        const QString text = raw.text.value(QStringLiteral("check_revocation"));
        if (const auto flag = parseBool(text))
            target.checkRevocation = *flag;
        else
            reasons << InventoryText::tr("bad value for check_revocation: %1 (must be yes or no)")
                           .arg(quoted(text));
    }
    target.name = raw.text.value(QStringLiteral("name")).trimmed();
    target.owner = raw.text.value(QStringLiteral("owner")).trimmed();
    target.notes = raw.text.value(QStringLiteral("notes")).trimmed();

    if (reasons.size() != before)
        return std::nullopt;
    return target;
}

} // namespace certdash::inventory
