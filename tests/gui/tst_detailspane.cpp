// The details pane as an on-call engineer reads it: it opens on the certificate that decides the
// row's status and says why, and the chain list shows every certificate's expiry.
#include "TestSupport.h"
#include "domain/ExpiryPolicy.h"
#include "widgets/DetailsPane.h"

#include <QHeaderView>
#include <QTest>
#include <QTreeWidget>

using namespace certdash;
using namespace certdash::test;
using namespace Qt::StringLiterals;

namespace {
CertificateInfo certificate(const QString &name, const QString &issuer, int lifetimeDays,
                            int daysLeft, bool selfIssued = false) {
    CertificateInfo c;
    c.der = name.toUtf8();
    c.subject = u"CN="_s + name;
    c.subjectCommonName = name;
    c.issuer = u"CN="_s + issuer;
    c.notAfter = pinnedNow().addDays(daysLeft);
    c.notBefore = c.notAfter.addDays(-lifetimeDays);
    c.selfIssued = selfIssued;
    return c;
}

// A 90-day leaf with 59 days left under an intermediate that expires in 10: Warning because of
// the intermediate (the case the issue was found with).
ProbeResult intermediateLimits() {
    ProbeResult r;
    r.target.host = u"shop.test"_s;
    r.address = u"192.0.2.10"_s;
    r.chain = {certificate(u"shop.test"_s, u"Shop Issuing CA"_s, 90, 59),
               certificate(u"Shop Issuing CA"_s, u"Shop Root"_s, 730, 10),
               certificate(u"Shop Root"_s, u"Shop Root"_s, 3650, 2000, true)};
    r.status = Status::Ok;
    applyClassification(r, ExpiryPolicy{}, pinnedNow());
    return r;
}
} // namespace

class TestDetailsPane : public QObject {
    Q_OBJECT
private slots:
    void opensOnTheLimitingCertificateAndSaysWhy() {
        const ProbeResult r = intermediateLimits();
        QCOMPARE(r.status, Status::Warning);
        QCOMPARE(r.limitingRole, u"intermediate"_s);
        DetailsPane pane;
        pane.resize(1000, 400);
        pane.showResult(r, {r}, {}, pinnedNow());
        QCOMPARE(pane.selectedCertificateName(), u"Shop Issuing CA"_s);
        QVERIFY2(pane.validityText().contains(u"730"_s), qPrintable(pane.validityText()));
        const QString note = pane.limitingNoteText();
        QVERIFY2(note.contains(u"intermediate Shop Issuing CA"_s) && note.contains(u"before the leaf"_s),
                 qPrintable(note));
        auto *chain = pane.findChild<QTreeWidget *>(u"chain"_s);
        QVERIFY(chain->currentItem()->font(0).bold());
    }

    // When the leaf limits, as usual, the pane opens on it and adds no note.
    void leafLimitsQuietly() {
        ProbeResult r = intermediateLimits();
        r.chain[1].notAfter = pinnedNow().addDays(400);
        applyClassification(r, ExpiryPolicy{}, pinnedNow());
        DetailsPane pane;
        pane.showResult(r, {r}, {}, pinnedNow());
        QCOMPARE(pane.selectedCertificateName(), u"shop.test"_s);
        QVERIFY(pane.limitingNoteText().isEmpty());
    }

    // At the pane's narrowest useful width the Expires and Days left columns stay whole; the
    // certificate names give way (elided).
    void chainShowsExpiryColumns() {
        const ProbeResult r = intermediateLimits();
        DetailsPane pane;
        pane.resize(900, 360);
        pane.show();
        pane.showResult(r, {r}, {}, pinnedNow());
        QVERIFY(QTest::qWaitForWindowExposed(&pane));
        auto *chain = pane.findChild<QTreeWidget *>(u"chain"_s);
        QHeaderView *header = chain->header();
        const QFontMetrics metrics(chain->font());
        for (int column : {1, 2}) {
            QVERIFY2(!header->isSectionHidden(column), "a date column is hidden");
            const int right = header->sectionViewportPosition(column) + header->sectionSize(column);
            QVERIFY2(right <= chain->viewport()->width(),
                     qPrintable(u"column %1 ends at %2 of %3 px"_s.arg(column).arg(right).arg(
                         chain->viewport()->width())));
            for (QTreeWidgetItemIterator it(chain); *it; ++it) {
                QVERIFY2(header->sectionSize(column) >=
                             metrics.horizontalAdvance((*it)->text(column)),
                         qPrintable((*it)->text(column)));
            }
        }
    }
};

QTEST_MAIN(TestDetailsPane)
#include "tst_detailspane.moc"
