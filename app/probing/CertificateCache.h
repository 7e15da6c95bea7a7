#pragma once

#include "X509.h"
#include "domain/CertificateInfo.h"

#include <QByteArray>
#include <QMutex>

#include <unordered_map>

namespace certdash {

// The CA certificates the servers of one scan present, decoded once. Most endpoints of a scan
// share a handful of intermediates: each probe then reuses the decoded CertificateInfo and the
// very X509 object of the first probe that saw it (whose public key, and RSA Montgomery context,
// OpenSSL has already set up for the leaf's signature check), instead of doing both again.
// Entries are keyed by the whole DER, so a hit is the same certificate byte for byte. Leaves are
// never kept: each endpoint has its own. Thread-safe; bounded to `capacity` certificates (a
// certificate seen once the cache is full is simply decoded every time).
class CertificateCache
{
public:
    explicit CertificateCache(qsizetype capacity = 512) : m_capacity(capacity) {}

    struct Decoded
    {
        X509 *cert = nullptr; // the presented one, or the cached equal one (owned by the cache)
        CertificateInfo info; // without the text dump (CertificateText::Omit)
    };
    Decoded decode(X509 *presented);

    qsizetype size() const;

private:
    struct Entry
    {
        ossl::X509Ptr cert;
        CertificateInfo info;
    };
    mutable QMutex m_mutex;
    std::unordered_map<QByteArray, Entry> m_entries;
    qsizetype m_capacity;
};

} // namespace certdash
