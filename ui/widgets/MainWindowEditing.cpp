// MainWindow, part two: what changes the inventory or moves it through files: import (and drag
// and drop), export of reports and inventory, add/edit/remove, settings. Probing, loading and the
// views are in MainWindow.cpp.
#include "MainWindow.h"
#include "DetailsPane.h"
#include "SettingsDialog.h"
#include "SnoozeMenu.h"
#include "StatusIcon.h"
#include "TargetEditDialog.h"
#include "charts/EstateCharts.h"
#include "inventory/InventoryExport.h"
#include "inventory/TargetParser.h"
#include "models/EndpointFilterProxy.h"
#include "models/EndpointTableModel.h"
#include "monitor/InventoryLoader.h"
#include "monitor/ScanController.h"
#include "probing/TrustStore.h"
#include "probing/X509.h"
#include "reports/Report.h"
#include "storage/Database.h"
#include "storage/HistoryRepository.h"
#include "storage/Settings.h"
#include "storage/TagPolicy.h"
#include "storage/TargetRepository.h"
#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDir>
#include <QHBoxLayout>
#include <QDragEnterEvent>
#include <QFile>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMap>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QThread>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>
#include <algorithm>

namespace certdash {

QString MainWindow::importName(const QString &path) const {
    if (path.startsWith(QLatin1String(":/samples/")))
        return tr("the sample inventory");
    return QDir::toNativeSeparators(path);
}

void MainWindow::importFile(const QString &path) {
    statusBar()->showMessage(tr("Importing %1...").arg(importName(path)));
    m_loader->importFile(path, m_scans->probeOptions().clock->now());
}

void MainWindow::onImported(const ImportOutcome &outcome) {
    statusBar()->clearMessage();
    const QString path = importName(outcome.path);
    if (!outcome.readError.isEmpty()) {
        QMessageBox::warning(this, tr("Import"),
                             tr("Cannot read %1: %2").arg(path, outcome.readError));
        emit importFinished(false);
        return;
    }
    if (!outcome.issues.isEmpty()) {
        QStringList lines;
        for (const ParseIssue &issue : outcome.issues.mid(0, 20))
            lines << issue.toString();
        const qsizetype more = qMax<qsizetype>(0, outcome.issues.size() - 20) + outcome.moreIssues;
        if (more > 0)
            lines << tr("... and %1 more").arg(more);
        if (!outcome.formatNote.isEmpty())
            lines << outcome.formatNote;
        QMessageBox::warning(this, tr("Import"),
                             tr("Nothing was imported; fix these entries first:\n\n%1")
                                 .arg(lines.join(u'\n')));
        emit importFinished(false);
        return;
    }
    if (!outcome.summary) {
        QMessageBox::warning(this, tr("Import"), tr("Nothing was imported: %1").arg(outcome.error));
        emit importFinished(false);
        return;
    }
    statusBar()->showMessage(tr("Imported %1: %2 added, %3 updated, %4 unchanged")
                                 .arg(path)
                                 .arg(outcome.summary->added)
                                 .arg(outcome.summary->updated)
                                 .arg(outcome.summary->unchanged),
                             10000);
    // What the import left out on purpose (a pod that is not ready, a Service without slices):
    // the command line prints it on stderr; the window says it once, without blocking.
    if (!outcome.notes.isEmpty()) {
        QStringList lines = outcome.notes.mid(0, 20);
        if (outcome.notes.size() > 20)
            lines << tr("... and %1 more").arg(outcome.notes.size() - 20);
        auto *box = new QMessageBox(QMessageBox::Information, tr("Import"),
                                    tr("Imported %1. Left out, with the reason:\n\n%2")
                                        .arg(path, lines.join(u'\n')),
                                    QMessageBox::Ok, this);
        box->setObjectName(QStringLiteral("importNotes"));
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    }
    reload();
    emit importFinished(true);
}

QList<ProbeResult> MainWindow::shownResults() const
{
    QList<ProbeResult> results;
    results.reserve(m_proxy->rowCount());
    for (int row = 0; row < m_proxy->rowCount(); ++row) {
        const int source = m_proxy->mapToSource(m_proxy->index(row, 0)).row();
        if (m_model->hasResult(source))
            results << m_model->resultAt(source);
    }
    return results;
}

bool MainWindow::writeReport(const QString &path, QString *error)
{
    return writeFileAtomically(
        path,
        renderReport(ReportFormat::Csv, shownResults(), m_scans->probeOptions().clock->now()),
        error);
}

void MainWindow::exportReportInBackground(const QString &path)
{
    // Copies of the results (their strings are shared, not duplicated): the table may change
    // while the report is written. The outcome comes back through the thread's finished signal,
    // which a window closed in the meantime no longer receives.
    auto failure = std::make_shared<QString>();
    QThread *writer = QThread::create(
        [failure, path, results = shownResults(), now = m_scans->probeOptions().clock->now()] {
            QString error;
            if (!writeFileAtomically(path, renderReport(ReportFormat::Csv, results, now), &error))
                *failure = error.isEmpty() ? QStringLiteral("?") : error;
        });
    connect(writer, &QThread::finished, this,
            [this, path, failure] { emit reportExported(path, *failure); });
    connect(writer, &QThread::finished, writer, &QObject::deleteLater);
    statusBar()->showMessage(tr("Writing the report to %1...").arg(path));
    writer->start();
}

void MainWindow::exportReport()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export report as CSV"),
                                                      QStringLiteral("certdash-report.csv"),
                                                      tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    exportReportInBackground(path);
}

