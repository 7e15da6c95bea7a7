#pragma once

// Targets and results for the table model tests, and readers of what the table shows.
#include "TestSupport.h"
#include "models/EndpointFilterProxy.h"
#include "models/EndpointTableModel.h"
#include "widgets/StatusIcon.h"
#include <QAbstractItemModelTester>
#include <QFont>
#include <QIcon>
#include <QImage>
#include <QLocale>
#include <QSignalSpy>
#include <QTest>
#include <memory>

namespace certdash::test {

using namespace Qt::StringLiterals;

using Column = EndpointTableModel::Column;

inline Target makeTarget(qint64 id, const QString &host, const QString &owner = {},
                  const QStringList &tags = {})
{
    Target t;
    t.id = id;
    t.host = host;
    t.port = 443;
    t.owner = owner;
    t.tags = tags;
    return t;
}

inline CertificateInfo makeLeaf(const QString &host, int daysLeft)
{
    CertificateInfo leaf;
    leaf.subject = u"CN="_s + host + u", O=Example"_s;
    leaf.subjectCommonName = host;
    leaf.issuer = u"CN=Test Issuing CA, O=Test"_s;
    leaf.issuerCommonName = u"Test Issuing CA"_s;
    leaf.subjectAltNames = {u"DNS:"_s + host};
    leaf.keyType = u"EC"_s;
    leaf.keyBits = 256;
    leaf.curve = u"prime256v1"_s;
    leaf.notBefore = pinnedNow().addDays(daysLeft - 90);
    leaf.notAfter = pinnedNow().addDays(daysLeft);
    return leaf;
}

// A result with a certificate read: status and days left as given, the leaf limiting.
inline ProbeResult probed(const Target &t, const QString &address, Status status, int daysLeft)
{
    ProbeResult r;
    r.target = t;
    r.address = address;
    r.sni = t.effectiveSni();
    r.status = status;
    r.chain = {makeLeaf(t.host, daysLeft)};
    r.limiting = r.chain.first();
    r.limitingRole = u"leaf"_s;
    r.daysLeft = daysLeft;
    r.trust.trusted = true;
    r.trust.pathToAnchor = true;
    r.probedAt = pinnedNow();
    return r;
}

// No certificate read; address "" is a DNS failure.
inline ProbeResult failed(const Target &t, const QString &address, Status status)
{
    ProbeResult r;
    r.target = t;
    r.address = address;
    r.sni = t.effectiveSni();
    r.status = status;
    r.error = address.isEmpty() ? u"DNS: host not found"_s : u"peer closed the connection"_s;
    r.probedAt = pinnedNow();
    return r;
}

inline QString cell(const QAbstractItemModel &model, int row, int column, int role = Qt::DisplayRole)
{
    return model.index(row, column).data(role).toString();
}

inline QStringList textsOfColumn(const QAbstractItemModel &model, int column)
{
    QStringList texts;
    for (int row = 0; row < model.rowCount(); ++row)
        texts << cell(model, row, column);
    return texts;
}

inline QStringList sortedLabels(const QAbstractItemModel &model)
{
    QStringList labels = textsOfColumn(model, Column::TargetColumn);
    labels.removeDuplicates();
    labels.sort();
    return labels;
}

// Which pixels are see-through, light (the white marks) or dark: the icon without its hues.
inline QByteArray shapeOf(const QIcon &icon)
{
    const QImage image = icon.pixmap(32, 32).toImage().convertToFormat(QImage::Format_ARGB32);
    QByteArray shape;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            const QColor c = image.pixelColor(x, y);
            shape += c.alpha() < 128 ? ' ' : (c.lightness() > 200 ? 'o' : '#');
        }
    }
    return shape;
}


} // namespace certdash::test
