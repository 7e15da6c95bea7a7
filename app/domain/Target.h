#pragma once

#include "Connection.h"
#include "Trust.h"

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <optional>

namespace certdash {

// Protocols whose plaintext dialogue upgrades to TLS. None means implicit TLS.
enum class StartTls { None, Smtp, Imap, Pop3, Ftp, Ldap, Xmpp, Postgres };

QString startTlsKey(StartTls protocol); // "smtp", "" for None
std::optional<StartTls> startTlsFromKey(const QString &key);
QStringList startTlsKeys(); // every accepted key, for messages
quint16 defaultPort(StartTls protocol); // 443 for None, 25 for smtp, ...

// Where a target came from, so that every message about it can say FILE:LINE.
struct SourceLocation
{
    QString file;
    int line = 0;
    QString toString() const; // "targets.txt:12", or "" when unknown
};

// One endpoint to watch, as the user wrote it. Resolution happens at probe time.
struct Target
{
    qint64 id = 0;  // database id; 0 = not stored (a --targets file, a new entry)
    QString name;   // optional label
    QString host;   // DNS name (Unicode allowed), IPv4, or IPv6 without brackets
    quint16 port = 443;
    QString sni;    // explicit SNI override; empty means "derive from host"
    bool noSni = false;
    QStringList addresses; // pinned IP addresses; empty means resolve host
    StartTls startTls = StartTls::None;
    std::optional<int> warningDays;
    std::optional<int> criticalDays;
    std::optional<int> rotationDays;
    // Trust acceptance (accept_self_signed, pin_issuer, pin_sha256). Before a probe it holds the
    // effective one (the target's own, else its tags', see effectiveAcceptance).
    TrustAcceptance acceptance;
    // Client certificate and proxy of this target itself (tags and settings may add theirs: see
    // effectiveConnection). Paths and URLs only, never a secret.
    ConnectionSettings connection;
    // Online revocation checks (check_revocation=yes|no): the target's own choice; before a probe
    // it holds the effective one (its own, else its tags', see effectiveRevocationCheck). none:
    // the global setting decides. "no" is how a target that must not reach the internet (an
    // offline network) is kept from asking its CA.
    std::optional<bool> checkRevocation;
    QStringList tags;
    QString owner;
    QString notes;
    bool enabled = true;  // disabled targets stay in the inventory but are not probed
    QDateTime createdAt;  // UTC; set by the store
    QDateTime updatedAt;  // UTC; set by the store
    SourceLocation origin;

    bool hostIsAddress() const;
    // The host in ASCII form for DNS and name checks (punycode for IDN, unchanged for IPs).
    QString asciiHost() const;
    // The server name sent in the ClientHello and verified against the certificate, in ASCII.
    // Empty when no SNI is sent: no_sni, or host is an IP literal and no sni= was given.
    QString effectiveSni() const;
    // The identity the certificate must match: effectiveSni(), else the host IP literal.
    QString verificationIdentity() const;
    // "host:port" with IPv6 in brackets.
    QString hostPort() const;
    // The label shown and reported: name if set, else hostPort().
    QString label() const;

    // Same endpoint: host, port, SNI and pinned addresses (used to reject duplicates).
    bool sameEndpoint(const Target &other) const;
};

// The identity of an endpoint, as one string: ASCII host, port, the SNI actually sent, no_sni,
// pinned addresses (canonical, sorted, de-duplicated) and STARTTLS. Two targets with the same key
// probe the same thing; the store keeps it unique and the parsers merge duplicates by it.
QString endpointKey(const Target &target);

// Parses an IP literal (IPv4, or IPv6 with or without brackets). Returns the canonical text form.
std::optional<QString> canonicalAddress(const QString &text);

// Punycode of a Unicode host name; empty when the name is not a valid host name.
QString toAsciiHostName(const QString &host);

} // namespace certdash
