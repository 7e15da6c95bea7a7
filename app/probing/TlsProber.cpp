#include "TlsProber.h"

#include "ChainVerifier.h"
#include "StartTls.h"
#include "TrustStore.h"
#include "X509.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QSslCipher>
#include <QSslConfiguration>
#include <QSslSocket>

#include <atomic>

Q_LOGGING_CATEGORY(lcProbe, "certdash.probe", QtWarningMsg)

namespace certdash {

namespace {
QString protocolName(QSsl::SslProtocol protocol)
{
    switch (protocol) {
    case QSsl::TlsV1_3:
        return QStringLiteral("TLSv1.3");
    case QSsl::TlsV1_2:
        return QStringLiteral("TLSv1.2");
    QT_WARNING_PUSH
    QT_WARNING_DISABLE_DEPRECATED
    case QSsl::TlsV1_1:
        return QStringLiteral("TLSv1.1");
    case QSsl::TlsV1_0:
        return QStringLiteral("TLSv1.0");
    QT_WARNING_POP
    default:
        return {};
    }
}
} // namespace

namespace {
std::atomic<int> g_closingSockets{0}; // probes may run in a worker thread
}

int TlsProber::closingSockets()
{
    return g_closingSockets;
}

// After a handshake Qt sends the client's Finished only once `encrypted` has returned, and the
// socket's write buffer drains on later event-loop turns. Deleting the socket before that would
// cut the handshake short: servers would log "peer closed connection in SSL handshake" for every
// probe. So the socket outlives its prober until it has said close_notify and closed, bounded
// by a grace period against peers that never read.
void TlsProber::closePolitely(QSslSocket *socket)
{
    socket->setParent(nullptr);
    ++g_closingSockets;
    QObject::connect(socket, &QObject::destroyed, [] { --g_closingSockets; });
    if (socket->state() != QAbstractSocket::ConnectedState) {
        socket->abort();
        socket->deleteLater();
        return;
    }
    QObject::connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
    QTimer::singleShot(2000, socket, [socket] {
        socket->abort();
        socket->deleteLater();
    });
    // Queued: Qt is still inside the handshake code that emitted `encrypted`.
    QMetaObject::invokeMethod(socket, [socket] { socket->disconnectFromHost(); },
                              Qt::QueuedConnection);
}

QSslConfiguration probeTlsConfiguration()
{
    // Built once: QSslConfiguration is implicitly shared, so every socket copies a pointer.
    static const QSslConfiguration configuration = [] {
        QSslConfiguration c = QSslConfiguration::defaultConfiguration();
        c.setPeerVerifyMode(QSslSocket::VerifyNone);
        // An explicit (empty) CA list stops Qt from loading the system store per context: our
        // ChainVerifier owns verification.
        c.setCaCertificates({});
        c.setProtocol(QSsl::AnyProtocol);
        c.setSslOption(QSsl::SslOptionDisableSessionTickets, true);
        c.setSslOption(QSsl::SslOptionDisableSessionSharing, true);
        c.setSslOption(QSsl::SslOptionDisableSessionPersistence, true);
        // Debian's OpenSSL defaults to SECLEVEL=2 and TLS 1.2+: a server with a 1024-bit key or
        // TLS 1.0 would fail the handshake and its certificate would go unseen. Read it, then
        // report it as weak.
        c.setBackendConfigurationOption(QByteArrayLiteral("MinProtocol"), QByteArrayLiteral("TLSv1"));
        c.setBackendConfigurationOption(QByteArrayLiteral("CipherString"),
                                        QByteArrayLiteral("ALL:@SECLEVEL=0"));
        return c;
    }();
    return configuration;
}

TlsProber::TlsProber(const Target &target, const QString &address, const ProbeOptions &options,
                     QObject *parent)
    : QObject(parent)
    , m_options(options)
{
    m_result.target = target;
    m_result.address = address;
    m_result.sni = target.effectiveSni();
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, &TlsProber::onTimeout);
}

TlsProber::~TlsProber()
{
    cancel();
}

void TlsProber::start()
{
    if (m_stage != Stage::Idle)
        return;
    m_result.probedAt = m_options.clock->now();
    m_elapsed.start();
    m_deadline.start(m_options.timeoutMs);
    m_stage = Stage::Connecting;

    m_socket = new QSslSocket(this);
    m_socket->setSslConfiguration(probeTlsConfiguration());
    if (!m_result.sni.isEmpty())
        m_socket->setPeerVerifyName(m_result.sni);
    connect(m_socket, &QSslSocket::connected, this, &TlsProber::onConnected);
    connect(m_socket, &QSslSocket::encrypted, this, &TlsProber::onEncrypted);
    connect(m_socket, &QSslSocket::errorOccurred, this, &TlsProber::onSocketError);
    connect(m_socket, &QSslSocket::readyRead, this, &TlsProber::onPlaintextReadable);
    connect(m_socket, &QSslSocket::disconnected, this, [this] {
        if (m_stage == Stage::StartTls || m_stage == Stage::Handshake)
            finishWithFailure(Status::HandshakeFailed,
                              tr("server closed the connection %1").arg(stageDescription()));
    });

    if (m_result.target.startTls != StartTls::None) {
        // Plain TCP first; the dialogue decides when TLS starts.
        m_dialogue = StartTlsDialogue::create(m_result.target.startTls, m_result.target.asciiHost());
        m_socket->connectToHost(m_result.address, m_result.target.port);
    } else if (m_result.sni.isEmpty()) {
        // No SNI: connect to the address itself and send no server name.
        m_socket->connectToHostEncrypted(m_result.address, m_result.target.port, QString());
    } else {
        // The address is connected, the name goes into SNI (the sslPeerName argument).
        m_socket->connectToHostEncrypted(m_result.address, m_result.target.port, m_result.sni);
    }
}

