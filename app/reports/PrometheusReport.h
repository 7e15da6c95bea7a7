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

} // namespace certdash
