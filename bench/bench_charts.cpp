// certdash_bench_charts: the charts at estate scale, offscreen.
//
// N synthetic target addresses (default 10,000: 90-day certificates renewed at 2/3 of their
// lifetime, yearly ones, 30-day and 6-day ones, some whose rotation failed, some expired, some
// probe failures) go through the estate charts: chart data (expiry calendar, rotation health),
// then the Qt Charts series, then a render of each chart (QWidget::grab). Also one target's
// two-year history probed every 6 hours through the expiry timeline. Prints the median of
// --repeat rounds in ms. Bar (issue 5): data + render under 200 ms at 10,000 targets.
//
//     certdash_bench_charts [--targets N] [--repeat R] [--save DIR]
//
// --save writes the last round's images (calendar.png, health.png, timeline.png) to DIR.

#include "charts/EstateCharts.h"
#include "charts/EstateData.h"
#include "charts/ExpiryTimelineChart.h"
#include "charts/TimelineData.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QRandomGenerator>

#include <algorithm>
#include <cstdio>

using namespace certdash;

namespace {

constexpr qint64 kDay = 86400;
const QDateTime kNow(QDate(2026, 11, 23), QTime(10, 0), Qt::UTC);

void say(const QString &line) {
    std::printf("%s\n", qPrintable(line));
    std::fflush(stdout);
}

CertificateInfo leaf(const QString &name, const QDateTime &notBefore, double lifetimeDays) {
    CertificateInfo c;
    c.der = name.toUtf8();
    c.subject = QStringLiteral("CN=") + name;
    c.subjectCommonName = name;
    c.notBefore = notBefore;
    c.notAfter = notBefore.addSecs(qint64(lifetimeDays * kDay));
    c.sha256Fingerprint = name;
    return c;
}

QList<ProbeResult> estate(int count) {
    QRandomGenerator random(20261123);
    QList<ProbeResult> results;
    results.reserve(count);
    for (int i = 0; i < count; ++i) {
        ProbeResult r;
        r.target.id = i + 1;
        r.target.host = QStringLiteral("svc%1.team%2.bench.test").arg(i).arg(i % 97);
        r.address = QStringLiteral("127.0.%1.%2").arg((i / 250) % 250).arg(i % 250 + 1);
        r.probedAt = kNow.addSecs(-qint64(random.bounded(6 * 3600)));
        const int kind = i % 20;
        if (kind == 19) { // the probe failed
            r.status = Status::Timeout;
            results << r;
            continue;
        }
        double lifetime = 90;
        double age = random.bounded(60.0); // renewed at 2/3 of the lifetime
        if (kind >= 12 && kind < 16) {
            lifetime = 397;
            age = random.bounded(265.0);
        } else if (kind == 16) {
            lifetime = 30;
            age = random.bounded(20.0);
        } else if (kind == 17) {
            lifetime = 6;
            age = random.bounded(4.0);
        } else if (kind == 18) { // rotation failed, some already expired
            age = 60 + random.bounded(40.0);
        }
        r.chain = {leaf(r.target.host, r.probedAt.addSecs(-qint64(age * kDay)), lifetime)};
        applyClassification(r, ExpiryPolicy{}, r.probedAt);
        results << r;
    }
    return results;
}

// A two-year history probed every 6 hours, renewed every 60 days.
QList<HistoryPoint> longHistory() {
    QList<HistoryPoint> history;
    const QDateTime start = kNow.addDays(-730);
    for (qint64 q = 0; q <= 730 * 4; ++q) {
        const QDateTime at = start.addSecs(q * 6 * 3600);
        const int k = int(q / (60 * 4));
        const QDateTime notBefore = start.addDays(60 * k);
        HistoryPoint h;
        h.probedAt = at;
        h.address = QStringLiteral("127.0.0.1");
        if (q % 97 == 0) {
            h.status = Status::Timeout;
        } else {
            h.status = Status::Ok;
            h.earliestExpiry = notBefore.addDays(90);
            h.leafNotBefore = notBefore;
            h.leafNotAfter = h.earliestExpiry;
            h.daysLeft = int(at.secsTo(h.earliestExpiry) / kDay);
            h.leafSha256 = QStringLiteral("cert-%1").arg(k);
        }
        history << h;
    }
    return history;
}

double median(QList<double> values) {
    std::sort(values.begin(), values.end());
    return values.isEmpty() ? 0 : values.at(values.size() / 2);
}

QString ms(double value) {
    return QString::number(value, 'f', 1) + QStringLiteral(" ms");
}

} // namespace

