// The handshake driver without a network: what it sends first and what it does with bytes that
// are not TLS. Complete handshakes against real servers are tst_tlsprober's.
#include "probing/TlsClientSession.h"

#include <QTest>

using namespace certdash;

class TestTlsClientSession : public QObject
{
    Q_OBJECT

private slots:
    void clientHelloCarriesTheServerName();
    void ipTargetSendsNoServerName();
    void plaintextAnswerFailsWithOpenSslsReason();
    void nothingHappensAfterFailure();
};

void TestTlsClientSession::clientHelloCarriesTheServerName()
{
    TlsClientSession session(QStringLiteral("api.internal.example"));
    QCOMPARE(session.advance(), TlsClientSession::State::InProgress);
    const QByteArray hello = session.takeOutgoing();
    QVERIFY(!hello.isEmpty());
    QCOMPARE(quint8(hello.at(0)), quint8(0x16)); // a TLS handshake record
    QVERIFY(hello.contains("api.internal.example"));
    QVERIFY(session.takeOutgoing().isEmpty()); // taken once
}

void TestTlsClientSession::ipTargetSendsNoServerName()
{
    TlsClientSession named(QStringLiteral("a.example"));
    TlsClientSession unnamed(QString{});
    named.advance();
    unnamed.advance();
    const QByteArray withName = named.takeOutgoing();
    const QByteArray withoutName = unnamed.takeOutgoing();
    QVERIFY(!withoutName.isEmpty());
    QVERIFY(withName.contains("a.example"));
    // The server_name extension (type 0x0000, then its length) is absent without a name.
    QVERIFY(withoutName.size() < withName.size());
}

void TestTlsClientSession::plaintextAnswerFailsWithOpenSslsReason()
{
    TlsClientSession session(QStringLiteral("mail.example"));
    session.advance();
    session.takeOutgoing();
    const auto state = session.advance(QByteArrayLiteral("HTTP/1.1 400 Bad Request\r\n\r\n"));
    QCOMPARE(state, TlsClientSession::State::Failed);
    QVERIFY2(session.error().contains(QLatin1String("wrong version number")),
             qPrintable(session.error()));
    QVERIFY(session.protocol().isEmpty());
    QVERIFY(session.closeNotify().isEmpty());
}

void TestTlsClientSession::nothingHappensAfterFailure()
{
    TlsClientSession session(QStringLiteral("x.example"));
    session.advance();
    session.advance(QByteArray(64, '\xff'));
    QCOMPARE(session.state(), TlsClientSession::State::Failed);
    const QString error = session.error();
    QCOMPARE(session.advance(QByteArray(10, '\x16')), TlsClientSession::State::Failed);
    QCOMPARE(session.error(), error);
}

QTEST_GUILESS_MAIN(TestTlsClientSession)
#include "tst_tlsclientsession.moc"
