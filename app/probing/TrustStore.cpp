#include "TrustStore.h"

#include "X509.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509_vfy.h>

#include <cstdlib>

#include <vector>

namespace certdash {

namespace {

struct TrustStoreText
{
    Q_DECLARE_TR_FUNCTIONS(certdash::TrustStore)
};

// Every certificate in data: a PEM bundle, or a single DER certificate. Empty when there is none
// or the PEM is damaged (with the reason in *error).
std::vector<ossl::X509Ptr> parseCertificates(const QByteArray &data, QString *error) {
    std::vector<ossl::X509Ptr> certs;
    if (data.contains("-----BEGIN")) {
        ossl::BioPtr bio(BIO_new_mem_buf(data.constData(), int(data.size())));
        while (X509 *cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr))
            certs.push_back(ossl::X509Ptr(cert));
        const unsigned long err = ERR_peek_last_error();
        // Reaching the end of the input shows up as "no start line"; anything else is damage.
        if (err && ERR_GET_REASON(err) != PEM_R_NO_START_LINE) {
            *error = TrustStoreText::tr("damaged PEM certificate (%1)").arg(ossl::lastError());
            certs.clear();
            return certs;
        }
        ERR_clear_error();
    } else if (ossl::X509Ptr cert = ossl::parseDer(data)) {
        certs.push_back(std::move(cert));
    }
    ERR_clear_error();
    if (certs.empty() && error->isEmpty())
        *error = TrustStoreText::tr("no certificate found");
    return certs;
}

// The DER of every certificate already in the store.
QSet<QByteArray> storedCertificates(X509_STORE *store) {
    QSet<QByteArray> der;
    STACK_OF(X509_OBJECT) *objects = X509_STORE_get0_objects(store);
    for (int i = 0; i < sk_X509_OBJECT_num(objects); ++i) {
        if (X509 *cert = X509_OBJECT_get0_X509(sk_X509_OBJECT_value(objects, i)))
            der.insert(ossl::toDer(cert));
    }
    return der;
}

// True when the file holds nothing but PEM "CERTIFICATE" blocks whose DER is in known: loading it
// would add nothing. Anything else (DER, CRLs, TRUSTED CERTIFICATE with its trust settings,
// damage) is left to OpenSSL. Reading and base64-decoding a file is far cheaper than parsing its
// certificate (OpenSSL 3.0 decodes every public key through its provider decoders).
bool addsNothing(const QString &path, const QSet<QByteArray> &known) {
    QFile file(path);
    if (known.isEmpty() || !file.open(QIODevice::ReadOnly))
        return false;
    const QByteArray data = file.readAll();
    static const QByteArray begin = QByteArrayLiteral("-----BEGIN CERTIFICATE-----");
    static const QByteArray end = QByteArrayLiteral("-----END CERTIFICATE-----");
    qsizetype blocks = 0;
    qsizetype from = 0;
    while (true) {
        const qsizetype start = data.indexOf("-----", from);
        if (start < 0)
            break;
        if (!data.mid(start).startsWith(begin))
            return false;
        const qsizetype stop = data.indexOf(end, start);
        if (stop < 0)
            return false;
        const QByteArray body = data.mid(start + begin.size(), stop - start - begin.size());
        // Lenient: skips the line breaks. Whatever it decodes must still equal a stored
        // certificate byte for byte.
        if (!known.contains(QByteArray::fromBase64(body)))
            return false;
        ++blocks;
        from = stop + end.size();
    }
    return blocks > 0;
}

// What X509_STORE_set_default_paths() would trust, loaded eagerly. set_default_paths() also adds
// lazy directory lookups that list and stat the certificate directory on every issuer lookup
// that misses the memory cache (every intermediate, every private root): ~250 us of syscalls per
// verification. Loading the hashed files once instead costs ~15 ms more at start-up.
bool loadSystemAnchors(X509_STORE *store, QString *error) {
    const char *fileEnv = getenv(X509_get_default_cert_file_env());
    const QString file = QString::fromLocal8Bit(fileEnv ? fileEnv : X509_get_default_cert_file());
    const char *dirEnv = getenv(X509_get_default_cert_dir_env());
    const QString dirs = QString::fromLocal8Bit(dirEnv ? dirEnv : X509_get_default_cert_dir());

    int loaded = 0;
    if (QFileInfo(file).isFile() && X509_STORE_load_file(store, QFile::encodeName(file)) == 1)
        ++loaded;
    ERR_clear_error();
    // On Debian every hashed name is a link to a certificate the bundle file already holds:
    // parsing those again cost as much as the bundle itself (~0.2 G instructions per start).
    const QSet<QByteArray> inBundle = storedCertificates(store);
    // Only c_rehash's "<subject hash>.<n>" names: those are what OpenSSL itself would consult.
    static const QRegularExpression hashed(QStringLiteral("^[0-9a-f]{8}\\.[0-9]+$"));
    for (const QString &dir : dirs.split(QLatin1Char(':'), Qt::SkipEmptyParts)) {
        const QStringList names = QDir(dir).entryList(QDir::Files | QDir::Readable, QDir::Name);
        for (const QString &name : names) {
            if (!hashed.match(name).hasMatch())
                continue;
            const QString filePath = QDir(dir).filePath(name);
            if (addsNothing(filePath, inBundle)) {
                ++loaded;
                continue;
            }
            const QByteArray path = QFile::encodeName(filePath);
            if (X509_STORE_load_file(store, path.constData()) == 1)
                ++loaded;
            ERR_clear_error();
        }
    }
    if (loaded == 0) {
        *error = TrustStoreText::tr("no system CA certificates found in %1 or %2").arg(file, dirs);
        return false;
    }
    return true;
}

} // namespace

