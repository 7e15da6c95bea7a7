#include "TestSupport.h"
#include "domain/Clock.h"
#include "inventory/TargetParser.h"
#include "storage/Database.h"
#include "storage/TagPolicy.h"
#include "storage/TargetRepository.h"

#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace certdash;
using namespace Qt::StringLiterals;

namespace {

// Targets as a user writes them in a list file, so that the rows below read like inventories.
Target parsed(const QString &line) {
    const ParsedTargets p =
        parseTargets(line.toUtf8(), QStringLiteral("test.txt"), TargetFormat::Lines);
    if (!p.ok() || p.targets.size() != 1) {
        qWarning() << "test input does not parse:" << line
                   << (p.issues.isEmpty() ? QString() : p.issues.first().toString());
        return {};
    }
    return p.targets.first();
}

QVariant scalar(const Database &db, const QString &sql) {
    QSqlQuery q(db.connection());
    if (!q.exec(sql) || !q.next())
        return {};
    return q.value(0);
}

std::optional<int> opt(int value) {
    return value < 0 ? std::nullopt : std::optional<int>(value);
}

Target findByHost(const QList<Target> &targets, const QString &host) {
    for (const Target &t : targets) {
        if (t.host == host)
            return t;
    }
    return {};
}

} // namespace

class TestTargetRepository : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_count = 0;
    std::unique_ptr<FixedClock> m_clock;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<TargetRepository> m_repo;

    void reopen() {
        const QString file = m_db->path();
        m_repo.reset();
        m_db.reset();
        QString error;
        m_db = Database::open(file, &error);
        QVERIFY2(m_db, qPrintable(error));
        m_repo = std::make_unique<TargetRepository>(*m_db, *m_clock);
    }

    Target addOrFail(const QString &line) {
        Target t = parsed(line);
        QString error;
        if (!m_repo->add(t, &error))
            qWarning() << "add failed:" << error;
        return t;
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void init() {
        m_clock = std::make_unique<FixedClock>(test::pinnedNow());
        QString error;
        m_db =
            Database::open(m_dir.filePath(QStringLiteral("inv-%1.sqlite").arg(++m_count)), &error);
        QVERIFY2(m_db, qPrintable(error));
        m_repo = std::make_unique<TargetRepository>(*m_db, *m_clock);
    }

    void cleanup() {
        m_repo.reset();
        m_db.reset();
    }

    void endpointKey_data() {
        QTest::addColumn<QString>("a");
        QTest::addColumn<QString>("b");
        QTest::addColumn<bool>("same");

        QTest::newRow("IDN = punycode")
            << u"bücher.example"_s << u"xn--bcher-kva.example"_s << true;
        QTest::newRow("host case") << u"WWW.Example.COM"_s << u"www.example.com"_s << true;
        QTest::newRow("default port spelled out")
            << u"www.example.com"_s << u"www.example.com:443"_s << true;
        QTest::newRow("address order") << u"www.example.com address=192.0.2.1,192.0.2.2"_s
                                       << u"www.example.com address=192.0.2.2,192.0.2.1"_s << true;
        QTest::newRow("IPv6 address spelling") << u"www.example.com address=2001:DB8:0::1"_s
                                               << u"www.example.com address=2001:db8::1"_s << true;
        QTest::newRow("IPv6 host spelling")
            << u"[2001:DB8::10]:443"_s << u"[2001:db8:0:0::10]"_s << true;
        QTest::newRow("sni equal to host")
            << u"www.example.com sni=www.example.com"_s << u"www.example.com"_s << true;
        QTest::newRow("other port") << u"www.example.com:8443"_s << u"www.example.com"_s << false;
        QTest::newRow("other sni") << u"lb.example.com sni=a.example.com"_s
                                   << u"lb.example.com sni=b.example.com"_s << false;
        QTest::newRow("no_sni") << u"www.example.com no_sni"_s << u"www.example.com"_s << false;
        QTest::newRow("pinned vs resolved")
            << u"www.example.com address=192.0.2.1"_s << u"www.example.com"_s << false;
        QTest::newRow("other pinned address") << u"www.example.com address=192.0.2.1"_s
                                              << u"www.example.com address=192.0.2.9"_s << false;
        QTest::newRow("starttls") << u"mail.example.com:587 starttls=smtp"_s
                                  << u"mail.example.com:587"_s << false;
        QTest::newRow("name/tags are not identity")
            << u"www.example.com name=A tags=x owner=me"_s << u"www.example.com name=B"_s << true;
    }
    void endpointKey() {
        QFETCH(QString, a);
        QFETCH(QString, b);
        QFETCH(bool, same);
        const Target ta = parsed(a);
        const Target tb = parsed(b);
        QVERIFY(!ta.host.isEmpty() && !tb.host.isEmpty());
        QCOMPARE(certdash::endpointKey(ta) == certdash::endpointKey(tb), same);
        // The store's key and the domain's notion of "same endpoint" never disagree.
        QCOMPARE(ta.sameEndpoint(tb), same);
    }

    void addAndReadBackEveryField() {
        Target idn;
        idn.name = u"Bücher shop"_s;
        idn.host = u"bücher.example"_s;
        idn.port = 8443;
        idn.sni = u"shop.bücher.example"_s;
        idn.addresses = {u"2001:db8::1"_s, u"192.0.2.7"_s};
        idn.startTls = StartTls::None;
        idn.warningDays = 45;
        idn.criticalDays = 10;
        idn.rotationDays = 60;
        idn.tags = {u"web"_s, u" prod"_s, u"web"_s};
        idn.owner = u"team-shop@example.com"_s;
        idn.notes = u"renewed by hand;\nsee wiki, \"cert\" page"_s;
        idn.enabled = false;

        Target v6;
        v6.host = u"2001:db8::25"_s;
        v6.port = 25;
        v6.noSni = true;
        v6.startTls = StartTls::Smtp;

        QString error;
        QVERIFY2(m_repo->add(idn, &error), qPrintable(error));
        QVERIFY2(m_repo->add(v6, &error), qPrintable(error));
        QVERIFY(idn.id > 0);
        QVERIFY(v6.id > idn.id);
        QCOMPARE(idn.createdAt, test::pinnedNow());
        QCOMPARE(idn.updatedAt, test::pinnedNow());
        QCOMPARE(idn.tags, (QStringList{u"prod"_s, u"web"_s}));

        reopen();
        const QList<Target> all = m_repo->all(&error);
        QCOMPARE(all.size(), 2);
        const Target &a = all.at(0);
        QCOMPARE(a.id, idn.id);
        QCOMPARE(a.name, u"Bücher shop"_s);
        QCOMPARE(a.host, u"bücher.example"_s);
        QCOMPARE(a.asciiHost(), u"xn--bcher-kva.example"_s);
        QCOMPARE(a.port, quint16(8443));
        QCOMPARE(a.sni, u"shop.bücher.example"_s);
        QCOMPARE(a.noSni, false);
        QCOMPARE(a.addresses, (QStringList{u"2001:db8::1"_s, u"192.0.2.7"_s}));
        QCOMPARE(a.startTls, StartTls::None);
        QCOMPARE(a.warningDays, std::optional<int>(45));
        QCOMPARE(a.criticalDays, std::optional<int>(10));
        QCOMPARE(a.rotationDays, std::optional<int>(60));
        QCOMPARE(a.tags, (QStringList{u"prod"_s, u"web"_s}));
        QCOMPARE(a.owner, u"team-shop@example.com"_s);
        QCOMPARE(a.notes, u"renewed by hand;\nsee wiki, \"cert\" page"_s);
        QCOMPARE(a.enabled, false);
        QCOMPARE(a.createdAt, test::pinnedNow());
        QCOMPARE(a.createdAt.timeSpec(), Qt::UTC);
        QCOMPARE(a.updatedAt, test::pinnedNow());

        const Target &b = all.at(1);
        QCOMPARE(b.id, v6.id);
        QCOMPARE(b.host, u"2001:db8::25"_s);
        QCOMPARE(b.hostPort(), u"[2001:db8::25]:25"_s);
        QCOMPARE(b.noSni, true);
        QCOMPARE(b.startTls, StartTls::Smtp);
        QVERIFY(b.addresses.isEmpty());
        QVERIFY(b.tags.isEmpty());
        QVERIFY(!b.warningDays && !b.criticalDays && !b.rotationDays);
        QCOMPARE(b.enabled, true);
        QCOMPARE(b.name, QString());

        const auto byId = m_repo->byId(idn.id, &error);
        QVERIFY2(byId, qPrintable(error));
        QCOMPARE(byId->tags, a.tags);
        QCOMPARE(byId->addresses, a.addresses);
        QCOMPARE(certdash::endpointKey(*byId), certdash::endpointKey(idn));
        QVERIFY(!m_repo->byId(v6.id + 100, &error));
        QVERIFY2(error.contains(QString::number(v6.id + 100)), qPrintable(error));
    }

    void duplicateEndpointRefused() {
        const Target web = addOrFail(u"www.bücher.example name=Web"_s);
        QVERIFY(web.id > 0);
        Target again = parsed(u"WWW.xn--bcher-kva.example:443 name=Other tags=x"_s);
        QString error;
        QVERIFY(!m_repo->add(again, &error));
        QVERIFY2(error.contains(u"already in the inventory as Web (id %1)"_s.arg(web.id)),
                 qPrintable(error));
        QCOMPARE(again.id, 0);
        QCOMPARE(m_repo->all().size(), 1);
        QCOMPARE(scalar(*m_db, u"SELECT count(*) FROM target_tags"_s).toInt(), 0);

        // Unnamed targets are named by host:port in the message.
        const Target plain = addOrFail(u"api.example.com:8443"_s);
        Target plainAgain = parsed(u"api.example.com:8443"_s);
        QVERIFY(!m_repo->add(plainAgain, &error));
        QVERIFY2(error.contains(u"as api.example.com:8443 (id %1)"_s.arg(plain.id)),
                 qPrintable(error));

        // Another port is another endpoint.
        Target otherPort = parsed(u"www.bücher.example:8443"_s);
        QVERIFY2(m_repo->add(otherPort, &error), qPrintable(error));
        QCOMPARE(m_repo->all().size(), 3);
    }

    void addReportsConstraintViolation() {
        Target bad;
        bad.host = u"www.example.com"_s;
        bad.port = 0;
        bad.origin = {u"list.txt"_s, 3};
        QString error;
        QVERIFY(!m_repo->add(bad, &error));
        QVERIFY2(error.contains(u"list.txt:3"_s), qPrintable(error));
        QCOMPARE(bad.id, 0);
        QVERIFY(m_repo->all().isEmpty());
    }

    void updateReplacesFieldsKeepsCreation() {
        Target t = addOrFail(u"www.example.com name=Web tags=a,b warning=20 owner=me"_s);
        const Target other = addOrFail(u"api.example.com"_s);
        m_clock->advance(3600);

        t.name = u"Web front"_s;
        t.port = 8443;
        t.tags = {u"c"_s, u"a"_s};
        t.warningDays.reset();
        t.criticalDays = 3;
        t.owner.clear();
        t.notes = u"moved"_s;
        QString error;
        QVERIFY2(m_repo->update(t, &error), qPrintable(error));

        const auto stored = m_repo->byId(t.id, &error);
        QVERIFY2(stored, qPrintable(error));
        QCOMPARE(stored->name, u"Web front"_s);
        QCOMPARE(stored->port, quint16(8443));
        QCOMPARE(stored->tags, (QStringList{u"a"_s, u"c"_s}));
        QVERIFY(!stored->warningDays);
        QCOMPARE(stored->criticalDays, std::optional<int>(3));
        QCOMPARE(stored->owner, QString());
        QCOMPARE(stored->notes, u"moved"_s);
        QCOMPARE(stored->createdAt, test::pinnedNow());
        QCOMPARE(stored->updatedAt, test::pinnedNow().addSecs(3600));
        // The old endpoint is free again, the new one is taken.
        Target freed = parsed(u"www.example.com"_s);
        QVERIFY2(m_repo->add(freed, &error), qPrintable(error));

        Target clash = *stored;
        clash.host = u"api.example.com"_s;
        clash.port = 443;
        QVERIFY(!m_repo->update(clash, &error));
        QVERIFY2(error.contains(u"(id %1)"_s.arg(other.id)), qPrintable(error));
        QCOMPARE(m_repo->byId(t.id)->host, u"www.example.com"_s);

        Target ghost = parsed(u"ghost.example.com"_s);
        ghost.id = 4242;
        QVERIFY(!m_repo->update(ghost, &error));
        QVERIFY2(error.contains(u"4242"_s), qPrintable(error));
    }

    void setEnabledToggles() {
        const Target t = addOrFail(u"www.example.com"_s);
        m_clock->advance(60);
        QString error;
        QVERIFY2(m_repo->setEnabled(t.id, false, &error), qPrintable(error));
        QCOMPARE(m_repo->byId(t.id)->enabled, false);
        QCOMPARE(m_repo->byId(t.id)->updatedAt, test::pinnedNow().addSecs(60));
        QVERIFY2(m_repo->setEnabled(t.id, true, &error), qPrintable(error));
        QCOMPARE(m_repo->byId(t.id)->enabled, true);
        QVERIFY(!m_repo->setEnabled(t.id + 1, false, &error));
    }

    void removeTakesHistoryAlong() {
        const Target gone = addOrFail(u"gone.example.com tags=a,b"_s);
        const Target kept = addOrFail(u"kept.example.com tags=a"_s);
        const auto insertProbe = [&](qint64 targetId, const QString &address) {
            QSqlQuery q(m_db->connection());
            q.prepare(u"INSERT INTO probes (target_id, address, probed_at, status) "
                      "VALUES (?, ?, ?, 'ok')"_s);
            q.addBindValue(targetId);
            q.addBindValue(address);
            q.addBindValue(test::pinnedNow().toSecsSinceEpoch());
            QVERIFY(q.exec());
            QSqlQuery latest(m_db->connection());
            latest.prepare(u"INSERT INTO latest_probes (target_id, address, probe_id) "
                           "VALUES (?, ?, ?)"_s);
            latest.addBindValue(targetId);
            latest.addBindValue(address);
            latest.addBindValue(q.lastInsertId());
            QVERIFY(latest.exec());
        };
        insertProbe(gone.id, u"192.0.2.1"_s);
        insertProbe(gone.id, u"2001:db8::1"_s);
        insertProbe(kept.id, u"192.0.2.2"_s);
        QCOMPARE(scalar(*m_db, u"SELECT count(*) FROM probes"_s).toInt(), 3);

        QString error;
        QVERIFY2(m_repo->remove(gone.id, &error), qPrintable(error));
        QCOMPARE(m_repo->all().size(), 1);
        QCOMPARE(scalar(*m_db, u"SELECT count(*) FROM probes WHERE target_id = %1"_s.arg(gone.id))
                     .toInt(),
                 0);
        QCOMPARE(scalar(*m_db, u"SELECT count(*) FROM latest_probes"_s).toInt(), 1);
        QCOMPARE(scalar(*m_db, u"SELECT count(*) FROM target_tags"_s).toInt(), 1);
        QCOMPARE(scalar(*m_db, u"SELECT target_id FROM probes"_s).toLongLong(), kept.id);

        QVERIFY(!m_repo->remove(gone.id, &error));
        QVERIFY2(error.contains(QString::number(gone.id)), qPrintable(error));
    }

    void importCounts() {
        addOrFail(u"a.example.com name=A owner=x tags=t1"_s);
        addOrFail(u"b.example.com name=B warning=20"_s);
        addOrFail(u"c.example.com name=C"_s);
        m_clock->advance(86400);

        const QList<Target> input{
            parsed(u"a.example.com tags=t1"_s),               // nothing new: unchanged
            parsed(u"b.example.com warning=20 critical=5"_s), // critical added: updated
            parsed(u"c.example.com name=C tags=new"_s),       // a tag added: updated
            parsed(u"d.example.com name=D"_s),                // added
            parsed(u"D.EXAMPLE.COM:443 name=D2"_s),           // duplicate of the line above
            parsed(u"e.example.com"_s),                       // added
            parsed(u"A.example.com name=Ignored"_s),          // duplicate of the first line
        };
        QString error;
        const auto summary = m_repo->importTargets(input, &error);
        QVERIFY2(summary, qPrintable(error));
        QCOMPARE(summary->added, 2);
        QCOMPARE(summary->updated, 2);
        QCOMPARE(summary->unchanged, 1);
        QCOMPARE(summary->duplicatesInInput, 2);

        const QList<Target> all = m_repo->all();
        QCOMPARE(all.size(), 5);
        const Target a = findByHost(all, u"a.example.com"_s);
        QCOMPARE(a.name, u"A"_s);
        QCOMPARE(a.owner, u"x"_s);
        QCOMPARE(a.updatedAt, test::pinnedNow()); // untouched
        const Target b = findByHost(all, u"b.example.com"_s);
        QCOMPARE(b.warningDays, std::optional<int>(20));
        QCOMPARE(b.criticalDays, std::optional<int>(5));
        QCOMPARE(b.updatedAt, test::pinnedNow().addDays(1));
        QCOMPARE(b.createdAt, test::pinnedNow());
        const Target c = findByHost(all, u"c.example.com"_s);
        QCOMPARE(c.tags, QStringList{u"new"_s});
        const Target d = findByHost(all, u"d.example.com"_s);
        QCOMPARE(d.name, u"D"_s); // first entry wins
        QCOMPARE(d.createdAt, test::pinnedNow().addDays(1));
        QVERIFY(d.id > c.id);

        // The same list again changes nothing.
        const auto again = m_repo->importTargets(input, &error);
        QVERIFY2(again, qPrintable(error));
        QCOMPARE(again->added, 0);
        QCOMPARE(again->updated, 0);
        QCOMPARE(again->unchanged, 5);
        QCOMPARE(again->duplicatesInInput, 2);
    }

    void importMergeRules() {
        Target stored = addOrFail(u"www.example.com name=Old owner=ops notes=n1 warning=40 "
                                  "critical=8 tags=a,z"_s);
        QString error;
        QVERIFY(m_repo->setEnabled(stored.id, false, &error));
        m_clock->advance(120);

        Target given = parsed(u"www.example.com name=New notes=n2 critical=3 rotation=60 "
                              "tags=b,a"_s);
        QVERIFY(given.owner.isEmpty() && !given.warningDays && given.enabled);
        const auto summary = m_repo->importTargets({given}, &error);
        QVERIFY2(summary, qPrintable(error));
        QCOMPARE(summary->updated, 1);

        const auto merged = m_repo->byId(stored.id);
        QVERIFY(merged);
        QCOMPARE(merged->name, u"New"_s);                      // given: replaces
        QCOMPARE(merged->owner, u"ops"_s);                     // empty: kept
        QCOMPARE(merged->notes, u"n2"_s);                      // given: replaces
        QCOMPARE(merged->warningDays, std::optional<int>(40)); // not set: kept
        QCOMPARE(merged->criticalDays, std::optional<int>(3)); // set: replaces
        QCOMPARE(merged->rotationDays, std::optional<int>(60));
        QCOMPARE(merged->tags, (QStringList{u"a"_s, u"b"_s, u"z"_s})); // union
        QCOMPARE(merged->enabled, false); // an import does not re-enable
        QCOMPARE(merged->createdAt, test::pinnedNow());
        QCOMPARE(merged->updatedAt, test::pinnedNow().addSecs(120));
        QCOMPARE(m_repo->all().size(), 1);
    }

    void importIsAllOrNothing() {
        const Target existing = addOrFail(u"keep.example.com name=Keep"_s);
        QList<Target> input{
            parsed(u"one.example.com"_s),
            parsed(u"two.example.com tags=x"_s),
            parsed(u"keep.example.com name=Renamed tags=y"_s),
        };
        Target bad = parsed(u"three.example.com"_s);
        bad.port = 0; // slipped past a parser: the CHECK constraint stops it mid-transaction
        bad.origin = {u"list.csv"_s, 5};
        input << bad << parsed(u"four.example.com"_s);

        QString error;
        QVERIFY(!m_repo->importTargets(input, &error));
        QVERIFY2(error.contains(u"list.csv:5"_s), qPrintable(error));

        const QList<Target> all = m_repo->all();
        QCOMPARE(all.size(), 1);
        QCOMPARE(all.first().name, u"Keep"_s);
        QVERIFY(all.first().tags.isEmpty());
        QCOMPARE(scalar(*m_db, u"SELECT count(*) FROM target_tags"_s).toInt(), 0);
        QCOMPARE(all.first().id, existing.id);

        // Without the bad row the same import goes through.
        input.removeAt(3);
        const auto summary = m_repo->importTargets(input, &error);
        QVERIFY2(summary, qPrintable(error));
        QCOMPARE(summary->added, 3);
        QCOMPARE(summary->updated, 1);
    }

    void tagPolicyCrud() {
        QString error;
        QVERIFY(m_repo->tagPolicies(&error).isEmpty());
        QVERIFY2(m_repo->setTagPolicy({u"web"_s, std::nullopt, 10, 30}, &error), qPrintable(error));
        QVERIFY2(m_repo->setTagPolicy({u"prod"_s, 45, std::nullopt, std::nullopt}, &error),
                 qPrintable(error));
        QCOMPARE(m_repo->tagPolicies(),
                 (QList<TagPolicy>{{u"prod"_s, 45, std::nullopt, std::nullopt},
                                   {u"web"_s, std::nullopt, 10, 30}}));

        QVERIFY(m_repo->setTagPolicy({u"prod"_s, 60, 14, std::nullopt}, &error));
        reopen();
        QCOMPARE(m_repo->tagPolicies(), (QList<TagPolicy>{{u"prod"_s, 60, 14, std::nullopt},
                                                          {u"web"_s, std::nullopt, 10, 30}}));

        QVERIFY2(m_repo->removeTagPolicy(u"web"_s, &error), qPrintable(error));
        QCOMPARE(m_repo->tagPolicies().size(), 1);
        QVERIFY(!m_repo->removeTagPolicy(u"web"_s, &error));
        QVERIFY2(error.contains(u"web"_s), qPrintable(error));

        QVERIFY(!m_repo->setTagPolicy({u"  "_s, 1, 1, 1}, &error));
        QVERIFY(!m_repo->setTagPolicy({u"neg"_s, -1, std::nullopt, std::nullopt}, &error));
        QVERIFY2(error.contains(u"-1"_s), qPrintable(error));
        QCOMPARE(m_repo->tagPolicies().size(), 1);
    }

    void effectivePolicy_data() {
        QTest::addColumn<QStringList>("tags");
        QTest::addColumn<int>("targetWarning"); // -1 = inherit
        QTest::addColumn<int>("targetCritical");
        QTest::addColumn<int>("targetRotation");
        QTest::addColumn<int>("globalRotation"); // -1 = none
        QTest::addColumn<int>("warning");
        QTest::addColumn<int>("critical");
        QTest::addColumn<int>("rotation"); // -1 = none

        // Tag defaults: prod warns at 45; web is critical at 10 and rotates every 60 days;
        // pci: 40 / 14 / 30; relaxed warns at 10 only.
        const QStringList none;
        QTest::newRow("no tags: global") << none << -1 << -1 << -1 << -1 << 30 << 7 << -1;
        QTest::newRow("global rotation") << none << -1 << -1 << -1 << 90 << 30 << 7 << 90;
        QTest::newRow("prod: its warning")
            << QStringList{u"prod"_s} << -1 << -1 << -1 << -1 << 45 << 7 << -1;
        QTest::newRow("relaxed tag beats global")
            << QStringList{u"relaxed"_s} << -1 << -1 << -1 << -1 << 10 << 7 << -1;
        QTest::newRow("prod+relaxed: largest warning")
            << QStringList{u"relaxed"_s, u"prod"_s} << -1 << -1 << -1 << -1 << 45 << 7 << -1;
        QTest::newRow("web+pci: most cautious of each")
            << QStringList{u"web"_s, u"pci"_s} << -1 << -1 << -1 << -1 << 40 << 14 << 30;
        QTest::newRow("tag rotation beats global rotation")
            << QStringList{u"web"_s} << -1 << -1 << -1 << 90 << 30 << 10 << 60;
        QTest::newRow("target's own warning wins")
            << QStringList{u"prod"_s, u"pci"_s} << 5 << -1 << -1 << -1 << 5 << 14 << 30;
        QTest::newRow("target's own rotation wins")
            << QStringList{u"pci"_s} << -1 << -1 << 120 << -1 << 40 << 14 << 120;
        QTest::newRow("target sets all")
            << QStringList{u"pci"_s} << 21 << 2 << 45 << 90 << 21 << 2 << 45;
        QTest::newRow("tag without policy")
            << QStringList{u"dev"_s} << -1 << -1 << -1 << -1 << 30 << 7 << -1;
        QTest::newRow("tags match exactly")
            << QStringList{u"Prod"_s} << -1 << -1 << -1 << -1 << 30 << 7 << -1;
    }
    void effectivePolicy() {
        QFETCH(QStringList, tags);
        QFETCH(int, targetWarning);
        QFETCH(int, targetCritical);
        QFETCH(int, targetRotation);
        QFETCH(int, globalRotation);
        QFETCH(int, warning);
        QFETCH(int, critical);
        QFETCH(int, rotation);

        const QList<TagPolicy> policies{
            {u"prod"_s, 45, std::nullopt, std::nullopt},
            {u"web"_s, std::nullopt, 10, 60},
            {u"pci"_s, 40, 14, 30},
            {u"relaxed"_s, 10, std::nullopt, std::nullopt},
        };
        ExpiryPolicy global;
        global.rotationDays = opt(globalRotation);
        Target target;
        target.host = u"www.example.com"_s;
        target.tags = tags;
        target.warningDays = opt(targetWarning);
        target.criticalDays = opt(targetCritical);
        target.rotationDays = opt(targetRotation);

        const ExpiryPolicy p = certdash::effectivePolicy(global, policies, target);
        QCOMPARE(p.warningDays, warning);
        QCOMPARE(p.criticalDays, critical);
        QCOMPARE(p.rotationDays, opt(rotation));
    }
};

QTEST_GUILESS_MAIN(TestTargetRepository)
#include "tst_targetrepository.moc"
