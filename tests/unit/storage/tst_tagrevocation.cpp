// Online revocation checks per target and per tag (check_revocation): stored and read back,
// imported, and which choice applies.
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
TagPolicy tagWith(const QString &tag, std::optional<bool> check) {
    TagPolicy p;
    p.tag = tag;
    p.checkRevocation = check;
    return p;
}

Target target(const QStringList &tags, std::optional<bool> check = std::nullopt) {
    Target t;
    t.host = u"api.test"_s;
    t.tags = tags;
    t.checkRevocation = check;
    return t;
}
} // namespace

class TestTagRevocation : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private slots:
    void storedImportedAndReadBack() {
        QString error;
        auto db = Database::open(m_dir.filePath(u"a.sqlite"_s), &error);
        QVERIFY2(db, qPrintable(error));
        FixedClock clock(pinnedNow());
        TargetRepository repository(*db, clock);
        Target stored = target({}, false);
        QVERIFY2(repository.add(stored, &error), qPrintable(error));
        QCOMPARE(repository.all(&error).first().checkRevocation, std::optional<bool>(false));

        // An import that says nothing keeps the stored choice; one that says yes changes it.
        QVERIFY(repository.importTargets({target({})}, &error));
        QCOMPARE(repository.all(&error).first().checkRevocation, std::optional<bool>(false));
        QVERIFY(repository.importTargets({target({}, true)}, &error));
        QCOMPARE(repository.all(&error).first().checkRevocation, std::optional<bool>(true));

        // Editing a target back to "inherit" stores no choice.
        Target edited = repository.all(&error).first();
        edited.checkRevocation.reset();
        QVERIFY2(repository.update(edited, &error), qPrintable(error));
        QCOMPARE(repository.all(&error).first().checkRevocation, std::optional<bool>());

        const TagPolicy offline = tagWith(u"offline"_s, false);
        QVERIFY2(repository.setTagPolicy(offline, &error), qPrintable(error));
        const TagPolicy silent = tagWith(u"silent"_s, std::nullopt);
        QVERIFY2(repository.setTagPolicy(silent, &error), qPrintable(error));
        QCOMPARE(repository.tagPolicies(&error), (QList<TagPolicy>{offline, silent}));
    }

    void precedence() {
        const QList<TagPolicy> policies{tagWith(u"public"_s, true), tagWith(u"offline"_s, false),
                                        tagWith(u"plain"_s, std::nullopt)};
        using C = std::optional<bool>;
        QCOMPARE(effectiveRevocationCheck(policies, target({})), C());
        QCOMPARE(effectiveRevocationCheck(policies, target({u"plain"_s})), C());
        QCOMPARE(effectiveRevocationCheck(policies, target({u"public"_s})), C(true));
        QCOMPARE(effectiveRevocationCheck(policies, target({u"offline"_s})), C(false));
        // A tag's "no" wins over another tag's "yes", in either order.
        QCOMPARE(effectiveRevocationCheck(policies, target({u"public"_s, u"offline"_s})), C(false));
        QCOMPARE(effectiveRevocationCheck(policies, target({u"offline"_s, u"public"_s})), C(false));
        // The target's own choice wins over its tags'.
        QCOMPARE(effectiveRevocationCheck(policies, target({u"offline"_s}, true)), C(true));
        QCOMPARE(effectiveRevocationCheck(policies, target({u"public"_s}, false)), C(false));
    }
};

QTEST_GUILESS_MAIN(TestTagRevocation)
#include "tst_tagrevocation.moc"
