#include "Settings.h"
#include "DataDirectory.h"
#include "i18n/Translations.h"

#include <QDir>
#include <QFileInfo>
#include <QUrl>

#include <cmath>

namespace certdash {

namespace {
// Keys are versioned by group so that a future change of meaning can migrate explicitly.
const QString kWarning = QStringLiteral("thresholds/warning_days");
const QString kCritical = QStringLiteral("thresholds/critical_days");
const QString kRotation = QStringLiteral("thresholds/rotation_days");
const QString kInterval = QStringLiteral("probing/interval_minutes");
const QString kConcurrency = QStringLiteral("probing/concurrency");
const QString kTimeout = QStringLiteral("probing/timeout_seconds");
const QString kEngine = QStringLiteral("probing/engine");
const QString kCheckRevocation = QStringLiteral("probing/check_revocation");
const QString kAnchors = QStringLiteral("trust/anchor_files");
const QString kSystemAnchors = QStringLiteral("trust/system_anchors");
const QString kKeepAll = QStringLiteral("history/keep_all_days");
const QString kKeepDaily = QStringLiteral("history/keep_daily_days");
const QString kAlertFailures = QStringLiteral("alerts/failure_count");
const QString kEventLog = QStringLiteral("alerts/event_log");
const QString kClientCertificate = QStringLiteral("connection/client_certificate");
const QString kClientKey = QStringLiteral("connection/client_key");
const QString kProxy = QStringLiteral("connection/proxy");
const QString kLanguage = QStringLiteral("ui/language");
const QString kFleetSources = QStringLiteral("fleet/sources");

bool knownAuth(const QString &auth)
{
    return auth == QLatin1String("none") || auth == QLatin1String("bearer") ||
           auth == QLatin1String("basic");
}

std::optional<int> intIn(const QSettings &s, const QString &key, int min, int max)
{
    if (!s.contains(key))
        return std::nullopt;
    bool ok = false;
    const int v = s.value(key).toInt(&ok);
    if (!ok || v < min || v > max)
        return std::nullopt;
    return v;
}
} // namespace

Settings::Settings() : m_settings(std::make_unique<QSettings>()) {}

Settings::Settings(const QString &iniPath)
    : m_settings(std::make_unique<QSettings>(iniPath, QSettings::IniFormat))
{
}

Settings::Values Settings::values() const
{
    const QSettings &s = *m_settings;
    Values v;
    v.warningDays = intIn(s, kWarning, 0, 3650).value_or(v.warningDays);
    v.criticalDays = intIn(s, kCritical, 0, 3650).value_or(v.criticalDays);
    if (v.criticalDays > v.warningDays) { // a hand-edited file: fall back as a pair
        v.warningDays = Values().warningDays;
        v.criticalDays = Values().criticalDays;
    }
    v.rotationDays = intIn(s, kRotation, 1, 3650);
    v.probeIntervalMinutes = intIn(s, kInterval, 0, 7 * 24 * 60).value_or(v.probeIntervalMinutes);
    v.concurrency = intIn(s, kConcurrency, 1, 10000).value_or(v.concurrency);
    bool ok = false;
    const double timeout = s.value(kTimeout).toDouble(&ok);
    if (ok && std::isfinite(timeout) && timeout > 0 && timeout <= 3600)
        v.timeoutSeconds = timeout;
    v.engine = parseProbeEngine(s.value(kEngine).toString()).value_or(v.engine);
    v.checkRevocation = s.value(kCheckRevocation, false).toBool();
    v.trustAnchorFiles = s.value(kAnchors).toStringList();
    v.useSystemAnchors = s.value(kSystemAnchors, true).toBool();
    v.keepAllDays = intIn(s, kKeepAll, 1, 36500).value_or(v.keepAllDays);
    v.keepDailyDays = intIn(s, kKeepDaily, 1, 36500).value_or(v.keepDailyDays);
    if (v.keepDailyDays < v.keepAllDays)
        v.keepDailyDays = v.keepAllDays;
    v.alertFailureCount = intIn(s, kAlertFailures, 1, 100).value_or(v.alertFailureCount);
    if (s.contains(kEventLog))
        v.eventLogPath = s.value(kEventLog).toString();
    v.connection.clientCertificate = s.value(kClientCertificate).toString();
    v.connection.clientKey = s.value(kClientKey).toString();
    v.connection.proxy = s.value(kProxy).toString();
    const QString language = s.value(kLanguage).toString();
    if (availableLanguages().contains(language))
        v.language = language;
    QSettings &rw = *m_settings; // arrays are read through begin/end, which change no value
    const int count = rw.beginReadArray(kFleetSources);
    for (int i = 0; i < count; ++i) {
        rw.setArrayIndex(i);
        FleetSourceSettings source;
        source.url = rw.value(QStringLiteral("url")).toString();
        source.auth = rw.value(QStringLiteral("auth"), source.auth).toString();
        source.user = rw.value(QStringLiteral("user")).toString();
        source.caFile = rw.value(QStringLiteral("ca_file")).toString();
        source.readIntervalSeconds =
            intIn(rw, QStringLiteral("read_interval_seconds"), 10, 86400)
                .value_or(source.readIntervalSeconds);
        if (!knownAuth(source.auth))
            source.auth = QStringLiteral("none");
        if (!source.url.isEmpty()) // a hand-edited entry without a URL is no source
            v.fleetSources << source;
    }
    rw.endArray();
    return v;
}

QStringList Settings::validate(const Values &v)
{
    QStringList problems;
    if (v.warningDays < 0 || v.warningDays > 3650)
        problems << tr("Warning threshold must be between 0 and 3650 days.");
    if (v.criticalDays < 0 || v.criticalDays > 3650)
        problems << tr("Critical threshold must be between 0 and 3650 days.");
    if (v.criticalDays > v.warningDays)
        problems << tr("The critical threshold (%1 days) must not exceed the warning threshold "
                       "(%2 days).")
                        .arg(v.criticalDays)
                        .arg(v.warningDays);
    if (v.rotationDays && (*v.rotationDays < 1 || *v.rotationDays > 3650))
        problems << tr("Rotation period must be between 1 and 3650 days, or empty.");
    if (v.probeIntervalMinutes < 0 || v.probeIntervalMinutes > 7 * 24 * 60)
        problems << tr("Probe interval must be between 0 (off) and 10080 minutes (a week).");
    if (v.concurrency < 1 || v.concurrency > 10000)
        problems << tr("Concurrency must be between 1 and 10000.");
    if (!std::isfinite(v.timeoutSeconds) || v.timeoutSeconds <= 0 || v.timeoutSeconds > 3600)
        problems << tr("Timeout must be more than 0 and at most 3600 seconds.");
    for (const QString &file : v.trustAnchorFiles) {
        const QFileInfo info(file);
        if (!info.isFile() || !info.isReadable())
            problems << tr("Trust anchor file %1 cannot be read.").arg(file);
    }
    if (!v.useSystemAnchors && v.trustAnchorFiles.isEmpty())
        problems << tr("Without the system trust store, at least one trust anchor file is "
                       "needed.");
    if (v.keepAllDays < 1 || v.keepDailyDays < v.keepAllDays)
        problems << tr("History must keep every probe at least 1 day, and daily probes at least "
                       "as long.");
    if (v.alertFailureCount < 1 || v.alertFailureCount > 100)
        problems << tr("Probe failures must count after 1 to 100 failures in a row.");
    if (!v.eventLogPath.isEmpty() && QFileInfo(v.eventLogPath).isDir())
        problems << tr("The event log %1 is a directory; give a file name.").arg(v.eventLogPath);
    const auto readable = [&problems](const QString &file, const QString &what) {
        const QFileInfo info(file);
        if (!info.isAbsolute())
            problems << tr("The %1 %2 is not an absolute path.").arg(what, file);
        else if (!info.isFile() || !info.isReadable())
            problems << tr("The %1 %2 cannot be read.").arg(what, file);
    };
    if (!v.language.isEmpty() && !availableLanguages().contains(v.language))
        problems << tr("There is no translation for the language %1.").arg(v.language.left(20));
    if (!v.connection.clientCertificate.isEmpty())
        readable(v.connection.clientCertificate, tr("client certificate"));
    if (!v.connection.clientKey.isEmpty()) {
        if (v.connection.clientCertificate.isEmpty())
            problems << tr("A client key needs its client certificate.");
        readable(v.connection.clientKey, tr("client key"));
    }
    if (!v.connection.proxy.isEmpty()) {
        if (const QString problem = proxyUrlProblem(v.connection.proxy); !problem.isEmpty())
            problems << problem;
    }
    for (const FleetSourceSettings &source : v.fleetSources)
        problems << validateFleetSource(source);
    return problems;
}

QStringList Settings::validateFleetSource(const FleetSourceSettings &source)
{
    QStringList problems;
    const QUrl url(source.url, QUrl::StrictMode);
    const QString shown = source.url.left(60);
    if (!url.isValid() || url.host().isEmpty() ||
        (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")))
        problems << tr("The Prometheus URL \"%1\" is not an http:// or https:// URL with a host.")
                        .arg(shown);
    else if (!url.userInfo().isEmpty())
        // A password in the URL would end up in the settings file: it belongs in the keychain.
        problems << tr("The Prometheus URL %1 holds a user or password; give them under "
                       "Authentication instead (the password goes to the keychain).")
                        .arg(url.adjusted(QUrl::RemoveUserInfo).toString().left(60));
    if (!knownAuth(source.auth))
        problems << tr("Unknown authentication \"%1\" for %2.").arg(source.auth.left(20), shown);
    if (source.auth == QLatin1String("basic") && source.user.trimmed().isEmpty())
        problems << tr("Basic authentication for %1 needs a user name.").arg(shown);
    if (!source.caFile.isEmpty()) {
        const QFileInfo info(source.caFile);
        if (!info.isAbsolute() || !info.isFile() || !info.isReadable())
            problems << tr("The CA file %1 for %2 cannot be read.").arg(source.caFile, shown);
    }
    if (source.readIntervalSeconds < 10 || source.readIntervalSeconds > 86400)
        problems << tr("The read interval of %1 must be between 10 seconds and a day.").arg(shown);
    return problems;
}

QStringList Settings::store(const Values &v)
{
    const QStringList problems = validate(v);
    if (!problems.isEmpty())
        return problems;
    QSettings &s = *m_settings;
    s.setValue(kWarning, v.warningDays);
    s.setValue(kCritical, v.criticalDays);
    if (v.rotationDays)
        s.setValue(kRotation, *v.rotationDays);
    else
        s.remove(kRotation);
    s.setValue(kInterval, v.probeIntervalMinutes);
    s.setValue(kConcurrency, v.concurrency);
    s.setValue(kTimeout, v.timeoutSeconds);
    s.setValue(kEngine, probeEngineKey(v.engine));
    s.setValue(kCheckRevocation, v.checkRevocation);
    s.setValue(kAnchors, v.trustAnchorFiles);
    s.setValue(kSystemAnchors, v.useSystemAnchors);
    s.setValue(kKeepAll, v.keepAllDays);
    s.setValue(kKeepDaily, v.keepDailyDays);
    s.setValue(kAlertFailures, v.alertFailureCount);
    s.setValue(kEventLog, v.eventLogPath);
    s.setValue(kClientCertificate, v.connection.clientCertificate);
    s.setValue(kClientKey, v.connection.clientKey);
    s.setValue(kProxy, v.connection.proxy);
    s.setValue(kLanguage, v.language);
    s.remove(kFleetSources);
    s.beginWriteArray(kFleetSources, int(v.fleetSources.size()));
    for (int i = 0; i < v.fleetSources.size(); ++i) {
        const FleetSourceSettings &source = v.fleetSources.at(i);
        s.setArrayIndex(i);
        s.setValue(QStringLiteral("url"), source.url);
        s.setValue(QStringLiteral("auth"), source.auth);
        s.setValue(QStringLiteral("user"), source.user);
        s.setValue(QStringLiteral("ca_file"), source.caFile);
        s.setValue(QStringLiteral("read_interval_seconds"), source.readIntervalSeconds);
    }
    s.endArray();
    return {};
}

QString Settings::defaultEventLogPath()
{
    return QDir(dataDirectory()).filePath(QStringLiteral("events.jsonl"));
}

ExpiryPolicy Settings::expiryPolicy() const
{
    const Values v = values();
    ExpiryPolicy p;
    p.warningDays = v.warningDays;
    p.criticalDays = v.criticalDays;
    p.rotationDays = v.rotationDays;
    return p;
}

RetentionPolicy Settings::retentionPolicy() const
{
    const Values v = values();
    return RetentionPolicy{v.keepAllDays, v.keepDailyDays};
}

QByteArray Settings::uiState(const QString &key) const
{
    return m_settings->value(QStringLiteral("ui/") + key).toByteArray();
}

void Settings::setUiState(const QString &key, const QByteArray &state)
{
    m_settings->setValue(QStringLiteral("ui/") + key, state);
}

void Settings::sync()
{
    m_settings->sync();
}

} // namespace certdash
