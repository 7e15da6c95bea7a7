#pragma once

#include "CertFactory.h"
#include "LocalTlsServer.h"
#include "TestSupport.h"
#include "domain/Clock.h"
#include "monitor/ScanController.h"
#include "probing/TrustStore.h"
#include "storage/Database.h"
#include "storage/Settings.h"
#include "storage/TargetRepository.h"
#include "tray/TrayIntegration.h"
#include "widgets/MainWindow.h"

#include <QAction>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <memory>

namespace certdash::test {

// The dashboard as main.cpp builds it (window, then tray integration) over a temporary store
// and settings, probing local TLS servers with the clock pinned, for the tray tests.
class TrayHarness {
public:
    ~TrayHarness() {
        tray.reset(); // before the window it watches
        window.reset();
    }

    // Empty on success, else what went wrong.
    QString open(const QByteArray &anchorDer) {
        if (!dir.isValid())
            return QStringLiteral("no temporary directory");
        QString error;
        database = Database::open(dir.filePath(QStringLiteral("tray.sqlite")), &error);
        if (!database)
            return error;
        settings = std::make_unique<Settings>(dir.filePath(QStringLiteral("tray.ini")));
        Settings::Values values;
        values.probeIntervalMinutes = 0; // no timer in a test
        values.eventLogPath = eventLogPath();
        const QStringList problems = settings->store(values);
        if (!problems.isEmpty())
            return problems.join(u'\n');
        window = std::make_unique<MainWindow>(*database, *settings);
        ProbeOptions options = window->scanController()->probeOptions();
        options.anchors = TrustStore::fromCertificates({anchorDer});
        options.clock = clock;
        options.timeoutMs = 5000;
        window->scanController()->setProbeOptions(options);
        tray = std::make_unique<TrayIntegration>(*window, *database, *settings, clock);
        return {};
    }

    qint64 addTarget(const QString &host, quint16 port) {
        Target t;
        t.host = host;
        t.port = port;
        t.addresses = {QStringLiteral("127.0.0.1")};
        QString error;
        if (!TargetRepository(*database, *clock).add(t, &error))
            return -1;
        window->reload();
        return t.id;
    }

    // Probe all from the window, as F5 does; true once the scan (and its alerts) are done.
    bool probeAll() {
        QSignalSpy finished(window->scanController(), &ScanController::finished);
        window->probeAllAction()->trigger();
        return finished.wait(20000);
    }

    QString eventLogPath() const { return dir.filePath(QStringLiteral("events.jsonl")); }

    QTemporaryDir dir;
    std::shared_ptr<FixedClock> clock = std::make_shared<FixedClock>(pinnedNow());
    std::unique_ptr<Database> database;
    std::unique_ptr<Settings> settings;
    std::unique_ptr<MainWindow> window;
    std::unique_ptr<TrayIntegration> tray;
};

} // namespace certdash::test
