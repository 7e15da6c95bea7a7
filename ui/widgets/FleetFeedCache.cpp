// The last fleet rows read, kept across a restart in a JSON file beside the database. Why a file
// and not a table: the rows are a copy of another system's data, replaced whole at each read; in
// the database they would mix with CertDash's own history (retention, `certdash report`, the
// store watch that reloads the window on every commit) and need a migration. One atomic file
// replaced per read (QSaveFile) is all they need; losing it loses nothing but the rows shown
// until the next read.
#include "FleetFeedCache.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace certdash::fleetcache {

namespace {
QString time(const QDateTime &t) {
    return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs) : QString();
}
QDateTime timeOf(const QJsonValue &v) {
    QDateTime t = QDateTime::fromString(v.toString(), Qt::ISODateWithMs);
    if (t.isValid())
        t.setTimeSpec(Qt::UTC);
    return t;
}

QJsonObject certificate(const CertificateInfo &c) {
    return QJsonObject{{u"subject"_s, c.subject},
                       {u"issuer"_s, c.issuer},
                       {u"subject_cn"_s, c.subjectCommonName},
                       {u"issuer_cn"_s, c.issuerCommonName},
                       {u"serial"_s, c.serial},
                       {u"not_before"_s, time(c.notBefore)},
                       {u"not_after"_s, time(c.notAfter)},
                       {u"san"_s, QJsonArray::fromStringList(c.subjectAltNames)},
                       {u"key_type"_s, c.keyType},
                       {u"key_bits"_s, c.keyBits},
                       {u"sha256"_s, c.sha256Fingerprint}};
}

CertificateInfo certificateOf(const QJsonObject &o) {
    CertificateInfo c;
    c.subject = o.value(u"subject").toString();
    c.issuer = o.value(u"issuer").toString();
    c.subjectCommonName = o.value(u"subject_cn").toString();
    c.issuerCommonName = o.value(u"issuer_cn").toString();
    c.serial = o.value(u"serial").toString();
    c.notBefore = timeOf(o.value(u"not_before"));
    c.notAfter = timeOf(o.value(u"not_after"));
    for (const QJsonValue &san : o.value(u"san").toArray())
        c.subjectAltNames << san.toString();
    c.keyType = o.value(u"key_type").toString();
    c.keyBits = o.value(u"key_bits").toInt();
    c.sha256Fingerprint = o.value(u"sha256").toString();
    return c;
}
} // namespace

QByteArray encode(const QList<ProbeResult> &rows) {
    QJsonArray array;
    for (const ProbeResult &r : rows) {
        QJsonObject o{{u"source"_s, r.source},
                      {u"vantage"_s, r.vantage},
                      {u"name"_s, r.target.name},
                      {u"host"_s, r.target.host},
                      {u"port"_s, int(r.target.port)},
                      {u"target_sni"_s, r.target.sni},
                      {u"no_sni"_s, r.target.noSni},
                      {u"owner"_s, r.target.owner},
                      {u"tags"_s, QJsonArray::fromStringList(r.target.tags)},
                      {u"address"_s, r.address},
                      {u"sni"_s, r.sni},
                      {u"status"_s, statusKey(r.status)},
                      {u"error"_s, r.error},
                      {u"tls_version"_s, r.tlsVersion},
                      {u"cipher"_s, r.cipher},
                      {u"trusted"_s, r.trust.trusted},
                      {u"findings"_s, QJsonArray::fromStringList(r.trust.findings)},
                      {u"limiting_role"_s, r.limitingRole},
                      {u"probed_at"_s, time(r.probedAt)}};
        if (r.daysLeft)
            o.insert(u"days_left"_s, *r.daysLeft);
        if (r.limiting)
            o.insert(u"limiting"_s, certificate(*r.limiting));
        QJsonArray chain;
        for (const CertificateInfo &c : r.chain)
            chain << certificate(c);
        o.insert(u"chain"_s, chain);
        array << o;
    }
    return QJsonDocument(QJsonObject{{u"version"_s, 1}, {u"rows"_s, array}})
        .toJson(QJsonDocument::Compact);
}

QList<ProbeResult> decode(const QByteArray &bytes, QString *error) {
    QJsonParseError parse;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &parse);
    if (!doc.isObject() || doc.object().value(u"version").toInt() != 1) {
        if (error)
            *error = parse.error != QJsonParseError::NoError ? parse.errorString()
                                                             : QStringLiteral("not version 1");
        return {};
    }
    QList<ProbeResult> rows;
    for (const QJsonValue &value : doc.object().value(u"rows").toArray()) {
        const QJsonObject o = value.toObject();
        ProbeResult r;
        r.source = o.value(u"source").toString();
        r.vantage = o.value(u"vantage").toString();
        r.target.name = o.value(u"name").toString();
        r.target.host = o.value(u"host").toString();
        r.target.port = quint16(o.value(u"port").toInt(443));
        r.target.sni = o.value(u"target_sni").toString();
        r.target.noSni = o.value(u"no_sni").toBool();
        r.target.owner = o.value(u"owner").toString();
        for (const QJsonValue &tag : o.value(u"tags").toArray())
            r.target.tags << tag.toString();
        r.address = o.value(u"address").toString();
        r.sni = o.value(u"sni").toString();
        r.status = statusFromKey(o.value(u"status").toString()).value_or(Status::Unreachable);
        r.error = o.value(u"error").toString();
        r.tlsVersion = o.value(u"tls_version").toString();
        r.cipher = o.value(u"cipher").toString();
        r.trust.trusted = o.value(u"trusted").toBool();
        for (const QJsonValue &finding : o.value(u"findings").toArray())
            r.trust.findings << finding.toString();
        r.limitingRole = o.value(u"limiting_role").toString();
        r.probedAt = timeOf(o.value(u"probed_at"));
        if (o.contains(u"days_left"))
            r.daysLeft = o.value(u"days_left").toInt();
        if (o.contains(u"limiting"))
            r.limiting = certificateOf(o.value(u"limiting").toObject());
        for (const QJsonValue &c : o.value(u"chain").toArray())
            r.chain << certificateOf(c.toObject());
        if (!r.source.isEmpty() && !r.target.host.isEmpty())
            rows << r;
    }
    return rows;
}

QString write(const QString &path, const QList<ProbeResult> &rows) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return file.errorString();
    file.write(encode(rows));
    return file.commit() ? QString() : file.errorString();
}

QList<ProbeResult> read(const QString &path, QString *error) {
    QFile file(path);
    if (!file.exists())
        return {};
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = file.errorString();
        return {};
    }
    return decode(file.readAll(), error);
}

} // namespace certdash::fleetcache
