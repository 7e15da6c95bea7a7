#include "TlsClientSession.h"

#include "ClientIdentity.h"
#include "X509.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <memory>

namespace certdash {

namespace {

// One context for the life of the process: creating one costs about as much as the rest of a
// probe's client-side work. SSL_new() from a shared context is thread-safe.
SSL_CTX *probeContext()
{
    static const std::unique_ptr<SSL_CTX, ossl::Free<SSL_CTX_free>> context = [] {
        SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
        SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
        // Debian's OpenSSL defaults to SECLEVEL=2 and TLS 1.2+: a server with a 1024-bit key or
        // TLS 1.0 would fail the handshake and its certificate would go unseen. Read it, then
        // report it as weak.
        SSL_CTX_set_min_proto_version(ctx, TLS1_VERSION);
        SSL_CTX_set_security_level(ctx, 0);
        SSL_CTX_set_cipher_list(ctx, "ALL:@SECLEVEL=0");
        // A fresh handshake every time: nothing is cached, no ticket is asked for.
        SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
        SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
        SSL_CTX_set_num_tickets(ctx, 0);
        // Nothing is read after the handshake, and a server's HelloRequest (renegotiation) is
        // never honoured; during the handshake OpenSSL skips them, and the prober bounds how
        // many bytes a server may send.
        SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION);
        SSL_CTX_set_max_cert_list(ctx, long(TlsClientSession::kMaxCertificateMessageBytes));
        // Every handshake message and alert passes by the session (a few comparisons each): how a
        // CertificateRequest, the client's answer and the server's alert are seen.
        SSL_CTX_set_msg_callback(ctx, &TlsClientSession::onMessage);
        return std::unique_ptr<SSL_CTX, ossl::Free<SSL_CTX_free>>(ctx);
    }();
    return context.get();
}

QByteArray drain(BIO *bio)
{
    QByteArray bytes;
    char buffer[16384];
    int n;
    while ((n = BIO_read(bio, buffer, sizeof buffer)) > 0)
        bytes.append(buffer, n);
    return bytes;
}

} // namespace

TlsClientSession::TlsClientSession(const QString &serverName, const ClientIdentity *identity)
    : m_ssl(SSL_new(probeContext()))
{
    SSL_set_bio(m_ssl, BIO_new(BIO_s_mem()), BIO_new(BIO_s_mem())); // owned by the SSL
    SSL_set_connect_state(m_ssl);
    SSL_set_msg_callback_arg(m_ssl, this);
    if (!serverName.isEmpty())
        SSL_set_tlsext_host_name(m_ssl, serverName.toLatin1().constData());
    // Asks for a stapled OCSP response: a few bytes in the ClientHello, no extra round trip.
    // Without a status callback OpenSSL keeps the response as sent; Revocation judges it.
    SSL_set_tlsext_status_type(m_ssl, TLSEXT_STATUSTYPE_ocsp);
    if (identity) {
        // References to the identity's handles, on this SSL object only (ClientIdentity checked
        // that the key matches). The chain goes with the certificate in TLS 1.2 and 1.3.
        SSL_use_certificate(m_ssl, identity->certificate());
        SSL_use_PrivateKey(m_ssl, identity->privateKey());
        if (sk_X509_num(identity->chain()) > 0)
            SSL_set1_chain(m_ssl, identity->chain());
    }
}

void TlsClientSession::onMessage(int writing, int, int contentType, const void *buffer,
                                 size_t length, SSL *ssl, void *self)
{
    auto *session = static_cast<TlsClientSession *>(self);
    if (!session)
        return;
    const auto *bytes = static_cast<const unsigned char *>(buffer);
    if (contentType == SSL3_RT_ALERT && !writing && length >= 2) {
        session->m_receivedAlert = bytes[1];
        return;
    }
    if (contentType != SSL3_RT_HANDSHAKE || length < 4)
        return;
    if (!writing && bytes[0] == SSL3_MT_CERTIFICATE_REQUEST) {
        session->m_certificateRequested = true;
    } else if (writing && bytes[0] == SSL3_MT_CERTIFICATE && session->m_certificateRequested) {
        // The client's Certificate: a certificate_list of length 0 is "none". TLS 1.3 puts a
        // request context (one length byte, then its bytes) before the list.
        size_t listAt = 4;
        if (SSL_version(ssl) >= TLS1_3_VERSION && length > 4)
            listAt += 1 + bytes[4];
        if (length >= listAt + 3) {
            const size_t listLength =
                (size_t(bytes[listAt]) << 16) | (size_t(bytes[listAt + 1]) << 8) | bytes[listAt + 2];
            session->m_certificateSent = listLength > 0;
        }
    }
}

