#include "MainWindow.h"

#include <QApplication>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>

namespace certdash {

MainWindow::MainWindow(QWidget *parent) : QMainWindow(parent)
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

    auto *placeholder = new QLabel(
        tr("No targets yet.\n\nFor now, scan from a terminal:\n  certdash scan --targets FILE"),
        this);
    placeholder->setAlignment(Qt::AlignCenter);
    setCentralWidget(placeholder);
    statusBar()->showMessage(tr("Ready"));
}

} // namespace certdash
