#pragma once

// A stand-in for Prometheus's HTTP API on loopback, for the tests and benchmarks that need a
// fleet of thousands of endpoints without running thousands of TLS servers: it answers
// FleetReader's two instant queries (the metrics, and timestamp(probe_success)) with what
// Prometheus 2.42 answers for the series `certdash fleet config` labels (probe_success,
// probe_ssl_earliest_cert_expiry, probe_ssl_last_chain_info, probe_tls_version_info,
// probe_duration_seconds). Every answer of the sample times is one probe interval newer than
// the one before (the fleet probed again), so each read brings new probes, as a live fleet
// does. It answers from a thread of its own, so a reader's UI thread measures only itself.
// tst_fleetread and tst_fleetwindow check the reading side against the real Prometheus.

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <QThread>

#include <atomic>
#include <memory>

class QTcpServer;

namespace certdash::test {

struct StandInEndpoint {
    QString host; // also the target label, the SNI and the instance's host
    quint16 port = 443;
    QString owner;
    QStringList tags;
    qint64 expiresInSeconds = 90 * 86400; // from the stand-in's start
};

// n endpoints h00000.bench.test, h00001.bench.test, ...: owners "team 0".."team 39", tags
// "bench" and "zone0".."zone6", expiries spread from 20 days ago to 380 days ahead (i % 400 - 20
// days), so that every status occurs.
QList<StandInEndpoint> benchFleet(int n);

class PrometheusStandIn {
public:
    explicit PrometheusStandIn(const QList<StandInEndpoint> &endpoints);
    ~PrometheusStandIn();
    PrometheusStandIn(const PrometheusStandIn &) = delete;
    PrometheusStandIn &operator=(const PrometheusStandIn &) = delete;

    // "" when it could not listen.
    QString url() const { return m_url; }
    qsizetype metricsBytes() const { return m_metrics.size(); }
    // How many answers of the metrics it has given.
    int reads() const { return m_reads.load(); }

private:
    QByteArray m_metrics;
    QList<QByteArray> m_times; // one per probe interval, newer each; the last one stays
    std::atomic<int> m_reads{0};
    std::atomic<int> m_timesAnswered{0};
    QString m_url;
    QThread m_thread;
    QTcpServer *m_server = nullptr; // lives in m_thread
};

} // namespace certdash::test
