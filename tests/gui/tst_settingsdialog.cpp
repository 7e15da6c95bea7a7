#include "widgets/SettingsDialog.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
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
        dialog.setValues(v);
        const Settings::Values r = dialog.values();
        QCOMPARE(r.warningDays, 21);
        QCOMPARE(r.criticalDays, 3);
        QCOMPARE(r.rotationDays.value_or(0), 30);
        QCOMPARE(r.probeIntervalMinutes, 0);
        QCOMPARE(r.concurrency, 64);
        QCOMPARE(r.timeoutSeconds, 4.5);
        QVERIFY(okButton(dialog)->isEnabled());
        // "none" rotation is no rotation, not a zero-day period.
        dialog.findChild<QSpinBox *>(u"rotationDays"_s)->setValue(0);
        QVERIFY(!dialog.values().rotationDays);
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
};

QTEST_MAIN(TestSettingsDialog)
#include "tst_settingsdialog.moc"
