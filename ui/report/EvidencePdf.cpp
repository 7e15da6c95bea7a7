// The evidence report as a PDF: Qt's own writer, A4. The introduction (title, summary, charts) is
// laid out by QTextDocument across its pages; the tables are laid out a row at a time, so that a
// page break falls between two rows and the header row starts every page of a table.
#include "EvidenceDocument.h"

#include <QAbstractTextDocumentLayout>
#include <QBuffer>
#include <QPageLayout>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QTextBlock>
#include <QTextDocument>
#include <QTextFrame>
#include <QUrl>

#include <memory>

namespace certdash {

namespace {

constexpr int kDpi = 96;      // QTextDocument's pixels; text and charts stay vectors or full size
constexpr qreal kFooter = 24; // room for the page number under the text

class Pages {
public:
    Pages(QPdfWriter &writer, QPainter &painter)
        : m_writer(writer)
        , m_painter(painter)
        , m_size(writer.pageLayout().paintRectPixels(kDpi).size()) {
        m_height = m_size.height() - kFooter;
    }

    qreal width() const { return m_size.width(); }
    qreal height() const { return m_height; }
    qreal y() const { return m_y; }
    void advance(qreal by) { m_y += by; }

    // Where the table of a document holding one table is: without the empty blocks that
    // QTextDocument keeps before and after it.
    static QRectF tableRect(QTextDocument &doc) {
        const QList<QTextFrame *> frames = doc.rootFrame()->childFrames();
        return frames.isEmpty() ? QRectF(QPointF(0, 0), doc.size())
                                : doc.documentLayout()->frameBoundingRect(frames.first());
    }
    static qreal tableHeight(QTextDocument &doc) { return tableRect(doc).height(); }
    // Draws the table of doc with its top at atY.
    void drawTable(QTextDocument &doc, qreal atY) { draw(doc, atY - tableRect(doc).top()); }

    void newPage() {
        drawNumber();
        m_writer.newPage();
        ++m_page;
        m_y = 0;
    }

    void finish() { drawNumber(); }

    // A document laid out at the text width, unpaginated.
    std::unique_ptr<QTextDocument> document(const QString &html) const {
        auto doc = std::make_unique<QTextDocument>();
        doc->setDocumentMargin(0);
        doc->setTextWidth(width());
        doc->setHtml(html);
        // Rows are stacked edge to edge: no margin around their tables.
        for (QTextFrame *frame : doc->rootFrame()->childFrames()) {
            QTextFrameFormat format = frame->frameFormat();
            format.setMargin(0);
            frame->setFrameFormat(format);
        }
        return doc;
    }

    // Draws doc with its point (0, from) at (0, atY); only the part [from, from + clipHeight)
    // when clipHeight > 0 (one page of a paginated document).
    void draw(QTextDocument &doc, qreal atY, qreal from = 0, qreal clipHeight = 0) {
        m_painter.save();
        m_painter.translate(0, atY - from);
        doc.drawContents(&m_painter,
                         clipHeight > 0 ? QRectF(0, from, width(), clipHeight) : QRectF());
        m_painter.restore();
    }

private:
    void drawNumber() {
        m_painter.save();
        QFont font = m_painter.font();
        font.setPointSizeF(8);
        m_painter.setFont(font);
        m_painter.drawText(QRectF(0, m_size.height() - kFooter + 6, m_size.width(), kFooter - 6),
                           Qt::AlignRight | Qt::AlignVCenter, QString::number(m_page));
        m_painter.restore();
    }

    QPdfWriter &m_writer;
    QPainter &m_painter;
    QSizeF m_size;
    qreal m_height = 0;
    qreal m_y = 0;
    int m_page = 1;
};

// The introduction across as many pages as it needs (its page breaks and all); leaves the
// pages at the end of its text.
void drawIntro(Pages &pages, const EvidenceReport &report) {
    QTextDocument doc;
    doc.setDocumentMargin(0);
    const QUrl calendar(QStringLiteral("evidence:calendar.png"));
    const QUrl health(QStringLiteral("evidence:health.png"));
    doc.addResource(QTextDocument::ImageResource, calendar, report.calendarChart);
    doc.addResource(QTextDocument::ImageResource, health, report.healthChart);
    doc.setPageSize(QSizeF(pages.width(), pages.height()));
    doc.setHtml(evidenceHead() + evidenceIntro(report, calendar.toString(), health.toString()) +
                QStringLiteral("</body></html>"));
    const int count = doc.pageCount();
    for (int page = 0; page < count; ++page) {
        if (page > 0)
            pages.newPage();
        pages.draw(doc, 0, page * pages.height(), pages.height());
    }
    const QRectF last = doc.documentLayout()->blockBoundingRect(doc.lastBlock());
    pages.advance(last.bottom() - (count - 1) * pages.height());
}

void drawSection(Pages &pages, const EvidenceSection &section) {
    const QString head = evidenceHead();
    if (section.newPage && pages.y() > 0)
        pages.newPage();
    const auto heading = pages.document(head + section.heading);
    std::unique_ptr<QTextDocument> header;
    qreal headerHeight = 0;
    if (!section.header.isEmpty()) {
        header = pages.document(head + evidenceTable(section.header, QString()));
        headerHeight = Pages::tableHeight(*header);
    }
    const auto firstRow =
        section.rows.isEmpty()
            ? nullptr
            : pages.document(head + evidenceTable(QString(), section.rows.first()));
    // The heading stays with the header and the first row.
    const qreal keep = heading->size().height() + 6 + headerHeight +
                       (firstRow ? Pages::tableHeight(*firstRow) : 0);
    if (pages.y() + keep > pages.height() && pages.y() > 0)
        pages.newPage();
    pages.draw(*heading, pages.y());
    pages.advance(heading->size().height() + 6);
    if (!header)
        return;
    pages.drawTable(*header, pages.y());
    pages.advance(headerHeight - 1); // borders overlap
    for (int i = 0; i < section.rows.size(); ++i) {
        const auto row =
            i == 0 ? nullptr : pages.document(head + evidenceTable(QString(), section.rows.at(i)));
        QTextDocument &doc = i == 0 ? *firstRow : *row;
        const qreal height = Pages::tableHeight(doc);
        if (pages.y() + height > pages.height() && pages.y() > headerHeight) {
            pages.newPage();
            pages.drawTable(*header, 0);
            pages.advance(headerHeight - 1);
        }
        pages.drawTable(doc, pages.y());
        pages.advance(height - 1);
    }
    pages.advance(12);
}

} // namespace

QByteArray evidencePdf(const EvidenceReport &report) {
    QByteArray pdf;
    QBuffer buffer(&pdf);
    buffer.open(QIODevice::WriteOnly);
    QPdfWriter writer(&buffer);
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Portrait,
                                     QMarginsF(18, 16, 18, 12), QPageLayout::Millimeter));
    writer.setResolution(kDpi);
    writer.setTitle(DocumentText::tr("CertDash evidence report"));
    writer.setCreator(QStringLiteral("CertDash %1").arg(QStringLiteral(CERTDASH_VERSION)));
    {
        QPainter painter(&writer);
        Pages pages(writer, painter);
        drawIntro(pages, report);
        for (const EvidenceSection &section : evidenceSections(report))
            drawSection(pages, section);
        const auto footer = pages.document(evidenceHead() + evidenceFooter());
        if (pages.y() + footer->size().height() > pages.height())
            pages.newPage();
        pages.draw(*footer, pages.y());
        pages.finish();
    }
    return pdf;
}

} // namespace certdash
