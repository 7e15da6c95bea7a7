#pragma once

// Internal to the inventory parsers: the validation that every input format shares, so that a
// bad port reads the same whether it came from a line, a CSV cell or a JSON member.

#include "domain/Target.h"
#include "inventory/TargetParser.h"

#include <QCoreApplication>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace certdash::inventory {

class InventoryText {
    Q_DECLARE_TR_FUNCTIONS(certdash::Inventory)
};

// Values as the user wrote them, before validation. A key that was not given is absent; a key
// given with an empty value is present (and usually an error).
struct RawTarget {
    QMap<QString, QString> text;      // canonical key -> value
    QMap<QString, QStringList> lists; // "address" / "tags" given as a list (JSON arrays)
    QStringList alreadyReported;      // keys whose value was rejected before validation
    bool has(const QString &key) const { return text.contains(key) || lists.contains(key); }
};

// Every key a target accepts, in documentation order: name, host, port, sni, no_sni, ...
const QStringList &targetKeys();
// "a, b, c" for messages that list the valid choices.
QString joinForMessage(const QStringList &items);

// Validates one target. Each problem appends one reason; returns nullopt when there was any.
// "host" may carry a port ("example.com:8443", "[2001:db8::1]:443"); giving a port there and
// in "port" as well is an error.
std::optional<Target> buildTarget(const RawTarget &raw, const SourceLocation &where,
                                  QStringList &reasons);

// accept_self_signed, pin_issuer and pin_sha256 of raw, validated into acceptance (the fingerprint
// in canonical form); one reason per bad value.
constexpr int kMaxPinIssuerLength = 1024;
void parseAcceptance(const RawTarget &raw, TrustAcceptance &acceptance, QStringList &reasons);

// client_cert, client_key and proxy of raw, validated into connection (absolute, clean paths; a
// proxy URL without a password); one reason per bad value.
constexpr int kMaxPathLength = 4096;
void parseConnection(const RawTarget &raw, ConnectionSettings &connection, QStringList &reasons);

// "true"/"false" and friends (yes/no, 1/0, on/off), case-insensitive.
std::optional<bool> parseBool(const QString &text);

// The per-format parsers behind parseTargets(); duplicates are merged by the caller.
void parseLineFormat(const QString &text, const QString &source, ParsedTargets &out);
void parseCsvFormat(const QString &text, const QString &source, ParsedTargets &out);
void parseJsonFormat(const QByteArray &utf8, const QString &source, ParsedTargets &out);
void parseKubectlIngress(const QByteArray &utf8, const QString &source, ParsedTargets &out);
// Several kubectl outputs read as one cluster (ingress in one file, EndpointSlices in another).
struct KubectlInput {
    QByteArray utf8; // decoded by decodeInput()
    QString source;
};
void parseKubectlInputs(const QList<KubectlInput> &inputs, ParsedTargets &out);

} // namespace certdash::inventory
