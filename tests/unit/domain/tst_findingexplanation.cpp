#include "domain/FindingExplanation.h"
#include "i18n/Translations.h"

#include <QTest>

using namespace certdash;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(certdash::FindingKind)

class TestFindingExplanation : public QObject
{
    Q_OBJECT
private slots:
    void explains_data()
    {
        QTest::addColumn<FindingKind>("kind");
        QTest::addColumn<QString>("advice");
        QTest::newRow("expired") << FindingKind::ExpiredInChain << "Renew";
        QTest::newRow("incomplete") << FindingKind::IncompleteChain << "full chain";
        QTest::newRow("untrusted root") << FindingKind::UntrustedRoot << "Settings";
        QTest::newRow("mismatch") << FindingKind::HostnameMismatch << "SAN";
        QTest::newRow("stale cross-sign") << FindingKind::ExtraCertificate << "Remove it";
        QTest::newRow("weak key") << FindingKind::WeakKey << "stronger key";
        QTest::newRow("weak signature") << FindingKind::WeakSignature << "SHA-1";
        QTest::newRow("self-signed") << FindingKind::SelfSigned << "self-signed";
        QTest::newRow("not yet valid") << FindingKind::NotYetValidInChain << "clock";
        QTest::newRow("unreadable date") << FindingKind::UnreadableDate << "year 0000";
        QTest::newRow("CN only") << FindingKind::NoSubjectAltName << "since 2017";
        QTest::newRow("out of order") << FindingKind::ChainOutOfOrder << "old Java";
        QTest::newRow("client cert required")
            << FindingKind::ClientCertificateRequired << "--client-cert";
        QTest::newRow("client cert rejected")
            << FindingKind::ClientCertificateRejected << "client CA";
    }
    void explains()
    {
        QFETCH(FindingKind, kind);
        QFETCH(QString, advice);
        const QString text = explainFinding(kind);
        QVERIFY2(text.contains(advice), qPrintable(text));
    }
    void unknownFindingHasNoExplanation()
    {
        QVERIFY(explainFinding(FindingKind::Other).isEmpty());
    }
    // The explanation follows the kind, not the finding's words: in German the finding reads
    // "Nicht vertrauenswürdiger Stamm: ...", and its explanation is still there, in German.
    void explainsInEveryLanguage()
    {
        const QString english = explainFinding(FindingKind::UntrustedRoot);
        const QStringList installed = installTranslators(QLocale(QLocale::German));
        QVERIFY2(installed.contains(u"certdash_de"_s), qPrintable(installed.join(u',')));
        const QString german = explainFinding(FindingKind::UntrustedRoot);
        QVERIFY(!german.isEmpty());
        QVERIFY2(german != english, qPrintable(german));
    }
};

QTEST_GUILESS_MAIN(TestFindingExplanation)
#include "tst_findingexplanation.moc"
