// The timeout holds whatever a server does: servers that flood records during or after the
// handshake end on time and at a bounded cost without holding up the probes beside them, and
// the deadline never fires early. Through both probe engines (CERTDASH_TEST_MAIN_EACH_ENGINE).
#include "ProbeHarness.h"
#include "probing/TlsProber.h"

#include <QEventLoop>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

using namespace certdash;
using namespace certdash::test;
using namespace Qt::StringLiterals;

namespace {

// Answers the ClientHello with TLS handshake records of HelloRequest messages, endlessly, as fast
// as the kernel takes them: one message per record (the costliest to parse), or 4,096 messages
// per 16 KiB record. OpenSSL skips a HelloRequest during a handshake, so only the prober's own
// bounds end such a probe. Blocking sockets in threads of its own, so that the flood does not
// wait for the test's event loop (which the probes share), as a real server would not.
class FloodServer
{
public:
    explicit FloodServer(bool packed)
    {
        const QByteArray record = packed
            ? QByteArray::fromHex("1603034000") + QByteArray(16384, '\0')
            : QByteArray::fromHex("160303000400000000");
        while (m_block.size() < 64 * 1024)
            m_block += record;
        m_listener = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        if (::bind(m_listener, reinterpret_cast<sockaddr *>(&address), length) != 0
            || ::listen(m_listener, 64) != 0
            || ::getsockname(m_listener, reinterpret_cast<sockaddr *>(&address), &length) != 0)
            qFatal("FloodServer: cannot listen");
        m_port = ntohs(address.sin_port);
        m_acceptor = std::thread([this] { acceptLoop(); });
    }
    ~FloodServer()
    {
        m_stop = true;
        m_acceptor.join();
        for (std::thread &t : m_workers)
            t.join();
        ::close(m_listener);
    }
    quint16 port() const { return m_port; }
    // The most bytes one connection took from this server.
    qint64 mostTakenByOne() const
    {
        std::lock_guard lock(m_mutex);
        qint64 most = 0;
        for (const auto &taken : m_taken)
            most = std::max(most, taken->load());
        return most;
    }
    // Connections the client has not closed yet.
    int openConnections() const { return m_open; }

private:
    void acceptLoop()
    {
        while (!m_stop) {
            pollfd p{m_listener, POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0)
                continue;
            const int connection = ::accept(m_listener, nullptr, nullptr);
            if (connection < 0)
                continue;
            ++m_open;
            auto taken = std::make_shared<std::atomic<qint64>>(0);
            std::lock_guard lock(m_mutex);
            m_taken.push_back(taken);
            m_workers.emplace_back([this, connection, taken] { flood(connection, *taken); });
        }
    }
    void flood(int connection, std::atomic<qint64> &taken)
    {
        const timeval tick{0, 50 * 1000}; // wake up now and then to notice the end of the test
        ::setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &tick, sizeof tick);
        ::setsockopt(connection, SOL_SOCKET, SO_SNDTIMEO, &tick, sizeof tick);
        char hello[16384];
        bool started = false;
        while (!m_stop) {
            if (!started) {
                const ssize_t n = ::recv(connection, hello, sizeof hello, 0);
                if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK))
                    break;
                started = n > 0; // the ClientHello is in: start
                continue;
            }
            // Records stay whole across partial sends: the stream is valid TLS throughout.
            const qint64 offset = taken % m_block.size();
            const ssize_t n = ::send(connection, m_block.constData() + offset,
                                     size_t(m_block.size() - offset), MSG_NOSIGNAL);
            if (n > 0)
                taken += n;
            else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
                break; // reset or closed by the client
        }
        ::close(connection);
        --m_open;
    }

    QByteArray m_block;
    int m_listener = -1;
    quint16 m_port = 0;
    std::atomic<bool> m_stop{false};
    std::atomic<int> m_open{0};
    std::thread m_acceptor;
    mutable std::mutex m_mutex;
    std::vector<std::thread> m_workers;
    std::vector<std::shared_ptr<std::atomic<qint64>>> m_taken;
};

// Milliseconds past the second on the monotonic clock that Qt's timers use.
int monotonicMillisecondOfSecond()
{
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    return int(now.tv_nsec / 1000000);
}

// Returns once the monotonic clock is within 3 ms after `millisecond` past a second.
bool waitForPhase(int millisecond)
{
    for (int attempt = 0; attempt < 20; ++attempt) {
        const int now = monotonicMillisecondOfSecond();
        if (now >= millisecond && now <= millisecond + 3)
            return true;
        QEventLoop loop;
        QTimer::singleShot((millisecond - now + 1000) % 1000, Qt::PreciseTimer, &loop,
                           &QEventLoop::quit);
        loop.exec();
    }
    return false;
}

} // namespace

class TestProbeBounds : public QObject
{
    Q_OBJECT

    TestCert m_root;
    TestCert m_leaf;

    void serveChain(LocalTlsServer &server)
    {
        server.setChain({m_leaf.certificate(), m_root.certificate()}, m_leaf.key());
        QVERIFY(server.listenLoopback());
    }

private slots:
    void initTestCase()
    {
        m_root = makeCert(CertSpec::root(u"CertDash Test Root"_s).validDays(-1000, 3000));
        m_leaf = makeCert(CertSpec::leaf(u"svc.test"_s).validDays(-10, 200), &m_root);
    }

