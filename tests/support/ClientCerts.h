#pragma once

#include "CertFactory.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace certdash::test {

// Client certificates for mutual TLS, made at test time in every format CertDash reads.
//
//     const ClientPki pki = makeClientPki();
//     const QByteArray p12 = pkcs12(pki.client, {pki.issuingCa}, "secret");

// A client CA (root), an issuing CA under it and a client certificate (clientAuth) from the
// issuing CA; plus a client certificate from an unrelated root, which servers trusting clientRoot
// refuse.
struct ClientPki {
    TestCert clientRoot;
    TestCert issuingCa;
    TestCert client;
    TestCert strangerRoot;
    TestCert stranger;
};
ClientPki makeClientPki(KeySpec key = KeySpec::ecP256());

// keyPem (PKCS#8 PEM) encrypted with passphrase: PKCS#8 "ENCRYPTED PRIVATE KEY" (AES-256-CBC),
// or with traditional = true the legacy "Proc-Type: 4,ENCRYPTED" PEM.
QByteArray encryptedKeyPem(const QByteArray &keyPem, const QByteArray &passphrase,
                           bool traditional = false);
// A DER PKCS#12 file with cert, its key and the chain certificates; an empty password makes one
// that opens without any.
QByteArray pkcs12(const TestCert &cert, const QList<TestCert> &chain, const QByteArray &password);

} // namespace certdash::test
