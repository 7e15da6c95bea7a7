#pragma once

// Internal to app/storage: how HistoryRepository writes values into its columns and reads them
// back, shared by its writing (HistoryRepository.cpp) and reading (HistoryRepositoryRead.cpp) halves.

#include "domain/CertificateInfo.h"
#include "domain/Trust.h"

#include <QByteArrayView>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <optional>

namespace certdash::historycodec {

QString notNull(const QString &text); // QtSql binds a null QString as NULL: NOT NULL refuses it
QVariant seconds(const QDateTime &time);
QDateTime fromSeconds(const QVariant &value);
QString sha256Of(const CertificateInfo &certificate);
QString idList(const QList<qint64> &ids);
QString findingsText(const QStringList &findings);
QStringList findingsFrom(const QString &text);
QString kindsText(const QList<FindingKind> &kinds);
QList<FindingKind> kindsFrom(QByteArrayView text);
QStringList addressesFrom(const QString &text);
QString roundList(const QStringList &roundAddresses);
std::optional<int> optionalInt(const QVariant &value);
QVariant fromOptional(const std::optional<int> &value);

} // namespace certdash::historycodec
