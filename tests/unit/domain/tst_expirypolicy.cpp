#include "domain/ExpiryPolicy.h"
#include "domain/ProbeResult.h"
#include "TestSupport.h"

#include <QTest>

using namespace certdash;

namespace {
constexpr qint64 kDay = 86400;

CertificateInfo cert(const QString &cn, const QDateTime &notBefore, const QDateTime &notAfter)
{
    CertificateInfo c;
    c.der = cn.toUtf8(); // non-null marker; classification never decodes it
    c.subject = QStringLiteral("CN=") + cn;
    c.subjectCommonName = cn;
    c.notBefore = notBefore;
    c.notAfter = notAfter;
    return c;
}

// A certificate issued `ageDays` ago with `lifetimeDays` of validity.
CertificateInfo aged(const QString &cn, double ageDays, double lifetimeDays)
{
    const QDateTime now = test::pinnedNow();
    const QDateTime start = now.addSecs(qint64(-ageDays * kDay));
    return cert(cn, start, start.addSecs(qint64(lifetimeDays * kDay)));
}
} // namespace

class TestExpiryPolicy : public QObject
{
    Q_OBJECT
private slots:
    void classify_data()
    {
        QTest::addColumn<double>("ageDays");
        QTest::addColumn<double>("lifetimeDays");
        QTest::addColumn<int>("rotationDays"); // 0 = none
        QTest::addColumn<QString>("expected");

        // Defaults: warning 30 days, critical 7 days.
        QTest::newRow("fresh 90-day") << 1.0 << 90.0 << 0 << "ok";
        QTest::newRow("90-day, 31 days left") << 59.0 << 90.0 << 0 << "ok";
        QTest::newRow("90-day, 29.9 days left") << 60.1 << 90.0 << 0 << "warning";
        QTest::newRow("90-day, 7 days left") << 83.0 << 90.0 << 0 << "warning";
        QTest::newRow("90-day, 6.9 days left") << 83.1 << 90.0 << 0 << "critical";
        QTest::newRow("90-day, 1 second left") << 90.0 - 1.0 / kDay << 90.0 << 0 << "critical";
        QTest::newRow("expired exactly now") << 90.0 << 90.0 << 0 << "expired";
        QTest::newRow("expired long ago") << 400.0 << 90.0 << 0 << "expired";
        QTest::newRow("not yet valid") << -2.0 << 90.0 << 0 << "not_yet_valid";
        // Caps: warning at most 1/3 of lifetime, critical at most 1/6.
        QTest::newRow("6-day cert at birth is ok") << 0.0 << 6.0 << 0 << "ok";
        QTest::newRow("6-day cert, 2.1 days left") << 3.9 << 6.0 << 0 << "ok";
        QTest::newRow("6-day cert, 1.9 days left") << 4.1 << 6.0 << 0 << "warning";
        QTest::newRow("6-day cert, 0.9 days left") << 5.1 << 6.0 << 0 << "critical";
        QTest::newRow("30-day cert, 11 days left") << 19.0 << 30.0 << 0 << "ok";
        QTest::newRow("30-day cert, 9 days left") << 21.0 << 30.0 << 0 << "warning";
        // Rotation: the brief's example, 90-day certificate rotated every 30 days, 40 days left:
        // rotation was due 20 days ago.
        QTest::newRow("rotation overdue") << 50.0 << 90.0 << 30 << "rotation_overdue";
        QTest::newRow("rotation due, not yet late") << 29.0 << 90.0 << 30 << "ok";
        QTest::newRow("rotation overdue but warning wins") << 65.0 << 90.0 << 30 << "warning";
        QTest::newRow("rotation >= lifetime never overdue") << 50.0 << 90.0 << 90 << "ok";
    }

    void classify()
    {
        QFETCH(double, ageDays);
        QFETCH(double, lifetimeDays);
        QFETCH(int, rotationDays);
        QFETCH(QString, expected);

        ExpiryPolicy policy;
        if (rotationDays > 0)
            policy.rotationDays = rotationDays;
        const QList<CertificateInfo> path{aged(QStringLiteral("leaf"), ageDays, lifetimeDays)};
        QCOMPARE(statusKey(certdash::classify(path, policy, test::pinnedNow())), expected);
    }

