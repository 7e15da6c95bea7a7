// File > Export audit report: the evidence report (ui/report) of the window's store, built away
// from the UI thread.
#include "MainWindow.h"

#include "monitor/ScanController.h"
#include "report/EvidenceReport.h"
#include "reports/Report.h"
#include "storage/Database.h"

#include <QDateEdit>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QLoggingCategory>
#include <QPushButton>
#include <QStatusBar>
#include <QThread>

#include <memory>

Q_LOGGING_CATEGORY(lcEvidence, "certdash.evidence", QtInfoMsg)

namespace certdash {

void MainWindow::exportEvidence() {
    QDialog dialog(this);
    dialog.setObjectName(QStringLiteral("exportEvidence"));
    dialog.setWindowTitle(tr("Export audit report"));
    auto *since = new QDateEdit(QDate::currentDate().addDays(-7), &dialog);
    since->setObjectName(QStringLiteral("changesSince"));
    since->setCalendarPopup(true);
    since->setMaximumDate(QDate::currentDate());
    auto *path =
        new QLineEdit(QDir::home().filePath(QStringLiteral("certdash-evidence.pdf")), &dialog);
    path->setObjectName(QStringLiteral("evidencePath"));
    auto *browse = new QPushButton(tr("&Browse..."), &dialog);
    connect(browse, &QPushButton::clicked, &dialog, [&dialog, path] {
        const QString pdf = tr("PDF documents (*.pdf)");
        const QString html = tr("HTML pages (*.html *.htm)");
        QString filter =
            path->text().endsWith(QLatin1String(".pdf"), Qt::CaseInsensitive) ? pdf : html;
        QString chosen =
            QFileDialog::getSaveFileName(&dialog, tr("Export audit report"), path->text(),
                                         pdf + QStringLiteral(";;") + html, &filter);
        if (chosen.isEmpty())
            return;
        // The filter decides the format when the name has no suffix of its own.
        if (QFileInfo(chosen).suffix().isEmpty())
            chosen += filter == pdf ? QStringLiteral(".pdf") : QStringLiteral(".html");
        path->setText(chosen);
    });
    auto *file = new QHBoxLayout;
    file->addWidget(path, 1);
    file->addWidget(browse);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("E&xport"));
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    auto *form = new QFormLayout(&dialog);
    form->addRow(tr("&File (.pdf or .html):"), file);
    form->addRow(tr("&Changes since:"), since);
    form->addRow(buttons);
    if (dialog.exec() != QDialog::Accepted || path->text().trimmed().isEmpty())
        return;
    // The start of the chosen day on the reader's clock.
    exportEvidenceInBackground(path->text().trimmed(),
                               QDateTime(since->date(), QTime(0, 0)).toUTC());
}

void MainWindow::exportEvidenceInBackground(const QString &path, const QDateTime &since) {
    auto report = std::make_shared<EvidenceReport>();
    report->generatedAt = m_scans->probeOptions().clock->now().toUTC();
    report->changesSince = since.toUTC();
    report->global = m_scans->probeOptions().policy;
    auto failure = std::make_shared<QString>();
    statusBar()->showMessage(tr("Writing the audit report to %1...").arg(path));
    // 1. The store, through a connection of the reader thread's own.
    QThread *reader = QThread::create([report, failure, store = m_database.path()] {
        QString error;
        std::unique_ptr<Database> db = Database::open(store, &error);
        if (!db || !readEvidence(*db, report.get(), &error))
            *failure = error.isEmpty() ? QStringLiteral("?") : error;
    });
    connect(reader, &QThread::finished, reader, &QObject::deleteLater);
    connect(reader, &QThread::finished, this, [this, report, failure, path] {
        if (!failure->isEmpty()) {
            emit evidenceExported(path, *failure);
            return;
        }
        // 2. The charts: Qt Charts draws with widgets, so here; they hold aggregates (a handful
        // of series whatever the estate's size).
        QElapsedTimer timer;
        timer.start();
        drawEvidenceCharts(*report);
        qCDebug(lcEvidence) << "charts drawn on the UI thread in" << timer.elapsed() << "ms";
        // 3. The document, laid out and written in a thread again.
        QThread *writer = QThread::create([report, failure, path] {
            QString error;
            const QByteArray document = evidenceDocument(*report, evidenceFormatForPath(path));
            if (!writeFileAtomically(path, document, &error))
                *failure = error.isEmpty() ? QStringLiteral("?") : error;
        });
        connect(writer, &QThread::finished, this,
                [this, path, failure] { emit evidenceExported(path, *failure); });
        connect(writer, &QThread::finished, writer, &QObject::deleteLater);
        writer->start();
    });
    reader->start();
}

} // namespace certdash
