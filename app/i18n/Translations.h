#pragma once

#include <QLocale>
#include <QStringList>

namespace certdash {

// Installs CertDash's translators on the running application, before any text is produced: the
// English plural forms (always: English source text cannot say both "1 day" and "5 days"), then,
// over them, the translation for `locale`'s languages with Qt's own, when there is one. main.cpp
// calls it for the GUI and the CLI; tests call it to read what users read. Returns the
// translations installed, e.g. {"certdash_en"} or {"certdash_en", "certdash_de", "qtbase_de"}.
// Calling it again replaces the translators it installed before.
QStringList installTranslators(const QLocale &locale = QLocale());

// The languages CertDash's window can be shown in (language codes such as "de", "en", "fr"),
// from the translations built into the binary.
QStringList availableLanguages();

// The window's language: `language` (a code from availableLanguages(), chosen in Settings) or,
// when empty or unknown, the system's. Becomes the default QLocale (dates and numbers follow it)
// and installs its translators. Returns what installTranslators() returned.
QStringList applyLanguage(const QString &language);

} // namespace certdash
