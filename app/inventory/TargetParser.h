#pragma once

#include "domain/Target.h"

#include <QByteArray>
#include <QFile>
#include <QList>
#include <QPair>
#include <QString>

#include <optional>

namespace certdash {

// One problem in a target list, located so that the user can jump to it.
struct ParseIssue {
    SourceLocation where; // line 0 when the problem concerns the whole file or has no line
    QString reason;
    QString toString() const; // "FILE:LINE: reason" (or "FILE: reason" without a line)
};

// Bounds on a targets input, whatever its format or where it comes from (documented in the
// README, "The store and the inventory").
constexpr qint64 kMaxTargetsInputBytes = 64 * 1024 * 1024; // a whole file or standard input
constexpr qsizetype kMaxTargetEntryChars = 64 * 1024; // a line, a CSV record, a JSON string
constexpr qsizetype kMaxListedIssues = 20; // problems kept in full; the rest are counted

struct ParsedTargets {
    QList<Target> targets;    // in file order; each carries its origin (file, line)
    QList<ParseIssue> issues; // the first kMaxListedIssues problems, in file order
    qsizetype moreIssues = 0; // problems found after those (counted, not kept)
    qsizetype rejected = 0;   // entries with at least one problem
    int duplicatesMerged = 0; // later entries for an endpoint already listed (first one kept)
    QString source;           // the name messages use for the input
    QString formatNote;       // how Auto chose the format, when the input did not read well
    // What was read but deliberately not imported, and why (a pod that is not ready, a Service
    // whose EndpointSlices are not in the input): said, but not a problem (ok() stays true).
    QStringList notes;
    bool ok() const { return issues.isEmpty(); }
    qsizetype issueCount() const { return issues.size() + moreIssues; }
    // Records a problem; `entry` tells entries apart that share a location (kubectl items).
    void addIssue(const SourceLocation &where, const QString &reason, const QString &entry = {});
    // What to show: the issues, then "SOURCE: and N more problems", the notes (at most
    // kMaxListedIssues, then "and N more notes"), then the format note.
    QStringList messages() const;
    // Appends what another input gave (several files imported at once).
    void absorb(const ParsedTargets &other);

private:
    SourceLocation m_lastWhere; // of the last issue: a new location is a new rejected entry
    QString m_lastEntry;
};

enum class TargetFormat { Auto, Lines, Csv, Json, Kubectl };

// "auto", "lines" (also "txt"), "csv", "json"; nullopt for anything else.
std::optional<TargetFormat> targetFormatFromKey(const QString &key);
QStringList targetFormatKeys();

// What Auto resolves to for this content: kubectl when it is a JSON object (`kubectl get ingress
// -A -o json`), JSON when it starts with '[' followed by '{', ']', '"' or nothing (a line file
// may start with "[2001:db8::1]:443"), CSV when the first line that is neither blank nor a
// comment has a cell named "host", else the line format. `why`, when given, says what decided
// ("" for the plain line format, when nothing pointed elsewhere).
TargetFormat detectTargetFormat(const QByteArray &content, QString *why = nullptr);

// Encodings: UTF-8 (a BOM is ignored, wherever it is) or UTF-16 with a BOM; anything else (bytes that
// are not UTF-8, NUL bytes, UTF-32) refuses the whole input with one issue. So does an input
// larger than kMaxTargetsInputBytes. A line (CSV record, JSON string) longer than
// kMaxTargetEntryChars is refused on its own.
// Formats:
// - Lines: `host[:port] [sni=NAME] [no_sni] [address=IP[,IP...]] [starttls=PROTO] [name=LABEL]
//   [rotation=DAYS] [warning=DAYS] [critical=DAYS] [tags=a,b] [owner=X] [notes=TEXT]`, one per
//   line; values may be "double-quoted" (\" and \\ escape inside quotes); `#` starts a comment at
//   the start of a line or after whitespace. IPv6 hosts with a port go in brackets; a bare
//   IPv6 host that could also read as ADDRESS:PORT ("2001:db8::1:8443": digits after the last
//   colon, an address before it) is refused unless the port is given apart (CSV, JSON).
// - Csv: a header row naming the columns (name, host, port, sni, no_sni, address, starttls,
//   rotation, warning, critical, tags, owner, notes) in any order and case; `,` or `;` delimited;
//   empty cells mean "not given"; records starting with an unquoted `#` are comments.
// - Json: an array of objects with those keys; messages name the item by its array index
//   (0-based, as in jq's `.[N]`) and the line the object starts on.
// - Kubectl: `kubectl get ingress -A -o json`; hosts from spec.tls[].hosts and spec.rules[].host,
//   port 443, tags "namespace:NS" and "ingress:NAME". Wildcard hosts are rejected (not probeable).
//   With EndpointSlices in the input (a List of several kinds, or several files), one target more
//   per ready pod address behind each TLS host (KubectlEndpoints.cpp); Services and Pods in the
//   input help match ports and name pods.
ParsedTargets parseTargets(const QByteArray &content, const QString &sourceName,
                           TargetFormat format = TargetFormat::Auto);

// Several inputs (content, name) imported at once: each is read in its own format, except that
// every kubectl output among them is read as one cluster (`kubectl get ingress -A -o json` in one
// file, `kubectl get endpointslices -A -o json` in another). Duplicates are merged across inputs.
ParsedTargets parseTargetInputs(const QList<QPair<QByteArray, QString>> &inputs,
                                TargetFormat format = TargetFormat::Auto);

// Reads at most kMaxTargetsInputBytes + 1 bytes from an open file (standard input, a pipe or
// /dev/zero included). nullopt, with *error, when it is larger ("larger than 64 MiB; split it
// into smaller files") or cannot be read.
std::optional<QByteArray> readTargetsInput(QFile &file, QString *error);

// Reads and parses a file; "-" reads standard input (named "<stdin>" in messages). An unreadable
// or oversized file gives one issue "FILE: cannot read: why" / "FILE: larger than 64 MiB; ...".
ParsedTargets readTargetsFile(const QString &path, TargetFormat format = TargetFormat::Auto);
// readTargetsFile for several files read as one input (parseTargetInputs); an unreadable file is
// one issue and the others are still read.
ParsedTargets readTargetsFiles(const QStringList &paths, TargetFormat format = TargetFormat::Auto);

} // namespace certdash
