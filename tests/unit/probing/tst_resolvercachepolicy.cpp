// What the resolver keeps, and for how long: names with addresses for a minute, names that do not
// exist for less, failures not at all, and never more than a bounded number of names.
#include "probing/ResolverCache.h"

#include <QTest>

using namespace certdash;
using namespace Qt::StringLiterals;

namespace {
Resolution found(const QString &address)
{
    Resolution r;
    r.addresses = {address};
    return r;
}
Resolution notFound()
{
    Resolution r;
    r.notFound = true;
    r.error = u"Name or service not known"_s;
    return r;
}
Resolution failed()
{
    Resolution r;
    r.error = u"Temporary failure in name resolution"_s;
    return r;
}
} // namespace

class TestResolverCachePolicy : public QObject
{
    Q_OBJECT

private slots:
    void addressesAreKeptForAMinute()
    {
        ResolverCache cache;
        cache.insert(u"Example.COM"_s, found(u"192.0.2.1"_s), 1000);
        const auto hit = cache.find(u"example.com"_s, 1000 + 59999); // names ignore case
        QVERIFY(hit);
        QCOMPARE(hit->addresses, QStringList{u"192.0.2.1"_s});
        QVERIFY(!cache.find(u"example.com"_s, 1000 + 60000));
        QCOMPARE(cache.size(), 0); // the stale answer is gone, not just hidden
    }

    void namesThatDoNotExistAreKeptForLess()
    {
        ResolverCache cache;
        cache.insert(u"gone.example"_s, notFound(), 0);
        const auto hit = cache.find(u"gone.example"_s, 9999);
        QVERIFY(hit);
        QVERIFY(hit->notFound);
        QVERIFY(!cache.find(u"gone.example"_s, 10000));
    }

    void failuresAreNotKept()
    {
        ResolverCache cache;
        cache.insert(u"flaky.example"_s, failed(), 0);
        QVERIFY(!cache.find(u"flaky.example"_s, 1));
        QCOMPARE(cache.size(), 0);
    }

    void aNewAnswerReplacesTheOld()
    {
        ResolverCache cache;
        cache.insert(u"a.example"_s, found(u"192.0.2.1"_s), 0);
        cache.insert(u"a.example"_s, found(u"192.0.2.2"_s), 30000);
        QCOMPARE(cache.size(), 1);
        const auto hit = cache.find(u"a.example"_s, 80000); // the second answer's minute
        QVERIFY(hit);
        QCOMPARE(hit->addresses, QStringList{u"192.0.2.2"_s});
    }

    // At the cap the least recently used name goes, not the one just asked for.
    void boundedLeastRecentlyUsedFirst()
    {
        ResolverCachePolicy policy;
        policy.capacity = 3;
        ResolverCache cache(policy);
        cache.insert(u"a"_s, found(u"192.0.2.1"_s), 0);
        cache.insert(u"b"_s, found(u"192.0.2.2"_s), 0);
        cache.insert(u"c"_s, found(u"192.0.2.3"_s), 0);
        QVERIFY(cache.find(u"a"_s, 1)); // a is now the most recently used
        cache.insert(u"d"_s, found(u"192.0.2.4"_s), 2);
        QCOMPARE(cache.size(), 3);
        QVERIFY(!cache.find(u"b"_s, 3));
        QVERIFY(cache.find(u"a"_s, 3));
        QVERIFY(cache.find(u"c"_s, 3));
        QVERIFY(cache.find(u"d"_s, 3));

        for (int i = 0; i < 10000; ++i)
            cache.insert(u"n%1"_s.arg(i), found(u"192.0.2.9"_s), 4);
        QCOMPARE(cache.size(), 3);
    }

    void aZeroCapacityKeepsNothing()
    {
        ResolverCachePolicy policy;
        policy.capacity = 0;
        ResolverCache cache(policy);
        cache.insert(u"a"_s, found(u"192.0.2.1"_s), 0);
        QVERIFY(!cache.find(u"a"_s, 0));
    }
};

QTEST_GUILESS_MAIN(TestResolverCachePolicy)
#include "tst_resolvercachepolicy.moc"
