#include "TargetParser.h"

#include "CsvReader.h"
#include "InputText.h"
#include "TargetFields.h"

#include <QFile>
#include <QRegularExpression>
#include <QSet>

#include <cstdio>

namespace certdash {

using inventory::InputProblem;
using inventory::InventoryText;
using inventory::decodeInput;
using inventory::quoteExcerpt;

namespace {

// Text that decodeInput() accepted: UTF-8 without a BOM.
QString decodeUtf8(const QByteArray &utf8) {
    return QString::fromUtf8(utf8);
}

bool isBlank(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// The first line that is neither blank nor a comment, trimmed (UTF-8 in, no copy of the rest).
QByteArrayView firstContentLine(QByteArrayView text) {
    qsizetype start = 0;
    while (start < text.size()) {
        qsizetype end = text.indexOf('\n', start);
        if (end < 0)
            end = text.size();
        const QByteArrayView line = text.sliced(start, end - start).trimmed();
        if (!line.isEmpty() && !line.startsWith('#'))
            return line;
        start = end + 1;
    }
    return {};
}

QString formatName(TargetFormat format) {
    switch (format) {
    case TargetFormat::Json:
        return InventoryText::tr("a JSON array");
    case TargetFormat::Kubectl:
        return InventoryText::tr("kubectl JSON");
    case TargetFormat::Csv:
        return InventoryText::tr("CSV");
    case TargetFormat::Auto:
    case TargetFormat::Lines:
        break;
    }
    return InventoryText::tr("a line list");
}

QString tooLargeText() {
    return InventoryText::tr("larger than %1 MiB (the limit for a targets input); split it into "
                             "smaller files")
        .arg(kMaxTargetsInputBytes / (1024 * 1024));
}

} // namespace

void ParsedTargets::addIssue(const SourceLocation &where, const QString &reason,
                             const QString &entry) {
    if (issueCount() == 0 || where.line != m_lastWhere.line || where.file != m_lastWhere.file ||
        entry != m_lastEntry) {
        ++rejected;
        m_lastWhere = where;
        m_lastEntry = entry;
    }
    if (issues.size() < kMaxListedIssues)
        issues.append({where, reason});
    else
        ++moreIssues;
}

QStringList ParsedTargets::messages() const {
    QStringList lines;
    for (const ParseIssue &issue : issues)
        lines << issue.toString();
    if (moreIssues > 0) {
        const QString more = moreIssues == 1
                                 ? InventoryText::tr("and 1 more problem")
                                 : InventoryText::tr("and %1 more problems").arg(moreIssues);
        lines << (source.isEmpty() ? more : QStringLiteral("%1: %2").arg(source, more));
    }
    for (qsizetype i = 0; i < notes.size() && i < kMaxListedIssues; ++i)
        lines << notes.at(i);
    if (notes.size() > kMaxListedIssues) {
        const QString more = InventoryText::tr("and %1 more notes").arg(notes.size() - kMaxListedIssues);
        lines << (source.isEmpty() ? more : QStringLiteral("%1: %2").arg(source, more));
    }
    if (!formatNote.isEmpty())
        lines << formatNote;
    return lines;
}

void ParsedTargets::absorb(const ParsedTargets &other) {
    targets << other.targets;
    for (const ParseIssue &issue : other.issues) {
        if (issues.size() < kMaxListedIssues)
            issues.append(issue);
        else
            ++moreIssues;
    }
    moreIssues += other.moreIssues;
    rejected += other.rejected;
    duplicatesMerged += other.duplicatesMerged;
    notes << other.notes;
    if (!other.formatNote.isEmpty())
        formatNote = formatNote.isEmpty() ? other.formatNote
                                          : formatNote + QLatin1Char('\n') + other.formatNote;
}

QString ParseIssue::toString() const {
    const QString location = where.toString();
    return location.isEmpty() ? reason : QStringLiteral("%1: %2").arg(location, reason);
}

std::optional<TargetFormat> targetFormatFromKey(const QString &key) {
    const QString k = key.trimmed().toLower();
    if (k == QLatin1String("auto"))
        return TargetFormat::Auto;
    if (k == QLatin1String("lines") || k == QLatin1String("txt") || k == QLatin1String("text"))
        return TargetFormat::Lines;
    if (k == QLatin1String("csv"))
        return TargetFormat::Csv;
    if (k == QLatin1String("json"))
        return TargetFormat::Json;
    if (k == QLatin1String("kubectl"))
        return TargetFormat::Kubectl;
    return std::nullopt;
}

QStringList targetFormatKeys() {
    return {QStringLiteral("auto"), QStringLiteral("lines"), QStringLiteral("csv"),
            QStringLiteral("json"), QStringLiteral("kubectl")};
}

TargetFormat detectTargetFormat(const QByteArray &content, QString *why) {
    const auto decide = [&](TargetFormat format, const QString &because) {
        if (why)
            *why = because;
        return format;
    };
    // Only a byte order mark (anywhere: decodeInput drops them) needs decoding first; otherwise
    // look at the bytes as they are.
    QByteArray utf8 = content;
    if (content.contains("\xEF\xBB\xBF") || content.startsWith("\xFF\xFE") ||
        content.startsWith("\xFE\xFF")) {
        InputProblem problem;
        if (!decodeInput(content, &utf8, &problem))
            utf8 = content;
    }
    const QByteArrayView text(utf8);
    qsizetype first = 0;
    while (first < text.size() && isBlank(text.at(first)))
        ++first;
    if (first < text.size() && text.at(first) == '{')
        return decide(TargetFormat::Kubectl, InventoryText::tr("it starts with '{'"));
    if (first < text.size() && text.at(first) == '[') {
        // A JSON array of targets holds objects; a line list may start with "[2001:db8::1]:443"
        // (or a mistyped "[::1:443"): only '{', ']', '"', '[' or nothing after the '[' is JSON.
        qsizetype next = first + 1;
        while (next < text.size() && isBlank(text.at(next)))
            ++next;
        if (next >= text.size() || QByteArrayView("{]\"[").contains(text.at(next))) {
            QString start = QString::fromUtf8(text.sliced(first, qMin(next + 1, text.size()) - first));
            start.remove(QRegularExpression(QStringLiteral("\\s")));
            return decide(TargetFormat::Json,
                          InventoryText::tr("it starts with %1").arg(quoteExcerpt(start)));
        }
        return decide(TargetFormat::Lines,
                      InventoryText::tr("it starts with '[' but not with a JSON array of "
                                        "objects, so the '[' opens a bracketed IPv6 address"));
    }
    const QByteArrayView headerBytes = firstContentLine(text);
    if (headerBytes.isEmpty())
        return decide(TargetFormat::Lines, QString());
    if (headerBytes.size() <= kMaxTargetEntryChars) {
        const QString header = QString::fromUtf8(headerBytes);
        CsvOptions options;
        options.delimiter = detectCsvDelimiter(header);
        const CsvDocument doc = readCsv(header, options);
        if (!doc.records.isEmpty()) {
            for (const QString &cell : doc.records.first().fields) {
                if (cell.trimmed().compare(QLatin1String("host"), Qt::CaseInsensitive) == 0)
                    return decide(TargetFormat::Csv,
                                  InventoryText::tr("its first line has a cell named 'host'"));
            }
        }
    }
    return decide(TargetFormat::Lines, QString()); // the plain case: nothing to explain
}

namespace {

// Size and encoding checks, then the format (Auto resolved); false with an issue when the input
// cannot be read at all.
bool prepareInput(const QByteArray &content, const QString &sourceName, TargetFormat &format,
                  QByteArray &utf8, QString &why, ParsedTargets &parsed) {
    if (content.size() > kMaxTargetsInputBytes) {
        parsed.addIssue(SourceLocation{sourceName, 0}, tooLargeText());
        return false;
    }
    InputProblem problem;
    if (!decodeInput(content, &utf8, &problem)) {
        parsed.addIssue(SourceLocation{sourceName, problem.line}, problem.reason);
        return false;
    }
    if (format == TargetFormat::Auto)
        format = detectTargetFormat(utf8, &why);
    return true;
}

// A guess that read nothing: say what was tried and why, so that a wrong guess is visible.
void noteGuess(bool guessed, const QString &why, const QString &sourceName, TargetFormat format,
               ParsedTargets &parsed) {
    if (guessed && !why.isEmpty() && !parsed.ok() && parsed.targets.isEmpty()) {
        parsed.formatNote = InventoryText::tr("%1: read as %2 because %3")
                                .arg(sourceName, formatName(format), why);
    }
}

// The same endpoint listed twice would be probed and reported twice; keep the first.
void mergeDuplicates(ParsedTargets &parsed) {
    QSet<QString> seen;
    QList<Target> unique;
    unique.reserve(parsed.targets.size());
    for (const Target &target : std::as_const(parsed.targets)) {
        if (seen.contains(endpointKey(target))) {
            ++parsed.duplicatesMerged;
            continue;
        }
        seen.insert(endpointKey(target));
        unique.append(target);
    }
    parsed.targets = unique;
}

// Reads a file (or "-") whole; nullopt with an issue in *failed when it cannot be read.
std::optional<QByteArray> readWhole(const QString &path, const QString &name, ParsedTargets &failed) {
    const bool isStdin = path == QLatin1String("-");
    QFile file;
    bool opened = false;
    if (isStdin) {
        opened = file.open(stdin, QIODevice::ReadOnly);
    } else {
        file.setFileName(path);
        opened = file.open(QIODevice::ReadOnly);
    }
    QString error;
    std::optional<QByteArray> content;
    if (opened)
        content = readTargetsInput(file, &error);
    if (!content) {
        const bool ioError = !opened || file.error() != QFileDevice::NoError;
        failed.addIssue(SourceLocation{name, 0},
                        ioError ? InventoryText::tr("cannot read: %1").arg(file.errorString())
                                : error);
    }
    return content;
}

QString displayName(const QString &path) {
    return path == QLatin1String("-") ? QStringLiteral("<stdin>") : path;
}

} // namespace

ParsedTargets parseTargets(const QByteArray &content, const QString &sourceName,
                           TargetFormat format) {
    ParsedTargets parsed;
    parsed.source = sourceName;
    QByteArray utf8;
    QString why;
    const bool guessed = format == TargetFormat::Auto;
    if (!prepareInput(content, sourceName, format, utf8, why, parsed))
        return parsed;

    switch (format) {
    case TargetFormat::Json:
        inventory::parseJsonFormat(utf8, sourceName, parsed);
        break;
    case TargetFormat::Kubectl:
        inventory::parseKubectlIngress(utf8, sourceName, parsed);
        break;
    case TargetFormat::Csv:
        inventory::parseCsvFormat(decodeUtf8(utf8), sourceName, parsed);
        break;
    case TargetFormat::Auto:
    case TargetFormat::Lines:
        inventory::parseLineFormat(decodeUtf8(utf8), sourceName, parsed);
        break;
    }
    noteGuess(guessed, why, sourceName, format, parsed);
    mergeDuplicates(parsed);
    return parsed;
}

ParsedTargets parseTargetInputs(const QList<QPair<QByteArray, QString>> &inputs, TargetFormat format) {
    if (inputs.size() == 1)
        return parseTargets(inputs.first().first, inputs.first().second, format);
    ParsedTargets all;
    QStringList names;
    QList<inventory::KubectlInput> kubectl;
    for (const auto &[content, name] : inputs) {
        names << name;
        ParsedTargets one;
        one.source = name;
        TargetFormat resolved = format;
        QByteArray utf8;
        QString why;
        if (!prepareInput(content, name, resolved, utf8, why, one)) {
            all.absorb(one);
            continue;
        }
        if (resolved == TargetFormat::Kubectl) {
            kubectl << inventory::KubectlInput{utf8, name}; // read together: one cluster
            continue;
        }
        all.absorb(parseTargets(content, name, format));
    }
    if (!kubectl.isEmpty()) {
        ParsedTargets cluster;
        cluster.source = kubectl.first().source;
        inventory::parseKubectlInputs(kubectl, cluster);
        all.absorb(cluster);
    }
    all.source = names.join(QStringLiteral(", "));
    mergeDuplicates(all);
    return all;
}

std::optional<QByteArray> readTargetsInput(QFile &file, QString *error) {
    // Chunks, never readAll(): /dev/zero or `yes |` never end, and a size of 0 says nothing.
    constexpr qint64 chunk = 1024 * 1024;
    QByteArray content;
    for (;;) {
        const qint64 want = qMin<qint64>(chunk, kMaxTargetsInputBytes + 1 - content.size());
        if (want <= 0)
            break;
        const qsizetype old = content.size();
        content.resize(old + want);
        const qint64 got = file.read(content.data() + old, want);
        if (got < 0) {
            *error = file.errorString();
            return std::nullopt;
        }
        content.resize(old + got);
        if (got == 0)
            break;
    }
    if (content.size() > kMaxTargetsInputBytes) {
        *error = tooLargeText();
        return std::nullopt;
    }
    return content;
}

ParsedTargets readTargetsFile(const QString &path, TargetFormat format) {
    return readTargetsFiles({path}, format);
}

ParsedTargets readTargetsFiles(const QStringList &paths, TargetFormat format) {
    QList<QPair<QByteArray, QString>> inputs;
    ParsedTargets failed;
    for (const QString &path : paths) {
        const QString name = displayName(path);
        if (auto content = readWhole(path, name, failed))
            inputs.append({*content, name});
    }
    if (inputs.isEmpty() || (paths.size() == 1 && !failed.ok())) {
        failed.source = paths.isEmpty() ? QString() : displayName(paths.first());
        return failed;
    }
    ParsedTargets parsed = parseTargetInputs(inputs, format);
    if (!failed.ok()) {
        failed.absorb(parsed);
        failed.source = parsed.source;
        return failed;
    }
    return parsed;
}

} // namespace certdash