void TlsProber::onConnected()
{
    if (m_dialogue) {
        m_stage = Stage::StartTls;
        const QByteArray opening = m_dialogue->opening();
        if (!opening.isEmpty())
            m_socket->write(opening);
    } else {
        m_stage = Stage::Handshake;
    }
}

void TlsProber::onPlaintextReadable()
{
    if (m_stage != Stage::StartTls || !m_dialogue)
        return; // during/after TLS nothing is read: we never asked for anything
    const auto step = m_dialogue->feed(m_socket->readAll());
    switch (step.state) {
    case StartTlsDialogue::State::NeedMore:
        break;
    case StartTlsDialogue::State::Send:
        m_socket->write(step.toSend);
        break;
    case StartTlsDialogue::State::Ready:
        m_stage = Stage::Handshake;
        m_socket->setPeerVerifyName(m_result.sni);
        m_socket->startClientEncryption();
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
    const QList<QSslCertificate> presented = m_socket->peerCertificateChain();
    m_result.tlsVersion = protocolName(m_socket->sessionProtocol());
    m_result.cipher = m_socket->sessionCipher().name();
    m_stage = Stage::Done;
    m_deadline.stop();

    // Decode from Qt's own parsed certificates: no second DER parse per certificate.
    QList<QSslCertificate> decodedFrom;
    for (const QSslCertificate &cert : presented) {
        QString error;
        const auto info = decodeCertificate(cert, &error, CertificateText::Omit);
        if (!info) {
            m_result.trust.findings
                << tr("undecodable certificate at position %1: %2").arg(decodedFrom.size()).arg(error);
            continue;
        }
        decodedFrom << cert;
        m_result.chain << *info;
    }
    if (m_result.chain.isEmpty()) {
        finishWithFailure(Status::HandshakeFailed, tr("server presented no certificate"));
        return;
    }
    if (m_options.anchors) {
        const QStringList decodeFindings = m_result.trust.findings;
        m_result.trust = verifyChain(decodedFrom, m_result.target.verificationIdentity(),
                                     m_options.clock->now(), *m_options.anchors, m_result.chain);
        m_result.trust.findings = decodeFindings + m_result.trust.findings;
    }
    m_result.status = Status::Ok;
    applyClassification(m_result, m_options.policy, m_options.clock->now());
    finish();
}

void TlsProber::onSocketError()
{
    if (m_stage == Stage::Done)
        return;
    const auto error = m_socket->error();
    const QString text = m_socket->errorString();
    switch (error) {
    case QAbstractSocket::ConnectionRefusedError:
        finishWithFailure(Status::Unreachable, tr("connection refused"));
        return;
    case QAbstractSocket::HostNotFoundError:
        finishWithFailure(Status::Unreachable, tr("host not found"));
        return;
    case QAbstractSocket::NetworkError:
    case QAbstractSocket::SocketAccessError:
    case QAbstractSocket::SocketResourceError:
    case QAbstractSocket::UnsupportedSocketOperationError:
        if (m_stage == Stage::Connecting) {
            finishWithFailure(Status::Unreachable, tr("cannot connect: %1").arg(text));
            return;
        }
        break;
    case QAbstractSocket::SocketTimeoutError:
        finishWithFailure(Status::Timeout, tr("timed out %1").arg(stageDescription()));
        return;
    case QAbstractSocket::RemoteHostClosedError:
        finishWithFailure(Status::HandshakeFailed,
                          tr("server closed the connection %1").arg(stageDescription()));
        return;
    default:
        break;
    }
    if (m_stage == Stage::Connecting)
        finishWithFailure(Status::Unreachable, tr("cannot connect: %1").arg(text));
    else
        finishWithFailure(Status::HandshakeFailed, tr("TLS handshake failed: %1").arg(text));
}

void TlsProber::onTimeout()
{
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
    m_result.durationMs = m_elapsed.isValid() ? m_elapsed.elapsed() : 0;
    qCDebug(lcProbe) << m_result.target.hostPort() << m_result.address << statusKey(m_result.status)
                     << m_result.durationMs << "ms";
    if (m_socket) {
        QSslSocket *socket = m_socket;
        m_socket = nullptr;
        socket->disconnect(this);
        closePolitely(socket);
    }
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
