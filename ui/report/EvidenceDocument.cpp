// The evidence report as HTML (self-contained) and as PDF (the same document laid out by Qt).
#include "EvidenceDocument.h"
#include "EvidenceReport.h"

#include "charts/ChartStyle.h"

#include <QBuffer>
#include <QLocale>

namespace certdash {

namespace {
QString esc(const QString &text) {
    return text.toHtmlEscaped();
}

// "7 Dec 2026 18:40 CET" and "2026-12-07 17:40 UTC": the reader's clock first, the store's next.
QString localTime(const QDateTime &at, const QTimeZone &zone) {
    const QDateTime local = at.toTimeZone(zone);
    return QLocale().toString(local.date(), QLocale::ShortFormat) + u' ' +
           local.time().toString(QStringLiteral("HH:mm")) + u' ' + zone.abbreviation(local);
}

QString utcTime(const QDateTime &at) {
    return at.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm")) + QStringLiteral(" UTC");
}

QString bothTimes(const QDateTime &at, const QTimeZone &zone) {
    if (!at.isValid())
        return DocumentText::tr("unknown");
    return esc(localTime(at, zone)) + QStringLiteral("<br><span class=\"utc\">") +
           esc(utcTime(at)) + QStringLiteral("</span>");
}

// A light tint of the chart colour of a status, as a table cell's background.
QString tint(Status status) {
    const QColor c = chartStatusColour(status);
    const auto mix = [](int v) {
        return (v + 3 * 255) / 4;
    };
    return QColor(mix(c.red()), mix(c.green()), mix(c.blue())).name();
}

const QList<int> kAttentionWidths{19, 15, 19, 13, 8, 26};
const QList<int> kChangeWidths{15, 15, 20, 17, 17, 16};
constexpr int kChartWidth = 640; // pixels at 96 dpi: the text width of an A4 page

// Styles for browsers; Qt's rich text reads the same subset (and the table attributes).
const char *const kStyle = R"(
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10pt; color: #111; }
h1 { font-size: 18pt; margin-bottom: 0.2em; }
h2 { font-size: 13pt; margin-top: 1.2em; border-bottom: 1px solid #999; }
table { border-collapse: collapse; margin: 0; }
th, td { border: 1px solid #bbb; padding: 3px 5px; vertical-align: top; text-align: left; }
th { background-color: #eee; }
td.n { text-align: right; }
.utc { color: #555; font-size: 8pt; }
.small { font-size: 8pt; }
.note { color: #444; }
img.chart { max-width: 100%; height: auto; }
)";

// Gives the cells of a row their widths (percent, in order): the PDF lays out every row on its
// own, so each row carries the widths the header has.
QString withWidths(QString row, const QList<int> &widths) {
    qsizetype at = 0;
    for (const int width : widths) {
        at = row.indexOf(QLatin1String("<td"), at);
        if (at < 0)
            break;
        at += 3;
        row.insert(at, QStringLiteral(" width=\"%1%\"").arg(width));
    }
    return row;
}

// The header row of a table across the page; widths in percent, one per header.
QString headerRow(const QStringList &headers, const QList<int> &widths) {
    QString html = QStringLiteral("<tr>");
    for (int i = 0; i < headers.size(); ++i)
        html += QStringLiteral("<th width=\"%1%\">").arg(widths.value(i)) + esc(headers.at(i)) +
                QStringLiteral("</th>");
    return html + QStringLiteral("</tr>");
}

QString summary(const EvidenceReport &report) {
    QString html = QStringLiteral("<h2>") + esc(DocumentText::tr("Summary")) +
                   QStringLiteral("</h2>\n<table border=\"0\" cellspacing=\"0\" cellpadding=\"0\">"
                                  "<tr><td style=\"border: none; padding-right: 2em\">");
    html +=
        QStringLiteral("<table border=\"1\" cellspacing=\"0\" cellpadding=\"3\"><thead><tr><th>") +
        esc(DocumentText::tr("Status")) + QStringLiteral("</th><th>") +
        esc(DocumentText::tr("Target addresses")) + QStringLiteral("</th></tr></thead><tbody>");
    for (const auto &[status, count] : evidenceStatusCounts(report.results))
        html += QStringLiteral("<tr><td bgcolor=\"%1\" style=\"background-color: %1\">%2</td>"
                               "<td class=\"n\" align=\"right\">%3</td></tr>")
                    .arg(tint(status), esc(statusLabel(status)), QLocale().toString(count));
    html += QStringLiteral("</tbody></table></td><td style=\"border: none\">");
    html +=
        QStringLiteral("<table border=\"1\" cellspacing=\"0\" cellpadding=\"3\"><thead><tr><th>") +
        esc(DocumentText::tr("Trust")) + QStringLiteral("</th><th>") +
        esc(DocumentText::tr("Target addresses")) + QStringLiteral("</th></tr></thead><tbody>");
    for (const auto &[label, count] : evidenceTrustCounts(report.results))
        html += QStringLiteral("<tr><td>%1</td><td class=\"n\" align=\"right\">%2</td></tr>")
                    .arg(esc(label), QLocale().toString(count));
    html += QStringLiteral("</tbody></table></td></tr></table>\n");
    const int attention = int(evidenceAttention(report.results).size());
    html += QStringLiteral("<p><b>") +
            esc(DocumentText::tr("Needs attention: %1 of %2 target addresses.")
                    .arg(QLocale().toString(attention),
                         QLocale().toString(qsizetype(report.results.size())))) +
            QStringLiteral("</b></p>\n");
    return html;
}

QString charts(const EvidenceReport &report, const QString &calendarSrc, const QString &healthSrc) {
    QString html;
    const auto chart = [&](const QString &title, const QImage &image, const QString &src) {
        if (image.isNull())
            return;
        // Drawn larger than shown (legends and labels fit), shown at the page's text width.
        const QSizeF drawn = image.deviceIndependentSize();
        const QSize size(kChartWidth, qRound(kChartWidth * drawn.height() / drawn.width()));
        html += QStringLiteral("<h2>") + esc(title) +
                QStringLiteral("</h2>\n<p><img class=\"chart\" "
                               "src=\"%1\" width=\"%2\" "
                               "height=\"%3\" alt=\"%4\"></p>\n")
                    .arg(src)
                    .arg(size.width())
                    .arg(size.height())
                    .arg(esc(title));
    };
    chart(DocumentText::tr("Expiry calendar"), report.calendarChart, calendarSrc);
    // On a page of its own with its heading; the endpoints follow it there.
    html += QStringLiteral("<div style=\"page-break-before: always\"></div>");
    chart(DocumentText::tr("Rotation health"), report.healthChart, healthSrc);
    return html;
}

EvidenceSection attentionSection(const EvidenceReport &report) {
    EvidenceSection section;
    const QList<ProbeResult> rows = evidenceAttention(report.results);
    QString &html = section.heading;
    html = QStringLiteral("<h2>") +
           esc(DocumentText::tr("Endpoints that need attention (%1)")
                   .arg(QLocale().toString(qsizetype(rows.size())))) +
           QStringLiteral("</h2>\n");
    if (rows.isEmpty()) {
        html += QStringLiteral("<p>") +
                esc(DocumentText::tr("None: every probed target address is ok and trusted.")) +
                QStringLiteral("</p>\n");
        return section;
    }
    html += QStringLiteral("<p class=\"note\">") +
            esc(DocumentText::tr("As the window's \"Needs attention\" shows them: any status but "
                                 "ok, or a certificate clients refuse. The limiting certificate is "
                                 "the one on the path clients use that expires first.")) +
            QStringLiteral("</p>\n");
    section.header =
        headerRow({DocumentText::tr("Endpoint"), DocumentText::tr("Status"),
                   DocumentText::tr("Limiting certificate"), DocumentText::tr("Expires"),
                   DocumentText::tr("Days left"), DocumentText::tr("Findings")},
                  kAttentionWidths);
    for (const ProbeResult &r : rows) {
        QString endpoint = esc(r.target.label());
        if (r.target.label() != r.target.hostPort())
            endpoint += QStringLiteral("<br><span class=\"small\">") + esc(r.target.hostPort()) +
                        QStringLiteral("</span>");
        if (!r.address.isEmpty())
            endpoint += QStringLiteral("<br><span class=\"small\">") + esc(r.address) +
                        QStringLiteral("</span>");
        QString status = esc(statusLabel(r.status));
        if (const std::optional<TrustLevel> trust = trustLevelOf(r);
            trust && *trust != TrustLevel::Trusted)
            status += QStringLiteral("<br><span class=\"small\">") + esc(trustLevelLabel(*trust)) +
                      QStringLiteral("</span>");
        QString limiting;
        QString expires;
        QString daysLeft;
        if (r.limiting) {
            limiting =
                esc(r.limiting->subject) + QStringLiteral("<br><span class=\"small\">") +
                esc(r.limitingRole.isEmpty() ? QString()
                                             : DocumentText::tr("role: %1").arg(r.limitingRole)) +
                QStringLiteral("</span>");
            expires = bothTimes(r.limiting->notAfter, report.zone);
        }
        if (r.daysLeft)
            daysLeft = QLocale().toString(*r.daysLeft);
        QStringList findings;
        for (const QString &line : evidenceFindingsInWords(r, report.generatedAt))
            findings << esc(line);
        section.rows << withWidths(
            QStringLiteral("<tr><td>%1</td><td bgcolor=\"%2\" style=\"background-color: %2\">%3"
                           "</td><td>%4</td><td>%5</td><td class=\"n\" align=\"right\">%6</td>"
                           "<td class=\"small\">%7</td></tr>\n")
                .arg(endpoint,
                     tint(r.status == Status::Ok && trustBeyondExpiry(r) == TrustLevel::Failed
                              ? Status::Critical
                              : r.status),
                     status, limiting, expires, daysLeft, findings.join(QStringLiteral("<br>"))),
            kAttentionWidths);
    }
    return section;
}

EvidenceSection changesSection(const EvidenceReport &report) {
    EvidenceSection section;
    section.newPage = true;
    QString &html = section.heading;
    html = QStringLiteral("<h2 style=\"page-break-before: always\">") +
           esc(DocumentText::tr("Changes since %1 (%2)")
                   .arg(localTime(report.changesSince, report.zone),
                        QLocale().toString(qsizetype(report.changes.size())))) +
           QStringLiteral("</h2>\n");
    if (report.changes.isEmpty()) {
        html += QStringLiteral("<p>") + esc(DocumentText::tr("Nothing changed in this period.")) +
                QStringLiteral("</p>\n");
        return section;
    }
    section.header = headerRow({DocumentText::tr("First seen"), DocumentText::tr("Change"),
                                DocumentText::tr("Endpoint"), DocumentText::tr("Before"),
                                DocumentText::tr("After"), DocumentText::tr("Detail")},
                               kChangeWidths);
    for (const Change &c : report.changes) {
        QString endpoint = esc(c.target);
        if (!c.address.isEmpty())
            endpoint += QStringLiteral("<br><span class=\"small\">") + esc(c.address) +
                        QStringLiteral("</span>");
        section.rows << withWidths(
            QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td><td class=\"small\">%4</td>"
                           "<td class=\"small\">%5</td><td class=\"small\">%6</td></tr>\n")
                .arg(bothTimes(c.firstSeen, report.zone), esc(changeKindLabel(c.kind)), endpoint,
                     esc(c.before), esc(c.after), esc(c.detail)),
            kChangeWidths);
    }
    return section;
}

} // namespace

QString evidenceHead() {
    return QStringLiteral("<!DOCTYPE html>\n<html lang=\"%1\"><head><meta charset=\"utf-8\">"
                          "<title>%2</title>\n<style>%3</style></head>\n<body>\n")
        .arg(esc(QLocale().bcp47Name()), esc(DocumentText::tr("CertDash evidence report")),
             QString::fromLatin1(kStyle));
}

QString evidenceIntro(const EvidenceReport &report, const QString &calendarSrc,
                      const QString &healthSrc) {
    QString html = QStringLiteral("<h1>") + esc(DocumentText::tr("CertDash evidence report")) +
                   QStringLiteral("</h1>\n");
    html += QStringLiteral("<table border=\"1\" cellspacing=\"0\" cellpadding=\"3\">");
    const auto meta = [&](const QString &name, const QString &valueHtml) {
        html += QStringLiteral("<tr><th>") + esc(name) + QStringLiteral("</th><td>") + valueHtml +
                QStringLiteral("</td></tr>");
    };
    meta(DocumentText::tr("Generated"), bothTimes(report.generatedAt, report.zone));
    meta(DocumentText::tr("Store"), esc(report.storePath));
    meta(DocumentText::tr("Scope"),
         esc(DocumentText::tr("every stored target: %1 targets, %2 target addresses with a result")
                 .arg(QLocale().toString(report.targetCount),
                      QLocale().toString(qsizetype(report.results.size())))));
    meta(DocumentText::tr("Changes since"), bothTimes(report.changesSince, report.zone));
    html += QStringLiteral("</table>\n");
    html += summary(report);
    html += charts(report, calendarSrc, healthSrc);
    return html;
}

QList<EvidenceSection> evidenceSections(const EvidenceReport &report) {
    return {attentionSection(report), changesSection(report)};
}

QString evidenceTable(const QString &header, const QString &rows) {
    return QStringLiteral("<table border=\"1\" cellspacing=\"0\" cellpadding=\"3\" "
                          "width=\"100%\" style=\"margin: 0\"><thead>") +
           header + QStringLiteral("</thead><tbody>\n") + rows +
           QStringLiteral("</tbody></table>\n");
}

QString evidenceFooter() {
    return QStringLiteral("<p class=\"small note\">") +
           esc(DocumentText::tr("Written by CertDash %1 from the latest stored probe results.")
                   .arg(QStringLiteral(CERTDASH_VERSION))) +
           QStringLiteral("</p>\n");
}

namespace {
QString dataUri(const QImage &image) {
    if (image.isNull())
        return {};
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return QStringLiteral("data:image/png;base64,") + QString::fromLatin1(png.toBase64());
}
} // namespace

QByteArray evidenceHtml(const EvidenceReport &report) {
    QString html = evidenceHead() + evidenceIntro(report, dataUri(report.calendarChart),
                                                  dataUri(report.healthChart));
    for (const EvidenceSection &section : evidenceSections(report)) {
        html += section.heading;
        if (!section.rows.isEmpty())
            html += evidenceTable(section.header, section.rows.join(QString()));
    }
    html += evidenceFooter() + QStringLiteral("</body></html>\n");
    return html.toUtf8();
}

} // namespace certdash
