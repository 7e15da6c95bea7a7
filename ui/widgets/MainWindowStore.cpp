// The window and other processes on one store: noticing what they commit, and keeping the
// user's place when the table reloads because of it.
#include "MainWindow.h"

#include "ChangesView.h"

#include "models/EndpointFilterProxy.h"
#include "models/EndpointTableModel.h"
#include "monitor/InventoryLoader.h"
#include "monitor/ScanController.h"

#include <QItemSelection>
#include <QTabWidget>
#include <QTableView>

namespace certdash {

void MainWindow::refreshChanges() {
    if (m_views->currentWidget() != m_changes || !m_changesStale)
        return; // read when the tab is shown next
    m_changesStale = false;
    m_changesSince = m_changes->since(m_scans->probeOptions().clock->now());
    m_changes->setReading();
    // Open at the end: a scan that commits while this reads is shown at the next refresh.
    m_changesGeneration =
        m_loader->loadChanges(m_changesSince, QDateTime(), m_settings.values().rotationDays);
}

void MainWindow::onStoreChanged() {
    m_changesStale = true;
    // The window's own scan commits its results through a connection of its own all along, and
    // every one of those commits changes what the reader sees: while it runs, a change waits
    // for its end (one reload then). Anything else another connection committed (a cron scan,
    // an import by another process) is read now, in the store reader's thread.
    if (m_scans->isRunning() || m_probeAllRequested) {
        m_storeChangedDuringScan = true;
        return;
    }
    reload();
    refreshChanges();
}

QSet<QPair<qint64, QString>> MainWindow::selectedRowKeys() const {
    QSet<QPair<qint64, QString>> keys;
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    if (rows.size() > kKeptSelection)
        return keys;
    for (const QModelIndex &index : rows) {
        const int row = m_proxy->mapToSource(index).row();
        keys.insert({m_model->targetAt(row).id, m_model->resultAt(row).address});
    }
    return keys;
}

void MainWindow::selectRowKeys(const QSet<QPair<qint64, QString>> &keys) {
    if (keys.isEmpty())
        return;
    // A target's row without an address (not probed yet, or its name did not resolve) becomes
    // one row per address once probed: the user chose the target, so all of them stay chosen.
    QSet<qint64> wholeTargets;
    for (const auto &[id, address] : keys) {
        if (address.isEmpty())
            wholeTargets.insert(id);
    }
    QItemSelection selection;
    QModelIndex first;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const qint64 id = m_model->targetAt(row).id;
        if (!wholeTargets.contains(id) && !keys.contains({id, m_model->resultAt(row).address}))
            continue;
        const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
        if (!index.isValid())
            continue; // filtered out meanwhile
        selection.select(index, index);
        if (!first.isValid())
            first = index;
    }
    if (selection.isEmpty())
        return;
    m_table->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect |
                                                     QItemSelectionModel::Rows);
    m_table->selectionModel()->setCurrentIndex(first, QItemSelectionModel::NoUpdate);
}

} // namespace certdash
