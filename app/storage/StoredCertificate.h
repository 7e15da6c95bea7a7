#pragma once

#include "domain/CertificateInfo.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QHash>
#include <QString>
#include <QStringList>

#include <deque>

namespace certdash {

// How a certificate is kept in the store: DER and the text dump in the certificates table, every
// parsed field as a flat JSON object in certificate_info.info. Reading it back never decodes the
// DER again.
QByteArray certificateToStoredJson(const CertificateInfo &certificate);
CertificateInfo certificateFromStored(const QByteArray &der, const QByteArray &info,
                                      const QString &text);
// PEM exactly as OpenSSL writes it, without OpenSSL.
QString pemFromDer(const QByteArray &der);

// Values that repeat over thousands of rows and certificates (issuers, algorithms, key usages,
// URLs, statuses, ciphers): one shared QString or list per distinct value instead of one
// allocation per row. Less time in malloc, and far less memory for 100,000 results.
class StringPool {
public:
    QString string(QByteArrayView utf8) {
        const auto it = m_strings.constFind(utf8);
        if (it != m_strings.constEnd())
            return *it;
        return *m_strings.insert(key(utf8), QString::fromUtf8(utf8));
    }
    const QStringList *list(QByteArrayView raw) const {
        const auto it = m_lists.constFind(raw);
        return it == m_lists.constEnd() ? nullptr : &*it;
    }
    void addList(QByteArrayView raw, const QStringList &list) { m_lists.insert(key(raw), list); }

private:
    QByteArrayView key(QByteArrayView bytes) {
        m_keys.push_back(bytes.toByteArray());
        return QByteArrayView(m_keys.back());
    }
    std::deque<QByteArray> m_keys; // stable storage for the views the hashes are keyed by
    QHash<QByteArrayView, QString> m_strings;
    QHash<QByteArrayView, QStringList> m_lists;
};

// certificateFromStored() sharing repeated strings through pool (may be null).
CertificateInfo readCertificate(const QByteArray &der, QByteArrayView info, const QString &text,
                                StringPool *pool);

} // namespace certdash
