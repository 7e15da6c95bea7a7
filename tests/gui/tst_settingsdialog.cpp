#include "i18n/Translations.h"
#include "widgets/SettingsDialog.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QComboBox>
#include <QTest>

using namespace certdash;
using namespace Qt::StringLiterals;

class TestSettingsDialog : public QObject
{
    Q_OBJECT

    static QPushButton *okButton(SettingsDialog &d)
    {
        return d.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    }

private slots:
    void roundTripsValues()
    {
        SettingsDialog dialog;
        Settings::Values v;
        v.warningDays = 21;
        v.criticalDays = 3;
        v.rotationDays = 30;
        v.probeIntervalMinutes = 0;
        v.concurrency = 64;
        v.timeoutSeconds = 4.5;
        v.engine = ProbeEngine::Qt;
        dialog.setValues(v);
        const Settings::Values r = dialog.values();
        QCOMPARE(r.warningDays, 21);
        QCOMPARE(r.criticalDays, 3);
        QCOMPARE(r.rotationDays.value_or(0), 30);
        QCOMPARE(r.probeIntervalMinutes, 0);
        QCOMPARE(r.concurrency, 64);
        QCOMPARE(r.timeoutSeconds, 4.5);
        QCOMPARE(r.engine, ProbeEngine::Qt);
        auto *engine = dialog.findChild<QComboBox *>(u"probeEngine"_s);
        QCOMPARE(engine->currentText(), u"Qt (QSslSocket, cross-check)"_s);
        engine->setCurrentIndex(0);
        QCOMPARE(dialog.values().engine, ProbeEngine::OpenSsl);
        QVERIFY(okButton(dialog)->isEnabled());
        // "none" rotation is no rotation, not a zero-day period.
        dialog.findChild<QSpinBox *>(u"rotationDays"_s)->setValue(0);
        QVERIFY(!dialog.values().rotationDays);
    }

    // The language is chosen by its own name, stored as a code, and the window speaks it at the
    // next start (main.cpp calls applyLanguage with the stored code).
    void languageChosenStoredAndApplied()
    {
        QTemporaryDir dir;
        const QString ini = dir.filePath(u"certdash.ini"_s);
        SettingsDialog dialog;
        dialog.setValues(Settings(ini).values());
        auto *language = dialog.findChild<QComboBox *>(u"language"_s);
        QVERIFY(language);
        QCOMPARE(language->currentData().toString(), QString()); // the system's by default
        QVERIFY2(language->currentText().startsWith(u"System default ("_s),
                 qPrintable(language->currentText()));
        const int french = language->findText(u"Français"_s);
        QVERIFY2(french > 0, "French is offered by its own name");
        QVERIFY(language->findText(u"Deutsch"_s) > 0);
        language->setCurrentIndex(french);
        QVERIFY(Settings(ini).store(dialog.values()).isEmpty());
        QCOMPARE(Settings(ini).values().language, u"fr"_s);

        // What the next start does.
        const QStringList installed = applyLanguage(Settings(ini).values().language);
        QVERIFY2(installed.contains(u"certdash_fr"_s), qPrintable(installed.join(u',')));
        QCOMPARE(QLocale().language(), QLocale::French);
        SettingsDialog translated;
        QCOMPARE(translated.windowTitle(), u"Paramètres"_s);
        QCOMPARE(translated.findChild<QComboBox *>(u"language"_s)->currentText().left(18),
                 u"Langue du système "_s);
        // Back to English for the other tests of this process.
        applyLanguage(u"en"_s);
        QCOMPARE(SettingsDialog().windowTitle(), u"Settings"_s);
    }

