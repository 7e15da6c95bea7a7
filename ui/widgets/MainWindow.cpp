#include "MainWindow.h"

#include "storage/Database.h"
#include "storage/TargetRepository.h"

#include <QApplication>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>

namespace certdash {

MainWindow::MainWindow(Database &database, QWidget *parent) : QMainWindow(parent)
{
    setWindowTitle(tr("CertDash"));
    resize(1000, 640);

    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *quit = file->addAction(tr("&Quit"), qApp, &QApplication::quit);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About CertDash"), this, [this] {
        QMessageBox::about(this, tr("About CertDash"),
                           tr("<b>CertDash %1</b><p>Watches TLS certificates across your endpoints "
                              "before they expire.</p>")
                               .arg(QApplication::applicationVersion()));
    });

    SystemClock clock;
    const int targets = int(TargetRepository(database, clock).all().size());
    auto *placeholder = new QLabel(
        tr("<p>%1 targets in the inventory.</p><p>For now, work from a terminal:<br>"
           "<tt>certdash import FILE</tt> &nbsp; <tt>certdash scan</tt> &nbsp; "
           "<tt>certdash report</tt></p>")
            .arg(targets),
        this);
    placeholder->setAlignment(Qt::AlignCenter);
    setCentralWidget(placeholder);
    statusBar()->showMessage(tr("Database: %1").arg(database.path()));
}

} // namespace certdash
