#include "QtTlsProber.h"

#include "ChainVerifier.h"
#include "ClientIdentity.h"
#include "Revocation.h"
#include "RevocationCheck.h"
#include "StartTls.h"
#include "TlsProber.h"
#include "TrustStore.h"
#include "X509.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QSslCipher>
#include <QSslConfiguration>
#include <QNetworkProxy>
#include <QOcspResponse>
#include <QSslSocket>

#include <algorithm>

Q_LOGGING_CATEGORY(lcQtProbe, "certdash.probe.qt", QtWarningMsg)

// The messages are TlsProber's, in its translation context: both engines say the same thing.
// Each is written as QCoreApplication::translate("certdash::TlsProber", "...") in full, which
// lupdate reads (it does not expand macros).

namespace certdash {

namespace {

QString protocolName(QSsl::SslProtocol protocol) {
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

// Qt says "Error during SSL handshake: error:0A00010B:SSL routines::wrong version number, ...";
// TlsProber reports OpenSSL's reasons alone ("wrong version number"), as ossl::lastError().
QString handshakeReasons(const QString &qtError) {
    static const QRegularExpression entry(QStringLiteral("error:[0-9A-Fa-f]+:[^:]*:[^:]*:([^,]*)"));
    QStringList reasons;
    for (auto it = entry.globalMatch(qtError); it.hasNext();)
        reasons << it.next().captured(1).trimmed();
    reasons.removeDuplicates();
    reasons.removeAll(QString());
    return reasons.join(QStringLiteral(", "));
}

} // namespace

QSslConfiguration QtTlsProber::baseConfiguration() {
    // Built once: QSslConfiguration is implicitly shared, so every socket copies a pointer.
    static const QSslConfiguration configuration = [] {
        QSslConfiguration c = QSslConfiguration::defaultConfiguration();
        c.setPeerVerifyMode(QSslSocket::VerifyNone);
        // An explicit (empty) CA list stops Qt from loading the system store per context:
        // ChainVerifier owns verification.
        c.setCaCertificates({});
        c.setProtocol(QSsl::AnyProtocol);
        // A fresh handshake every time: a resumed one carries no certificate.
        c.setSslOption(QSsl::SslOptionDisableSessionTickets, true);
        c.setSslOption(QSsl::SslOptionDisableSessionSharing, true);
        c.setSslOption(QSsl::SslOptionDisableSessionPersistence, true);
        // Debian's OpenSSL defaults to SECLEVEL=2 and TLS 1.2+: a server with a 1024-bit key or
        // TLS 1.0 would fail the handshake and its certificate would go unseen. Read it, then
        // report it as weak (TlsClientSession's settings).
        c.setBackendConfigurationOption(QByteArrayLiteral("MinProtocol"),
                                        QByteArrayLiteral("TLSv1"));
        c.setBackendConfigurationOption(QByteArrayLiteral("CipherString"),
                                        QByteArrayLiteral("ALL:@SECLEVEL=0"));
        // status_request in the ClientHello, as TlsClientSession: Qt reads and verifies the
        // stapled response (QSslSocket::ocspResponses, OCSP errors as peerVerifyError).
        c.setOcspStaplingEnabled(true);
        return c;
    }();
    return configuration;
}

QtTlsProber::QtTlsProber(const Target &target, const QString &address, const ProbeOptions &options,
                         QObject *parent)
    : Prober(parent)
    , m_options(options) {
    m_result.target = target;
    m_result.address = address;
    m_result.sni = target.effectiveSni();
    m_deadline.setSingleShot(true);
    m_deadline.setTimerType(Qt::PreciseTimer); // and onTimeout() checks m_expiry
    connect(&m_deadline, &QTimer::timeout, this, &QtTlsProber::onTimeout);
}

QtTlsProber::~QtTlsProber() {
    cancel();
}

QSslConfiguration QtTlsProber::configureTls() const {
    QSslConfiguration configuration = baseConfiguration();
    // Qt 6.4 reads a stapled OCSP response only while it verifies the peer (VerifyPeer), and
    // verifies the response's signer against the socket's CA list: so the probe's anchors are
    // that list, and every verification error is ignored (onSslErrors) - ChainVerifier still
    // judges the chain. Without anchors, nothing is verified and nothing stapled is read.
    if (m_options.anchors) {
        configuration.setPeerVerifyMode(QSslSocket::VerifyPeer);
        configuration.setCaCertificates(m_options.anchors->qtAnchors());
    }
    // The client certificate (its chain after it) for a server that asks, as TlsClientSession.
    if (const ClientIdentity *identity = m_options.identityFor(m_result.target)) {
        configuration.setLocalCertificateChain(QList<QSslCertificate>{identity->qtCertificate()} +
                                               identity->qtChain());
        configuration.setPrivateKey(identity->qtKey());
    }
    return configuration;
}

void QtTlsProber::start(qint64 resolvedInMs) {
    if (m_stage != Stage::Idle)
        return;
    m_result.probedAt = m_options.clock->now();
    m_elapsed.start();
    m_resolvedInMs = std::max<qint64>(0, resolvedInMs);
    const qint64 budget = std::max<qint64>(0, m_options.timeoutMs - m_resolvedInMs);
    m_expiry = QDeadlineTimer(budget, Qt::PreciseTimer);
    m_deadline.start(int(budget));
    m_stage = Stage::Connecting;

    m_socket = new QSslSocket(this);
    // As TlsProber: through a proxy that resolves names (http, socks5h) the name is connected
    // and the proxy resolves it; SNI and the verified identity stay the target's.
    const bool byName = m_result.address == QLatin1String(kViaProxyAddress);
    const QString peer = byName ? m_result.target.asciiHost() : m_result.address;
    if (const ProxyServer *proxy =
            m_options.proxy.serverFor(m_result.target, byName ? QString() : m_result.address)) {
        m_proxy = *proxy;
        m_socket->setProxy(proxy->networkProxy());
    } else {
        m_socket->setProxy(QNetworkProxy::NoProxy);
    }
    m_socket->setSslConfiguration(configureTls());
    // Applies to Qt's underlying TCP socket too: at most this much is read from the kernel per
    // notification, plaintext (STARTTLS) or TLS records alike.
    m_socket->setReadBufferSize(TlsProber::kReadChunkBytes);
    if (!m_result.sni.isEmpty())
        m_socket->setPeerVerifyName(m_result.sni); // the SNI sent (STARTTLS included)
    connect(m_socket, &QSslSocket::connected, this, &QtTlsProber::onConnected);
    connect(m_socket, &QSslSocket::encrypted, this, &QtTlsProber::onEncrypted);
    connect(m_socket, &QSslSocket::errorOccurred, this, &QtTlsProber::onSocketError);
    connect(m_socket, &QSslSocket::readyRead, this, &QtTlsProber::onReadable);
    // Every certificate verdict of Qt's is ignored, as with VerifyNone (see configureTls).
    connect(m_socket, &QSslSocket::sslErrors, this, [this] { m_socket->ignoreSslErrors(); });
    connect(m_socket, &QSslSocket::peerVerifyError, this, [this](const QSslError &error) {
        switch (error.error()) {
        case QSslError::OcspMalformedResponse:
        case QSslError::OcspInternalError:
        case QSslError::OcspTryLater:
        case QSslError::OcspSigRequred:
        case QSslError::OcspUnauthorized:
        case QSslError::OcspResponseCannotBeTrusted:
        case QSslError::OcspResponseCertIdUnknown:
        case QSslError::OcspResponseExpired:
        case QSslError::OcspMalformedRequest:
            m_ocspErrors << error;
            break;
        default:
            break;
        }
    });
    connect(m_socket, &QSslSocket::disconnected, this, [this] {
        if (m_stage == Stage::StartTls || m_stage == Stage::Handshake)
            finishWithFailure(Status::HandshakeFailed,
                              QCoreApplication::translate("certdash::TlsProber",
                                                          "server closed the connection %1")
                                  .arg(stageDescription()));
    });

    if (m_result.target.startTls != StartTls::None) {
        // Plain TCP first; the dialogue decides when TLS starts (startClientEncryption).
        m_dialogue =
            StartTlsDialogue::create(m_result.target.startTls, m_result.target.asciiHost());
        m_socket->connectToHost(peer, m_result.target.port);
    } else {
        // The address is connected; the name (if any) goes into SNI. Without one, Qt takes the
        // address as the peer name and, being an IP, sends no SNI.
        m_socket->connectToHostEncrypted(peer, m_result.target.port, m_result.sni);
    }
}

void QtTlsProber::onConnected() {
    if (m_dialogue) {
        m_stage = Stage::StartTls;
        const QByteArray opening = m_dialogue->opening();
        if (!opening.isEmpty())
            m_socket->write(opening);
    } else {
        m_stage = Stage::Handshake;
    }
}

void QtTlsProber::onReadable() {
    if (m_stage != Stage::StartTls || !m_dialogue) {
        // Nothing is read after the handshake: we never asked for anything.
        m_socket->skip(m_socket->bytesAvailable());
        return;
    }
    // readAll() holds at most the read buffer's size (one chunk per readyRead).
    const auto step = m_dialogue->feed(m_socket->readAll());
    switch (step.state) {
    case StartTlsDialogue::State::NeedMore:
        break;
    case StartTlsDialogue::State::Send:
        m_socket->write(step.toSend);
        break;
    case StartTlsDialogue::State::Ready:
        m_stage = Stage::Handshake;
        m_socket->startClientEncryption();
        break;
    case StartTlsDialogue::State::Failed:
        finishWithFailure(Status::HandshakeFailed,
                          QCoreApplication::translate("certdash::TlsProber", "STARTTLS failed: %1")
                              .arg(step.error));
        break;
    }
}

void QtTlsProber::onEncrypted() {
    if (m_stage == Stage::Done)
        return;
    m_result.tlsVersion = protocolName(m_socket->sessionProtocol());
    m_result.cipher = m_socket->sessionCipher().name();
    m_stage = Stage::Done;
    m_deadline.stop();

    // Decoded as TlsProber decodes: from the X509 Qt's OpenSSL backend already parsed (no second
    // parse), a CA certificate through the scan's cache. Another Qt backend hands over DER.
    std::vector<ossl::X509Ptr> held;
    std::vector<X509 *> presented;
    const QList<QSslCertificate> certificates = m_socket->peerCertificateChain();
    for (const QSslCertificate &certificate : certificates) {
        QString error;
        ossl::X509Ptr x509 = ossl::fromQt(certificate, &error);
        if (!x509) {
            m_result.trust.add(FindingKind::UnreadableCertificate,
                               QCoreApplication::translate(
                                   "certdash::TlsProber", "undecodable certificate at position %1: %2")
                                   .arg(presented.size())
                                   .arg(error));
            continue;
        }
        X509 *cert = x509.get();
        held.push_back(std::move(x509));
        if (m_options.certificates) {
            CertificateCache::Decoded decoded = m_options.certificates->decode(cert);
            cert = decoded.cert;
            m_result.chain << std::move(decoded.info);
        } else {
            m_result.chain << ossl::certificateInfo(cert, {}, CertificateText::Omit);
        }
        presented.push_back(cert);
    }
    if (m_result.chain.isEmpty()) {
        finishWithFailure(
            Status::HandshakeFailed,
            QCoreApplication::translate("certdash::TlsProber", "server presented no certificate"));
        return;
    }
    if (m_options.anchors) {
        // The decoding findings first, each with its kind (findings and kinds stay aligned).
        const TrustReport decoding = m_result.trust;
        m_result.trust = verifyChain(presented, m_result.target.verificationIdentity(),
                                     m_options.clock->now(), *m_options.anchors, m_result.chain);
        m_result.trust.findings = decoding.findings + m_result.trust.findings;
        m_result.trust.kinds = decoding.kinds + m_result.trust.kinds;
    }
    judgeStapledResponse();
    m_result.trust.revocationAsked = m_options.checksRevocation(m_result.target);
    m_result.status = Status::Ok;
    applyClassification(m_result, m_options.policy, m_options.clock->now());
    QByteArray issuerDer;
    if (m_result.trust.revocationAsked && !presented.empty()) {
        if (const ossl::X509Ptr issuer = leafIssuer(presented.front(), presented, m_result))
            issuerDer = ossl::toDer(issuer.get());
    }
    checkRevocationThenFinish(issuerDer);
}

// Qt 6.4 exposes the stapled response only as judged by its OpenSSL backend: the status and
// reason for the leaf, and the OCSP errors it found (signature, CertID, dates), never the bytes.
// So the revocation date is not known to this engine.
void QtTlsProber::judgeStapledResponse() {
    const QList<QOcspResponse> responses = m_socket->ocspResponses();
    if (responses.isEmpty() && m_ocspErrors.isEmpty())
        return; // nothing stapled
    RevocationStatus status;
    status.source = RevocationStatus::Source::Stapled;
    if (!m_ocspErrors.isEmpty()) {
        status.why = QCoreApplication::translate("certdash::Revocation",
                                                 "stapled response not verifiable: %1")
                         .arg(m_ocspErrors.first().errorString());
        addRevocationFinding(m_result.trust, status);
        return;
    }
    const QSslCertificate leaf =
        m_socket->peerCertificateChain().value(0, m_socket->peerCertificate());
    QOcspResponse response = responses.first();
    for (const QOcspResponse &candidate : responses) {
        if (candidate.subject() == leaf)
            response = candidate;
    }
    switch (response.certificateStatus()) {
    case QOcspCertificateStatus::Good:
        status.state = RevocationStatus::State::Good;
        break;
    case QOcspCertificateStatus::Revoked:
        status.state = RevocationStatus::State::Revoked;
        // QOcspRevocationReason follows RFC 5280's numbering (None is -1).
        status.reason = RevocationJudge::reasonText(int(response.revocationReason()));
        break;
    case QOcspCertificateStatus::Unknown:
        status.state = RevocationStatus::State::Unknown;
        break;
    }
    addRevocationFinding(m_result.trust, status);
}

void QtTlsProber::checkRevocationThenFinish(const QByteArray &issuerDer) {
    if (!needsOnlineRevocationCheck(m_result, m_options)) {
        finish();
        return;
    }
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

void QtTlsProber::onSocketError() {
    if (m_stage == Stage::Done)
        return;
    const auto error = m_socket->error();
    const QString text = m_socket->errorString();
    // TLS failures are the Qt engine's own to word (OpenSSL's reasons, as TlsClientSession's);
    // every other socket error is said as the OpenSSL engine says it.
    switch (error) {
    case QAbstractSocket::SslHandshakeFailedError:
    case QAbstractSocket::SslInternalError:
    case QAbstractSocket::SslInvalidUserDataError: {
        // OpenSSL's reasons, as TlsClientSession reports them; its words when there are none.
        QString reasons = handshakeReasons(text);
        if (reasons.isEmpty())
            reasons = QCoreApplication::translate("certdash::TlsClientSession",
                                                  "the server ended the handshake");
        finishWithFailure(
            Status::HandshakeFailed,
            QCoreApplication::translate("certdash::TlsProber", "TLS handshake failed: %1")
                .arg(reasons));
        return;
    }
    default:
        break;
    }
    const SocketFailure failure = socketFailure(error, text, m_stage == Stage::Connecting,
                                                stageDescription(), m_proxy,
                                                m_result.target.hostPort());
    finishWithFailure(failure.status, failure.error);
}

void QtTlsProber::onTimeout() {
    const qint64 left = m_expiry.remainingTime();
    if (left > 0) {
        m_deadline.start(int(left));
        return;
    }
    finishWithFailure(
        Status::Timeout,
        QCoreApplication::translate("certdash::TlsProber", "no answer within %1 s %2")
            .arg(QString::number(m_options.timeoutMs / 1000.0, 'g', 3), stageDescription()));
}

QString QtTlsProber::stageDescription() const {
    switch (m_stage) {
    case Stage::Idle:
    case Stage::Connecting:
        return QCoreApplication::translate("certdash::TlsProber", "while connecting");
    case Stage::StartTls:
        return m_dialogue
                   ? QCoreApplication::translate("certdash::TlsProber", "during STARTTLS (%1)")
                         .arg(m_dialogue->phase())
                   : QCoreApplication::translate("certdash::TlsProber", "during STARTTLS");
    case Stage::Handshake:
        return QCoreApplication::translate("certdash::TlsProber", "during the TLS handshake");
    case Stage::Done:
        break;
    }
    return {};
}

void QtTlsProber::finishWithFailure(Status status, const QString &error) {
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

void QtTlsProber::finish() {
    m_result.durationMs = m_elapsed.isValid() ? m_resolvedInMs + m_elapsed.elapsed() : 0;
    qCDebug(lcQtProbe) << m_result.target.hostPort() << m_result.address
                       << statusKey(m_result.status) << m_result.durationMs << "ms";
    if (m_socket)
        closePolitely();
    emit finished(m_result);
}

// As TlsProber::closePolitely: the socket outlives the prober until it has sent the client's
// Finished (Qt sends it once `encrypted` has returned) and close_notify, within the probe's
// deadline (and 2 s); a server that keeps talking gets at most kMaxDrainedOnClose bytes read.
void QtTlsProber::closePolitely() {
    QSslSocket *socket = m_socket;
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
    const auto drained = std::make_shared<qint64>(0);
    QObject::connect(socket, &QIODevice::readyRead, socket, [socket, drained] {
        *drained += socket->skip(socket->bytesAvailable());
        if (*drained > TlsProber::kMaxDrainedOnClose) {
            socket->abort();
            socket->deleteLater();
        }
    });
    QObject::connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
    QTimer::singleShot(int(grace), Qt::PreciseTimer, socket, [socket] {
        socket->abort();
        socket->deleteLater();
    });
    // Queued: Qt is still inside the handshake code that emitted `encrypted`.
    QMetaObject::invokeMethod(
        socket, [socket] { socket->disconnectFromHost(); }, Qt::QueuedConnection);
}

void QtTlsProber::cancel() {
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
