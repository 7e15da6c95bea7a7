#include "Translations.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QLibraryInfo>
#include <QTranslator>

namespace certdash {

namespace {
const QString kResources = QStringLiteral(":/i18n");

const QString kOwnTranslator = QStringLiteral("certdash-translator");

bool install(QTranslator *translator, QStringList &installed) {
    translator->setObjectName(kOwnTranslator);
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
    // A second call replaces the first call's language rather than stacking under it.
    const QList<QTranslator *> previous =
        app->findChildren<QTranslator *>(kOwnTranslator, Qt::FindDirectChildrenOnly);
    for (QTranslator *translator : previous) {
        QCoreApplication::removeTranslator(translator);
        delete translator;
    }

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

QStringList availableLanguages() {
    QStringList languages;
    const QStringList files = QDir(kResources).entryList({QStringLiteral("certdash_*.qm")});
    for (const QString &file : files)
        languages << file.mid(9, file.size() - 9 - 3); // certdash_XX.qm
    languages.sort();
    return languages;
}

QStringList applyLanguage(const QString &language) {
    const QLocale locale = !language.isEmpty() && availableLanguages().contains(language)
                               ? QLocale(language)
                               : QLocale::system();
    QLocale::setDefault(locale);
    return installTranslators(locale);
}

} // namespace certdash