void MainWindow::exportInventory()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export inventory"),
                                                      QStringLiteral("certdash-inventory.csv"),
                                                      tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    QString error;
    const QList<Target> targets =
        TargetRepository(m_database, *m_scans->probeOptions().clock).all(&error);
    if (!writeFileAtomically(path, inventoryToCsv(targets), &error))
        QMessageBox::warning(this, tr("Export inventory"), error);
}

void MainWindow::removeSelected()
{
    const QList<Target> targets = m_model->targetsAt(selectedSourceRows());
    if (targets.isEmpty())
        return;
    // Name what goes, and default to keeping it: Delete then Enter must not remove anything.
    QString question;
    if (targets.size() == 1) {
        const Target &t = targets.first();
        question = t.name.isEmpty()
                       ? tr("Remove %1 and its history?").arg(t.hostPort())
                       : tr("Remove %1 (%2) and its history?").arg(t.hostPort(), t.name);
    } else {
        constexpr int kNamed = 3;
        QStringList named;
        for (const Target &t : targets.mid(0, kNamed))
            named << t.hostPort();
        if (targets.size() > kNamed)
            named << tr("and %n more", nullptr, int(targets.size()) - kNamed);
        question = tr("Remove these %n targets and their history?\n\n%1", nullptr,
                      int(targets.size()))
                       .arg(named.join(u'\n'));
    }
    if (QMessageBox::question(this, tr("Remove targets"), question,
                              QMessageBox::Yes | QMessageBox::No,
                              QMessageBox::No) != QMessageBox::Yes)
        return;
    TargetRepository repository(m_database, *m_scans->probeOptions().clock);
    QString error;
    for (const Target &t : targets) {
        if (repository.remove(t.id, &error))
            m_model->removeTarget(t.id);
        else
            statusBar()->showMessage(error, 10000);
    }
    refreshTagFilter();
    updateCounts();
}

void MainWindow::addTarget()
{
    editTarget(Target{});
}

void MainWindow::editSelected()
{
    const QList<Target> targets = m_model->targetsAt(selectedSourceRows());
    if (targets.size() == 1)
        editTarget(targets.first());
}

