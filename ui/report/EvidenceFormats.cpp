#include "EvidenceFormats.h"

#include "EvidenceReport.h"

#include "cli/ScanCommand.h"
#include "storage/Settings.h"

namespace certdash {

namespace {
struct FormatText {
    Q_DECLARE_TR_FUNCTIONS(certdash::cli::Report)
};

cli::DocumentFormat evidenceFormat(EvidenceFormat format) {
    cli::DocumentFormat d;
    d.name = format == EvidenceFormat::Pdf ? QStringLiteral("pdf") : QStringLiteral("html");
    d.description = format == EvidenceFormat::Pdf
                        ? FormatText::tr("the evidence report as a PDF (A4)")
                        : FormatText::tr("the evidence report as one self-contained HTML file");
    d.write = [format](Database &store, const cli::DocumentRequest &request,
                       cli::DocumentOutput *output, QString *error) {
        EvidenceReport report;
        report.generatedAt = request.now;
        report.changesSince = request.changesSince;
        report.zone = request.zone;
        // The window's thresholds: the charts' bands are drawn as the window draws them.
        report.global = Settings().expiryPolicy();
        if (!readEvidence(store, &report, error))
            return false;
        drawEvidenceCharts(report);
        output->data = evidenceDocument(report, format);
        output->results = int(report.results.size());
        output->exitCode = cli::exitCodeForResults(report.results);
        return true;
    };
    return d;
}
} // namespace

cli::Extensions evidenceCommandExtensions() {
    cli::Extensions extensions;
    extensions.documentFormats << evidenceFormat(EvidenceFormat::Html)
                               << evidenceFormat(EvidenceFormat::Pdf);
    return extensions;
}

} // namespace certdash
