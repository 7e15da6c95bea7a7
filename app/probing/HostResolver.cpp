#include "HostResolver.h"

#include "ResolverCache.h"

#include <QHash>
#include <QHostAddress>
#include <QObject>

#include <chrono>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>

#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

namespace certdash {

namespace {
struct ResolverText
{
    Q_DECLARE_TR_FUNCTIONS(certdash::SystemResolver)
};

struct Flight;

// One waiter, shared by the resolver and whichever thread answers it.
struct Pending
{
    int id = 0;
    std::mutex mutex; // guards wanted and callback
    bool wanted = true;
    QObject *context = nullptr;
    HostResolver::Callback callback;
    std::shared_ptr<Flight> flight; // the lookup it waits for (under Shared::mutex)
};

// One getaddrinfo() in flight and everyone waiting for its answer (under Shared::mutex).
struct Flight
{
    QString key;
    QList<std::shared_ptr<Pending>> waiters;
};

qint64 steadyMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}
} // namespace

struct SystemResolver::Shared
{
    explicit Shared(const ResolverCachePolicy &policy, MonotonicClock clock)
        : cache(policy)
        , now(clock ? std::move(clock) : MonotonicClock(&steadyMs))
    {
    }

    // Lock order: this mutex, then a Pending's; never the other way round.
    std::mutex mutex;
    int nextId = 1;
    QHash<int, std::shared_ptr<Pending>> pending;
    QHash<QString, std::shared_ptr<Flight>> flights; // by lower-case name
    ResolverCache cache;
    const MonotonicClock now;

    // Posts the answer to the waiter's context, if it is still wanted. Holding the waiter's lock
    // keeps abort() (and so the context's destruction) from overtaking the post.
    static void post(const std::shared_ptr<Shared> &shared, const std::shared_ptr<Pending> &p,
                     const Resolution &answer)
    {
        std::lock_guard lock(p->mutex);
        if (!p->wanted)
            return;
        QMetaObject::invokeMethod(
            p->context,
            [shared, p, answer] {
                Callback callback;
                {
                    std::lock_guard lock(p->mutex);
                    if (!p->wanted)
                        return;
                    p->wanted = false;
                    callback = std::move(p->callback);
                }
                {
                    std::lock_guard lock(shared->mutex);
                    shared->pending.remove(p->id);
                }
                callback(answer);
            },
            Qt::QueuedConnection);
    }

    // The flight's lookup returned: keep the answer if someone still wants it, and tell them.
    static void land(const std::shared_ptr<Shared> &shared, const std::shared_ptr<Flight> &flight,
                     const Resolution &answer)
    {
        std::lock_guard lock(shared->mutex);
        if (shared->flights.value(flight->key) == flight)
            shared->flights.remove(flight->key);
        const QList<std::shared_ptr<Pending>> waiters = std::exchange(flight->waiters, {});
        if (waiters.isEmpty())
            return; // everyone left (timed out, cancelled): the answer goes nowhere
        shared->cache.insert(flight->key, answer, shared->now());
        for (const std::shared_ptr<Pending> &p : waiters) {
            p->flight.reset();
            post(shared, p, answer);
        }
    }
};

SystemResolver::SystemResolver(BlockingLookup blocking)
    : SystemResolver(std::move(blocking), ResolverCachePolicy{})
{
}

SystemResolver::SystemResolver(BlockingLookup blocking, const ResolverCachePolicy &cache,
                               MonotonicClock clock)
    : m_shared(std::make_shared<Shared>(cache, std::move(clock)))
    , m_blocking(blocking ? std::move(blocking) : BlockingLookup(&getaddrinfoLookup))
{
}

