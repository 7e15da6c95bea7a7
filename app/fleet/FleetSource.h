#pragma once

#include <QString>
#include <QUrl>

namespace certdash {

// One Prometheus that scrapes CertDash's blackbox_exporter fleet, as `certdash fleet read` and
// the window's Settings > Fleet name it. Never holds a secret: the token or password lives in
// the keychain under secretKey() (or, headless, in kFleetSecretVariable).
struct FleetSource {
    QUrl url; // Prometheus base URL, e.g. http://127.0.0.1:9090 (a path prefix is kept)
    enum class Auth { None, Bearer, Basic } auth = Auth::None;
    QString user;   // Basic only
    QString caFile; // PEM, for an https URL on a private CA ("" = system CAs)

    // The key its token/password has in SecretStore (app/secrets):
    // "fleet:" + scheme://user@host:port/path (lower-case scheme and host, no query, no secret),
    // the same for the window and the command line.
    QString secretKey() const;

    bool operator==(const FleetSource &other) const {
        return url == other.url && auth == other.auth && user == other.user &&
               caFile == other.caFile;
    }
};

// "none", "bearer", "basic"; nullopt-like: returns false in *ok for anything else.
QString fleetAuthKey(FleetSource::Auth auth);
FleetSource::Auth fleetAuthFromKey(const QString &key, bool *ok = nullptr);

// Why url cannot be a Prometheus base URL (http or https, a host, no query or fragment, no
// user:password in it); "" when it can. Translated, quotes a short excerpt.
QString fleetUrlProblem(const QString &url);

} // namespace certdash
