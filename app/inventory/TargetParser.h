#pragma once

#include "domain/Target.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace certdash {

// One problem in a target list, located so that the user can jump to it.
struct ParseIssue {
    SourceLocation where; // line 0 when the problem concerns the whole file or has no line
    QString reason;
    QString toString() const; // "FILE:LINE: reason" (or "FILE: reason" without a line)
};

struct ParsedTargets {
    QList<Target> targets;    // in file order; each carries its origin (file, line)
    QList<ParseIssue> issues; // every problem found, not just the first
    int duplicatesMerged = 0; // later entries for an endpoint already listed (first one kept)
    bool ok() const { return issues.isEmpty(); }
};

enum class TargetFormat { Auto, Lines, Csv, Json, Kubectl };

// "auto", "lines" (also "txt"), "csv", "json"; nullopt for anything else.
std::optional<TargetFormat> targetFormatFromKey(const QString &key);
QStringList targetFormatKeys();

// What Auto resolves to for this content: kubectl when it is a JSON object (`kubectl get ingress
// -A -o json`), JSON when it starts with a JSON array, CSV when the
// first line that is neither blank nor a comment has a cell named "host", else the line format.
TargetFormat detectTargetFormat(const QByteArray &content);

// Formats (all UTF-8, a leading BOM is ignored):
// - Lines: `host[:port] [sni=NAME] [no_sni] [address=IP[,IP...]] [starttls=PROTO] [name=LABEL]
//   [rotation=DAYS] [warning=DAYS] [critical=DAYS] [tags=a,b] [owner=X] [notes=TEXT]`, one per
//   line; values may be "double-quoted" (\" and \\ escape inside quotes); `#` starts a comment at
//   the start of a line or after whitespace. IPv6 hosts with a port go in brackets.
// - Csv: a header row naming the columns (name, host, port, sni, no_sni, address, starttls,
//   rotation, warning, critical, tags, owner, notes) in any order and case; `,` or `;` delimited;
//   empty cells mean "not given"; records starting with an unquoted `#` are comments.
// - Json: an array of objects with those keys; messages name the item by its array index
//   (0-based, as in jq's `.[N]`) and the line the object starts on.
// - Kubectl: `kubectl get ingress -A -o json`; hosts from spec.tls[].hosts and spec.rules[].host,
//   port 443, tags "namespace:NS" and "ingress:NAME". Wildcard hosts are rejected (not probeable).
ParsedTargets parseTargets(const QByteArray &content, const QString &sourceName,
                           TargetFormat format = TargetFormat::Auto);

// Reads and parses a file; "-" reads standard input (named "<stdin>" in messages). An unreadable
// file gives one issue "FILE: cannot read: why".
ParsedTargets readTargetsFile(const QString &path, TargetFormat format = TargetFormat::Auto);

} // namespace certdash
