#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QTimeZone>

#include <functional>
#include <optional>

namespace certdash {
class Database;
}

namespace certdash::cli {

// What `certdash report` asks of a document it cannot render itself (the evidence report as
// HTML or PDF needs Qt GUI and Qt Charts, which only ui/ links): the core stays free of widgets
// and the binary's composition root (ui/main.cpp) registers the formats it links.
struct DocumentRequest {
    QDateTime now;          // UTC
    QDateTime changesSince; // UTC: the report lists the changes first seen since then
    QTimeZone zone = QTimeZone::systemTimeZone(); // the reader's, for the dates it shows
};

struct DocumentOutput {
    QByteArray data;
    int results = 0;  // latest results the document covers (0: the store has none yet)
    int exitCode = 0; // as `certdash report` exits for those results (exitCodeForResults)
};

struct DocumentFormat {
    QString name;        // "html", as --format takes it (any case)
    QString description; // translated, one line for --help
    // Renders the document of the store into output; false with a translated *error.
    std::function<bool(Database &store, const DocumentRequest &request, DocumentOutput *output,
                       QString *error)>
        write;
};

// What the composition root adds to the commands the core has.
struct Extensions {
    QList<DocumentFormat> documentFormats;
};

// True when argv runs `certdash report` with a --format of extensions: that one needs a
// QGuiApplication (main() then makes one on the offscreen platform, so cron needs no display).
bool needsGuiApplication(int argc, char **argv, const Extensions &extensions);

// --since: an ISO 8601 date ("2026-11-30", the start of that day in zone), date and time
// ("2026-11-30T08:00", in zone unless it names its offset or Z), or a duration before now
// ("7d", "36h", "2w", "90m"). nullopt with a translated *error naming the option and the value.
std::optional<QDateTime> parseSince(const QString &text, const QDateTime &now,
                                    const QTimeZone &zone, QString *error);

} // namespace certdash::cli
