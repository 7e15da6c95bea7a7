#pragma once

#include "PromJson.h"
#include "domain/ExpiryPolicy.h"
#include "domain/ProbeResult.h"
#include "domain/Target.h"
#include "storage/HistoryRepository.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QMap>
#include <QString>

// Prometheus HTTP API answers about CertDash's blackbox_exporter fleet -> report rows. Pure
// functions, no network: FleetReader fetches, these convert (and tests feed them bodies).
namespace certdash {

struct PromVector {
    QList<PromSample> samples;
    QString error; // translated; "" when the body was a vector
};
struct PromMatrix {
    QList<PromSeries> series;
    QString error;
};

// Parses a Prometheus API body. `where` (the URL asked) starts every message; a `status: error`
// body gives Prometheus's errorType and error, malformed JSON a short excerpt of the body.
// The fast reader (PromJson.h) reads every ordinary answer; what it declines is read by the
// QJsonDocument reader below, which words the error.
PromVector parsePromVector(const QByteArray &body, const QString &where);
PromMatrix parsePromMatrix(const QByteArray &body, const QString &where);
// The same through a QJsonDocument only (the reference the fast reader is tested against).
PromVector parsePromVectorDocument(const QByteArray &body, const QString &where);
PromMatrix parsePromMatrixDocument(const QByteArray &body, const QString &where);

// The PromQL readLatest() asks: every metric a row needs, for the series `certdash fleet config`
// labels (target and host set), and the time of each probe's newest sample.
QString fleetMetricsQuery();
QString fleetSampleTimesQuery();
// The metrics of readHistory() for one series (job and instance as read by readLatest()).
QString fleetHistoryQuery(const QString &job, const QString &instance);

// What the rows are judged against.
struct FleetRowContext {
    QString source;      // ProbeResult::source of every row: the Prometheus base URL
    QList<Target> known; // stored targets (thresholds with their tags' applied); may be empty
    ExpiryPolicy policy; // the defaults, for targets not in `known`
    QDateTime now;       // UTC
};

// The series a row comes from, for readHistory(): the labels that name one probe.
struct FleetSeriesKey {
    QString job;
    QString instance;
};

// One row per probed series (job, instance, module, exporter and the labels `fleet config`
// writes tell them apart), in the order of target label, then address. A probe that failed
// (probe_success 0, no certificate) is a failure row (unreachable, with the reason blackbox cannot
// give named), never dropped. `sampleTimes` is the answer to fleetSampleTimesQuery() (probedAt of
// each row; the context's now when missing). `keys`, when given, receives each row's series, in row
// order.
QList<ProbeResult> fleetRows(const QList<PromSample> &metrics, const QList<PromSample> &sampleTimes,
                             const FleetRowContext &context, QList<FleetSeriesKey> *keys = nullptr);

// What names a fleet row within its Prometheus: its target's endpoint key, with the exporter
// when several probe the address (ProbeResult::vantage). With its address it finds the series
// for readHistory().
QString fleetRowKey(const ProbeResult &row);

// The target a series describes: the stored one whose label, host, port, SNI and STARTTLS match
// the labels `fleet config` wrote, else one built from those labels (and the instance when a
// label is missing).
Target fleetTarget(const PromLabels &labels, const QList<Target> &known);

// How a fleet row is classified: as `certdash scan` classifies (expired, critical, warning by
// the target's thresholds), on the earliest expiry blackbox reports. What blackbox does not
// export cannot be judged: no not_yet_valid, no rotation_overdue, and thresholds are not capped
// to the certificate's lifetime (its notBefore is unknown).
Status classifyFleet(const QDateTime &earliestExpiry, const ExpiryPolicy &policy,
                     const QDateTime &now);

// "TLS 1.3" (blackbox's version label) -> "TLSv1.3" (CertDash's).
QString tlsVersionFromBlackbox(const QString &version);
// "87dfbf10..." (blackbox's fingerprint_sha256) -> "87:DF:BF:10:..." (CertDash's).
QString fingerprintFromBlackbox(const QString &hex);
// "CN=a,O=Org\, Inc" (Go's distinguished name) -> "CN=a, O=Org\, Inc" (CertDash's separator).
QString distinguishedNameFromBlackbox(const QString &name);

// A range answer for one series -> history points (oldest first), classified like fleetRows().
QList<HistoryPoint> fleetHistory(const QList<PromSeries> &series, const QString &address,
                                 const ExpiryPolicy &policy);

} // namespace certdash
