#include "RevocationCache.h"

#include "Revocation.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>

Q_LOGGING_CATEGORY(lcRevocation, "certdash.revocation", QtWarningMsg)

namespace certdash {

namespace {
struct FetchText {
    Q_DECLARE_TR_FUNCTIONS(certdash::Revocation)
};
} // namespace

RevocationFetch::RevocationFetch(const QUrl &url, const QByteArray &postBody, int timeoutMs,
                                 qint64 maxBytes, QObject *parent)
    : QObject(parent)
    , m_url(url)
    , m_post(postBody)
    , m_timeoutMs(timeoutMs)
    , m_maxBytes(maxBytes) {
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        fail(FetchText::tr("no answer within %1 s")
                 .arg(QString::number(m_timeoutMs / 1000.0, 'g', 3)));
    });
}

RevocationFetch::~RevocationFetch() {
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
    }
}

void RevocationFetch::start() {
    m_network = new QNetworkAccessManager(this);
    m_network->setProxy(QNetworkProxy::NoProxy);
    QNetworkRequest request(m_url);
    request.setTransferTimeout(m_timeoutMs);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::NoLessSafeRedirectPolicy);
    request.setMaximumRedirectsAllowed(3);
    if (m_post.isEmpty()) {
        m_reply = m_network->get(request);
    } else {
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          QByteArrayLiteral("application/ocsp-request"));
        m_reply = m_network->post(request, m_post);
    }
    connect(m_reply, &QIODevice::readyRead, this, &RevocationFetch::onReadable);
    connect(m_reply, &QNetworkReply::finished, this, &RevocationFetch::onFinished);
    m_timer.start(m_timeoutMs);
}

void RevocationFetch::onReadable() {
    m_body += m_reply->readAll();
    if (m_body.size() > m_maxBytes)
        fail(FetchText::tr("the answer is larger than %1 KiB").arg(m_maxBytes / 1024));
}

void RevocationFetch::onFinished() {
    if (m_done)
        return;
    m_body += m_reply->readAll();
    const int httpStatus = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (m_reply->error() != QNetworkReply::NoError) {
        fail(m_reply->errorString());
        return;
    }
    if (httpStatus != 200) {
        fail(FetchText::tr("HTTP status %1").arg(httpStatus));
        return;
    }
    if (m_body.size() > m_maxBytes) {
        fail(FetchText::tr("the answer is larger than %1 KiB").arg(m_maxBytes / 1024));
        return;
    }
    m_done = true;
    m_timer.stop();
    m_reply->deleteLater();
    m_reply = nullptr;
    emit finished();
}

void RevocationFetch::fail(const QString &error) {
    if (m_done)
        return;
    m_done = true;
    m_timer.stop();
    m_error = error;
    m_body.clear();
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
        m_reply = nullptr;
    }
    emit finished();
}

void RevocationCache::get(Kind kind, const QString &key, const QUrl &url,
                          const QByteArray &postBody, int timeoutMs, QObject *receiver,
                          std::function<void(const Answer &)> done) {
    QMutexLocker lock(&m_mutex);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    auto it = m_entries.find(key);
    if (it != m_entries.end() && !it->pending && it->freshUntil > now) {
        const Answer answer = it->answer;
        QMetaObject::invokeMethod(
            receiver, [done = std::move(done), answer] { done(answer); }, Qt::QueuedConnection);
        return;
    }
    const auto deliver = [this, key, done = std::move(done)] {
        Answer answer;
        {
            QMutexLocker locked(&m_mutex);
            answer = m_entries.value(key).answer;
        }
        done(answer);
    };
    if (it != m_entries.end() && it->pending && it->fetch) {
        QObject::connect(it->fetch, &RevocationFetch::finished, receiver, deliver,
                         Qt::QueuedConnection);
        return;
    }
    // A long-lived window keeps at most this many answers: expired ones go first, then all.
    if (m_entries.size() > 100000) {
        for (auto e = m_entries.begin(); e != m_entries.end();)
            e = (!e->pending && e->freshUntil <= now) ? m_entries.erase(e) : std::next(e);
        if (m_entries.size() > 100000)
            m_entries.clear();
    }
    auto *fetch = new RevocationFetch(url, postBody, timeoutMs,
                                      kind == Kind::Crl ? kMaxCrlBytes : kMaxOcspBytes);
    Entry entry;
    entry.fetch = fetch;
    m_entries.insert(key, entry);
    ++m_requests;
    // The cache learns the answer first (direct), then every waiter (queued, in its thread).
    QObject::connect(fetch, &RevocationFetch::finished, fetch,
                     [this, kind, key, fetch] { complete(kind, key, fetch); });
    QObject::connect(fetch, &RevocationFetch::finished, receiver, deliver, Qt::QueuedConnection);
    lock.unlock();
    qCDebug(lcRevocation) << "fetching" << url.toString();
    fetch->start();
}

void RevocationCache::complete(Kind kind, const QString &key, RevocationFetch *fetch) {
    Answer answer;
    answer.body = fetch->body();
    answer.error = fetch->error();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QDateTime freshUntil = now.addSecs(kFailureTtlSeconds);
    if (answer.error.isEmpty()) {
        QDateTime next;
        if (kind == Kind::Crl) {
            // Parsed once here for every probe; the signature is checked per probe against the
            // issuer that probe found.
            answer.crl = RevocationJudge::parseCrl(answer.body, &answer.error);
            next = RevocationJudge::crlNextUpdate(answer.crl.get());
        } else {
            next = RevocationJudge::ocspNextUpdate(answer.body);
        }
        if (answer.error.isEmpty())
            freshUntil = next.isValid() && next > now ? next : now.addSecs(kUndatedTtlSeconds);
    }
    QMutexLocker lock(&m_mutex);
    Entry &entry = m_entries[key];
    entry.pending = false;
    entry.answer = answer;
    entry.freshUntil = freshUntil;
    entry.fetch = nullptr;
    lock.unlock();
    fetch->deleteLater();
}

int RevocationCache::requestsMade() const {
    QMutexLocker lock(&m_mutex);
    return m_requests;
}

} // namespace certdash
