#pragma once

#include "domain/CertificateInfo.h"
#include "domain/ProbeResult.h"
#include "domain/Status.h"
#include "storage/StoredCertificate.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QString>

#include <functional>
#include <optional>

class QSqlQuery;

namespace certdash {

class Database;


// One point of a target address's history, for the expiry charts: enough to draw the days left,
// the leaf's validity window and the moments it was replaced, without loading certificates.
struct HistoryPoint {
    QDateTime probedAt; // UTC, whole seconds
    QString address;
    Status status = Status::Unreachable;
    std::optional<int> daysLeft;
    QDateTime earliestExpiry; // null when no certificate was read
    QDateTime leafNotBefore;
    QDateTime leafNotAfter;
    QString leafSha256; // as CertificateInfo::sha256Fingerprint, "" without a certificate
    QString error;
};

// How much of each certificate latest() rebuilds. The parsed fields are what tables, reports and
// alerts use; der, pem and the text dump add about 8 KB per distinct certificate (0.8 GB and
// seconds for 100,000 leaves), so only the details of a few targets should ask for them.
enum class CertificateDetail {
    Summary, // Fields, but no verified path (trust.pathToAnchor and findings are kept): what a
             // table row, a CSV or a Prometheus report shows
    Fields,  // every CertificateInfo field except der, pem and text (left empty)
    Full,    // and der, pem (rebuilt from der) and text
};

// Probe history in the database: one probes row per recorded ProbeResult, certificates stored
// once by SHA-256, and latest_probes pointing at the newest probe of each (target, address).
//
// Times are stored in whole seconds (UTC): a result read back has probedAt truncated to the
// second. Recording never prunes: whoever records decides when to call prune() (Retention.h);
// `certdash scan` prunes after each recorded scan.
class HistoryRepository {
    Q_DECLARE_TR_FUNCTIONS(certdash::HistoryRepository)

public:
    explicit HistoryRepository(Database &database);

    // Records a scan in one transaction: every result needs target.id (a stored target); one
    // without it, or any failure, writes nothing. latest_probes moves to a result only when it
    // is at least as new as the stored latest of its target address, so a late, older result
    // becomes history without hiding a newer one. A result that knows its round
    // (roundAddresses) also removes from the latest view the target's addresses outside that
    // round, unless they were probed later: the latest view holds the addresses of each target's
    // newest round (a "" row after a DNS failure, none once the name resolves). Results without
    // roundAddresses never remove anything. History keeps every probe.
    bool record(const QList<ProbeResult> &results, QString *error = nullptr);

    // The newest result of every target address, ordered by target id then address, with the
    // target (tags included) as stored now, and the chain, verified path and limiting
    // certificate rebuilt from the certificates table without decoding DER. Each distinct
    // certificate is read once and shared by the results that use it. Empty with *error set
    // when the database cannot be read.
    QList<ProbeResult> latest(QString *error = nullptr,
                              CertificateDetail detail = CertificateDetail::Fields) const;
    // The same for one target, by default with everything the details view shows.
    QList<ProbeResult> latestFor(qint64 targetId, QString *error = nullptr,
                                 CertificateDetail detail = CertificateDetail::Full) const;

    // Every recorded probe of the target with from <= probedAt <= to, oldest first (ties by
    // address). A null from or to leaves that end open.
    QList<HistoryPoint> history(qint64 targetId, const QDateTime &from, const QDateTime &to,
                                QString *error = nullptr) const;

    // latest() reads stores with more target addresses than this in two halves at once; a
    // test lowers it to check that the halves join into the same result.
    static int s_splitAbove;

private:
    // The pruning record() does for results with roundAddresses, inside its transaction.
    bool pruneLatest(const QList<ProbeResult> &results,
                     const std::function<bool(const QSqlQuery &)> &failed);
    // capacity: room to reserve in the returned list, for results appended to it later.
    QList<ProbeResult> loadLatest(qint64 firstTarget, qint64 lastTarget, CertificateDetail detail,
                                  QString *error, qsizetype capacity = 0) const;

    Database &m_database;
};

} // namespace certdash
