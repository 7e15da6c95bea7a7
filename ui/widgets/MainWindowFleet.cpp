// The window's fleet rows: FleetFeed reads the Prometheus servers of Settings > Fleet; this file
// wires it to the table, the status bar, the details pane and the settings.
#include "MainWindow.h"

#include "DetailsPane.h"
#include "FleetFeed.h"
#include "charts/EstateCharts.h"
#include "fleet/FleetRows.h"
#include "models/EndpointTableModel.h"
#include "monitor/ScanController.h"
#include "secrets/KeychainSecretStore.h"
#include "storage/Database.h"
#include "storage/TagPolicy.h"
#include "storage/TargetRepository.h"

#include <QDir>
#include <QFileInfo>
#include <QStatusBar>

namespace certdash {

void MainWindow::setupFleet() {
    const QFileInfo database(m_database.path());
    m_fleet = new FleetFeed(
        *m_model, database.absoluteDir().filePath(QStringLiteral("fleet-rows.json")), this);
    m_fleet->setStoredTargets([this] { return m_model->storedTargetsByEndpoint(); });
    m_fleet->setJudgement(
        [this] {
            // The stored targets the table shows, with the thresholds their tags give them.
            QString error;
            const QList<TagPolicy> tags =
                TargetRepository(m_database, *m_scans->probeOptions().clock).tagPolicies(&error);
            const ExpiryPolicy global = m_scans->probeOptions().policy;
            QList<Target> known;
            QSet<qint64> seen;
            for (int row = 0; row < m_model->rowCount(); ++row) {
                Target t = m_model->targetAt(row);
                if (t.id <= 0 || seen.contains(t.id))
                    continue;
                seen.insert(t.id);
                const ExpiryPolicy p = effectivePolicy(global, tags, t);
                t.warningDays = p.warningDays;
                t.criticalDays = p.criticalDays;
                t.rotationDays = p.rotationDays;
                known << t;
            }
            return known;
        },
        [this] { return m_scans->probeOptions().policy; });
    // Once per outage and once when it ends: the status bar, never a dialog per read.
    connect(m_fleet, &FleetFeed::message, this,
            [this](const QString &text) { statusBar()->showMessage(text, 15000); });
    const auto shown = [this] {
        updateCounts();
        refreshEstate();
        refreshTagFilter();
        fitColumnsToResults();
    };
    connect(m_fleet, &FleetFeed::rowsShown, this, shown);
    connect(m_fleet, &FleetFeed::cacheLoaded, this, shown);
    connect(m_fleet, &FleetFeed::historyRead, this,
            [this](const QString &source, const QString &key, const QString &address,
                   const QList<HistoryPoint> &points) {
                const ProbeResult &row = m_fleetDetailsRow;
                if (row.source != source || fleetRowKey(row) != key ||
                    row.address != address)
                    return; // another row was opened since
                const QDateTime now = m_scans->probeOptions().clock->now();
                m_details->showResult(row, {row}, points, now, m_scans->probeOptions().policy);
            });
    m_fleet->loadCache();
}

void MainWindow::setFleetSecretStore(SecretStore *store) {
    m_fleetSecrets = store;
    applyFleetSettings(m_settings.values());
}

void MainWindow::applyFleetSettings(const Settings::Values &values) {
    SecretStore *secrets = m_fleetSecrets;
    if (!secrets) {
        if (!m_fleetKeychain)
            m_fleetKeychain = std::make_unique<KeychainSecretStore>();
        secrets = m_fleetKeychain.get();
    }
    m_fleet->setSources(values.fleetSources, secrets);
}

void MainWindow::showFleetDetails(const ProbeResult &row) {
    m_fleetDetailsRow = row;
    const QDateTime now = m_scans->probeOptions().clock->now();
    // The row at once; its history when the Prometheus answers (query_range).
    m_details->showResult(row, {row}, {}, now, m_scans->probeOptions().policy);
    m_details->setSnoozeNote({});
    m_fleet->readHistory(row, now.addDays(-30), now);
    makeRoomForDetails();
}

} // namespace certdash
