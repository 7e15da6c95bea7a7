#include "TargetParser.h"

#include "CsvReader.h"
#include "TargetFields.h"

#include <QFile>
#include <QJsonDocument>
#include <QSet>

#include <algorithm>
#include <cstdio>

namespace certdash {

using inventory::InventoryText;

namespace {

QString decodeUtf8(const QByteArray &content) {
    QString text = QString::fromUtf8(content);
    if (text.startsWith(QChar(0xFEFF)))
        text.remove(0, 1);
    return text;
}

// The first line that is neither blank nor a comment, trimmed.
QString firstContentLine(const QString &text) {
    qsizetype start = 0;
    while (start < text.size()) {
        qsizetype end = text.indexOf(QLatin1Char('\n'), start);
        if (end < 0)
            end = text.size();
        const QString line = text.mid(start, end - start).trimmed();
        if (!line.isEmpty() && !line.startsWith(QLatin1Char('#')))
            return line;
        start = end + 1;
    }
    return {};
}

// A line-format file may start with a bracketed IPv6 host, which also starts with '['.
bool startsWithBracketedAddress(const QString &line) {
    const qsizetype close = line.indexOf(QLatin1Char(']'));
    if (!line.startsWith(QLatin1Char('[')) || close < 0)
        return false;
    const QString inner = line.mid(1, close - 1);
    return inner.contains(QLatin1Char(':')) && canonicalAddress(inner).has_value();
}

// Mirrors Target::sameEndpoint() as a hashable key, so that merging stays linear on big lists.

} // namespace

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

TargetFormat detectTargetFormat(const QByteArray &content) {
    const QString text = decodeUtf8(content);
    const QString trimmed = text.trimmed();
    if (trimmed.startsWith(QLatin1Char('{')))
        return TargetFormat::Kubectl;
    if (trimmed.startsWith(QLatin1Char('['))) {
        QJsonParseError error;
        QJsonDocument::fromJson(trimmed.toUtf8(), &error);
        // Broken JSON still counts as JSON (its parse error is the useful message) unless the
        // text reads as a line-format file starting with "[2001:db8::1]:443".
        if (error.error == QJsonParseError::NoError ||
            !startsWithBracketedAddress(firstContentLine(text)))
            return TargetFormat::Json;
        return TargetFormat::Lines;
    }
    const QString header = firstContentLine(text);
    if (header.isEmpty())
        return TargetFormat::Lines;
    CsvOptions options;
    options.delimiter = detectCsvDelimiter(header);
    const CsvDocument doc = readCsv(header, options);
    if (!doc.records.isEmpty()) {
        for (const QString &cell : doc.records.first().fields) {
            if (cell.trimmed().compare(QLatin1String("host"), Qt::CaseInsensitive) == 0)
                return TargetFormat::Csv;
        }
    }
    return TargetFormat::Lines;
}

ParsedTargets parseTargets(const QByteArray &content, const QString &sourceName,
                           TargetFormat format) {
    if (format == TargetFormat::Auto)
        format = detectTargetFormat(content);

    ParsedTargets parsed;
    switch (format) {
    case TargetFormat::Json:
        inventory::parseJsonFormat(content, sourceName, parsed);
        break;
    case TargetFormat::Kubectl:
        inventory::parseKubectlIngress(content, sourceName, parsed);
        break;
    case TargetFormat::Csv:
        inventory::parseCsvFormat(decodeUtf8(content), sourceName, parsed);
        break;
    case TargetFormat::Auto:
    case TargetFormat::Lines:
        inventory::parseLineFormat(decodeUtf8(content), sourceName, parsed);
        break;
    }

    // The same endpoint listed twice would be probed and reported twice; keep the first.
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
    return parsed;
}

ParsedTargets readTargetsFile(const QString &path, TargetFormat format) {
    const bool isStdin = path == QLatin1String("-");
    const QString name = isStdin ? QStringLiteral("<stdin>") : path;
    QFile file;
    bool opened = false;
    if (isStdin) {
        opened = file.open(stdin, QIODevice::ReadOnly);
    } else {
        file.setFileName(path);
        opened = file.open(QIODevice::ReadOnly);
    }
    QByteArray content;
    if (opened)
        content = file.readAll();
    if (!opened || file.error() != QFileDevice::NoError) {
        ParsedTargets failed;
        failed.issues.append({SourceLocation{name, 0},
                              InventoryText::tr("cannot read: %1").arg(file.errorString())});
        return failed;
    }
    return parseTargets(content, name, format);
}

} // namespace certdash
