// MainWindow's geometry: the size of a first start, the table/details split, the column widths,
// and how they persist; and the keys between the filter and the table. On a 1366x768 laptop the
// table is what the on-call engineer reads first.
#include "MainWindow.h"
#include "DetailsPane.h"
#include "models/EndpointTableModel.h"

#include <QAction>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLineEdit>
#include <QScreen>
#include <QSplitter>
#include <QTableView>
#include <QTimer>

#include <algorithm>

namespace certdash {

namespace {
const QString kGeometry = QStringLiteral("main/geometry");
const QString kColumns = QStringLiteral("main/columns");
const QString kColumnsFitted = QStringLiteral("main/columns_fitted");
const QString kSplitter = QStringLiteral("main/splitter");
const QString kDetailsShown = QStringLiteral("main/details_shown");

// A later column wider than this is elided, not the ones before it.
constexpr int kMaxFittedColumnWidth = 320;
// Rows measured: measuring 1,000 rows (Qt's default) took 60 ms.
constexpr int kMeasuredRows = 100;
} // namespace

QSize MainWindow::defaultWindowSize() const
{
    // Most of the screen, up to a size where the table has room for every column.
    const QRect available = screen() ? screen()->availableGeometry() : QRect(0, 0, 1366, 768);
    return {std::min(1600, available.width() * 94 / 100),
            std::min(1000, available.height() * 92 / 100)};
}

void MainWindow::restoreLayout()
{
    m_filter->installEventFilter(this);
    m_table->installEventFilter(this);
    restoreGeometry(m_settings.uiState(kGeometry));
    QHeaderView *header = m_table->horizontalHeader();
    const bool columnsSaved = header->restoreState(m_settings.uiState(kColumns));
    // Widths saved by a version that sized them on an empty table are fitted again, once.
    m_columnsFitted = columnsSaved && m_settings.uiState(kColumnsFitted) == "1";
    // The details pane may be made as short as a few lines (its own layout would keep it at
    // ~270 px, a third of a laptop's window), or collapsed.
    m_details->setMinimumHeight(m_details->fontMetrics().height() * 5);
    if (m_splitter->restoreState(m_settings.uiState(kSplitter))) {
        m_splitterPlaced = true;
    } else {
        // Nothing selected yet: the table takes three quarters of the height (setSizes keeps
        // the proportion whatever height the window gets).
        m_splitter->setSizes({3000, 1000});
    }
    connect(m_splitter, &QSplitter::splitterMoved, this, [this] { m_splitterPlaced = true; });
    const bool detailsShown = m_settings.uiState(kDetailsShown) != "0";
    m_showDetails->setChecked(detailsShown);
    m_details->setVisible(detailsShown);
}

void MainWindow::saveLayout()
{
    m_settings.setUiState(kGeometry, saveGeometry());
    m_settings.setUiState(kColumns, m_table->horizontalHeader()->saveState());
    m_settings.setUiState(kColumnsFitted, m_columnsFitted ? "1" : "0");
    // Only a divider the user placed is kept: the automatic one starts again from the table.
    m_settings.setUiState(kSplitter, m_splitterPlaced ? m_splitter->saveState() : QByteArray());
    m_settings.setUiState(kDetailsShown, m_showDetails->isChecked() ? "1" : "0");
}

void MainWindow::makeRoomForDetails()
{
    if (m_splitterPlaced || !m_details->isVisible())
        return;
    const QList<int> sizes = m_splitter->sizes();
    const int total = sizes.value(0) + sizes.value(1);
    // The timeline needs ~300 px with its tabs; the table keeps at least 40 %.
    const int wanted = std::min(std::max(m_details->sizeHint().height(), total * 2 / 5),
                                total * 3 / 5);
    if (sizes.value(1) < wanted)
        m_splitter->setSizes({total - wanted, wanted});
}

void MainWindow::fitColumnsToResults()
{
    if (m_columnsFitted)
        return;
    bool anyResult = false;
    for (int row = 0; row < std::min(m_model->rowCount(), kMeasuredRows) && !anyResult; ++row)
        anyResult = m_model->hasResult(row);
    if (!anyResult)
        return;
    m_columnsFitted = true;
    // In an event of its own, after the rows have been painted.
    QTimer::singleShot(0, this, [this] {
        QHeaderView *header = m_table->horizontalHeader();
        header->setResizeContentsPrecision(kMeasuredRows);
        m_table->resizeColumnsToContents();
        // Status, target, days left and expiry are whole; a long issuer or key description
        // elides instead of pushing them out of view.
        for (int column = EndpointTableModel::LimitingColumn;
             column < EndpointTableModel::ColumnCount; ++column) {
            if (header->sectionSize(column) > kMaxFittedColumnWidth)
                header->resizeSection(column, kMaxFittedColumnWidth);
        }
    });
}

// Type a filter, press Down (or Enter) and walk the rows it left; Escape goes back to the filter
// (as Ctrl+F does from anywhere), and Escape in the filter clears it.
bool MainWindow::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() != QEvent::KeyPress)
        return QMainWindow::eventFilter(watched, event);
    const int key = static_cast<QKeyEvent *>(event)->key();
    if (watched == m_filter) {
        if (key == Qt::Key_Down || key == Qt::Key_Return || key == Qt::Key_Enter) {
            m_table->setFocus(Qt::ShortcutFocusReason);
            // The first row the filter left, unless a row it left is selected already.
            if (!m_table->selectionModel()->hasSelection() && m_table->model()->rowCount() > 0) {
                m_table->selectionModel()->setCurrentIndex(
                    m_table->model()->index(0, 0),
                    QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
            }
            return true;
        }
        if (key == Qt::Key_Escape && !m_filter->text().isEmpty()) {
            m_filter->clear();
            return true;
        }
    } else if (watched == m_table && key == Qt::Key_Escape) {
        m_filter->setFocus(Qt::ShortcutFocusReason);
        m_filter->selectAll();
        return true;
    }
    return QMainWindow::eventFilter(watched, event);
}

} // namespace certdash
