#include "FleetSource.h"

#include "domain/Excerpt.h"

#include <QCoreApplication>

namespace certdash {

namespace {
struct FleetSourceText {
    Q_DECLARE_TR_FUNCTIONS(certdash::FleetSource)
};
} // namespace

QString FleetSource::secretKey() const {
    QUrl key;
    key.setScheme(url.scheme().toLower());
    key.setUserName(auth == Auth::Basic ? user : QString());
    key.setHost(url.host().toLower());
    key.setPort(url.port());
    QString path = url.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    key.setPath(path);
    return QStringLiteral("fleet:") + key.toString(QUrl::FullyEncoded);
}

QString fleetAuthKey(FleetSource::Auth auth) {
    switch (auth) {
    case FleetSource::Auth::Bearer:
        return QStringLiteral("bearer");
    case FleetSource::Auth::Basic:
        return QStringLiteral("basic");
    case FleetSource::Auth::None:
        break;
    }
    return QStringLiteral("none");
}

FleetSource::Auth fleetAuthFromKey(const QString &key, bool *ok) {
    const QString k = key.trimmed().toLower();
    if (ok)
        *ok = true;
    if (k == QLatin1String("bearer"))
        return FleetSource::Auth::Bearer;
    if (k == QLatin1String("basic"))
        return FleetSource::Auth::Basic;
    if (ok)
        *ok = k == QLatin1String("none") || k.isEmpty();
    return FleetSource::Auth::None;
}

QString fleetUrlProblem(const QString &text) {
    const QUrl url(text, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || (scheme != QLatin1String("http") && scheme != QLatin1String("https")) ||
        url.host().isEmpty())
        return FleetSourceText::tr(
                   "expected a Prometheus URL such as http://127.0.0.1:9090, got %1")
            .arg(quoteExcerpt(text.contains(QLatin1Char('@')) ? text.section(QLatin1Char('@'), -1)
                                                              : text));
    if (!url.password().isEmpty() || !url.userName().isEmpty())
        return FleetSourceText::tr("the Prometheus URL must not carry a user or password (use "
                                   "--user and the keychain), got %1")
            .arg(quoteExcerpt(url.toString(QUrl::RemoveUserInfo)));
    if (url.hasQuery() || url.hasFragment())
        return FleetSourceText::tr("the Prometheus URL must not have a query or fragment, got %1")
            .arg(quoteExcerpt(text));
    return {};
}

} // namespace certdash
