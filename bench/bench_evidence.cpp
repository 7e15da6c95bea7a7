// certdash_bench_evidence: the evidence report (File > Export audit report, `certdash report
// --format html|pdf`) on a store kept by certdash_bench_store, offscreen.
//
//     certdash_bench_store --targets 10000 --keep DIR
//     certdash_bench_evidence DIR/bench_store.sqlite [--repeat R] [--save DIR]
//
// Prints, per step, the median of R rounds in wall and CPU milliseconds: reading the store (the
// window does it in a thread), drawing the two charts (the only step on the window's UI
// thread), then the HTML and the PDF (in a thread again), and the documents' sizes and pages.
// --save writes the last round's evidence.html and evidence.pdf to DIR.

#include "report/EvidenceReport.h"
#include "storage/Database.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <map>

using namespace certdash;

namespace {

const QDateTime kNow(QDate(2026, 11, 23), QTime(10, 0), Qt::UTC); // certdash_bench_store's

double cpuMs() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
}

double median(QList<double> values) {
    std::sort(values.begin(), values.end());
    return values.isEmpty() ? 0 : values.at(values.size() / 2);
}

} // namespace

int main(int argc, char **argv) {
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("store"), QStringLiteral("The database."));
    parser.addOption({QStringLiteral("repeat"), QStringLiteral("Rounds."), QStringLiteral("R"),
                      QStringLiteral("3")});
    parser.addOption({QStringLiteral("save"), QStringLiteral("Write the documents to DIR."),
                      QStringLiteral("DIR")});
    parser.process(app);
    if (parser.positionalArguments().size() != 1)
        parser.showHelp(2);
    const int rounds = std::max(1, parser.value(QStringLiteral("repeat")).toInt());

    std::map<QString, QList<double>> wall;
    std::map<QString, QList<double>> cpu;
    QElapsedTimer timer;
    const auto step = [&](const QString &name, auto &&work) {
        timer.restart();
        const double before = cpuMs();
        work();
        wall[name] << double(timer.nsecsElapsed()) / 1e6;
        cpu[name] << cpuMs() - before;
    };
    QByteArray html;
    QByteArray pdf;
    EvidenceReport report;
    for (int round = 0; round < rounds; ++round) {
        report = EvidenceReport{};
        report.generatedAt = kNow;
        report.changesSince = kNow.addDays(-7);
        bool ok = true;
        step(QStringLiteral("1 read the store (thread)"), [&] {
            QString error;
            auto db = Database::open(parser.positionalArguments().first(), &error);
            ok = db && readEvidence(*db, &report, &error);
            if (!ok)
                std::fprintf(stderr, "%s\n", qPrintable(error));
        });
        if (!ok)
            return 1;
        step(QStringLiteral("2 draw the charts (UI thread)"), [&] { drawEvidenceCharts(report); });
        step(QStringLiteral("3 HTML (thread)"), [&] { html = evidenceHtml(report); });
        step(QStringLiteral("4 PDF (thread)"), [&] { pdf = evidencePdf(report); });
    }
    std::printf("%lld target addresses, %lld need attention, %d rounds (medians)\n",
                qint64(report.results.size()), qint64(evidenceAttention(report.results).size()),
                rounds);
    for (const auto &[name, values] : wall)
        std::printf("  %-32s %8.0f ms wall %8.0f ms CPU\n", qPrintable(name), median(values),
                    median(cpu[name]));
    std::printf("  HTML %.1f MB, PDF %.1f MB\n", html.size() / 1e6, pdf.size() / 1e6);
    if (parser.isSet(QStringLiteral("save"))) {
        const QDir dir(parser.value(QStringLiteral("save")));
        for (const auto &[name, data] : {std::pair{QStringLiteral("evidence.html"), html},
                                         std::pair{QStringLiteral("evidence.pdf"), pdf}}) {
            QFile f(dir.filePath(name));
            if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size())
                return 1;
        }
    }
    return 0;
}
