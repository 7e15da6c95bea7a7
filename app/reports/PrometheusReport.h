#pragma once

#include "domain/ProbeResult.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace certdash {

// A label value in the Prometheus text format: backslash, double quote and newline escaped.
QString escapePrometheusLabelValue(const QString &value);

// The scan as Prometheus text exposition format (version 0.0.4), for node_exporter's textfile
// collector. Every sample is labelled target, host, port, address, sni; samples of one metric
// family are grouped under a single # HELP and # TYPE. Results without a certificate only carry
// certdash_probe_success, certdash_probe_duration_seconds and certdash_status.
QByteArray renderPrometheusReport(const QList<ProbeResult> &results);

// The same report in pieces, for writing it as results arrive (ReportStream): the metric
// families in report order, each with its "# HELP" and "# TYPE" lines, and one result's sample
// lines per family ("name{labels} value\n" each; empty for a family the result has no sample in).
// The report is, for every family with any samples, its header and then its samples in result
// order.
int prometheusFamilyCount();
QByteArray prometheusFamilyHeader(int family);
QList<QByteArray> prometheusSamples(const ProbeResult &result);

} // namespace certdash
