#include "TlsProber.h"

#include "ChainVerifier.h"
#include "ClientIdentity.h"
#include "RevocationCheck.h"
#include "StartTls.h"
#include "TlsClientSession.h"
#include "TrustStore.h"
#include "X509.h"

#include "Revocation.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QNetworkProxy>
#include <QTcpSocket>

#include <algorithm>

Q_LOGGING_CATEGORY(lcProbe, "certdash.probe", QtWarningMsg)

namespace certdash {

namespace {
// TLS 1.3's certificate_required alert (RFC 8446, 6.2).
constexpr int kCertificateRequiredAlert = 116;
} // namespace

// The socket outlives its prober until it has said close_notify and closed, so that servers see
// a complete handshake and a clean close instead of a reset. The close belongs to the probe: it
// ends by the probe's deadline (and within 2 s), and a server that keeps talking meanwhile gets
// at most kMaxDrainedOnClose bytes read before the connection is reset.
void TlsProber::closePolitely()
{
    QTcpSocket *socket = m_socket;
    m_socket = nullptr;
    socket->disconnect(this);
    socket->setParent(nullptr);
    trackClosing(socket);
    const qint64 grace = std::clamp<qint64>(m_expiry.remainingTime(), 0, 2000);
    if (socket->state() != QAbstractSocket::ConnectedState || grace == 0) {
        socket->abort();
        socket->deleteLater();
        return;
    }
    if (m_tls)
        socket->write(m_tls->closeNotify());
    // Nothing more is processed: whatever the server still says is dropped, never answered.
    const auto drained = std::make_shared<qint64>(0);
    QObject::connect(socket, &QIODevice::readyRead, socket, [socket, drained] {
        *drained += socket->skip(socket->bytesAvailable());
        if (*drained > kMaxDrainedOnClose) {
            socket->abort();
            socket->deleteLater();
        }
    });
    QObject::connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
    QTimer::singleShot(int(grace), Qt::PreciseTimer, socket, [socket] {
        socket->abort();
        socket->deleteLater();
    });
    socket->disconnectFromHost(); // after the pending bytes (Finished, close_notify) are sent
}

TlsProber::TlsProber(const Target &target, const QString &address, const ProbeOptions &options,
                     QObject *parent)
    : Prober(parent)
    , m_options(options)
{
    m_result.target = target;
    m_result.address = address;
    m_result.sni = target.effectiveSni();
    m_deadline.setSingleShot(true);
    // Qt's default (coarse) timers may fire up to 5 % early: a server answering at 2.9 s of 3 s
    // was reported as timed out. onTimeout() also checks m_expiry before giving up.
    m_deadline.setTimerType(Qt::PreciseTimer);
    connect(&m_deadline, &QTimer::timeout, this, &TlsProber::onTimeout);
}

TlsProber::~TlsProber()
{
    cancel();
}

void TlsProber::start(qint64 resolvedInMs)
{
    if (m_stage != Stage::Idle)
        return;
    m_result.probedAt = m_options.clock->now();
    m_elapsed.start();
    m_resolvedInMs = std::max<qint64>(0, resolvedInMs);
    const qint64 budget = std::max<qint64>(0, m_options.timeoutMs - m_resolvedInMs);
    m_expiry = QDeadlineTimer(budget, Qt::PreciseTimer);
    m_deadline.start(int(budget)); // 0: times out on the next turn of the event loop
    m_stage = Stage::Connecting;

    // A proxy for this probe goes here (QTcpSocket::setProxy), before connectToHost.
    m_socket = new QTcpSocket(this);
    // Qt reads at most this much from the kernel per notification, and no more until it is
    // read: the memory a probe's socket holds is bounded, and so is the work per readyRead.
    m_socket->setReadBufferSize(kReadChunkBytes);
    connect(m_socket, &QTcpSocket::connected, this, &TlsProber::onConnected);
    connect(m_socket, &QTcpSocket::errorOccurred, this, &TlsProber::onSocketError);
    connect(m_socket, &QTcpSocket::readyRead, this, &TlsProber::onReadable);
    connect(m_socket, &QTcpSocket::disconnected, this, [this] {
        if (m_stage == Stage::StartTls || m_stage == Stage::Handshake)
            finishWithFailure(Status::HandshakeFailed,
                              tr("server closed the connection %1").arg(stageDescription()));
    });

    if (m_result.target.startTls != StartTls::None) {
        // Plain TCP first; the dialogue decides when TLS starts.
        m_dialogue = StartTlsDialogue::create(m_result.target.startTls, m_result.target.asciiHost());
    }
    // The address is connected; the name (if any) goes into SNI. Through a proxy that resolves
    // names (http, socks5h) the name itself is connected, and the proxy resolves it; SNI and the
    // verified identity stay the target's either way.
    const QString host = m_result.target.asciiHost();
    const bool byName = m_result.address == QLatin1String(kViaProxyAddress);
    if (const ProxyServer *proxy =
            m_options.proxy.serverFor(m_result.target, byName ? QString() : m_result.address)) {
        m_proxy = *proxy;
        m_socket->setProxy(proxy->networkProxy());
    } else {
        m_socket->setProxy(QNetworkProxy::NoProxy);
    }
    m_socket->connectToHost(byName ? host : m_result.address, m_result.target.port);
}

void TlsProber::onConnected()
{
    if (m_dialogue) {
        m_stage = Stage::StartTls;
        const QByteArray opening = m_dialogue->opening();
        if (!opening.isEmpty())
            m_socket->write(opening);
    } else {
        startHandshake();
    }
}

void TlsProber::onReadable()
{
    if (m_stage != Stage::Handshake && m_stage != Stage::StartTls) {
        // Nothing is read after the handshake: we never asked for anything.
        m_socket->skip(m_socket->bytesAvailable());
        return;
    }
    // One chunk per readyRead, then back to the event loop (Qt signals again for the rest).
    // readAll() holds at most the read buffer's size, and unlike read(n) it always lets Qt
    // re-enable the socket's read notifier, which it turns off while the buffer is full.
    const QByteArray chunk = m_socket->readAll();
    m_received += chunk.size();
    if (m_received > kMaxReceivedBytes) {
        finishWithFailure(Status::HandshakeFailed,
                          tr("the server sent more than %1 MiB %2 without completing it")
                              .arg(kMaxReceivedBytes / (1024 * 1024))
                              .arg(stageDescription()));
        return;
    }
    if (m_stage == Stage::Handshake)
        advanceHandshake(chunk);
    else
        onPlaintextReadable(chunk);
}

void TlsProber::startHandshake()
{
    m_stage = Stage::Handshake;
    m_tls = std::make_unique<TlsClientSession>(m_result.sni,
                                               m_options.identityFor(m_result.target));
    advanceHandshake({});
}

void TlsProber::advanceHandshake(const QByteArray &received)
{
    const auto state = m_tls->advance(received);
    // Sent even when the handshake just completed: with TLS 1.3 it is the client's Finished.
    const QByteArray outgoing = m_tls->takeOutgoing();
    if (!outgoing.isEmpty())
        m_socket->write(outgoing);
    if (state == TlsClientSession::State::Established) {
        onEncrypted();
    } else if (state == TlsClientSession::State::Failed) {
        // A server that demands a client certificate ends the handshake after it sent its chain
        // (TLS 1.2: handshake_failure or a certificate alert; TLS 1.3 certificate_required):
        // its certificates are read like any others, and the finding says why it ended.
        // Only the server's own alert counts: a failure on the client's side (a bad signature
        // from the server) stays a failed handshake.
        const bool clientAuthEnded =
            m_tls->receivedAlert() >= 0 && (m_tls->clientCertificateRequested() ||
                                            m_tls->receivedAlert() == kCertificateRequiredAlert);
        if (clientAuthEnded && !m_tls->peerChain().empty()) {
            m_stage = Stage::Done;
            m_deadline.stop();
            readPresentedChain();
        } else {
            finishWithFailure(Status::HandshakeFailed,
                              tr("TLS handshake failed: %1").arg(m_tls->error()));
        }
    }
}

void TlsProber::onPlaintextReadable(const QByteArray &received)
{
    if (!m_dialogue)
        return;
    const auto step = m_dialogue->feed(received);
    switch (step.state) {
    case StartTlsDialogue::State::NeedMore:
        break;
    case StartTlsDialogue::State::Send:
        m_socket->write(step.toSend);
        break;
    case StartTlsDialogue::State::Ready:
        startHandshake();
        break;
    case StartTlsDialogue::State::Failed:
        finishWithFailure(Status::HandshakeFailed, tr("STARTTLS failed: %1").arg(step.error));
        break;
    }
}

void TlsProber::onEncrypted()
{
    if (m_stage == Stage::Done)
        return;
    m_stage = Stage::Done;
    m_deadline.stop();
    readPresentedChain();
}

void TlsProber::readPresentedChain()
{
    m_result.tlsVersion = m_tls->protocol();
    m_result.cipher = m_tls->cipher();

    // The session's certificates are already parsed: decoded in place, never parsed again. A CA
    // certificate another probe of the scan was sent is taken from the cache, X509 and all.
    std::vector<X509 *> presented = m_tls->peerChain();
    for (X509 *&cert : presented) {
        if (m_options.certificates) {
            CertificateCache::Decoded decoded = m_options.certificates->decode(cert);
            cert = decoded.cert;
            m_result.chain << std::move(decoded.info);
        } else {
            m_result.chain << ossl::certificateInfo(cert, {}, CertificateText::Omit);
        }
    }
    if (m_result.chain.isEmpty()) {
        finishWithFailure(Status::HandshakeFailed, tr("server presented no certificate"));
        return;
    }
    if (m_options.anchors) {
        m_result.trust = verifyChain(presented, m_result.target.verificationIdentity(),
                                     m_options.clock->now(), *m_options.anchors, m_result.chain);
    }
    addClientCertificateFinding();
    // The stapled OCSP response, judged against the leaf's issuer (no request made). The issuer
    // is looked for only when there is something to judge.
    const QByteArray stapled = m_tls->stapledOcsp();
    m_result.trust.revocationAsked = m_options.checksRevocation(m_result.target);
    ossl::X509Ptr issuer;
    if (!stapled.isEmpty() || m_result.trust.revocationAsked)
        issuer = leafIssuer(presented.front(), presented, m_result);
    judgeStapledResponse(m_result, stapled, presented.front(), issuer.get(),
                         m_options.clock->now());
    m_result.status = Status::Ok;
    applyClassification(m_result, m_options.policy, m_options.clock->now());
    checkRevocationThenFinish(issuer ? ossl::toDer(issuer.get()) : QByteArray());
}

void TlsProber::checkRevocationThenFinish(const QByteArray &issuerDer)
{
    if (!needsOnlineRevocationCheck(m_result, m_options)) {
        finish();
        return;
    }
    // The server has nothing more to say: its connection closes while the CA is asked.
    if (m_socket)
        closePolitely();
    auto *check = new OnlineRevocationCheck(m_options, this);
    connect(check, &OnlineRevocationCheck::done, this,
            [this, check](const RevocationStatus &status) {
                check->deleteLater();
                addRevocationFinding(m_result.trust, status);
                applyClassification(m_result, m_options.policy, m_options.clock->now());
                finish();
            });
    check->start(m_result.chain.first(), issuerDer, m_options.clock->now());
}

// Client authentication is a finding, never the status: the server's certificate was read, so the
// status is its expiry's, as for any other endpoint. The findings are hygiene (see Trust.h): they
// are listed and explained, but they do not change the trust level nor the exit code, because they
// say nothing about whether clients can trust the server.
void TlsProber::addClientCertificateFinding()
{
    const int alert = m_tls->receivedAlert();
    const QString alertText = m_tls->receivedAlertText();
    if (m_tls->clientCertificateSent()) {
        // Accepted unless the server ended the handshake. (In TLS 1.3 the server judges the
        // client's certificate after the client's handshake is complete; a refusal then comes
        // after the probe has read what it needs, and is not seen.)
        if (m_tls->state() != TlsClientSession::State::Failed)
            return;
        const ClientIdentity *identity = m_options.identityFor(m_result.target);
        m_result.trust.add(
            FindingKind::ClientCertificateRejected,
            tr("client certificate rejected: the server refused %1 (%2) and ended the handshake "
               "(alert: %3)")
                .arg(identity ? identity->subject() : QString(),
                     identity ? identity->certificatePath() : QString(),
                     alertText.isEmpty() ? m_tls->error() : alertText));
        return;
    }
    if (!m_tls->clientCertificateRequested() && alert != kCertificateRequiredAlert)
        return;
    const ClientIdentity *presented = m_options.identityFor(m_result.target);
    QString finding = presented
                          ? tr("client certificate required: the server asks for a client "
                               "certificate and none was sent (%1 does not suit it)")
                                .arg(presented->certificatePath())
                          : tr("client certificate required: the server asks for a client "
                               "certificate and none was sent");
    if (m_tls->state() == TlsClientSession::State::Failed)
        finding += tr("; it ended the handshake (alert: %1)")
                       .arg(alertText.isEmpty() ? m_tls->error() : alertText);
    m_result.trust.add(FindingKind::ClientCertificateRequired, finding);
}

void TlsProber::onSocketError()
{
    if (m_stage == Stage::Done)
        return;
    const SocketFailure failure =
        socketFailure(m_socket->error(), m_socket->errorString(), m_stage == Stage::Connecting,
                      stageDescription(), m_proxy, m_result.target.hostPort());
    finishWithFailure(failure.status, failure.error);
}

void TlsProber::onTimeout()
{
    // Should a timer ever fire before the deadline, wait for the rest of it.
    const qint64 left = m_expiry.remainingTime();
    if (left > 0) {
        m_deadline.start(int(left));
        return;
    }
    finishWithFailure(Status::Timeout,
                      tr("no answer within %1 s %2")
                          .arg(QString::number(m_options.timeoutMs / 1000.0, 'g', 3),
                               stageDescription()));
}

QString TlsProber::stageDescription() const
{
    switch (m_stage) {
    case Stage::Idle:
    case Stage::Connecting:
        return tr("while connecting");
    case Stage::StartTls:
        return m_dialogue ? tr("during STARTTLS (%1)").arg(m_dialogue->phase())
                          : tr("during STARTTLS");
    case Stage::Handshake:
        return tr("during the TLS handshake");
    case Stage::Done:
        break;
    }
    return {};
}

void TlsProber::finishWithFailure(Status status, const QString &error)
{
    if (m_stage == Stage::Done && !m_result.chain.isEmpty())
        return;
    m_stage = Stage::Done;
    m_deadline.stop();
    if (m_socket)
        m_socket->abort();
    m_result.status = status;
    m_result.error = error;
    finish();
}

void TlsProber::finish()
{
    // From the start of the name's resolution, as the timeout counts.
    m_result.durationMs = m_elapsed.isValid() ? m_resolvedInMs + m_elapsed.elapsed() : 0;
    qCDebug(lcProbe) << m_result.target.hostPort() << m_result.address << statusKey(m_result.status)
                     << m_result.durationMs << "ms";
    if (m_socket)
        closePolitely();
    emit finished(m_result);
}

void TlsProber::cancel()
{
    m_deadline.stop();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        delete m_socket;
        m_socket = nullptr;
    }
    m_stage = Stage::Done;
}

} // namespace certdash
