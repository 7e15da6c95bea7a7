// Days left in words: whole elapsed days or hours, counted from the expiry towards now, as a
// person says them ("expired 1 day ago" 24.5 hours after the expiry), while the report's
// days_left stays the floor it is documented to be (-2 for the same moment).
#include "TestSupport.h"
#include "domain/ExpiryPolicy.h"
#include "domain/ExpiryWords.h"
#include "i18n/Translations.h"

#include <QTest>

using namespace certdash;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(certdash::ExpiryDistance::Unit)

namespace {
// Before the lead regenerates translations/, a new %n message reads "day(s)": read it as English
// does (singular for 1), so that the test asserts the wording either way.
QString english(QString text, int count) {
    return text.replace(u"(s)"_s, count == 1 ? QString() : u"s"_s);
}
} // namespace

class TestExpiryWords : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        const QStringList installed = installTranslators(QLocale::c());
        QVERIFY2(installed.contains(u"certdash_en"_s), qPrintable(installed.join(u", ")));
    }

    void wording_data() {
        QTest::addColumn<double>("hoursLeft"); // notAfter - now
        QTest::addColumn<bool>("expired");
        QTest::addColumn<ExpiryDistance::Unit>("unit");
        QTest::addColumn<int>("count");
        QTest::addColumn<QString>("phrase");
        QTest::addColumn<QString>("sentence"); // with the expiry time "WHEN"
        QTest::addColumn<int>("reportDaysLeft");
        using U = ExpiryDistance::Unit;
        QTest::newRow("-48.1 h") << -48.1 << true << U::Days << 2 << u"expired 2 days ago"_s
                                 << u"Expired 2 days ago, on WHEN."_s << -3;
        QTest::newRow("-24.5 h") << -24.5 << true << U::Days << 1 << u"expired 1 day ago"_s
                                 << u"Expired 1 day ago, on WHEN."_s << -2;
        QTest::newRow("-24 h") << -24.0 << true << U::Days << 1 << u"expired 1 day ago"_s
                               << u"Expired 1 day ago, on WHEN."_s << -1;
        QTest::newRow("-23 h") << -23.0 << true << U::Hours << 23 << u"expired 23 hours ago"_s
                               << u"Expired 23 hours ago, on WHEN."_s << -1;
        QTest::newRow("-1 h") << -1.0 << true << U::Hours << 1 << u"expired 1 hour ago"_s
                              << u"Expired 1 hour ago, on WHEN."_s << -1;
        QTest::newRow("-0.5 h") << -0.5 << true << U::UnderAnHour << 0
                                << u"expired less than an hour ago"_s
                                << u"Expired less than an hour ago, on WHEN."_s << -1;
        QTest::newRow("at the expiry")
            << 0.0 << true << U::UnderAnHour << 0 << u"expired less than an hour ago"_s
            << u"Expired less than an hour ago, on WHEN."_s << 0;
        QTest::newRow("+0.5 h") << 0.5 << false << U::UnderAnHour << 0
                                << u"expires in less than an hour"_s
                                << u"Expires in less than an hour, on WHEN."_s << 0;
        QTest::newRow("+23 h") << 23.0 << false << U::Hours << 23 << u"expires in 23 hours"_s
                               << u"Expires in 23 hours, on WHEN."_s << 0;
        QTest::newRow("+24.5 h") << 24.5 << false << U::Days << 1 << u"expires in 1 day"_s
                                 << u"1 day left, expires WHEN."_s << 1;
        QTest::newRow("+48 h") << 48.0 << false << U::Days << 2 << u"expires in 2 days"_s
                               << u"2 days left, expires WHEN."_s << 2;
        QTest::newRow("+90 days") << 90.0 * 24 << false << U::Days << 90 << u"expires in 90 days"_s
                                  << u"90 days left, expires WHEN."_s << 90;
    }
    void wording() {
        QFETCH(double, hoursLeft);
        QFETCH(bool, expired);
        QFETCH(ExpiryDistance::Unit, unit);
        QFETCH(int, count);
        QFETCH(QString, phrase);
        QFETCH(QString, sentence);
        QFETCH(int, reportDaysLeft);
        const QDateTime now = test::pinnedNow();
        const QDateTime notAfter = now.addMSecs(qint64(hoursLeft * 3600 * 1000));

        const ExpiryDistance d = expiryDistance(notAfter, now);
        QCOMPARE(d.expired, expired);
        QCOMPARE(d.unit, unit);
        QCOMPARE(d.count, count);
        QCOMPARE(english(expiryInWords(notAfter, now), count), phrase);
        QCOMPARE(english(expiryInWords(notAfter, now, u"WHEN"_s), count), sentence);
        // The report column keeps its documented floor.
        QCOMPARE(daysLeft(notAfter, now), reportDaysLeft);
    }
};

QTEST_GUILESS_MAIN(TestExpiryWords)
#include "tst_expirywords.moc"
