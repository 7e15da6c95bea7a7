// A certificate's fields as the store keeps them (certificate_info.info, the flat JSON object
// certificateToStoredJson writes), read back by the fast reader (with and without the string pool
// that history reads share) or, when it gives up, by QJsonDocument. The store is CertDash's own
// file, but one written by another version, damaged, or edited by hand must still read safely.
// The input is the JSON; the view over it has exactly its size, so a read past the end is seen.
#include "CertificateChecks.h"

#include "storage/StoredCertificate.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <cstddef>
#include <cstdint>

using namespace certdash;
using namespace certdash::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const QByteArrayView json(reinterpret_cast<const char *>(data), qsizetype(size));
    const QByteArray der = QByteArrayLiteral("\x30\x03\x02\x01\x01");
    const CertificateInfo plain = readCertificate(der, json, QString(), nullptr);
    StringPool pool;
    const CertificateInfo pooled = readCertificate(der, json, QString(), &pool);
    const CertificateInfo again = readCertificate(der, json, QString(), &pool);
    // The pool shares strings; it never changes what is read.
    const QByteArray written = certificateToStoredJson(plain);
    check(certificateToStoredJson(pooled) == written, "pooled read differs",
          QString::fromUtf8(written));
    check(certificateToStoredJson(again) == written, "second pooled read differs");
    check(plain.pem == pemFromDer(der), "pem");
    // What was read, written again, reads back the same.
    checkStoredRoundTrip(plain);
    return 0;
}