    void targetOverridesGlobalPolicy()
    {
        ExpiryPolicy global;
        Target t;
        t.warningDays = 45;
        t.rotationDays = 30;
        const ExpiryPolicy p = global.forTarget(t);
        QCOMPARE(p.warningDays, 45);
        QCOMPARE(p.criticalDays, 7);
        QCOMPARE(p.rotationDays.value_or(-1), 30);
        // 35 days left of a year: inside the target's 45-day warning, outside the global 30.
        const QList<CertificateInfo> path{aged(QStringLiteral("leaf"), 330, 365)};
        QCOMPARE(certdash::classify(path, p, test::pinnedNow()), Status::Warning);
        QCOMPARE(certdash::classify(path, global, test::pinnedNow()), Status::Ok);
        // On a 90-day certificate the 45-day warning is capped to 30 days; rotation still applies.
        const QList<CertificateInfo> shortPath{aged(QStringLiteral("leaf"), 50, 90)};
        QCOMPARE(certdash::classify(shortPath, p, test::pinnedNow()), Status::RotationOverdue);
    }

    void daysLeftIsFloorAndNegativeWhenExpired_data()
    {
        QTest::addColumn<qint64>("secondsLeft");
        QTest::addColumn<int>("expected");
        QTest::newRow("10 days") << 10 * kDay << 10;
        QTest::newRow("10 days minus 1 s") << 10 * kDay - 1 << 9;
        QTest::newRow("1 s") << qint64(1) << 0;
        QTest::newRow("0") << qint64(0) << 0;
        QTest::newRow("-1 s") << qint64(-1) << -1;
        QTest::newRow("-1 day") << -kDay << -1;
        QTest::newRow("-1 day -1 s") << -kDay - 1 << -2;
    }

    void daysLeftIsFloorAndNegativeWhenExpired()
    {
        QFETCH(qint64, secondsLeft);
        QFETCH(int, expected);
        const QDateTime now = test::pinnedNow();
        QCOMPARE(daysLeft(now.addSecs(secondsLeft), now), expected);
    }

    // The endpoint breaks at the earliest expiry on the path: an intermediate that expires
    // before the leaf limits it.
    void intermediateExpiringFirstLimits()
    {
        ProbeResult r;
        r.chain = {aged(QStringLiteral("leaf"), 10, 90), aged(QStringLiteral("Issuing CA"), 1800, 1805),
                   aged(QStringLiteral("Root"), 3000, 7300)};
        applyClassification(r, ExpiryPolicy{}, test::pinnedNow());
        QVERIFY(r.limiting);
        QCOMPARE(r.limiting->subjectCommonName, QStringLiteral("Issuing CA"));
        QCOMPARE(r.limitingRole, QStringLiteral("intermediate"));
        QCOMPARE(*r.daysLeft, 5);
        QCOMPARE(r.status, Status::Critical);
    }

    // A stale cross-sign the server still sends is not on the verified path: it must not become
    // the endpoint's expiry.
    void verifiedPathWinsOverPresentedChain()
    {
        ProbeResult r;
        const CertificateInfo leaf = aged(QStringLiteral("leaf"), 10, 90);
        const CertificateInfo inter = aged(QStringLiteral("Issuing CA"), 100, 1000);
        CertificateInfo staleCross = aged(QStringLiteral("Root (cross-signed)"), 800, 700);
        CertificateInfo root = aged(QStringLiteral("Root"), 100, 7300);
        root.selfIssued = true;
        r.chain = {leaf, inter, staleCross};
        r.trust.pathToAnchor = true;
        r.trust.verifiedPath = {leaf, inter, root};
        applyClassification(r, ExpiryPolicy{}, test::pinnedNow());
        QCOMPARE(r.status, Status::Ok);
        QCOMPARE(r.limiting->subjectCommonName, QStringLiteral("leaf"));
        QCOMPARE(*r.daysLeft, 80);

        // Without a verified path, the presented chain is all we know: the stale one limits.
        r.trust = {};
        applyClassification(r, ExpiryPolicy{}, test::pinnedNow());
        QCOMPARE(r.status, Status::Expired);
        QCOMPARE(r.limiting->subjectCommonName, QStringLiteral("Root (cross-signed)"));
    }

