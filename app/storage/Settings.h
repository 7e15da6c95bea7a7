#pragma once

#include "domain/ExpiryPolicy.h"
#include "domain/Connection.h"
#include "probing/ProbeEngine.h"
#include "storage/Retention.h"

#include <QCoreApplication>
#include <QSettings>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace certdash {

// A Prometheus that the window reads fleet rows from (Settings > Fleet). Holds no secret: a
// bearer token or Basic password lives in the OS keychain only, under the name that
// FleetSource::secretKey() (app/fleet) gives for this URL and user.
struct FleetSourceSettings
{
    QString url;            // the Prometheus base URL, http or https, without credentials
    QString auth = QStringLiteral("none"); // none | bearer | basic
    QString user;           // basic only
    QString caFile;         // PEM for an https URL on a private CA; "" = the system's CAs
    int readIntervalSeconds = 60;

    bool operator==(const FleetSourceSettings &o) const
    {
        return url == o.url && auth == o.auth && user == o.user && caFile == o.caFile &&
               readIntervalSeconds == o.readIntervalSeconds;
    }
    bool operator!=(const FleetSourceSettings &o) const { return !(*this == o); }
};

// The user's preferences, typed and validated, over QSettings (never the database, never
// secrets). Every key has a default; a stored value that is out of range or of the wrong type
// is ignored (the default applies) rather than trusted.
class Settings
{
    Q_DECLARE_TR_FUNCTIONS(certdash::Settings)

public:
    // Reads and writes the application's QSettings (the platform's usual place).
    Settings();
    // Reads and writes an INI file (tests, portable setups).
    explicit Settings(const QString &iniPath);

    struct Values
    {
        int warningDays = 30;
        int criticalDays = 7;
        std::optional<int> rotationDays; // none: no rotation check by default
        int probeIntervalMinutes = 360;   // periodic re-probe; 0 = only on demand
        int concurrency = 32;
        double timeoutSeconds = 10.0;
        ProbeEngine engine = ProbeEngine::OpenSsl; // probing/engine: "openssl" or "qt"
        // probing/check_revocation: ask each leaf's OCSP responder (else its CRL) on every
        // probe; off by default (the stapled response is read either way).
        bool checkRevocation = false;
        QStringList trustAnchorFiles; // extra PEM files
        bool useSystemAnchors = true;
        int keepAllDays = 30;
        int keepDailyDays = 730;
        // Alerts: probe failures count only after this many in a row (one blip is no alert).
        int alertFailureCount = 2;
        // The SIEM event log (one JSON line per crossing); "" turns it off.
        QString eventLogPath = defaultEventLogPath();
        // How targets are reached unless they (or their tags) say otherwise: the client
        // certificate presented, and the proxy ("" the environment's, "direct" none, or a URL
        // without a password). Paths and URLs only: secrets live in the OS keychain.
        ConnectionSettings connection;
        // The window's language (ui/language): a code such as "de" or "fr", or "" for the
        // system's. Read once at start-up.
        QString language;
        // The Prometheus servers whose fleet results join the table (none by default).
        QList<FleetSourceSettings> fleetSources;
    };
    // <dataDirectory()>/events.jsonl
    static QString defaultEventLogPath();

    Values values() const;
    // Checks every field; returns one readable problem per bad field (empty when valid).
    static QStringList validate(const Values &values);
    // The problems of one fleet source (empty when valid), for the dialog that edits it.
    static QStringList validateFleetSource(const FleetSourceSettings &source);
    // Stores values when valid; otherwise nothing is written and problems are returned.
    QStringList store(const Values &values);

    ExpiryPolicy expiryPolicy() const;
    RetentionPolicy retentionPolicy() const;

    // Free-form UI state (window geometry, column layout): opaque bytes per key.
    QByteArray uiState(const QString &key) const;
    void setUiState(const QString &key, const QByteArray &state);

    void sync();

private:
    std::unique_ptr<QSettings> m_settings;
};

} // namespace certdash
