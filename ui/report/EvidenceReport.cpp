#include "EvidenceReport.h"

#include "charts/EstateCharts.h"
#include "domain/Attention.h"
#include "domain/ExpiryWords.h"
#include "domain/FindingExplanation.h"
#include "storage/Database.h"
#include "storage/HistoryRepository.h"
#include "storage/TargetRepository.h"

#include <QApplication>
#include <QPalette>

#include <algorithm>
#include <map>

namespace certdash {

namespace {
struct EvidenceText {
    Q_DECLARE_TR_FUNCTIONS(certdash::EvidenceReport)
};

// Charts drawn for paper, whatever the desktop's colours: dark text on white.
QPalette paperPalette() {
    QPalette p;
    for (const QPalette::ColorRole role :
         {QPalette::Window, QPalette::Base, QPalette::Button, QPalette::AlternateBase})
        p.setColor(role, Qt::white);
    for (const QPalette::ColorRole role :
         {QPalette::WindowText, QPalette::Text, QPalette::ButtonText, QPalette::BrightText})
        p.setColor(role, Qt::black);
    p.setColor(QPalette::Mid, Qt::gray);
    p.setColor(QPalette::Dark, Qt::darkGray);
    p.setColor(QPalette::Light, Qt::lightGray);
    return p;
}
} // namespace

bool readEvidence(Database &db, EvidenceReport *report, QString *error) {
    QString failure;
    // Summary: the limiting certificate, the leaf and every finding, without the verified path
    // and the PEM texts nobody reads in this report (several times faster at 100,000 rows).
    report->results = HistoryRepository(db).latest(&failure, CertificateDetail::Summary);
    if (!failure.isEmpty()) {
        *error = failure;
        return false;
    }
    SystemClock clock;
    TargetRepository targets(db, clock);
    report->targetCount = int(targets.all(&failure).size());
    if (failure.isEmpty())
        report->tagPolicies = targets.tagPolicies(&failure);
    if (!failure.isEmpty()) {
        *error = failure;
        return false;
    }
    report->storePath = db.path();
    report->changes =
        changesBetween(db, report->changesSince, report->generatedAt, report->global.rotationDays,
                       &failure);
    if (!failure.isEmpty()) {
        *error = failure;
        return false;
    }
    return true;
}

void drawEvidenceCharts(EvidenceReport &report) {
    EstateCharts charts;
    charts.setPalette(paperPalette());
    const ExpiryPolicy global = report.global;
    const QList<TagPolicy> &tags = report.tagPolicies;
    charts.setResults(
        report.results, [&](const Target &t) { return effectivePolicy(global, tags, t); }, global,
        report.generatedAt, report.zone);
    // Drawn as the window would at this size (legends and week labels fit), then shown at the
    // text width of an A4 page; twice as dense for print.
    const QSize size(840, 460);
    report.calendarChart = charts.renderChart(EstateCharts::CalendarChart, size, 2);
    report.healthChart = charts.renderChart(EstateCharts::HealthChart, size, 2);
}

QList<QPair<Status, int>> evidenceStatusCounts(const QList<ProbeResult> &results) {
    std::map<int, QPair<Status, int>> bySeverity;
    for (const ProbeResult &r : results) {
        auto &slot = bySeverity[severityRank(r.status)];
        slot.first = r.status;
        ++slot.second;
    }
    QList<QPair<Status, int>> counts;
    for (const auto &[rank, count] : bySeverity)
        counts << count;
    return counts;
}

QList<QPair<QString, int>> evidenceTrustCounts(const QList<ProbeResult> &results) {
    std::map<int, int> byLevel; // TrustLevel, best first; -1 after all: nothing read
    for (const ProbeResult &r : results) {
        const std::optional<TrustLevel> level = trustLevelOf(r);
        ++byLevel[level ? int(*level) : 100];
    }
    QList<QPair<QString, int>> counts;
    for (const auto &[level, count] : byLevel) {
        counts << qMakePair(level == 100 ? EvidenceText::tr("No certificate read")
                                         : trustLevelLabel(TrustLevel(level)),
                            count);
    }
    return counts;
}

QList<ProbeResult> evidenceAttention(const QList<ProbeResult> &results) {
    QList<ProbeResult> rows;
    for (const ProbeResult &r : results) {
        if (needsAttention(r))
            rows << r;
    }
    const auto key = [](const ProbeResult &r) {
        return std::make_tuple(severityRank(r.status), r.daysLeft.value_or(INT_MAX),
                               r.target.label(), r.address);
    };
    std::stable_sort(rows.begin(), rows.end(),
                     [&](const ProbeResult &a, const ProbeResult &b) { return key(a) < key(b); });
    return rows;
}

QStringList evidenceFindingsInWords(const ProbeResult &result, const QDateTime &now) {
    QStringList words;
    if (!result.hasCertificate()) {
        if (!result.error.isEmpty())
            words << EvidenceText::tr("No certificate was read: %1.").arg(result.error);
        return words;
    }
    if (result.status != Status::Ok && result.limiting && result.limiting->notAfter.isValid()) {
        const QString phrase = expiryInWords(result.limiting->notAfter, now);
        words << (result.limitingRole == QLatin1String("leaf") || result.limitingRole.isEmpty()
                      ? EvidenceText::tr("%1: the certificate %2.")
                            .arg(statusLabel(result.status), phrase)
                      : EvidenceText::tr("%1: the %2 certificate %3 %4, before the leaf does.")
                            .arg(statusLabel(result.status), result.limitingRole,
                                 result.limiting->displayName(), phrase));
    }
    QList<FindingKind> explained;
    for (int i = 0; i < result.trust.kinds.size(); ++i) {
        const FindingKind kind = result.trust.kinds.at(i);
        QString line = result.trust.findings.value(i);
        if (!explained.contains(kind)) {
            explained << kind;
            const QString meaning = explainFinding(kind);
            if (!meaning.isEmpty())
                line = line.isEmpty() ? meaning
                                      : EvidenceText::tr("%1. %2", "finding, then its meaning")
                                            .arg(line, meaning);
        }
        if (!line.isEmpty())
            words << line;
    }
    if (trustLevelOf(result) != TrustLevel::Trusted || !result.trust.kinds.isEmpty())
        words << explainTrustVerdict(result.trustVerdict, result.trust.kinds);
    return words;
}

QByteArray evidenceDocument(const EvidenceReport &report, EvidenceFormat format) {
    return format == EvidenceFormat::Pdf ? evidencePdf(report) : evidenceHtml(report);
}

EvidenceFormat evidenceFormatForPath(const QString &path) {
    return path.endsWith(QLatin1String(".pdf"), Qt::CaseInsensitive) ? EvidenceFormat::Pdf
                                                                     : EvidenceFormat::Html;
}

} // namespace certdash
