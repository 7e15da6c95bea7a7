// The alert core at estate scale: what a scan of N target addresses costs the tracker, the store
// and the event log. Prints figures; never a test.
//
//     build/bench/certdash_bench_alerts [--targets 100000]
#include "alerts/AlertService.h"
#include "alerts/AlertStateRepository.h"
#include "storage/Database.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTextStream>

using namespace certdash;

namespace {
const QDateTime kNow(QDate(2026, 11, 23), QTime(10, 0), Qt::UTC);

void say(const QString &line) {
    QTextStream(stdout) << line << Qt::endl;
}

// One result per target: 1 in 50 warning, 1 in 200 critical, 1 in 500 expired, 1 in 100
// unreachable, the rest ok; `generation` changes the certificates, and `healthy` makes them all
// ok (every alerting address renewed).
QList<ProbeResult> results(int count, int generation, bool healthy = false) {
    QList<ProbeResult> out;
    out.reserve(count);
    for (int i = 0; i < count; ++i) {
        ProbeResult r;
        r.target.id = i + 1;
        r.target.host = QStringLiteral("host%1.bench.test").arg(i);
        r.address = QStringLiteral("10.%1.%2.%3").arg(i >> 16).arg((i >> 8) & 255).arg(i & 255);
        r.probedAt = kNow;
        r.status = healthy        ? Status::Ok
                   : i % 500 == 0 ? Status::Expired
                   : i % 200 == 0 ? Status::Critical
                   : i % 100 == 0 ? Status::Unreachable
                   : i % 50 == 0  ? Status::Warning
                                  : Status::Ok;
        if (!isProbeFailure(r.status)) {
            CertificateInfo c;
            c.subjectCommonName = r.target.host;
            c.notAfter = kNow.addDays(40);
            c.sha256Fingerprint = QStringLiteral("%1:%2").arg(generation).arg(i);
            r.limiting = c;
            r.limitingRole = QStringLiteral("leaf");
            r.daysLeft = 40;
        }
        out << r;
    }
    return out;
}
} // namespace

int main(int argc, char **argv) {
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({QStringLiteral("targets"), QStringLiteral("Number of targets."),
                      QStringLiteral("N"), QStringLiteral("100000")});
    parser.process(app);
    const int count = std::max(1, parser.value(QStringLiteral("targets")).toInt());

    QTemporaryDir temp;
    const QString path = QDir(temp.path()).filePath(QStringLiteral("bench_alerts.sqlite"));
    const QString log = QDir(temp.path()).filePath(QStringLiteral("events.jsonl"));
    QString error;
    std::unique_ptr<Database> db = Database::open(path, &error);
    if (!db) {
        say(error);
        return 1;
    }
    const bool inserted = db->inTransaction([&] {
        QSqlQuery q(db->connection());
        q.prepare(QStringLiteral("INSERT INTO targets(id, endpoint_key, host, port, created_at, "
                                 "updated_at) VALUES (?, ?, ?, 443, 0, 0)"));
        for (int i = 0; i < count; ++i) {
            q.bindValue(0, i + 1);
            q.bindValue(1, QString::number(i));
            q.bindValue(2, QStringLiteral("host%1.bench.test").arg(i));
            if (!q.exec())
                return false;
        }
        return true;
    });
    if (!inserted) {
        say(QStringLiteral("cannot insert targets"));
        return 1;
    }

    const auto clock = std::make_shared<FixedClock>(kNow);
    AlertServiceOptions options;
    options.eventLogPath = log;
    const QList<ProbeResult> first = results(count, 1);
    const QList<ProbeResult> renewed = results(count, 2, true);
    QElapsedTimer t;
    const auto measure = [&](const QString &what, const auto &fn) {
        t.start();
        fn();
        say(QStringLiteral("%1: %2 ms").arg(what).arg(t.elapsed()));
    };

    {
        AlertService service(*db, clock, options);
        service.load();
        measure(QStringLiteral("first scan of %1 addresses (every state new)").arg(count),
                [&] { service.processScan(first); });
        say(QStringLiteral("  events: %1").arg(service.lastEvents().size()));
        clock->advance(600);
        measure(QStringLiteral("same results again: the unreachable ones fail a second time"),
                [&] { service.processScan(first); });
        say(QStringLiteral("  events: %1").arg(service.lastEvents().size()));
        clock->advance(600);
        measure(QStringLiteral("same results a third time (nothing to write)"),
                [&] { service.processScan(first); });
        say(QStringLiteral("  events: %1").arg(service.lastEvents().size()));
    }
    AlertService restarted(*db, clock, options);
    measure(QStringLiteral("load() after a restart"), [&] { restarted.load(); });
    clock->advance(600);
    measure(QStringLiteral("every certificate replaced, all ok (renewals)"),
            [&] { restarted.processScan(renewed); });
    say(QStringLiteral("  events: %1").arg(restarted.lastEvents().size()));
    say(QStringLiteral("event log: %1 bytes").arg(QFileInfo(log).size()));
    return 0;
}
