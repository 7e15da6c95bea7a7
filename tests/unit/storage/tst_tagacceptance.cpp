// Trust acceptance per target and per tag: stored and read back, and which one applies.
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
const QString kPin = u"AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:"
                     "AB:CD:EF:01:23:45:67:89"_s;

TagPolicy tagPolicy(const QString &tag, bool selfSigned, const QString &pin = {}) {
    TagPolicy p;
    p.tag = tag;
    p.acceptance.acceptSelfSigned = selfSigned;
    p.acceptance.pinSha256 = pin;
    return p;
}
} // namespace

class TestTagAcceptance : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private slots:
    void storedAndReadBack() {
        QString error;
        auto db = Database::open(m_dir.filePath(u"a.sqlite"_s), &error);
        QVERIFY2(db, qPrintable(error));
        FixedClock clock(pinnedNow());
        TargetRepository repository(*db, clock);
        Target t;
        t.host = u"lab.test"_s;
        t.acceptance.acceptSelfSigned = true;
        t.acceptance.pinIssuer = u"CN=Lab CA"_s;
        t.acceptance.pinSha256 = kPin;
        QVERIFY2(repository.add(t, &error), qPrintable(error));
        const QList<Target> all = repository.all(&error);
        QCOMPARE(all.size(), 1);
        QVERIFY(all.first().acceptance == t.acceptance);

        // An import that states an acceptance replaces the stored one.
        Target again = t;
        again.acceptance = {};
        again.acceptance.pinSha256 = QString(kPin).replace(u'A', u'0');
        QVERIFY(repository.importTargets({again}, &error));
        QVERIFY(repository.all(&error).first().acceptance == again.acceptance);

        const TagPolicy lab = tagPolicy(u"lab"_s, true, kPin);
        QVERIFY2(repository.setTagPolicy(lab, &error), qPrintable(error));
        QCOMPARE(repository.tagPolicies(&error), QList<TagPolicy>{lab});
    }

    void targetWinsThenTags() {
        Target t;
        t.host = u"lab.test"_s;
        t.tags = {u"lab"_s, u"web"_s};
        const QList<TagPolicy> policies{tagPolicy(u"lab"_s, true),
                                        tagPolicy(u"other"_s, false, kPin)};

        TrustAcceptance fromTags = effectiveAcceptance(policies, t);
        QVERIFY(fromTags.acceptSelfSigned);
        QCOMPARE(fromTags.fromTag, u"lab"_s);

        t.acceptance.pinSha256 = kPin; // the target's own wins, as a whole
        const TrustAcceptance own = effectiveAcceptance(policies, t);
        QVERIFY(!own.acceptSelfSigned);
        QCOMPARE(own.pinSha256, kPin);
        QCOMPARE(own.fromTag, QString());

        // Two tags that disagree accept nothing: a conflict alerts rather than silences.
        t.acceptance = {};
        t.tags << u"other"_s;
        QVERIFY(effectiveAcceptance(policies, t).isEmpty());
        // Two that agree are one.
        const QList<TagPolicy> same{tagPolicy(u"lab"_s, true), tagPolicy(u"other"_s, true)};
        QCOMPARE(effectiveAcceptance(same, t).fromTag, u"lab"_s);
    }
};

QTEST_GUILESS_MAIN(TestTagAcceptance)
#include "tst_tagacceptance.moc"