SystemResolver::~SystemResolver()
{
    std::lock_guard lock(m_shared->mutex);
    for (const std::shared_ptr<Pending> &p : std::as_const(m_shared->pending)) {
        p->flight.reset();
        std::lock_guard pendingLock(p->mutex);
        p->wanted = false;
        p->callback = nullptr;
    }
    m_shared->pending.clear();
    for (const std::shared_ptr<Flight> &f : std::as_const(m_shared->flights))
        f->waiters.clear(); // their threads, when they return, deliver and keep nothing
    m_shared->flights.clear();
}

int SystemResolver::lookup(const QString &asciiHost, QObject *context, Callback callback)
{
    auto pending = std::make_shared<Pending>();
    pending->context = context;
    pending->callback = std::move(callback);
    const QString key = asciiHost.toLower();
    std::optional<Resolution> cached;
    std::shared_ptr<Flight> takeOff; // a new lookup to start
    {
        std::lock_guard lock(m_shared->mutex);
        pending->id = m_shared->nextId++;
        m_shared->pending.insert(pending->id, pending);
        cached = m_shared->cache.find(key, m_shared->now());
        if (!cached) {
            std::shared_ptr<Flight> &flight = m_shared->flights[key];
            if (!flight) {
                flight = std::make_shared<Flight>();
                flight->key = key;
                takeOff = flight;
            }
            flight->waiters << pending;
            pending->flight = flight;
        }
    }
    if (cached) {
        Shared::post(m_shared, pending, *cached);
    } else if (takeOff) {
        const QByteArray host = asciiHost.toLatin1();
        try {
            std::thread([shared = m_shared, flight = takeOff, host, blocking = m_blocking] {
                Shared::land(shared, flight, blocking(host));
            }).detach();
        } catch (const std::system_error &e) {
            Resolution failed;
            failed.error = ResolverText::tr("cannot start a lookup: %1")
                               .arg(QString::fromLocal8Bit(e.what()));
            Shared::land(m_shared, takeOff, failed); // an error: told, not kept
        }
    }
    return pending->id;
}

void SystemResolver::abort(int id)
{
    Callback dropped; // destroyed after the locks are released
    std::lock_guard lock(m_shared->mutex);
    const std::shared_ptr<Pending> p = m_shared->pending.take(id);
    if (!p)
        return;
    if (const std::shared_ptr<Flight> flight = std::exchange(p->flight, nullptr)) {
        // The lookup goes on for the others; once nobody waits, it is forgotten, and a later
        // lookup of the name starts afresh.
        flight->waiters.removeOne(p);
        if (flight->waiters.isEmpty() && m_shared->flights.value(flight->key) == flight)
            m_shared->flights.remove(flight->key);
    }
    std::lock_guard pendingLock(p->mutex);
    p->wanted = false;
    dropped = std::move(p->callback);
}

Resolution SystemResolver::getaddrinfoLookup(const QByteArray &asciiHost)
{
    Resolution answer;
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM; // one entry per address, not one per socket type
    hints.ai_flags = AI_ADDRCONFIG;  // as QHostInfo: no AAAA on a host without IPv6
    addrinfo *list = nullptr;
    int rc = getaddrinfo(asciiHost.constData(), nullptr, &hints, &list);
    if (rc == EAI_BADFLAGS) {
        hints.ai_flags = 0;
        rc = getaddrinfo(asciiHost.constData(), nullptr, &hints, &list);
    }
    if (rc != 0) {
        answer.notFound = rc == EAI_NONAME || rc == EAI_FAIL
#ifdef EAI_NODATA
            || rc == EAI_NODATA
#endif
            ;
        answer.error = QString::fromLocal8Bit(gai_strerror(rc));
        return answer;
    }
    for (const addrinfo *node = list; node; node = node->ai_next) {
        if (node->ai_family != AF_INET && node->ai_family != AF_INET6)
            continue;
        const QString text = QHostAddress(node->ai_addr).toString();
        if (!answer.addresses.contains(text))
            answer.addresses << text;
    }
    freeaddrinfo(list);
    answer.notFound = answer.addresses.isEmpty();
    return answer;
}

} // namespace certdash
