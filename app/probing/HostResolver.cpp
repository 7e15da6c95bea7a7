#include "HostResolver.h"

#include <QHash>
#include <QHostAddress>
#include <QObject>

#include <mutex>
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

// One lookup, shared by its thread and its owner; the thread never touches anything else.
struct Pending
{
    std::mutex mutex;
    bool wanted = true;
    QObject *context = nullptr;
    HostResolver::Callback callback;
};
} // namespace

struct SystemResolver::Shared
{
    std::mutex mutex;
    int nextId = 1;
    QHash<int, std::shared_ptr<Pending>> pending;

    std::shared_ptr<Pending> take(int id)
    {
        std::lock_guard lock(mutex);
        return pending.take(id);
    }
};

SystemResolver::SystemResolver(BlockingLookup blocking)
    : m_shared(std::make_shared<Shared>())
    , m_blocking(blocking ? std::move(blocking) : BlockingLookup(&getaddrinfoLookup))
{
}

SystemResolver::~SystemResolver()
{
    std::lock_guard lock(m_shared->mutex);
    for (const std::shared_ptr<Pending> &p : std::as_const(m_shared->pending)) {
        std::lock_guard pendingLock(p->mutex);
        p->wanted = false;
        p->callback = nullptr;
    }
    m_shared->pending.clear();
}

int SystemResolver::lookup(const QString &asciiHost, QObject *context, Callback callback)
{
    auto pending = std::make_shared<Pending>();
    pending->context = context;
    pending->callback = std::move(callback);
    int id = 0;
    {
        std::lock_guard lock(m_shared->mutex);
        id = m_shared->nextId++;
        m_shared->pending.insert(id, pending);
    }
    // Runs on the context's thread while the lookup is still wanted.
    const auto deliver = [shared = m_shared, pending, id](const Resolution &answer) {
        Callback callback;
        {
            std::lock_guard lock(pending->mutex);
            if (!pending->wanted)
                return;
            pending->wanted = false;
            callback = std::move(pending->callback);
        }
        shared->take(id);
        callback(answer);
    };
    const QByteArray host = asciiHost.toLatin1();
    try {
        std::thread([pending, host, blocking = m_blocking, deliver] {
            Resolution answer = blocking(host);
            // Holding the lock keeps abort() (and so the context's destruction) from overtaking
            // the post: once a lookup is unwanted, this thread touches nothing but its own state.
            std::lock_guard lock(pending->mutex);
            if (pending->wanted) {
                QMetaObject::invokeMethod(
                    pending->context, [deliver, answer = std::move(answer)] { deliver(answer); },
                    Qt::QueuedConnection);
            }
        }).detach();
    } catch (const std::system_error &e) {
        Resolution failed;
        failed.error = ResolverText::tr("cannot start a lookup: %1")
                           .arg(QString::fromLocal8Bit(e.what()));
        QMetaObject::invokeMethod(
            context, [deliver, failed] { deliver(failed); }, Qt::QueuedConnection);
    }
    return id;
}

void SystemResolver::abort(int id)
{
    if (const std::shared_ptr<Pending> p = m_shared->take(id)) {
        std::lock_guard lock(p->mutex);
        p->wanted = false;
        p->callback = nullptr;
    }
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