QString TlsClientSession::receivedAlertText() const
{
    if (m_receivedAlert < 0)
        return {};
    // SSL_alert_desc_string_long takes the alert as level << 8 | description.
    return QString::fromLatin1(SSL_alert_desc_string_long((SSL3_AL_FATAL << 8) | m_receivedAlert));
}

TlsClientSession::~TlsClientSession()
{
    SSL_free(m_ssl);
}

TlsClientSession::State TlsClientSession::advance(const QByteArray &received)
{
    if (m_state != State::InProgress)
        return m_state;
    if (!received.isEmpty())
        BIO_write(SSL_get_rbio(m_ssl), received.constData(), int(received.size()));
    ERR_clear_error();
    const int rc = SSL_do_handshake(m_ssl);
    if (rc == 1) {
        m_state = State::Established;
        return m_state;
    }
    const int error = SSL_get_error(m_ssl, rc);
    if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE)
        return m_state;
    m_state = State::Failed;
    const bool certificateTooLarge =
        ERR_GET_REASON(ERR_peek_error()) == SSL_R_EXCESSIVE_MESSAGE_SIZE &&
        SSL_get_state(m_ssl) == TLS_ST_CR_CERT;
    m_error = ossl::lastError();
    if (certificateTooLarge)
        m_error = tr("certificate message larger than %1 MiB, the most CertDash reads")
                      .arg(kMaxCertificateMessageBytes / (1024 * 1024));
    if (m_error.isEmpty())
        m_error = tr("the server ended the handshake");
    return m_state;
}

QByteArray TlsClientSession::takeOutgoing()
{
    return drain(SSL_get_wbio(m_ssl));
}

QString TlsClientSession::protocol() const
{
    if (m_state != State::Established && peerChain().empty())
        return {};
    const QString name = QString::fromLatin1(SSL_get_version(m_ssl));
    // OpenSSL calls TLS 1.0 "TLSv1"; reports spell every version with its minor number.
    return name == QLatin1String("TLSv1") ? QStringLiteral("TLSv1.0") : name;
}

QString TlsClientSession::cipher() const
{
    const SSL_CIPHER *cipher = SSL_get_current_cipher(m_ssl);
    // A handshake the server ended has no cipher in use yet, but the one it chose.
    if (!cipher && SSL_get_session(m_ssl))
        cipher = SSL_SESSION_get0_cipher(SSL_get_session(m_ssl));
    return cipher ? QString::fromLatin1(SSL_CIPHER_get_name(cipher)) : QString();
}

std::vector<X509 *> TlsClientSession::peerChain() const
{
    std::vector<X509 *> chain;
    // For a client, the peer chain includes the leaf.
    if (STACK_OF(X509) *stack = SSL_get_peer_cert_chain(m_ssl)) {
        for (int i = 0; i < sk_X509_num(stack); ++i)
            chain.push_back(sk_X509_value(stack, i));
    }
    return chain;
}

QByteArray TlsClientSession::stapledOcsp() const
{
    const unsigned char *response = nullptr;
    const long length = SSL_get_tlsext_status_ocsp_resp(m_ssl, &response);
    if (length <= 0 || !response)
        return {};
    return QByteArray(reinterpret_cast<const char *>(response), int(length));
}

QByteArray TlsClientSession::closeNotify()
{
    if (m_state != State::Established)
        return {};
    SSL_shutdown(m_ssl);
    return drain(SSL_get_wbio(m_ssl));
}

} // namespace certdash
