#pragma once

#include "domain/Target.h"

#include <QHash>
#include <QList>
#include <QSslCertificate>
#include <QSslKey>
#include <QStringList>
#include <QTcpServer>

#include <optional>

class QSslSocket;
class QTcpSocket;

namespace certdash::test {

// A TLS server on 127.0.0.1:<ephemeral> for probing tests, in the test's own event loop. Besides
// serving a chosen chain it can misbehave the ways real servers do, and it can speak the
// plaintext half of each STARTTLS protocol before upgrading.
class LocalTlsServer : public QTcpServer
{
    Q_OBJECT
public:
    enum class Mode {
        Normal,          // TLS with the configured chain
        Silent,          // accepts, then never says anything
        Plaintext,       // answers like an HTTP server with no TLS
        Garbage,         // answers the ClientHello with random bytes
        Drip,            // a TLS record header, then one byte per drip interval, forever
        CloseAfterHello, // reads the ClientHello, then closes
        FloodAfterHandshake, // TLS with the configured chain, then application data, endlessly
    };

    explicit LocalTlsServer(QObject *parent = nullptr);
    ~LocalTlsServer() override;

    // Listens on 127.0.0.1 (or ::1) on a free port.
    bool listenLoopback(const QHostAddress &address = QHostAddress::LocalHost);
    quint16 port() const { return serverPort(); }

    void setMode(Mode mode) { m_mode = mode; }
    // The chain served when no SNI rule matches; leaf first, as sent on the wire.
    void setChain(const QList<QSslCertificate> &chain, const QSslKey &key);
    // Served when the ClientHello's server_name equals name (case-insensitive).
    void addSniChain(const QString &name, const QList<QSslCertificate> &chain, const QSslKey &key);
    // Speak this protocol's plaintext dialogue first; refuse = answer the upgrade with an error.
    void setStartTls(StartTls protocol, bool refuse = false);
    void setDripIntervalMs(int ms) { m_dripMs = ms; }
    // Normal mode: waits this long after the ClientHello before answering it.
    void setAnswerDelayMs(int ms) { m_answerDelayMs = ms; }

    // What clients did: the server_name of each ClientHello ("" when none was sent).
    QStringList receivedSni() const { return m_sni; }
    int connectionCount() const { return m_connections; }
    int handshakesCompleted() const { return m_handshakes; }
    // The most connections that were open at the same time.
    int maxOpenConnections() const { return m_maxOpen; }
    // Plaintext each client sent before TLS (STARTTLS dialogue), per connection.
    QList<QByteArray> plaintextReceived() const { return m_plaintext; }

    // Parses the server_name out of a TLS ClientHello record; nullopt while incomplete, "" when
    // the hello has no SNI. Public for its own unit test.
    static std::optional<QString> serverNameFromClientHello(const QByteArray &record);

signals:
    void handshakeCompleted();

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    struct Identity
    {
        QList<QSslCertificate> chain;
        QSslKey key;
    };
    void peekClientHello(qintptr descriptor, int attempt);
    void startTls(qintptr descriptor, const QString &sni);
    void startMisbehaving(qintptr descriptor);
    void startStartTlsDialogue(qintptr descriptor);
    void upgrade(QSslSocket *socket, const Identity &identity);
    void track(QObject *socket);

    Mode m_mode = Mode::Normal;
    Identity m_default;
    QHash<QString, Identity> m_byName;
    StartTls m_startTls = StartTls::None;
    bool m_refuseStartTls = false;
    int m_dripMs = 1000;
    int m_answerDelayMs = 0;
    int m_connections = 0;
    int m_handshakes = 0;
    int m_open = 0;
    int m_maxOpen = 0;
    QStringList m_sni;
    QList<QByteArray> m_plaintext;
};

} // namespace certdash::test
