// The SIEM event log: one JSON object per line per crossing, appended, readable back.
#include "AlertFixtures.h"
#include "alerts/AlertTracker.h"
#include "alerts/EventLog.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace certdash;
using namespace certdash::test;
using namespace Qt::StringLiterals;

namespace {
QList<QJsonObject> readLines(const QString &path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QList<QJsonObject> out;
    const QList<QByteArray> lines = f.readAll().split('\n');
    for (const QByteArray &line : lines) {
        if (line.isEmpty())
            continue;
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
        if (error.error != QJsonParseError::NoError || !doc.isObject())
            return {}; // every line must be one JSON object
        out << doc.object();
    }
    return out;
}
} // namespace

class TestEventLog : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private slots:
    void types_data() {
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("type");
        QTest::newRow("rotation") << int(Status::RotationOverdue) << u"certdash-rotation-overdue"_s;
        QTest::newRow("warning") << int(Status::Warning) << u"certdash-warning"_s;
        QTest::newRow("critical") << int(Status::Critical) << u"certdash-critical"_s;
        QTest::newRow("not yet valid") << int(Status::NotYetValid) << u"certdash-critical"_s;
        QTest::newRow("expired") << int(Status::Expired) << u"certdash-expired"_s;
    }
    void types() {
        QFETCH(int, status);
        QFETCH(QString, type);
        AlertTracker tracker;
        const auto events =
            tracker.process({probeResult(1, Status(status), u"A"_s, 4)}, pinnedNow()).events;
        QCOMPARE(events.size(), 1);
        QCOMPARE(alertEventType(events.first()), type);
    }

    void linesParseBackWithEveryField() {
        const QString path = m_dir.filePath(u"sub/dir/events.jsonl"_s); // directories are made
        AlertTracker tracker;
        ProbeResult warning = probeResult(4, Status::Warning, u"A"_s, 20);
        warning.target.name = u"Shop"_s;
        warning.address = u"127.0.0.4"_s;
        const auto first = tracker.process({warning}, pinnedNow()).events;
        QVERIFY(EventLog(path).append(first));
        const auto renewed = tracker
                                 .process({probeResult(4, Status::Ok, u"B"_s, 90, u"127.0.0.4"_s)},
                                          pinnedNow().addSecs(90))
                                 .events;
        QString error;
        QVERIFY2(EventLog(path).append(renewed, &error), qPrintable(error));

        const QList<QJsonObject> lines = readLines(path);
        QCOMPARE(lines.size(), 2);
        const QJsonObject w = lines.at(0);
        QCOMPARE(w.value(u"type"_s).toString(), u"certdash-warning"_s);
        QCOMPARE(w.value(u"target"_s).toString(), u"Shop"_s);
        QCOMPARE(w.value(u"target_id"_s).toInt(), 4);
        QCOMPARE(w.value(u"host"_s).toString(), u"host4.test"_s);
        QCOMPARE(w.value(u"port"_s).toInt(), 443);
        QCOMPARE(w.value(u"address"_s).toString(), u"127.0.0.4"_s);
        QCOMPARE(w.value(u"days_left"_s).toInt(), 20);
        QCOMPARE(w.value(u"not_after"_s).toString(),
                 warning.limiting->notAfter.toString(Qt::ISODate));
        QVERIFY(w.value(u"not_after"_s).toString().endsWith(u'Z'));
        QCOMPARE(w.value(u"fingerprint"_s).toString(), fingerprintFor(u"A"_s));
        QCOMPARE(w.value(u"time"_s).toString(), u"2026-03-15T12:00:00Z"_s);
        QCOMPARE(w.value(u"level"_s).toString(), u"warning"_s);
        QCOMPARE(w.value(u"previous_level"_s).toString(), u"ok"_s);
        QVERIFY(!w.contains(u"error"_s));

        const QJsonObject r = lines.at(1);
        QCOMPARE(r.value(u"type"_s).toString(), u"certdash-renewed"_s);
        QCOMPARE(r.value(u"fingerprint"_s).toString(), fingerprintFor(u"B"_s));
        QCOMPARE(r.value(u"days_left"_s).toInt(), 90);
        QCOMPARE(r.value(u"time"_s).toString(), u"2026-03-15T12:01:30Z"_s);
    }

    void failuresCarryErrorAndNullDates() {
        AlertTracker tracker;
        tracker.process({probeResult(2, Status::Timeout)}, pinnedNow());
        const auto events = tracker.process({probeResult(2, Status::Timeout)}, pinnedNow()).events;
        QCOMPARE(events.size(), 1);
        const QJsonObject o = QJsonDocument::fromJson(eventLogLine(events.first())).object();
        QCOMPARE(o.value(u"type"_s).toString(), u"certdash-critical"_s);
        QCOMPARE(o.value(u"status"_s).toString(), u"timeout"_s);
        QVERIFY(o.value(u"days_left"_s).isNull());
        QVERIFY(o.value(u"not_after"_s).isNull());
        QCOMPARE(o.value(u"error"_s).toString(), u"connection refused"_s);
        QCOMPARE(o.value(u"failing_since"_s).toString(), u"2026-03-15T12:00:00Z"_s);
        QVERIFY(eventLogLine(events.first()).endsWith("}\n"));
        QCOMPARE(eventLogLine(events.first()).count('\n'), 1); // compact: one line
    }

    void remindersAreNotLogged() {
        const QString path = m_dir.filePath(u"reminders.jsonl"_s);
        AlertEvent reminder;
        reminder.kind = AlertEventKind::Reminder;
        reminder.level = AlertLevel::Critical;
        QVERIFY(EventLog(path).append({reminder}));
        QVERIFY(!QFile::exists(path));
    }

    void unwritableLogSaysWhy() {
        AlertTracker tracker;
        const auto events = tracker.process({probeResult(1, Status::Warning)}, pinnedNow()).events;
        QString error;
        QVERIFY(!EventLog(m_dir.path()).append(events, &error)); // a directory
        QVERIFY2(error.contains(m_dir.path()), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestEventLog)
#include "tst_eventlog.moc"
