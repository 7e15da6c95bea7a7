#pragma once

// What the inventory harnesses check beyond "no crash": the promises a user relies on when a
// stranger's inventory is read. Each violation prints what broke and traps, so that libFuzzer
// keeps the input (and the replay test fails on it).
#include "domain/Target.h"
#include "inventory/InventoryExport.h"
#include "inventory/TargetParser.h"

#include <QByteArray>
#include <QRegularExpression>
#include <QSet>
#include <QString>
#include <QStringList>

#include <cstdio>
#include <cstdlib>

namespace certdash::fuzz {

// A message quotes excerpts (40 characters, escaped), never a whole value: whatever the input,
// one message stays well under this.
constexpr qsizetype kMaxMessageChars = 2048;

[[noreturn]] inline void violated(const char *what, const QString &detail = {})
{
    std::fprintf(stderr, "INVARIANT VIOLATED: %s\n  %s\n", what,
                 detail.left(600).toUtf8().constData());
    std::fflush(stderr);
    __builtin_trap();
}

inline void check(bool ok, const char *what, const QString &detail = {})
{
    if (!ok)
        violated(what, detail);
}

// Physical lines a location may name: every LF or CR may end one (CSV counts a lone CR).
inline int maxLine(const QByteArray &input)
{
    return int(input.count('\n') + input.count('\r')) + 1;
}

// The fields a user set, compared as the store would keep them (origin and ids aside).
inline QString describe(const Target &t)
{
    const auto days = [](const std::optional<int> &d) {
        return d ? QString::number(*d) : QStringLiteral("-");
    };
    // Joined, not QString::arg(): a value holding "%1" must not be substituted.
    const auto flag = [](bool b) { return b ? QStringLiteral("1") : QStringLiteral("0"); };
    return QStringList{t.name, t.host, QString::number(t.port), t.sni, flag(t.noSni),
                       t.addresses.join(QLatin1Char(' ')), startTlsKey(t.startTls),
                       days(t.rotationDays), days(t.warningDays), days(t.criticalDays),
                       t.tags.join(QLatin1String("\x1F")), t.owner, t.notes, flag(t.enabled),
                       flag(t.acceptance.acceptSelfSigned), t.acceptance.pinIssuer,
                       t.acceptance.pinSha256, t.connection.clientCertificate,
                       t.connection.clientKey, t.connection.proxy}
        .join(QLatin1Char('|'));
}

// "column N" in a message points into the line it names: at most one past its last character
// (counted here in bytes, which is never fewer than characters in UTF-8).
inline void checkColumn(const ParseIssue &issue, const QByteArray &input)
{
    if (issue.where.line < 1 || input.startsWith("\xFF\xFE") || input.startsWith("\xFE\xFF"))
        return; // UTF-16: lines are not bytes
    static const QRegularExpression columnText(QStringLiteral("column (\\d+)"));
    const QRegularExpressionMatch match = columnText.match(issue.reason);
    if (!match.hasMatch())
        return;
    const QList<QByteArray> lines = input.split('\n');
    if (issue.where.line > lines.size())
        return; // said by the line check
    const qsizetype column = match.captured(1).toLongLong();
    const qsizetype length = lines.at(issue.where.line - 1).size();
    check(column >= 1 && column <= length + 1, "a message's column is outside its line",
          QStringLiteral("column %1 of line %2 (%3 bytes): %4")
              .arg(column)
              .arg(issue.where.line)
              .arg(length)
              .arg(issue.reason));
}

// Targets, issues and messages of one parse, whatever the input.
inline void checkParsed(const ParsedTargets &parsed, const QByteArray &input, const QString &source)
{
    const int lines = maxLine(input);
    QSet<QString> endpoints;
    for (const Target &t : parsed.targets) {
        check(!t.host.trimmed().isEmpty(), "a parsed target has an empty host", describe(t));
        check(t.port >= 1, "a parsed target has port 0", describe(t));
        // Format characters (a zero-width joiner after a virama, or those IDNA ignores) may
        // stay as written; control characters and blanks may not.
        for (const char32_t c : t.host.toUcs4())
            check(QChar::category(c) != QChar::Other_Control && !QChar::isSpace(c),
                  "a parsed host holds a blank or control character", describe(t));
        check(!t.asciiHost().isEmpty(), "a parsed host has no ASCII form to connect to",
              describe(t));
        check(t.origin.file == source, "a target does not name its source", t.origin.file);
        check(t.origin.line >= 0 && t.origin.line <= lines, "a target's line is outside the input",
              QString::number(t.origin.line));
        const QString key = endpointKey(t);
        check(!endpoints.contains(key), "the same endpoint was kept twice", key);
        endpoints.insert(key);
    }
    check(parsed.issues.size() <= kMaxListedIssues, "more issues listed than the limit");
    check(parsed.rejected <= parsed.issueCount(), "more entries rejected than problems found");
    for (const ParseIssue &issue : parsed.issues) {
        check(issue.where.line >= 0 && issue.where.line <= lines,
              "an issue's line is outside the input",
              QStringLiteral("line %1 of %2: %3").arg(issue.where.line).arg(lines).arg(issue.reason));
        check(!issue.reason.isEmpty(), "an issue without a reason");
        checkColumn(issue, input);
    }
    for (const QString &message : parsed.messages())
        check(message.size() <= kMaxMessageChars + source.size(),
              "a message is not bounded (it quotes more than an excerpt)",
              QStringLiteral("%1 characters: %2").arg(message.size()).arg(message));
}

// `certdash export` then `certdash import` gives the same targets back (README: "the inventory in
// forms `certdash import` reads back to the same targets"), as CSV and as JSON.
inline void checkRoundTrip(const ParsedTargets &parsed)
{
    if (parsed.targets.isEmpty())
        return;
    const struct {
        TargetFormat format;
        QByteArray text;
        const char *name;
    } exports[] = {
        {TargetFormat::Csv, inventoryToCsv(parsed.targets), "CSV"},
        {TargetFormat::Json, inventoryToJson(parsed.targets), "JSON"},
    };
    for (const auto &exported : exports) {
        const ParsedTargets back =
            parseTargets(exported.text, QStringLiteral("export"), exported.format);
        if (!back.ok())
            violated(exported.format == TargetFormat::Csv ? "an exported CSV inventory does not import"
                                                          : "an exported JSON inventory does not import",
                     back.messages().join(QLatin1Char('\n')));
        if (back.targets.size() != parsed.targets.size())
            violated("export/import changes the number of targets",
                     QStringLiteral("%1: %2 -> %3")
                         .arg(QLatin1String(exported.name))
                         .arg(parsed.targets.size())
                         .arg(back.targets.size()));
        for (qsizetype i = 0; i < back.targets.size(); ++i) {
            const QString before = describe(parsed.targets.at(i));
            const QString after = describe(back.targets.at(i));
            if (before != after)
                violated(exported.format == TargetFormat::Csv ? "CSV export/import changes a target"
                                                              : "JSON export/import changes a target",
                         before + QStringLiteral("\n  ") + after);
        }
    }
}

} // namespace certdash::fuzz
