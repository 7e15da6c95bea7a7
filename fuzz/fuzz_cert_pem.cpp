// PEM text from a stranger: a --ca-file (or the window's trust anchor files), read by
// TrustStore::create, and the same bytes handed to TrustStore::fromCertificates (PEM bundle or a
// single DER). Every anchor read is then decoded, and its PEM as the store rebuilds it without
// OpenSSL (pemFromDer) must be OpenSSL's and read back as the same certificate.
#include "CertificateChecks.h"

#include "probing/TrustStore.h"
#include "probing/X509.h"

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QString>
#include <QTemporaryDir>

#include <openssl/x509_vfy.h>

#include <cstddef>
#include <cstdint>
#include <memory>

using namespace certdash;
using namespace certdash::fuzz;

namespace {

QString caFilePath() {
    // In memory where there is a tmpfs: a file per input on disk costs more than the parsing.
    static QTemporaryDir dir(QDir(QStringLiteral("/dev/shm")).exists()
                                 ? QStringLiteral("/dev/shm/certdash-fuzz-XXXXXX")
                                 : QDir::tempPath() + QStringLiteral("/certdash-fuzz-XXXXXX"));
    return dir.filePath(QStringLiteral("anchors.pem"));
}

// The DER of every certificate the store holds.
QList<QByteArray> anchorsOf(const TrustStore &store) {
    QList<QByteArray> ders;
    STACK_OF(X509_OBJECT) *objects = X509_STORE_get0_objects(store.nativeHandle());
    for (int i = 0; i < sk_X509_OBJECT_num(objects); ++i) {
        if (X509 *cert = X509_OBJECT_get0_X509(sk_X509_OBJECT_value(objects, i))) {
            const CertificateInfo cached = store.anchorInfo(cert);
            const QByteArray der = ossl::toDer(cert);
            check(cached.der == der, "anchorInfo der");
            ders << der;
        }
    }
    return ders;
}

void checkAnchor(const QByteArray &der) {
    const std::optional<CertificateInfo> info = decodeCertificate(der);
    check(info.has_value(), "an anchor the store took does not decode");
    const QString pem = pemFromDer(der);
    check(pem == info->pem, "pemFromDer differs from OpenSSL's PEM");
    checkStoredRoundTrip(*info);
    // The PEM the store hands out (Copy PEM, Save PEM...) reads back as the same certificate.
    QString error;
    const auto again = TrustStore::fromCertificates({pem.toLatin1()}, &error);
    check(again != nullptr, "rebuilt PEM does not read back", error);
    const QList<QByteArray> back = anchorsOf(*again);
    check(back.size() == 1 && back.first() == der, "rebuilt PEM reads back differently");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const QByteArray text(reinterpret_cast<const char *>(data), qsizetype(size));

    // As --ca-file: the message names the file and OpenSSL's reason, never the file's content.
    const QString path = caFilePath();
    {
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
            file.write(text) != text.size())
            return 0;
    }
    QString fileError;
    const auto fromFile = TrustStore::create(false, {path}, &fileError);
    if (!fromFile) {
        check(!fileError.isEmpty(), "--ca-file failure without a reason");
        checkBounded(fileError, path.size() + 400, "--ca-file error length");
    }

    QString error;
    const auto store = TrustStore::fromCertificates({text}, &error);
    check((store == nullptr) == (fromFile == nullptr), "--ca-file and in-memory anchors disagree");
    if (!store) {
        check(!error.isEmpty(), "anchor failure without a reason");
        checkBounded(error, 400, "anchor error length");
        return 0;
    }
    check(!store->usesSystemAnchors(), "system anchors");
    const QList<QByteArray> anchors = anchorsOf(*store);
    check(!anchors.isEmpty() && store->privateAnchorCount() >= anchors.size(), "anchor count");
    check(fromFile->privateAnchorCount() == store->privateAnchorCount(), "file and memory count");
    for (const QByteArray &der : anchors)
        checkAnchor(der);
    return 0;
}
