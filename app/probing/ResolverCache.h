#pragma once

#include "HostResolver.h"

#include <QHash>
#include <QString>

#include <list>
#include <optional>

namespace certdash {

// How long the resolver keeps answers, as QHostInfo did: several targets on one host (other
// ports, SNI names, STARTTLS services) and a window that probes every few minutes resolve each
// name at most once a minute.
struct ResolverCachePolicy
{
    qint64 positiveTtlMs = 60 * 1000; // a name with addresses
    qint64 negativeTtlMs = 10 * 1000; // the resolver said the name does not exist
    int capacity = 4096;              // names kept; the least recently used goes first
};

// Answers by ASCII host name (case-insensitive), each until its time to live runs out, at most
// `capacity` of them. Only definite answers are kept: addresses, or "not found"; an error (a
// server that failed or did not answer) is asked again next time. Not thread-safe: its owner
// locks. Times are milliseconds on any monotonic clock.
class ResolverCache
{
public:
    explicit ResolverCache(ResolverCachePolicy policy = {}) : m_policy(policy) {}

    // How long this answer may be kept; 0: not at all.
    qint64 ttlFor(const Resolution &answer) const;
    void insert(const QString &asciiHost, const Resolution &answer, qint64 nowMs);
    // The answer while it is fresh (and it becomes the most recently used); nothing otherwise.
    std::optional<Resolution> find(const QString &asciiHost, qint64 nowMs);
    int size() const { return int(m_byHost.size()); }

private:
    struct Entry
    {
        QString host;
        Resolution answer;
        qint64 expiresAtMs = 0;
    };
    using Order = std::list<Entry>; // most recently used first

    ResolverCachePolicy m_policy;
    Order m_order;
    QHash<QString, Order::iterator> m_byHost;
};

} // namespace certdash
