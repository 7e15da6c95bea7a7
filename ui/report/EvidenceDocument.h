#pragma once

// The parts of the evidence report's document, shared by the HTML (one page) and the PDF (laid
// out page by page, a table row never cut in two). Internal to ui/report.
#include "EvidenceReport.h"

#include <QCoreApplication>
#include <QString>
#include <QStringList>

namespace certdash {

struct DocumentText {
    Q_DECLARE_TR_FUNCTIONS(certdash::EvidenceReport)
};

// A heading (and its note), then a table of rows under a header row (none: the heading says
// why, "nothing changed").
struct EvidenceSection {
    QString heading;  // HTML
    QString header;   // one <tr> of <th>, with the column widths
    QStringList rows; // one <tr> each
    bool newPage = false;
};

QString evidenceHead(); // <!DOCTYPE html> ... <body>, with the style sheet
QString evidenceIntro(const EvidenceReport &report, const QString &calendarSrc,
                      const QString &healthSrc); // title, metadata, summary, charts
QList<EvidenceSection> evidenceSections(const EvidenceReport &report);
QString evidenceTable(const QString &header, const QString &rows);
QString evidenceFooter();

} // namespace certdash
