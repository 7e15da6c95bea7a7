#include "LocalTlsServer.h"

#include <QRandomGenerator>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTimer>

#include <sys/socket.h>
#include <unistd.h>

namespace certdash::test {

namespace {
QSslConfiguration serverConfiguration(const QList<QSslCertificate> &chain, const QSslKey &key)
{
    QSslConfiguration c = QSslConfiguration::defaultConfiguration();
    c.setLocalCertificateChain(chain);
    c.setPrivateKey(key);
    c.setPeerVerifyMode(QSslSocket::VerifyNone);
    c.setProtocol(QSsl::AnyProtocol);
    // Weak fixtures (1024-bit RSA, SHA-1) must still be served so the prober can report them.
    c.setBackendConfigurationOption(QByteArrayLiteral("CipherString"),
                                    QByteArrayLiteral("ALL:@SECLEVEL=0"));
    return c;
}

QByteArray readLineFrom(QByteArray &buffer)
{
    const int end = buffer.indexOf('\n');
    if (end < 0)
        return {};
    QByteArray line = buffer.left(end + 1);
    buffer.remove(0, end + 1);
    return line.trimmed();
}
} // namespace

LocalTlsServer::LocalTlsServer(QObject *parent) : QTcpServer(parent) {}

LocalTlsServer::~LocalTlsServer() = default;

bool LocalTlsServer::listenLoopback(const QHostAddress &address)
{
    return listen(address, 0);
}

void LocalTlsServer::setChain(const QList<QSslCertificate> &chain, const QSslKey &key)
{
    m_default = {chain, key};
}

void LocalTlsServer::addSniChain(const QString &name, const QList<QSslCertificate> &chain,
                                 const QSslKey &key)
{
    m_byName.insert(name.toLower(), {chain, key});
}

void LocalTlsServer::setStartTls(StartTls protocol, bool refuse)
{
    m_startTls = protocol;
    m_refuseStartTls = refuse;
}

std::optional<QString> LocalTlsServer::serverNameFromClientHello(const QByteArray &record)
{
    const auto byte = [&](int i) { return int(uchar(record.at(i))); };
    const auto u16 = [&](int i) { return (byte(i) << 8) | byte(i + 1); };
    if (record.size() < 5)
        return std::nullopt;
    if (byte(0) != 0x16)
        return QString(); // not TLS at all: no name
    const int recordEnd = 5 + u16(3);
    if (record.size() < recordEnd)
        return std::nullopt;
    int p = 5;
    if (byte(p) != 0x01)
        return QString();
    p += 4 + 2 + 32; // handshake header, client_version, random
    if (p >= recordEnd)
        return QString();
    p += 1 + byte(p); // session_id
    if (p + 2 > recordEnd)
        return QString();
    p += 2 + u16(p); // cipher_suites
    if (p + 1 > recordEnd)
        return QString();
    p += 1 + byte(p); // compression_methods
    if (p + 2 > recordEnd)
        return QString();
    const int extensionsEnd = std::min(recordEnd, p + 2 + u16(p));
    p += 2;
    while (p + 4 <= extensionsEnd) {
        const int type = u16(p);
        const int length = u16(p + 2);
        p += 4;
        if (type == 0 && p + 5 <= extensionsEnd) { // server_name: list, type, length, name
            const int nameLength = u16(p + 3);
            if (byte(p + 2) == 0 && p + 5 + nameLength <= extensionsEnd)
                return QString::fromLatin1(record.mid(p + 5, nameLength));
        }
        p += length;
    }
    return QString();
}

void LocalTlsServer::track(QObject *socket)
{
    connect(socket, &QObject::destroyed, this, [this] { --m_open; });
}

void LocalTlsServer::incomingConnection(qintptr descriptor)
{
    ++m_connections;
    m_maxOpen = std::max(m_maxOpen, ++m_open);
    if (m_startTls != StartTls::None)
        startStartTlsDialogue(descriptor);
    else if (m_mode == Mode::Normal || m_mode == Mode::FloodAfterHandshake)
        peekClientHello(descriptor, 0);
    else
        startMisbehaving(descriptor);
}

// Reads the ClientHello without consuming it (MSG_PEEK), so the certificate can be chosen by SNI
// before Qt's TLS server, which has no SNI callback, takes over the socket.
void LocalTlsServer::peekClientHello(qintptr descriptor, int attempt)
{
    QByteArray buffer(16384, Qt::Uninitialized);
    const ssize_t n = ::recv(int(descriptor), buffer.data(), size_t(buffer.size()),
                             MSG_PEEK | MSG_DONTWAIT);
    if (n == 0 || attempt > 2000) { // client gone, or nothing for ~10 s
        ::close(int(descriptor));
        --m_open;
        return;
    }
    std::optional<QString> sni;
    if (n > 0) {
        buffer.truncate(int(n));
        sni = serverNameFromClientHello(buffer);
    }
    if (!sni) {
        QTimer::singleShot(5, this, [this, descriptor, attempt] {
            peekClientHello(descriptor, attempt + 1);
        });
        return;
    }
    m_sni << *sni;
    if (m_answerDelayMs > 0) {
        QTimer::singleShot(m_answerDelayMs, Qt::PreciseTimer, this,
                           [this, descriptor, name = *sni] { startTls(descriptor, name); });
        return;
    }
    startTls(descriptor, *sni);
}

void LocalTlsServer::startTls(qintptr descriptor, const QString &sni)
{
    auto *socket = new QSslSocket(this);
    track(socket);
    if (!socket->setSocketDescriptor(descriptor)) {
        socket->deleteLater();
        return;
    }
    upgrade(socket, m_byName.value(sni.toLower(), m_default));
}

void LocalTlsServer::upgrade(QSslSocket *socket, const Identity &identity)
{
    socket->setSslConfiguration(serverConfiguration(identity.chain, identity.key));
    connect(socket, &QSslSocket::encrypted, this, [this, socket] {
        ++m_handshakes;
        emit handshakeCompleted();
        if (m_mode != Mode::FloodAfterHandshake)
            return;
        // Records for as long as the client reads them; the write buffer stays small.
        const auto topUp = [socket] {
            static const QByteArray block(16384, 'x');
            while (socket->encryptedBytesToWrite() + socket->bytesToWrite() < 256 * 1024
                   && socket->state() == QAbstractSocket::ConnectedState)
                socket->write(block);
        };
        connect(socket, &QSslSocket::encryptedBytesWritten, socket, topUp);
        topUp();
    });
    connect(socket, &QSslSocket::disconnected, socket, &QObject::deleteLater);
    connect(socket, &QSslSocket::sslErrors, socket, [socket] { socket->ignoreSslErrors(); });
    // A server that cannot set up TLS (say, a key OpenSSL refuses) must fail visibly and close,
    // not leave the client waiting for its timeout.
    connect(socket, &QSslSocket::errorOccurred, socket, [socket](QAbstractSocket::SocketError e) {
        if (e != QAbstractSocket::RemoteHostClosedError)
            qWarning("LocalTlsServer: %s", qPrintable(socket->errorString()));
        socket->abort();
    });
    socket->startServerEncryption();
}

void LocalTlsServer::startMisbehaving(qintptr descriptor)
{
    auto *socket = new QTcpSocket(this);
    track(socket);
    socket->setSocketDescriptor(descriptor);
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    switch (m_mode) {
    case Mode::Normal:
    case Mode::FloodAfterHandshake:
    case Mode::Silent:
        // Read and drop whatever arrives; never answer.
        connect(socket, &QTcpSocket::readyRead, socket, [socket] { socket->readAll(); });
        break;
    case Mode::Plaintext:
        connect(socket, &QTcpSocket::readyRead, socket, [socket] {
            socket->readAll();
            socket->write("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\n"
                          "Content-Length: 11\r\n\r\nBad Request");
            socket->disconnectFromHost();
        });
        break;
    case Mode::Garbage:
        connect(socket, &QTcpSocket::readyRead, socket, [socket] {
            socket->readAll();
            // The same noise for every connection: which error OpenSSL reports ("wrong version
            // number", "packet length too long") depends on the bytes, and tests that compare
            // two probes of this server (the engine cross-check) must see the same ones.
            QRandomGenerator noiseSource(0x5eed);
            QByteArray noise(4096, Qt::Uninitialized);
            for (char &c : noise)
                c = char(noiseSource.bounded(256));
            noise[0] = 0x42; // never accidentally a TLS record type
            socket->write(noise);
        });
        break;
    case Mode::Drip: {
        // A handshake record announcing 16 KiB, delivered one byte at a time.
        auto *timer = new QTimer(socket);
        auto sent = std::make_shared<int>(0);
        connect(timer, &QTimer::timeout, socket, [socket, sent] {
            static const QByteArray header = QByteArray::fromHex("1603034000");
            socket->write(*sent < header.size() ? header.mid(*sent, 1) : QByteArray("A"));
            ++*sent;
        });
        connect(socket, &QTcpSocket::readyRead, socket, [socket] { socket->readAll(); });
        timer->start(m_dripMs);
        break;
    }
    case Mode::CloseAfterHello:
        connect(socket, &QTcpSocket::readyRead, socket, [socket] {
            socket->readAll();
            socket->abort();
            socket->deleteLater();
        });
        break;
    }
}

void LocalTlsServer::startStartTlsDialogue(qintptr descriptor)
{
    auto *socket = new QSslSocket(this);
    track(socket);
    socket->setSocketDescriptor(descriptor);
    connect(socket, &QSslSocket::disconnected, socket, &QObject::deleteLater);
    const int connection = m_plaintext.size();
    m_plaintext << QByteArray();
    auto buffer = std::make_shared<QByteArray>();
    const StartTls protocol = m_startTls;
    const bool refuse = m_refuseStartTls;

    switch (protocol) {
    case StartTls::Smtp:
        socket->write("220 localhost ESMTP CertDash test\r\n");
        break;
    case StartTls::Imap:
        socket->write("* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n");
        break;
    case StartTls::Pop3:
        socket->write("+OK POP3 ready\r\n");
        break;
    case StartTls::Ftp:
        socket->write("220-CertDash test FTP\r\n220 ready\r\n");
        break;
    default:
        break; // the client speaks first
    }

    connect(socket, &QSslSocket::readyRead, this, [=] {
        if (socket->isEncrypted() || socket->mode() != QSslSocket::UnencryptedMode) {
            socket->readAll();
            return;
        }
        const QByteArray incoming = socket->readAll();
        m_plaintext[connection] += incoming;
        *buffer += incoming;
        const auto goAhead = [&](const QByteArray &answer) {
            socket->write(answer);
            socket->flush();
            m_sni << QString(); // Qt's server cannot see SNI after a plaintext phase
            upgrade(socket, m_default);
        };
        switch (protocol) {
        case StartTls::Smtp:
            for (QByteArray line = readLineFrom(*buffer); !line.isEmpty();
                 line = readLineFrom(*buffer)) {
                const QByteArray verb = line.toUpper();
                if (verb.startsWith("EHLO"))
                    socket->write("250-localhost\r\n250-PIPELINING\r\n250 STARTTLS\r\n");
                else if (verb == "STARTTLS" && refuse)
                    socket->write("454 4.7.0 TLS not available due to local problem\r\n");
                else if (verb == "STARTTLS")
                    return goAhead("220 2.0.0 Ready to start TLS\r\n");
                else
                    socket->write("502 5.5.2 Error: command not recognized\r\n");
            }
            break;
        case StartTls::Imap:
            for (QByteArray line = readLineFrom(*buffer); !line.isEmpty();
                 line = readLineFrom(*buffer)) {
                const QByteArray tag = line.left(line.indexOf(' '));
                if (line.toUpper().endsWith("STARTTLS") && !refuse)
                    return goAhead(tag + " OK Begin TLS negotiation now\r\n");
                socket->write(tag + " NO STARTTLS unavailable\r\n");
            }
            break;
        case StartTls::Pop3:
            for (QByteArray line = readLineFrom(*buffer); !line.isEmpty();
                 line = readLineFrom(*buffer)) {
                if (line.toUpper() == "STLS" && !refuse)
                    return goAhead("+OK Begin TLS negotiation\r\n");
                socket->write("-ERR command not permitted\r\n");
            }
            break;
        case StartTls::Ftp:
            for (QByteArray line = readLineFrom(*buffer); !line.isEmpty();
                 line = readLineFrom(*buffer)) {
                if (line.toUpper() == "AUTH TLS" && !refuse)
                    return goAhead("234 AUTH TLS successful\r\n");
                socket->write("534 Request denied for policy reasons\r\n");
            }
            break;
        case StartTls::Ldap:
            // One ExtendedRequest from the client; answer success (0) or unavailable (52).
            if (buffer->size() >= 2 && buffer->size() >= 2 + uchar(buffer->at(1))) {
                buffer->clear();
                if (refuse)
                    socket->write(QByteArray::fromHex("300c02010178070a013404000400"));
                else
                    return goAhead(QByteArray::fromHex("300c02010178070a010004000400"));
            }
            break;
        case StartTls::Xmpp:
            if (buffer->contains("<stream:stream") && !buffer->contains("<starttls")) {
                buffer->clear();
                socket->write("<?xml version='1.0'?><stream:stream from='localhost' id='1' "
                              "xmlns='jabber:client' "
                              "xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>"
                              "<stream:features>");
                if (!refuse)
                    socket->write("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'>"
                                  "<required/></starttls>");
                socket->write("<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
                              "<mechanism>PLAIN</mechanism></mechanisms></stream:features>");
            } else if (buffer->contains("<starttls")) {
                buffer->clear();
                return goAhead("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
            }
            break;
        case StartTls::Postgres:
            if (buffer->size() >= 8) {
                buffer->clear();
                if (refuse)
                    socket->write("N");
                else
                    return goAhead("S");
            }
            break;
        case StartTls::None:
            break;
        }
    });
}

} // namespace certdash::test