    // Every combination of a readable, past/future or unreadable notBefore and notAfter: an
    // unreadable time is never better than a rejection, and no days left are ever invented.
    void unreadableTimes_data()
    {
        QTest::addColumn<QString>("notBefore"); // "past", "future" or "unreadable"
        QTest::addColumn<QString>("notAfter");  // "future", "past" or "unreadable"
        QTest::addColumn<QString>("status");
        QTest::addColumn<int>("daysLeft"); // -1000: none
        const auto row = [](const char *nb, const char *na, const char *status, int days) {
            QTest::addRow("notBefore %s, notAfter %s", nb, na)
                << QString::fromLatin1(nb) << QString::fromLatin1(na) << QString::fromLatin1(status)
                << days;
        };
        row("past", "future", "ok", 40);
        row("past", "past", "expired", -3);
        row("past", "unreadable", "expired", -1000);
        row("future", "future", "not_yet_valid", 40);
        row("future", "unreadable", "expired", -1000);
        row("unreadable", "future", "not_yet_valid", 40);
        row("unreadable", "past", "expired", -3);
        row("unreadable", "unreadable", "expired", -1000);
    }
    void unreadableTimes()
    {
        QFETCH(QString, notBefore);
        QFETCH(QString, notAfter);
        QFETCH(QString, status);
        QFETCH(int, daysLeft);
        const QDateTime now = test::pinnedNow();
        CertificateInfo c = cert(QStringLiteral("leaf.test"),
                                 notBefore == QLatin1String("past") ? now.addDays(-50)
                                                                    : now.addDays(1),
                                 notAfter == QLatin1String("past") ? now.addSecs(-2 * kDay - 600)
                                                                   : now.addDays(40));
        if (notBefore == QLatin1String("unreadable")) {
            c.notBefore = QDateTime();
            c.rawNotBefore = QStringLiteral("991332250000Z");
        }
        if (notAfter == QLatin1String("unreadable")) {
            c.notAfter = QDateTime();
            c.rawNotAfter = QStringLiteral("00000101000000Z");
        }
        ProbeResult r;
        r.chain = {c, cert(QStringLiteral("CA"), now.addDays(-100), now.addDays(900))};
        applyClassification(r, ExpiryPolicy{}, now);
        QCOMPARE(statusKey(r.status), status);
        QCOMPARE(r.daysLeft.has_value(), daysLeft != -1000);
        if (r.daysLeft)
            QCOMPARE(*r.daysLeft, daysLeft);
        QCOMPARE(r.limitingRole, QStringLiteral("leaf"));
        if (notBefore == QLatin1String("unreadable"))
            QVERIFY2(r.error.contains(
                         QStringLiteral("unreadable notBefore in CN=leaf.test: 991332250000Z")),
                     qPrintable(r.error));
        if (notAfter == QLatin1String("unreadable"))
            QVERIFY2(r.error.contains(
                         QStringLiteral("unreadable notAfter in CN=leaf.test: 00000101000000Z")),
                     qPrintable(r.error));
        if (notBefore != QLatin1String("unreadable") && notAfter != QLatin1String("unreadable"))
            QVERIFY(r.error.isEmpty());
    }

    void failuresKeepTheirStatus()
    {
        ProbeResult r;
        r.status = Status::Timeout;
        applyClassification(r, ExpiryPolicy{}, test::pinnedNow());
        QCOMPARE(r.status, Status::Timeout);
        QVERIFY(!r.daysLeft);
    }

    void worstAndExitCodes()
    {
        QCOMPARE(worseOf(Status::Ok, Status::Warning), Status::Warning);
        QCOMPARE(worseOf(Status::Expired, Status::Timeout), Status::Expired);
        QCOMPARE(worseOf(Status::RotationOverdue, Status::Warning), Status::Warning);
        QCOMPARE(exitCodeFor(Status::Ok), 0);
        QCOMPARE(exitCodeFor(Status::RotationOverdue), 1);
        QCOMPARE(exitCodeFor(Status::Warning), 1);
        QCOMPARE(exitCodeFor(Status::Critical), 2);
        QCOMPARE(exitCodeFor(Status::NotYetValid), 2);
        QCOMPARE(exitCodeFor(Status::Expired), 2);
        QCOMPARE(exitCodeFor(Status::Unreachable), 2);
        QCOMPARE(exitCodeFor(Status::HandshakeFailed), 2);
        for (const char *key : {"ok", "rotation_overdue", "warning", "critical", "not_yet_valid",
                                "expired", "unreachable", "timeout", "handshake_failed"}) {
            const auto s = statusFromKey(QString::fromLatin1(key));
            QVERIFY2(s, key);
            QCOMPARE(statusKey(*s), QString::fromLatin1(key));
        }
    }
};

QTEST_GUILESS_MAIN(TestExpiryPolicy)
#include "tst_expirypolicy.moc"
