// Composition root: decides between the GUI and the headless CLI, wires services, holds no logic.
#include "cli/CommandLine.h"
#include "i18n/Translations.h"
#include "monitor/ScanController.h"
#include "storage/Database.h"
#include "storage/Settings.h"
#include "tray/TrayIntegration.h"
#include "widgets/AppIcon.h"
#include "widgets/MainWindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QMessageBox>
#include <QTimer>

#include <memory>

int main(int argc, char **argv)
{
    QCoreApplication::setApplicationName(QStringLiteral("CertDash"));
    QCoreApplication::setOrganizationName(QStringLiteral("CertDash"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CERTDASH_VERSION));

    // Every subcommand, --help and --version run without a display.
    if (certdash::cli::wantsCommandLine(argc, argv)) {
        QCoreApplication app(argc, argv);
        certdash::installTranslators();
        return certdash::cli::run(app.arguments());
    }

    QApplication app(argc, argv);
    // The desktop entry (io.github.certdash.CertDash.desktop) names the same icon: Wayland
    // compositors find the window's entry and icon by this name.
    QGuiApplication::setDesktopFileName(QStringLiteral("io.github.certdash.CertDash"));
    QApplication::setWindowIcon(certdash::appIcon());
    certdash::installTranslators();
    QCommandLineParser parser;
    const QCommandLineOption database(QStringLiteral("database"),
                                      QCoreApplication::translate("main", "The database to use."),
                                      QStringLiteral("FILE"));
    parser.addOption(database);
    parser.process(app);

    QString error;
    const QString path =
        parser.isSet(database) ? parser.value(database) : certdash::Database::defaultPath();
    std::unique_ptr<certdash::Database> store = certdash::Database::open(path, &error);
    if (!store) {
        QMessageBox::critical(nullptr, QCoreApplication::translate("main", "CertDash"),
                              QCoreApplication::translate("main", "Cannot open the database.\n\n%1")
                                  .arg(error));
        return 1;
    }
    certdash::Settings settings;
    certdash::MainWindow window(*store, settings);
    certdash::TrayIntegration tray(window, *store, settings,
                                   window.scanController()->probeOptions().clock);
    // Queued: the window finishes closing (and saves its layout) before the loop ends.
    QObject::connect(&tray, &certdash::TrayIntegration::quitRequested, &app,
                     &QCoreApplication::quit, Qt::QueuedConnection);
    window.show();
    // After the window is up: an empty store gets the offer of a sample inventory.
    QTimer::singleShot(0, &window, [&window] {
        window.offerSampleInventory();
        window.probeIfStale(); // results older than the probe interval are refreshed at start
    });
    return app.exec();
}