int main(int argc, char **argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({QStringLiteral("targets"), QStringLiteral("Number of target addresses."),
                      QStringLiteral("N"), QStringLiteral("10000")});
    parser.addOption({QStringLiteral("repeat"), QStringLiteral("Rounds (the median is shown)."),
                      QStringLiteral("R"), QStringLiteral("5")});
    parser.addOption({QStringLiteral("save"), QStringLiteral("Write the images to DIR."),
                      QStringLiteral("DIR")});
    parser.process(app);
    const QString saveDir = parser.value(QStringLiteral("save"));
    const int count = std::max(1, parser.value(QStringLiteral("targets")).toInt());
    const int repeat = std::max(1, parser.value(QStringLiteral("repeat")).toInt());

    const QList<ProbeResult> results = estate(count);
    const ExpiryPolicy global;
    const auto policyOf = [&](const Target &) {
        return global;
    };
    const QTimeZone zone("Europe/Berlin");

    EstateCharts charts;
    charts.resize(1200, 700);
    charts.show();
    ExpiryTimelineChart timeline;
    timeline.resize(900, 320);
    timeline.show();
    QApplication::processEvents();
    const QList<HistoryPoint> history = longHistory();
    ProbeResult latest;
    latest.address = QStringLiteral("127.0.0.1");
    latest.probedAt = kNow;
    latest.chain = {leaf(QStringLiteral("current"), kNow.addDays(-10), 90)};
    applyClassification(latest, global, kNow);

    QList<double> data, series, calendarRender, healthRender, total, timelineTotal;
    int points = 0;
    for (int round = 0; round < repeat; ++round) {
        QElapsedTimer timer;
        timer.start();
        const ExpiryCalendar calendar = expiryCalendar(results, kNow, zone);
        const RotationHealth health = rotationHealth(results, policyOf, global);
        data << timer.nsecsElapsed() / 1e6;
        points = int(health.inBand.size() + health.underBand.size());

        timer.restart();
        charts.setResults(results, policyOf, global, kNow, zone);
        series << timer.nsecsElapsed() / 1e6;
        timer.restart();
        charts.showChart(EstateCharts::CalendarChart);
        // Qt Charts lays out on posted events: what a user sees needs them handled.
        QApplication::processEvents();
        const QPixmap calendarImage = charts.grab();
        calendarRender << timer.nsecsElapsed() / 1e6;
        timer.restart();
        charts.showChart(EstateCharts::HealthChart);
        QApplication::processEvents();
        const QPixmap healthImage = charts.grab();
        healthRender << timer.nsecsElapsed() / 1e6;
        total << series.last() + calendarRender.last() + healthRender.last();
        if (calendarImage.isNull() || healthImage.isNull())
            say(QStringLiteral("render failed"));

        timer.restart();
        timeline.setTimeline(buildTimeline(history, latest, global, kNow));
        QApplication::processEvents();
        const QPixmap timelineImage = timeline.grab();
        timelineTotal << timer.nsecsElapsed() / 1e6;
        if (!saveDir.isEmpty() && round == repeat - 1) {
            calendarImage.save(saveDir + QStringLiteral("/calendar.png"));
            healthImage.save(saveDir + QStringLiteral("/health.png"));
            timelineImage.save(saveDir + QStringLiteral("/timeline.png"));
        }
    }

    say(QStringLiteral("target addresses:           %1 (%2 scatter points after aggregation)")
            .arg(count)
            .arg(points));
    say(QStringLiteral("chart data alone:           %1 (calendar + rotation health)")
            .arg(ms(median(data))));
    say(QStringLiteral("setResults (data + series): %1").arg(ms(median(series))));
    say(QStringLiteral("render calendar (grab):     %1").arg(ms(median(calendarRender))));
    say(QStringLiteral("render health (grab):       %1").arg(ms(median(healthRender))));
    say(QStringLiteral("estate total:               %1 (bar: 200 ms)").arg(ms(median(total))));
    say(QStringLiteral("timeline, %1 probes:      %2 (data + series + render)")
            .arg(history.size())
            .arg(ms(median(timelineTotal))));
    return 0;
}
