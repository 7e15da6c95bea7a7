#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

#include <vector>

typedef struct ssl_st SSL;
typedef struct x509_st X509;

namespace certdash {

class ClientIdentity;

// The client side of one TLS handshake, driven by bytes: the prober writes what handshake()
// returns to its QTcpSocket and feeds back what the server sends. OpenSSL does the TLS over
// memory BIOs with one SSL_CTX shared by every probe, so the per-probe cost is the handshake
// itself: QSslSocket (Qt 6.4) builds a new SSL_CTX per socket and re-decodes every peer
// certificate after the handshake, which made a probe cost 2.5 times more (bench/README.md).
//
// Settings are those of a prober, not of a browser: any certificate is read (no verification
// here; ChainVerifier does it with our anchors), TLS 1.0 and weak keys are accepted so that they
// are reported rather than hidden behind a failure, and no session is ever resumed (a resumed
// handshake carries no certificate).
class TlsClientSession
{
    Q_DECLARE_TR_FUNCTIONS(certdash::TlsClientSession)

public:
    enum class State { InProgress, Established, Failed };

    // The largest Certificate message read: 4 MiB. OpenSSL's default (100 KiB) refuses real
    // certificates, one with 10,000 names is ~590 KB, and a chain of 300 is ~150 KB; the bound
    // keeps a hostile server from making a probe hold more. A larger message fails the probe
    // with "certificate message larger than 4 MiB".
    static constexpr int kMaxCertificateMessageBytes = 4 * 1024 * 1024;

    // serverName goes into SNI; empty sends none (an IP target). identity (may be null) is the
    // client certificate presented when the server asks for one; it must outlive the session.
    // It is set on this session's SSL object only: the shared context stays as it is.
    explicit TlsClientSession(const QString &serverName, const ClientIdentity *identity = nullptr);
    ~TlsClientSession();
    TlsClientSession(const TlsClientSession &) = delete;
    TlsClientSession &operator=(const TlsClientSession &) = delete;

    // Feeds what the server sent (empty to start: the ClientHello) and advances the handshake.
    // Afterwards outgoing() holds the bytes to send, state() where the handshake stands.
    State advance(const QByteArray &received = {});
    QByteArray takeOutgoing();
    State state() const { return m_state; }
    // With Failed: why, in OpenSSL's words ("wrong version number", "unsupported protocol").
    QString error() const { return m_error; }

    // With Established, and with Failed once the server's certificates were read (a server
    // that demands a client certificate sends its chain before it ends the handshake):
    QString protocol() const; // "TLSv1.3"
    QString cipher() const;   // OpenSSL's name, "TLS_AES_256_GCM_SHA384"
    // The chain as the server sent it, leaf first; owned by the session.
    std::vector<X509 *> peerChain() const;
    // The OCSP response the server stapled (DER; every session asks for one in its
    // ClientHello, status_request), empty when it sent none.
    QByteArray stapledOcsp() const;

    // Client authentication as the handshake went, seen in its messages:
    // the server sent a CertificateRequest;
    bool clientCertificateRequested() const { return m_certificateRequested; }
    // the client answered it with a certificate (not an empty Certificate message);
    bool clientCertificateSent() const { return m_certificateSent; }
    // the alert the server sent (TLS AlertDescription: 116 certificate_required, 48 unknown_ca,
    // ...), -1 when none; and its name in OpenSSL's words ("unknown CA").
    int receivedAlert() const { return m_receivedAlert; }
    QString receivedAlertText() const;
    // close_notify, for a polite close (empty when there is nothing to say).
    QByteArray closeNotify();

    // OpenSSL's message callback (set once on the shared context; self is the session).
    static void onMessage(int writing, int version, int contentType, const void *buffer,
                          size_t length, SSL *ssl, void *self);

private:

    SSL *m_ssl = nullptr;
    bool m_certificateRequested = false;
    bool m_certificateSent = false;
    int m_receivedAlert = -1;
    State m_state = State::InProgress;
    QString m_error;
};

} // namespace certdash
