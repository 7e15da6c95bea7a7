#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QMutex>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>
#include <QUrl>

#include <functional>
#include <memory>

class QNetworkAccessManager;
class QNetworkReply;
typedef struct X509_crl_st X509_CRL;

namespace certdash {

// One HTTP request for a revocation answer: an OCSP POST (application/ocsp-request) or a CRL
// GET, bounded in time and size. Emits finished() once.
class RevocationFetch : public QObject {
    Q_OBJECT
public:
    // postBody empty: GET. At most maxBytes are read; a longer body fails the fetch.
    RevocationFetch(const QUrl &url, const QByteArray &postBody, int timeoutMs, qint64 maxBytes,
                    QObject *parent = nullptr);
    ~RevocationFetch() override;
    void start();

    QByteArray body() const { return m_body; }
    QString error() const { return m_error; } // "" on success

signals:
    void finished();

private:
    void onReadable();
    void onFinished();
    void fail(const QString &error);

    QUrl m_url;
    QByteArray m_post;
    int m_timeoutMs;
    qint64 m_maxBytes;
    QNetworkAccessManager *m_network = nullptr;
    QNetworkReply *m_reply = nullptr;
    QTimer m_timer;
    QByteArray m_body;
    QString m_error;
    bool m_done = false;
};

// Revocation answers shared by every probe of a scan (ProbeOptions::revocationCache), so that
// endpoints under one CA cost one CRL download and endpoints sharing a certificate one OCSP
// request: OCSP answers keyed by issuer and serial, CRLs by URL, each kept until its nextUpdate
// (failures for kFailureTtlSeconds, so that a dead responder does not cost every probe its
// timeout). A request for a key already being fetched waits for that fetch instead of making a
// second one. Thread-safe; a fetch runs in the thread of the probe that started it.
class RevocationCache {
public:
    enum class Kind { Ocsp, Crl };
    struct Answer {
        QByteArray body;               // the response or CRL as served
        QString error;                 // why there is none ("" when there is)
        std::shared_ptr<X509_CRL> crl; // Kind::Crl: parsed once for every probe
    };
    static constexpr int kFailureTtlSeconds = 300;
    static constexpr int kUndatedTtlSeconds = 3600; // an answer without nextUpdate
    static constexpr qint64 kMaxOcspBytes = 64 * 1024;
    static constexpr qint64 kMaxCrlBytes = 64 * 1024 * 1024;

    // Calls done exactly once in receiver's thread (never inside this call): with the cached
    // answer when it is current, else when the fetch of url (POST postBody, or GET when empty)
    // ends. Nothing is called when receiver is destroyed first.
    void get(Kind kind, const QString &key, const QUrl &url, const QByteArray &postBody,
             int timeoutMs, QObject *receiver, std::function<void(const Answer &)> done);

    // HTTP requests started so far (the figure a scan's cost is measured in).
    int requestsMade() const;

private:
    struct Entry {
        bool pending = true;
        Answer answer;
        QDateTime freshUntil; // UTC
        QPointer<RevocationFetch> fetch;
    };
    void complete(Kind kind, const QString &key, RevocationFetch *fetch);

    mutable QMutex m_mutex;
    QHash<QString, Entry> m_entries;
    int m_requests = 0;
};

} // namespace certdash
