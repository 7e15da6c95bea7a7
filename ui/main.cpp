// Composition root: decides between the GUI and the headless CLI, wires services, holds no logic.
#include "cli/CommandLine.h"
#include "widgets/MainWindow.h"

#include <QApplication>
#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

#include <memory>

namespace {
void installTranslator(QCoreApplication &app)
{
    auto *translator = new QTranslator(&app);
    if (translator->load(QLocale(), QStringLiteral("certdash"), QStringLiteral("_"),
                         QStringLiteral(":/i18n")))
        QCoreApplication::installTranslator(translator);
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication::setApplicationName(QStringLiteral("CertDash"));
    QCoreApplication::setOrganizationName(QStringLiteral("CertDash"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CERTDASH_VERSION));

    // Every subcommand, --help and --version run without a display.
    if (certdash::cli::wantsCommandLine(argc, argv)) {
        QCoreApplication app(argc, argv);
        installTranslator(app);
        return certdash::cli::run(app.arguments());
    }

    QApplication app(argc, argv);
    installTranslator(app);
    certdash::MainWindow window;
    window.show();
    return app.exec();
}
