// Writes the seed corpora of the certificate harnesses (cert_der, cert_pem, chain) with the tests'
// CertFactory: real certificates and chains around the tests' pinned now, in the input format of
// each harness. The files are committed; rerun this only to change them:
//
//     build/fuzz/certdash_fuzz_seeds fuzz/corpus
//
// Keys and serials are random, so each run writes different (equally good) bytes.
#include "CertFactory.h"
#include "probing/X509.h"
#include "storage/StoredCertificate.h"

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QList>
#include <QString>

#include <cstdio>

using namespace certdash::test;
using namespace Qt::StringLiterals;

namespace {

QString g_out;

void write(const QString &harness, const QString &name, const QByteArray &bytes) {
    QDir().mkpath(g_out + u'/' + harness);
    QFile file(g_out + u'/' + harness + u'/' + name);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(bytes) != bytes.size())
        qFatal("cannot write %s", qPrintable(file.fileName()));
}

// The chain harness's input: flags, int16 day offset, identity, then [kind][u16 length][DER]
// records, kind 1 for a trust anchor and 0 for a certificate the server sends.
struct ChainSeed {
    QString identity;
    QList<TestCert> sent;
    QList<TestCert> anchors;
    qint16 dayOffset = 0;

    QByteArray bytes() const {
        QByteArray out;
        out += char(0);
        out += char(quint16(dayOffset) >> 8);
        out += char(quint16(dayOffset) & 0xff);
        const QByteArray id = identity.toUtf8();
        out += char(id.size());
        out += id;
        const auto record = [&out](char kind, const QByteArray &der) {
            out += kind;
            out += char((der.size() >> 8) & 0xff);
            out += char(der.size() & 0xff);
            out += der;
        };
        for (const TestCert &a : anchors)
            record(1, a.der);
        for (const TestCert &c : sent)
            record(0, c.der);
        return out;
    }
};

} // namespace