TrustStore::~TrustStore() {
    X509_STORE_free(m_store);
}

std::shared_ptr<const TrustStore> TrustStore::create(bool useSystemAnchors,
                                                     const QStringList &pemFiles, QString *error) {
    std::shared_ptr<TrustStore> store(new TrustStore);
    store->m_store = X509_STORE_new();
    store->m_system = useSystemAnchors;
    auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return std::shared_ptr<const TrustStore>();
    };
    if (!store->m_store)
        return fail(TrustStoreText::tr("cannot create a certificate store (%1)").arg(ossl::lastError()));
    QString why;
    if (useSystemAnchors && !loadSystemAnchors(store->m_store, &why))
        return fail(why);

    for (const QString &path : pemFiles) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return fail(TrustStoreText::tr("%1: cannot read CA file: %2").arg(path, file.errorString()));
        QString why;
        const std::vector<ossl::X509Ptr> certs = parseCertificates(file.readAll(), &why);
        if (certs.empty())
            return fail(TrustStoreText::tr("%1: not a usable CA file: %2").arg(path, why));
        for (const ossl::X509Ptr &cert : certs) {
            if (X509_STORE_add_cert(store->m_store, cert.get()) != 1)
                return fail(TrustStoreText::tr("%1: cannot add certificate (%2)").arg(path, ossl::lastError()));
            ++store->m_privateCount;
        }
    }
    return store;
}

CertificateInfo TrustStore::anchorInfo(x509_st *anchor) const {
    {
        QMutexLocker lock(&m_cacheMutex);
        const auto it = m_anchorCache.constFind(anchor);
        if (it != m_anchorCache.cend())
            return *it;
    }
    CertificateInfo info = ossl::certificateInfo(anchor);
    QMutexLocker lock(&m_cacheMutex);
    m_anchorCache.insert(anchor, info);
    return info;
}

std::shared_ptr<const TrustStore> TrustStore::fromCertificates(const QList<QByteArray> &certs,
                                                               QString *error) {
    std::shared_ptr<TrustStore> store(new TrustStore);
    store->m_store = X509_STORE_new();
    for (qsizetype i = 0; i < certs.size(); ++i) {
        QString why;
        const std::vector<ossl::X509Ptr> parsed = parseCertificates(certs.at(i), &why);
        if (parsed.empty()) {
            if (error)
                *error = TrustStoreText::tr("anchor %1: %2").arg(i + 1).arg(why);
            return {};
        }
        for (const ossl::X509Ptr &cert : parsed) {
            X509_STORE_add_cert(store->m_store, cert.get());
            ++store->m_privateCount;
        }
    }
    ERR_clear_error();
    return store;
}

QList<QSslCertificate> TrustStore::qtAnchors() const
{
    QMutexLocker lock(&m_cacheMutex);
    if (!m_qtAnchors) {
        QList<QSslCertificate> anchors;
        STACK_OF(X509_OBJECT) *objects = X509_STORE_get0_objects(m_store);
        for (int i = 0; i < sk_X509_OBJECT_num(objects); ++i) {
            if (X509 *cert = X509_OBJECT_get0_X509(sk_X509_OBJECT_value(objects, i)))
                anchors << QSslCertificate(ossl::toDer(cert), QSsl::Der);
        }
        m_qtAnchors = anchors;
    }
    return *m_qtAnchors;
}

} // namespace certdash