    // Sixteen flooding servers and one normal server in one scan: each flood ends on time as a
    // failure having cost a bounded number of bytes, the servers that flood after a completed
    // handshake are read (their certificate is the truth), and the normal probe is unaffected.
    void floodingServersEndOnTimeAndSpareTheirNeighbours()
    {
        std::vector<std::unique_ptr<FloodServer>> floods;
        for (int i = 0; i < 12; ++i) {
            floods.push_back(std::make_unique<FloodServer>(i % 2 == 0));
        }
        std::vector<std::unique_ptr<LocalTlsServer>> afterHandshake;
        for (int i = 0; i < 4; ++i) {
            afterHandshake.push_back(std::make_unique<LocalTlsServer>());
            afterHandshake.back()->setMode(LocalTlsServer::Mode::FloodAfterHandshake);
            serveChain(*afterHandshake.back());
        }
        LocalTlsServer normal;
        serveChain(normal);

        QList<Target> targets;
        for (const auto &f : floods)
            targets << loopbackTarget(u"svc.test"_s, f->port());
        for (const auto &s : afterHandshake)
            targets << loopbackTarget(u"svc.test"_s, s->port());
        targets << loopbackTarget(u"svc.test"_s, normal.port());

        const int timeoutMs = 3000;
        ProbeHarness harness({m_root}, timeoutMs);
        // Generous ceiling: without the bounds the scan took several times its timeout.
        const QList<ProbeResult> results = harness.probe(targets, 32, 8 * timeoutMs);
        QCOMPARE(results.size(), targets.size());

        for (int i = 0; i < int(floods.size()); ++i) {
            const ProbeResult &r = results[i];
            QVERIFY2(r.status == Status::Timeout || r.status == Status::HandshakeFailed,
                     qPrintable(statusKey(r.status) + u": "_s + r.error));
            QVERIFY(!r.hasCertificate());
            QVERIFY2(r.durationMs <= timeoutMs + 1000, qPrintable(QString::number(r.durationMs)));
            qInfo("flood %d: %s after %lld ms, %lld bytes taken: %s", i,
                  qPrintable(statusKey(r.status)), qint64(r.durationMs),
                  floods[size_t(i)]->mostTakenByOne(), qPrintable(r.error));
        }
        for (int i = 0; i < int(afterHandshake.size()); ++i) {
            const ProbeResult &r = results[int(floods.size()) + i];
            QCOMPARE(statusKey(r.status), u"ok"_s);
            QVERIFY(r.hasCertificate());
        }
        QCOMPARE(statusKey(results.last().status), u"ok"_s);
        QVERIFY(results.last().hasCertificate());

        // A flood costs a bounded amount: what the prober reads (8 MiB at most) plus what the
        // kernel buffers on loopback; never what the server could send until the deadline.
        // Not with the Qt engine: QSslSocket reads the handshake's bytes itself and tells no one
        // how many, so only the deadline ends its flood (about 20 MB in these 3 s; README).
        for (const auto &f : floods) {
            if (testingQtEngine())
                break;
            QVERIFY2(f->mostTakenByOne() < 40 * 1024 * 1024,
                     qPrintable(QString::number(f->mostTakenByOne())));
        }
        // The polite close is bounded too: every connection is gone soon after the scan.
        QTRY_COMPARE_WITH_TIMEOUT(Prober::closingSockets(), 0, 2 * timeoutMs);
        for (const auto &f : floods)
            QTRY_COMPARE_WITH_TIMEOUT(f->openConnections(), 0, 2 * timeoutMs);
    }

    // A server that answers a little before the deadline is read; one that answers well after it
    // is a timeout. Qt's default coarse timers fire up to 5 % early, at a boundary of the
    // monotonic clock's seconds: the probe starts at the phase where a coarse 8 s timer would
    // fire 380 ms early, and the server answers 200 ms before the deadline.
    void deadlineNeverFiresEarly()
    {
        const int timeoutMs = 8000;
        LocalTlsServer justInTime;
        justInTime.setAnswerDelayMs(timeoutMs - 200);
        serveChain(justInTime);
        LocalTlsServer tooLate;
        tooLate.setAnswerDelayMs(timeoutMs + 1500);
        serveChain(tooLate);

        ProbeHarness harness({m_root}, timeoutMs);
        const std::unique_ptr<Prober> inTime(Prober::create(
            loopbackTarget(u"svc.test"_s, justInTime.port()), u"127.0.0.1"_s, harness.options));
        const std::unique_ptr<Prober> late(Prober::create(
            loopbackTarget(u"svc.test"_s, tooLate.port()), u"127.0.0.1"_s, harness.options));
        QList<ProbeResult> results;
        const auto collect = [&](const ProbeResult &r) { results << r; };
        connect(inTime.get(), &Prober::finished, this, collect);
        connect(late.get(), &Prober::finished, this, collect);

        // Not a timing: this only chooses the phase at which the probes start.
        QVERIFY(waitForPhase(380));
        inTime->start();
        late->start();
        QTRY_COMPARE_WITH_TIMEOUT(results.size(), 2, 3 * timeoutMs);

        const auto find = [&](quint16 port) {
            for (const ProbeResult &r : results) {
                if (r.target.port == port)
                    return r;
            }
            return ProbeResult{};
        };
        const ProbeResult read = find(justInTime.port());
        QVERIFY2(read.status != Status::Timeout, qPrintable(read.error));
        QCOMPARE(statusKey(read.status), u"ok"_s);
        QVERIFY(read.hasCertificate());
        QCOMPARE(statusKey(find(tooLate.port()).status), u"timeout"_s);
    }
};

CERTDASH_TEST_MAIN_EACH_ENGINE(TestProbeBounds)
#include "tst_probebounds.moc"