int main(int argc, char **argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
        return 2;
    }
    g_out = QString::fromLocal8Bit(argv[1]);

    const TestCert root = makeCert(CertSpec::root(u"Fuzz Root"_s));
    const TestCert inter = makeCert(CertSpec::intermediate(u"Fuzz Issuing CA"_s), &root);
    const TestCert leaf = makeCert(CertSpec::leaf(u"leaf.test"_s), &inter);

    CertSpec rsaSpec = CertSpec::leaf(u"rsa.test"_s);
    rsaSpec.key = KeySpec::rsa(2048);
    rsaSpec.ocspUrl = u"http://ocsp.test/"_s;
    rsaSpec.caIssuersUrl = u"http://ca.test/issuer.der"_s;
    rsaSpec.crlUrl = u"http://crl.test/ca.crl"_s;
    rsaSpec.emails = {u"admin@rsa.test"_s};
    rsaSpec.uris = {u"https://rsa.test/"_s};
    rsaSpec.fakeSctCount = 2;
    const TestCert rsaLeaf = makeCert(rsaSpec, &inter);

    CertSpec ipSpec = CertSpec::leaf(u"ip.test"_s);
    ipSpec.ipAddresses = {u"127.0.0.1"_s, u"::1"_s};
    const TestCert ipLeaf = makeCert(ipSpec, &inter);

    CertSpec selfSpec = CertSpec::leaf(u"self.test"_s);
    selfSpec.key = KeySpec::ed25519();
    const TestCert selfSigned = makeCert(selfSpec);

    CertSpec expiredInterSpec = CertSpec::intermediate(u"Expired CA"_s);
    expiredInterSpec.validDays(-400, -5);
    const TestCert expiredInter = makeCert(expiredInterSpec, &root);
    CertSpec underExpiredSpec = CertSpec::leaf(u"stale.test"_s);
    underExpiredSpec.validDays(-30, 60);
    const TestCert underExpired = makeCert(underExpiredSpec, &expiredInter);

    CertSpec expiredLeafSpec = CertSpec::leaf(u"expired.test"_s);
    expiredLeafSpec.validDays(-90, -1);
    expiredLeafSpec.digest = Digest::Sha1;
    const TestCert expiredLeaf = makeCert(expiredLeafSpec, &inter);

    CertSpec largeSpec = CertSpec::leaf(u"large.test"_s);
    largeSpec.key = KeySpec::rsa(4096);
    for (int i = 0; i < 300; ++i)
        largeSpec.dnsNames << u"host-%1.large.test"_s.arg(i);
    const TestCert large = makeCert(largeSpec, &inter);

    CertSpec cnOnlySpec = CertSpec::leaf(u"cn-only.test"_s);
    cnOnlySpec.dnsNames.clear();
    const TestCert cnOnly = makeCert(cnOnlySpec, &inter);

    CertSpec unreadableSpec = CertSpec::leaf(u"unreadable.test"_s);
    unreadableSpec.rawNotAfter = "000001010000Z";
    const TestCert unreadable = makeCert(unreadableSpec, &inter);

    CertSpec backwardsSpec = CertSpec::leaf(u"backwards.test"_s);
    backwardsSpec.notBefore = pinnedNow().addDays(30);
    backwardsSpec.notAfter = pinnedNow().addDays(-30);
    const TestCert backwards = makeCert(backwardsSpec, &inter);

    CertSpec farSpec = CertSpec::leaf(u"far.test"_s);
    farSpec.notBefore = QDateTime(QDate(1, 1, 1), QTime(0, 0), Qt::UTC);
    farSpec.notAfter = QDateTime(QDate(9999, 12, 31), QTime(23, 59, 59), Qt::UTC);
    const TestCert far = makeCert(farSpec, &inter);

    const TestCert oldRoot = makeCert(CertSpec::root(u"Old Fuzz Root"_s));
    const TestCert cross =
        crossSign(root, oldRoot, pinnedNow().addDays(-800), pinnedNow().addDays(-10));

    // cert_der: one DER certificate each.
    const QList<std::pair<QString, TestCert>> singles = {
        {u"leaf_ec.der"_s, leaf},
        {u"leaf_rsa_aia_crl_sct.der"_s, rsaLeaf},
        {u"root.der"_s, root},
        {u"intermediate.der"_s, inter},
        {u"ip_san.der"_s, ipLeaf},
        {u"self_signed_ed25519.der"_s, selfSigned},
        {u"expired_sha1.der"_s, expiredLeaf},
        {u"cn_only.der"_s, cnOnly},
        {u"unreadable_not_after.der"_s, unreadable},
        {u"not_after_before_not_before.der"_s, backwards},
        {u"years_0001_9999.der"_s, far},
        {u"cross_signed.der"_s, cross},
        {u"large_300_sans.der"_s, large},
    };
    for (const auto &[name, cert] : singles)
        write(u"cert_der"_s, name, cert.der);

    // stored_certificate: the JSON the store keeps for some of them.
    for (const auto &[name, cert] : singles) {
        if (name.startsWith(u"leaf_rsa") || name.startsWith(u"ip_san") ||
            name.startsWith(u"unreadable") || name.startsWith(u"root"))
            write(u"stored_certificate"_s, QString(name).replace(u".der"_s, u".json"_s),
                  certdash::certificateToStoredJson(*certdash::decodeCertificate(cert.der)));
    }

    // cert_pem: --ca-file contents as people write them.
    write(u"cert_pem"_s, u"one.pem"_s, root.pem);
    write(u"cert_pem"_s, u"bundle.pem"_s, pemBundle({root, inter, oldRoot}));
    write(u"cert_pem"_s, u"commented.pem"_s,
          "# Fuzz Root, from the ops wiki\r\nsubject=CN = Fuzz Root\r\n" +
              QByteArray(root.pem).replace('\n', "\r\n") + "\r\n\r\n" + inter.pem);
    write(u"cert_pem"_s, u"damaged.pem"_s,
          root.pem.left(root.pem.size() / 2) + "-----END CERTIFICATE-----\n");
    write(u"cert_pem"_s, u"trusted_certificate.pem"_s,
          QByteArray(inter.pem).replace("CERTIFICATE", "TRUSTED CERTIFICATE"));
    // Another PEM block first (openssl ecparam -name prime256v1), as `openssl req` bundles have.
    write(u"cert_pem"_s, u"params_then_cert.pem"_s,
          "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n" +
              selfSigned.pem);
    write(u"cert_pem"_s, u"single.der"_s, inter.der);

    // chain: what servers send, with the anchors a user trusts.
    const auto chain = [](const QString &name, const ChainSeed &seed) {
        write(u"chain"_s, name, seed.bytes());
    };
    chain(u"leaf_intermediate.bin"_s, {u"leaf.test"_s, {leaf, inter}, {root}});
    chain(u"leaf_intermediate_root.bin"_s, {u"leaf.test"_s, {leaf, inter, root}, {root}});
    chain(u"out_of_order.bin"_s, {u"leaf.test"_s, {leaf, root, inter}, {root}});
    chain(u"duplicates.bin"_s, {u"leaf.test"_s, {leaf, inter, inter, leaf}, {root}});
    chain(u"incomplete.bin"_s, {u"leaf.test"_s, {leaf}, {root}});
    chain(u"untrusted_root.bin"_s, {u"leaf.test"_s, {leaf, inter, root}, {}});
    chain(u"self_signed.bin"_s, {u"self.test"_s, {selfSigned}, {}});
    chain(u"self_signed_anchor.bin"_s, {u"self.test"_s, {selfSigned}, {selfSigned}});
    chain(u"ip_san_v4.bin"_s, {u"127.0.0.1"_s, {ipLeaf, inter}, {root}});
    chain(u"ip_san_v6.bin"_s, {u"[::1]"_s, {ipLeaf, inter}, {root}});
    chain(u"hostname_mismatch.bin"_s, {u"other.test"_s, {leaf, inter}, {root}});
    chain(u"expired_intermediate.bin"_s, {u"stale.test"_s, {underExpired, expiredInter}, {root}});
    chain(u"stale_cross_sign.bin"_s, {u"leaf.test"_s, {leaf, inter, cross}, {root}});
    chain(u"cross_sign_to_old_root.bin"_s, {u"leaf.test"_s, {leaf, inter, cross}, {oldRoot}});
    chain(u"expired_leaf_sha1.bin"_s, {u"expired.test"_s, {expiredLeaf, inter}, {root}});
    chain(u"cn_only.bin"_s, {u"cn-only.test"_s, {cnOnly, inter}, {root}});
    chain(u"unreadable_not_after.bin"_s, {u"unreadable.test"_s, {unreadable, inter}, {root}});
    chain(u"large_cert.bin"_s, {u"host-299.large.test"_s, {large, inter}, {root}});
    chain(u"in_200_days.bin"_s, {u"leaf.test"_s, {leaf, inter}, {root}, 200});
    chain(u"wildcard_identity_unicode.bin"_s, {u"bücher.leaf.test"_s, {leaf, inter}, {root}, -2});
    return 0;
}
