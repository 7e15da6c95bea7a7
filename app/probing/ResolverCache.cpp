#include "ResolverCache.h"

#include <algorithm>

namespace certdash {

qint64 ResolverCache::ttlFor(const Resolution &answer) const
{
    if (m_policy.capacity <= 0)
        return 0;
    if (!answer.addresses.isEmpty())
        return std::max<qint64>(0, m_policy.positiveTtlMs);
    if (answer.notFound)
        return std::max<qint64>(0, m_policy.negativeTtlMs);
    return 0;
}

void ResolverCache::insert(const QString &asciiHost, const Resolution &answer, qint64 nowMs)
{
    const qint64 ttl = ttlFor(answer);
    if (ttl <= 0)
        return;
    const QString key = asciiHost.toLower();
    if (const auto it = m_byHost.find(key); it != m_byHost.end()) {
        m_order.erase(it.value());
        m_byHost.erase(it);
    }
    m_order.push_front({key, answer, nowMs + ttl});
    m_byHost.insert(key, m_order.begin());
    while (int(m_order.size()) > m_policy.capacity) {
        m_byHost.remove(m_order.back().host);
        m_order.pop_back();
    }
}

std::optional<Resolution> ResolverCache::find(const QString &asciiHost, qint64 nowMs)
{
    const auto it = m_byHost.find(asciiHost.toLower());
    if (it == m_byHost.end())
        return std::nullopt;
    const Order::iterator entry = it.value();
    if (nowMs >= entry->expiresAtMs) {
        m_order.erase(entry);
        m_byHost.erase(it);
        return std::nullopt;
    }
    m_order.splice(m_order.begin(), m_order, entry); // iterators stay valid
    return entry->answer;
}

} // namespace certdash
