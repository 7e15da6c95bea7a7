#include "Translations.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QLibraryInfo>
#include <QTranslator>

namespace certdash {

namespace {
const QString kResources = QStringLiteral(":/i18n");

bool install(QTranslator *translator, QStringList &installed) {
    if (!QCoreApplication::installTranslator(translator)) {
        delete translator;
        return false;
    }
    installed << QFileInfo(translator->filePath()).completeBaseName();
    return true;
}
} // namespace

QStringList installTranslators(const QLocale &locale) {
    QStringList installed;
    QCoreApplication *app = QCoreApplication::instance();
    if (!app)
        return installed;

    // Installed first, so searched last: a language's own translation wins, and any message it
    // leaves unfinished still gets correct English plurals.
    auto *english = new QTranslator(app);
    if (english->load(QStringLiteral("certdash_en"), kResources))
        install(english, installed);
    else
        delete english;

    // The C locale (LANG=C, cron) and English need nothing more.
    if (locale.language() == QLocale::C || locale.language() == QLocale::English)
        return installed;
    auto *own = new QTranslator(app);
    if (!own->load(locale, QStringLiteral("certdash"), QStringLiteral("_"), kResources)) {
        delete own;
        return installed;
    }
    if (!install(own, installed))
        return installed;
    // Qt's own words (dialog buttons, context menus) in the same language, when installed.
    auto *qt = new QTranslator(app);
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        install(qt, installed);
    else
        delete qt;
    return installed;
}

} // namespace certdash
