// Composition root: decides between the GUI and the headless CLI, wires services, holds no logic.
#include "cli/CommandLine.h"
#include "i18n/Translations.h"
#include "monitor/ScanController.h"
#include "report/EvidenceFormats.h"
#include "storage/DataDirectory.h"
#include "storage/Database.h"
#include "storage/Settings.h"
#include "tray/TrayIntegration.h"
#include "widgets/AppIcon.h"
#include "widgets/MainWindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QMessageBox>
#include <QTextStream>
#include <QTimer>

#include <memory>

namespace {
// Once, when 0.1.0's ~/.local/share/CertDash/CertDash is moved up (see DataDirectory.h): before
// any store is opened, after the translators are installed.
void moveLegacyDataDirectory()
{
    using Result = certdash::LegacyMove::Result;
    const certdash::LegacyMove move = certdash::moveLegacyDataDirectory();
    const QString from = QDir::toNativeSeparators(move.from);
    QString text;
    if (move.result == Result::Moved)
        text = QCoreApplication::translate("main", "moved the store from %1 to %2")
                   .arg(from, QDir::toNativeSeparators(certdash::dataDirectory()));
    else if (move.result == Result::InUse)
        text = QCoreApplication::translate("main", "the store in %1 is open in another process: it "
                                                   "is used there and moved at a later start")
                   .arg(from);
    else if (move.result == Result::Failed)
        text = QCoreApplication::translate("main", "the store stays in %1: %2").arg(from, move.detail);
    if (!text.isEmpty())
        QTextStream(stderr) << "certdash: " << text << Qt::endl;
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication::setApplicationName(QStringLiteral("CertDash"));
    QCoreApplication::setOrganizationName(QStringLiteral("CertDash"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CERTDASH_VERSION));

    // Every subcommand, --help and --version run without a display. The evidence report
    // (`report --format html|pdf`) draws with Qt GUI and Qt Charts: it gets a QApplication on the
    // offscreen platform, so that cron needs no display either and the pages never depend on one.
    const certdash::cli::Extensions extensions = certdash::evidenceCommandExtensions();
    if (certdash::cli::wantsCommandLine(argc, argv)) {
        std::unique_ptr<QCoreApplication> app;
        if (certdash::cli::needsGuiApplication(argc, argv, extensions)) {
            qputenv("QT_QPA_PLATFORM", "offscreen");
            app = std::make_unique<QApplication>(argc, argv);
        } else {
            app = std::make_unique<QCoreApplication>(argc, argv);
        }
        certdash::installTranslators();
        moveLegacyDataDirectory();
        return certdash::cli::run(app->arguments(), extensions);
    }

    QApplication app(argc, argv);
    // The desktop entry (io.github.certdash.CertDash.desktop) names the same icon: Wayland
    // compositors find the window's entry and icon by this name.
    QGuiApplication::setDesktopFileName(QStringLiteral("io.github.certdash.CertDash"));
    QApplication::setWindowIcon(certdash::appIcon());
    // The window speaks the language chosen in Settings, else the system's; the commands above
    // follow the environment (LANG), as cron and scripts expect.
    certdash::applyLanguage(certdash::Settings().values().language);
    moveLegacyDataDirectory();
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