void MainWindow::editTarget(const Target &shown)
{
    TargetRepository repository(m_database, *m_scans->probeOptions().clock);
    QString error;
    // The target as stored: a row's copy went through a probe, which fills in the thresholds it
    // inherits, and the dialog must not show (or save) those as the target's own.
    const Target t = shown.id != 0 ? repository.byId(shown.id, &error).value_or(shown) : shown;
    const QList<TagPolicy> tagPolicies = repository.tagPolicies(&error);
    const ExpiryPolicy global = m_scans->probeOptions().policy;
    // The table knows every stored endpoint, so the dialog can refuse a duplicate as it is typed
    // without reading the inventory; the store still refuses one on save.
    TargetEditDialog dialog(this);
    dialog.setInheritedPolicy([global, tagPolicies](const Target &candidate) {
        Target inheriting = candidate;
        inheriting.warningDays.reset();
        inheriting.criticalDays.reset();
        inheriting.rotationDays.reset();
        return effectivePolicy(global, tagPolicies, inheriting);
    });
    if (t.id != 0)
        dialog.setTarget(t);
    dialog.setDuplicateCheck([this](const Target &candidate) {
        const std::optional<Target> other = m_model->targetWithEndpoint(endpointKey(candidate));
        if (!other || other->id == candidate.id)
            return QString();
        return tr("This endpoint is already in the inventory as %1.").arg(other->label());
    });
    if (dialog.exec() != QDialog::Accepted)
        return;
    Target edited = dialog.target();
    const bool ok = edited.id == 0 ? repository.add(edited, &error)
                                   : repository.update(edited, &error);
    if (!ok) {
        QMessageBox::warning(this, tr("Target"), error);
        return;
    }
    // Only this target's rows change; the stored form has the tags normalised.
    const Target stored = repository.byId(edited.id, &error).value_or(edited);
    m_model->updateTarget(stored);
    refreshTagFilter();
    updateCounts();
    // A new target is probed at once rather than waiting "Not probed yet" for the next scan.
    if (t.id == 0 && stored.enabled) {
        if (m_scans->isRunning() || m_probeAllRequested)
            statusBar()->showMessage(
                tr("Added %1; a scan is running: it is probed with the next one.")
                    .arg(stored.hostPort()),
                10000);
        else
            probeTargets({stored});
    }
}

void MainWindow::editSettings()
{
    SettingsDialog dialog(this);
    const Settings::Values before = m_settings.values();
    dialog.setValues(before);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const QStringList problems = m_settings.store(dialog.values());
    if (!problems.isEmpty()) {
        QMessageBox::warning(this, tr("Settings"), problems.join(u'\n'));
        return;
    }
    settingsStored(before);
}

void MainWindow::settingsStored(const Settings::Values &before)
{
    applySettings();
    reload();
    const Settings::Values now = m_settings.values();
    if (now.trustAnchorFiles == before.trustAnchorFiles &&
        now.useSystemAnchors == before.useSystemAnchors)
        return;
    // Trust is judged when a chain is probed, against the anchors of that moment: the rows
    // still show the old verdicts until each endpoint is probed again.
    const QString stale = tr("Trust anchors changed: the trust shown stays as judged against the "
                             "previous anchors until each endpoint is probed again.");
    statusBar()->showMessage(stale);
    auto *box = new QMessageBox(QMessageBox::Question, tr("Trust anchors changed"),
                                stale + QStringLiteral("\n\n") +
                                    tr("Probe every endpoint now to judge it against the new "
                                       "anchors?"),
                                QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("anchorsChanged"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    QPushButton *probeNow = box->addButton(tr("&Probe all now"), QMessageBox::AcceptRole);
    box->addButton(tr("&Later"), QMessageBox::RejectRole);
    box->setDefaultButton(probeNow);
    connect(box, &QMessageBox::finished, this, [this, box, probeNow] {
        if (box->clickedButton() == probeNow)
            m_probeAll->trigger();
    });
    box->open();
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    for (const QUrl &url : event->mimeData()->urls()) {
        if (url.isLocalFile())
            importFile(url.toLocalFile());
    }
}

} // namespace certdash
