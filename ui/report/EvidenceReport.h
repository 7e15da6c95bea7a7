#pragma once

#include "storage/ChangeFeed.h"

#include "domain/ExpiryPolicy.h"
#include "domain/ProbeResult.h"
#include "storage/TagPolicy.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QDateTime>
#include <QImage>
#include <QList>
#include <QPair>
#include <QString>
#include <QTimeZone>

namespace certdash {

class Database;

// The evidence report (issue 16): a self-contained document a security engineer attaches to a
// ticket. The estate's summary (counts by status and trust, the expiry calendar and rotation
// health charts as images), the endpoints that need attention with their limiting certificate
// and findings in words, and the changes since a chosen date; dates in the reader's local time
// and UTC.
//
// Built in three steps so that a window never waits on it: readEvidence() reads the store (any
// thread, with its own connection), drawEvidenceCharts() renders the charts (the GUI thread: Qt
// Charts draws with widgets) and evidenceHtml()/evidencePdf() write the document (any thread).
struct EvidenceReport {
    QString storePath;
    int targetCount = 0;                          // stored targets, probed or not
    QDateTime generatedAt;                        // UTC
    QDateTime changesSince;                       // UTC
    QTimeZone zone = QTimeZone::systemTimeZone(); // the reader's
    QList<ProbeResult> results;                   // the latest result of every target address
    ExpiryPolicy global;
    QList<TagPolicy> tagPolicies;
    QList<Change> changes; // first seen in [changesSince, generatedAt), oldest first
    QImage calendarChart;
    QImage healthChart;
};

enum class EvidenceFormat { Html, Pdf };

// Reads what the report needs from the store: every latest result (with findings and the
// limiting certificate), the tag policies, the number of targets and the changes. False with a
// translated *error when the store cannot be read.
bool readEvidence(Database &db, EvidenceReport *report, QString *error);

// The estate charts of the window (EstateCharts) drawn on a white page as images. Needs a
// QApplication; call it on the GUI thread.
void drawEvidenceCharts(EvidenceReport &report);

// Summary counts: (status, target addresses) worst first; (trust label, target addresses) best
// first, with "no certificate read" last. Pure.
QList<QPair<Status, int>> evidenceStatusCounts(const QList<ProbeResult> &results);
QList<QPair<QString, int>> evidenceTrustCounts(const QList<ProbeResult> &results);
// The rows the window's "Needs attention" shows (needsAttention()), the worst first, then by
// days left, then by target. Pure.
QList<ProbeResult> evidenceAttention(const QList<ProbeResult> &results);
// A result's findings in words: its expiry (which certificate, in how long), each trust finding
// as the probe read it with what it means for clients and what to do, and the trust verdict in
// one sentence; or why no certificate was read. Pure.
QStringList evidenceFindingsInWords(const ProbeResult &result, const QDateTime &now);

// The document. The HTML embeds the charts as data: URIs and its CSS, and escapes every text
// from the store; the PDF is the same document laid out by Qt on A4 pages (QPdfWriter).
QByteArray evidenceHtml(const EvidenceReport &report);
QByteArray evidencePdf(const EvidenceReport &report);
QByteArray evidenceDocument(const EvidenceReport &report, EvidenceFormat format);
// "pdf" for a name ending in .pdf (any case), else HTML.
EvidenceFormat evidenceFormatForPath(const QString &path);

} // namespace certdash
