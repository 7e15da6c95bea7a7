#include "ScanRunText.h"

#include <QCoreApplication>
#include <QLocale>

namespace certdash {

namespace {
struct ScanRunWords {
    Q_DECLARE_TR_FUNCTIONS(certdash::ScanRunText)
};

QString localTime(const QDateTime &utc) {
    return QLocale().toString(utc.toLocalTime(), QLocale::ShortFormat);
}
} // namespace

QString scanRunText(const ScanRun &run) {
    const QString when = localTime(run.finishedAt);
    const QString head = run.trigger == ScanRun::Trigger::Timer
                             ? ScanRunWords::tr("Last scheduled scan: %1").arg(when)
                             : ScanRunWords::tr("Last command-line scan: %1").arg(when);
    return ScanRunWords::tr("%1, %n target(s)", nullptr, run.targets).arg(head) +
           QStringLiteral(", ") +
           (run.attention == 0 ? ScanRunWords::tr("all ok")
                               : ScanRunWords::tr("%n need(s) attention", nullptr, run.attention));
}

QString scanRunToolTip(const ScanRun &run) {
    QString ending;
    switch (run.exitCode) {
    case 0:
        ending = ScanRunWords::tr("exit code 0: all ok");
        break;
    case 1:
        ending = ScanRunWords::tr("exit code 1: the worst is a warning or an overdue rotation");
        break;
    default:
        ending = ScanRunWords::tr("exit code %1: something is critical, expired, not trusted or "
                                  "could not be probed")
                     .arg(run.exitCode);
        break;
    }
    return ScanRunWords::tr("certdash scan of this store (%1), from %2 to %3:\n"
                            "%n endpoint address(es) probed; %4",
                            nullptr, run.endpoints)
        .arg(run.trigger == ScanRun::Trigger::Timer ? ScanRunWords::tr("certdash-scan.timer")
                                                    : ScanRunWords::tr("command line"),
             localTime(run.startedAt), localTime(run.finishedAt), ending);
}

} // namespace certdash
