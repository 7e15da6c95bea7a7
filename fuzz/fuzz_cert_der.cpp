// A certificate as a server sends it (DER), decoded into CertificateInfo, and everything the user
// then sees of it: the text dump, the expiry in words, the status and the report row, what the
// store keeps and reads back. The whole input is the DER.
#include "CertificateChecks.h"

#include "probing/X509.h"

#include <QByteArray>
#include <QCryptographicHash>
#include <QString>

#include <cstddef>
#include <cstdint>

using namespace certdash;
using namespace certdash::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const QByteArray der(reinterpret_cast<const char *>(data), qsizetype(size));
    QString error;
    const std::optional<CertificateInfo> decoded = decodeCertificate(der, &error);
    if (!decoded) {
        check(!error.isEmpty(), "decode failure without a reason");
        // The reason is OpenSSL's, never the bytes themselves.
        checkBounded(error, 400, "decode error length");
        check(certificateText(der).isEmpty(), "text of an undecodable certificate");
        return 0;
    }
    const CertificateInfo &info = *decoded;
    check(info.der == der, "der kept");
    check(info.sha256Fingerprint ==
              QString::fromLatin1(
                  QCryptographicHash::hash(der, QCryptographicHash::Sha256).toHex(':').toUpper()),
          "sha256 fingerprint");
    // A time that cannot be read is quoted, escaped and short; a readable one is not.
    check(!info.notBefore.isValid() || info.rawNotBefore.isEmpty(),
          "raw notBefore of a readable one");
    check(!info.notAfter.isValid() || info.rawNotAfter.isEmpty(), "raw notAfter of a readable one");
    checkBounded(info.rawNotBefore, 32 * 4 + 3, "raw notBefore length");
    checkBounded(info.rawNotAfter, 32 * 4 + 3, "raw notAfter length");
    // Strangers may write notAfter before notBefore: a negative lifetime must not break the
    // thresholds.
    const EffectiveThresholds thresholds =
        effectiveThresholds(ExpiryPolicy{}, info.lifetimeSeconds());
    check(thresholds.warningSeconds >= 0 && thresholds.criticalSeconds >= 0, "thresholds");

    // The PEM the store rebuilds without OpenSSL is the PEM OpenSSL writes, when OpenSSL writes
    // back the very bytes it read.
    if (ossl::X509Ptr cert = ossl::parseDer(der); cert && ossl::toDer(cert.get()) == der)
        check(pemFromDer(der) == info.pem, "pemFromDer differs from OpenSSL's PEM");

    const QString text = certificateText(info);
    check(text == info.text, "text dump");
    // Made again from the DER, the dump is the same. Not when the public key does not decode:
    // OpenSSL 3.0's X509_print_ex then fails or not depending on what was asked of the certificate
    // before (corpus/cert_der/undecodable_key.der).
    CertificateInfo withoutText = info;
    withoutText.text.clear();
    if (!info.keyType.isEmpty())
        check(certificateText(withoutText) == info.text, "text dump from DER");

    checkStoredRoundTrip(info);

    const QDateTime now = fuzzNow();
    ProbeResult result;
    result.target.host = QStringLiteral("fuzz.test");
    result.status = Status::Ok;
    result.probedAt = now;
    result.chain = {info};
    applyClassification(result, ExpiryPolicy{}, now);
    check(result.limiting.has_value() && result.limitingRole == QLatin1String("leaf"),
          "limiting leaf");
    checkUserViews(result, now);
    return 0;
}