    void connectionFieldsRoundTripAndRefuseAPassword()
    {
        SettingsDialog dialog;
        Settings::Values v;
        v.connection.proxy = u"direct"_s;
        dialog.setValues(v);
        QCOMPARE(dialog.findChild<QLineEdit *>(u"proxy"_s)->text(), u"direct"_s);
        QCOMPARE(dialog.values().connection.proxy, u"direct"_s);
        QVERIFY(okButton(dialog)->isEnabled());
        dialog.findChild<QLineEdit *>(u"proxy"_s)->setText(u"http://ops:hunter2@proxy:3128"_s);
        QVERIFY(!okButton(dialog)->isEnabled());
        const QString problems = dialog.findChild<QLabel *>(u"problems"_s)->text();
        QVERIFY2(problems.contains(u"carries a password"_s) && !problems.contains(u"hunter2"_s),
                 qPrintable(problems));
        QVERIFY(dialog.findChild<QPushButton *>(u"storeProxyPassword"_s));
        QVERIFY(dialog.findChild<QPushButton *>(u"storeKeyPassphrase"_s));
    }

    void invalidInputDisablesOkWithWords()
    {
        SettingsDialog dialog;
        dialog.show();
        auto *critical = dialog.findChild<QSpinBox *>(u"criticalDays"_s);
        auto *problems = dialog.findChild<QLabel *>(u"problems"_s);
        critical->selectAll();
        QTest::keyClicks(critical, u"45"_s);
        QCOMPARE(critical->value(), 45);
        QVERIFY(!okButton(dialog)->isEnabled());
        QVERIFY2(problems->text().contains(u"must not exceed"_s), qPrintable(problems->text()));
        critical->setValue(5);
        QVERIFY(okButton(dialog)->isEnabled());
        QVERIFY(problems->isHidden());
    }

    // The alert fields keep what the user set: saving the dialog must not reset them.
    void roundTripsAlertFields_data()
    {
        QTest::addColumn<int>("failures");
        QTest::addColumn<QString>("eventLog");
        QTest::newRow("first failure alerts, custom log") << 1 << u"/var/log/certdash.jsonl"_s;
        QTest::newRow("ten failures, no log") << 10 << QString();
    }
    void roundTripsAlertFields()
    {
        QFETCH(int, failures);
        QFETCH(QString, eventLog);
        SettingsDialog dialog;
        Settings::Values v;
        v.alertFailureCount = failures;
        v.eventLogPath = eventLog;
        dialog.setValues(v);
        QCOMPARE(dialog.findChild<QSpinBox *>(u"alertFailureCount"_s)->value(), failures);
        QCOMPARE(dialog.values().alertFailureCount, failures);
        QCOMPARE(dialog.values().eventLogPath, eventLog);
        QVERIFY(okButton(dialog)->isEnabled());
    }

    void failureCountStaysBetweenOneAndTen()
    {
        SettingsDialog dialog;
        dialog.show();
        auto *failures = dialog.findChild<QSpinBox *>(u"alertFailureCount"_s);
        failures->setValue(0);
        QCOMPARE(dialog.values().alertFailureCount, 1);
        failures->setValue(25);
        QCOMPARE(dialog.values().alertFailureCount, 10);
    }

    // A directory is no log file: OK waits until the path names a file, and says why.
    void eventLogDirectoryDisablesOk()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        SettingsDialog dialog;
        dialog.show();
        auto *log = dialog.findChild<QLineEdit *>(u"eventLogPath"_s);
        auto *problems = dialog.findChild<QLabel *>(u"problems"_s);
        log->setText(dir.path());
        QVERIFY(!okButton(dialog)->isEnabled());
        QVERIFY2(problems->text().contains(u"is a directory"_s), qPrintable(problems->text()));
        log->setText(dir.filePath(u"events.jsonl"_s));
        QVERIFY(okButton(dialog)->isEnabled());
        QVERIFY(problems->isHidden());
        // Cleared, the log is off rather than back to the default file.
        log->clear();
        QVERIFY(okButton(dialog)->isEnabled());
        QCOMPARE(dialog.values().eventLogPath, QString());
    }
};

QTEST_MAIN(TestSettingsDialog)
#include "tst_settingsdialog.moc"
