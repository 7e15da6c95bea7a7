// Client certificate and proxy per target and per tag: stored and read back (a store of the
// previous schema gains them empty), imported, and which one applies.
#include "TestSupport.h"
#include "domain/Clock.h"
#include "storage/Database.h"
#include "storage/TagPolicy.h"
#include "storage/TargetRepository.h"

#include <QTemporaryDir>
#include <QTest>

using namespace certdash;
using namespace certdash::test;
using namespace Qt::StringLiterals;

namespace {
TagPolicy tagWith(const QString &tag, const QString &cert, const QString &proxy) {
    TagPolicy p;
    p.tag = tag;
    p.connection.clientCertificate = cert;
    p.connection.proxy = proxy;
    return p;
}

Target target(const QStringList &tags) {
    Target t;
    t.host = u"api.test"_s;
    t.tags = tags;
    return t;
}
} // namespace

class TestTagConnection : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private slots:
    void storedImportedAndReadBack() {
        QString error;
        auto db = Database::open(m_dir.filePath(u"a.sqlite"_s), &error);
        QVERIFY2(db, qPrintable(error));
        FixedClock clock(pinnedNow());
        TargetRepository repository(*db, clock);
        Target t = target({u"pay"_s});
        t.connection.clientCertificate = u"/etc/id/c.pem"_s;
        t.connection.clientKey = u"/etc/id/c.key"_s;
        t.connection.proxy = u"http://ops@proxy.test:3128"_s;
        QVERIFY2(repository.add(t, &error), qPrintable(error));
        QCOMPARE(repository.all(&error).first().connection, t.connection);

        // An import that names another proxy changes only the proxy; one that names nothing
        // keeps what is stored.
        Target proxyOnly = target({});
        proxyOnly.connection.proxy = u"socks5://gw.test:1080"_s;
        QVERIFY(repository.importTargets({proxyOnly}, &error));
        ConnectionSettings expected = t.connection;
        expected.proxy = proxyOnly.connection.proxy;
        QCOMPARE(repository.all(&error).first().connection, expected);
        QVERIFY(repository.importTargets({target({})}, &error));
        QCOMPARE(repository.all(&error).first().connection, expected);

        // Editing a target replaces its settings.
        Target edited = repository.all(&error).first();
        edited.connection = {};
        QVERIFY2(repository.update(edited, &error), qPrintable(error));
        QCOMPARE(repository.all(&error).first().connection, ConnectionSettings());

        const TagPolicy pay = tagWith(u"pay"_s, u"/etc/id/pay.p12"_s, u"direct"_s);
        QVERIFY2(repository.setTagPolicy(pay, &error), qPrintable(error));
        QCOMPARE(repository.tagPolicies(&error), QList<TagPolicy>{pay});
    }

    void precedence() {
        ConnectionSettings global;
        global.clientCertificate = u"/g/c.pem"_s;
        global.clientKey = u"/g/c.key"_s;
        global.proxy = u"http://proxy.test:3128"_s;
        const QList<TagPolicy> policies{tagWith(u"pay"_s, u"/t/pay.p12"_s, {}),
                                        tagWith(u"lab"_s, {}, u"direct"_s),
                                        tagWith(u"dmz"_s, u"/t/dmz.p12"_s, u"socks5://gw:1080"_s)};

        // Nothing of its own, no tags: the settings.
        QCOMPARE(effectiveConnection(global, policies, target({})), global);

        // A tag's certificate replaces the global one with its key (a PKCS#12 has none); the
        // proxy, decided on its own, stays global.
        ConnectionSettings pay = effectiveConnection(global, policies, target({u"pay"_s}));
        QCOMPARE(pay.clientCertificate, u"/t/pay.p12"_s);
        QCOMPARE(pay.clientKey, QString());
        QCOMPARE(pay.proxy, global.proxy);

        // "direct" on a tag means no proxy, whatever the settings say.
        QCOMPARE(effectiveConnection(global, policies, target({u"lab"_s})).proxy, u"direct"_s);

        // Tags that disagree cancel out: the settings apply.
        const ConnectionSettings both =
            effectiveConnection(global, policies, target({u"pay"_s, u"dmz"_s}));
        QCOMPARE(both.clientCertificate, global.clientCertificate);
        QCOMPARE(both.proxy, u"socks5://gw:1080"_s); // only dmz sets a proxy

        // The target's own wins over its tags and the settings.
        Target own = target({u"dmz"_s});
        own.connection.proxy = u"direct"_s;
        own.connection.clientCertificate = u"/own/c.pem"_s;
        const ConnectionSettings mine = effectiveConnection(global, policies, own);
        QCOMPARE(mine.proxy, u"direct"_s);
        QCOMPARE(mine.clientCertificate, u"/own/c.pem"_s);
        QCOMPARE(mine.clientKey, QString());
    }
};

QTEST_GUILESS_MAIN(TestTagConnection)
#include "tst_tagconnection.moc"
