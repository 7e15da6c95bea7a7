#include "CertificateCache.h"

#include <openssl/x509v3.h>

namespace certdash {

CertificateCache::Decoded CertificateCache::decode(X509 *presented)
{
    if (!presented || X509_check_ca(presented) == 0)
        return {presented, ossl::certificateInfo(presented, {}, CertificateText::Omit)};
    const QByteArray der = ossl::toDer(presented);
    {
        QMutexLocker lock(&m_mutex);
        const auto it = m_entries.find(der);
        if (it != m_entries.end())
            return {it->second.cert.get(), it->second.info};
    }
    CertificateInfo info = ossl::certificateInfo(presented, {}, CertificateText::Omit);
    QMutexLocker lock(&m_mutex);
    if (der.isEmpty() || qsizetype(m_entries.size()) >= m_capacity || m_entries.count(der) > 0)
        return {presented, info};
    X509_up_ref(presented);
    m_entries.emplace(der, Entry{ossl::X509Ptr(presented), info});
    return {presented, info};
}

qsizetype CertificateCache::size() const
{
    QMutexLocker lock(&m_mutex);
    return qsizetype(m_entries.size());
}

} // namespace certdash
