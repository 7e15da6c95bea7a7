#pragma once

#include "domain/Target.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace certdash::fleet {

// What `certdash fleet config` is asked to write, validated.
struct FleetOptions {
    QStringList exporters{QStringLiteral("127.0.0.1:9115")}; // HOST:PORT of blackbox_exporters
    qint64 intervalMs = 60'000;                              // Prometheus scrape interval
    qint64 timeoutMs = 10'000;                               // probe timeout of every module
};

// A target that blackbox_exporter cannot probe the way CertDash does. `written` says whether it
// is in targets.json anyway (probed, but differently) or left out (blackbox cannot probe it).
struct FleetNote {
    QString target; // the target's label and, when it differs, host:port
    QString reason; // translated, one line
    bool written = false;
};

struct FleetConfig {
    QByteArray blackboxYml;
    QByteArray targetsJson;   // Prometheus file-based discovery
    QByteArray prometheusYml; // reads targets.json from its own directory
    QByteArray readme;        // README.txt: how to run it, and every note
    QList<FleetNote> notes;
    int entries = 0; // target addresses in targets.json
    int modules = 0; // modules in blackbox.yml
};

// Why an --exporter value is not HOST:PORT; empty when it is.
QString exporterProblem(const QString &hostPort);

// The three files (and the README) for targets, in inventory order. Pure: no I/O.
FleetConfig generateFleetConfig(const QList<Target> &targets, const FleetOptions &options);

// The name of the blackbox module for target (deterministic: the same SNI and dialogue give the
// same name), or "" when blackbox cannot probe it.
QString moduleNameFor(const Target &target);

} // namespace certdash::fleet
