#include "i18n/Translations.h"
#include "widgets/TargetEditDialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QHash>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTest>

using namespace certdash;
using namespace Qt::StringLiterals;

class TestTargetEditDialog : public QObject
{
    Q_OBJECT

    static QLineEdit *edit(TargetEditDialog &d, const QString &name)
    {
        return d.findChild<QLineEdit *>(name);
    }
    static bool okEnabled(TargetEditDialog &d)
    {
        return d.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->isEnabled();
    }
    static QString message(TargetEditDialog &d) { return d.findChild<QLabel *>(u"message"_s)->text(); }

private slots:
    // Every field's hint is its only explanation: shown whole in every language, however long
    // the translation (the German client certificate and key hints used to be cut).
    void hintsAreShownWhole_data()
    {
        QTest::addColumn<QString>("language");
        QTest::newRow("English") << u"en"_s;
        QTest::newRow("German") << u"de"_s;
        QTest::newRow("French") << u"fr"_s;
    }
    void hintsAreShownWhole()
    {
        QFETCH(QString, language);
        applyLanguage(language);
        {
            TargetEditDialog d;
            d.show();
            QVERIFY(QTest::qWaitForWindowExposed(&d));
            int hinted = 0;
            for (const QLineEdit *e : d.findChildren<QLineEdit *>()) {
                if (e->placeholderText().isEmpty() || !e->isVisible())
                    continue;
                ++hinted;
                // The text area of a line edit is its width less frame and margins (about 8 px).
                const int needed = e->fontMetrics().horizontalAdvance(e->placeholderText()) + 8;
                QVERIFY2(e->width() >= needed,
                         qPrintable(u"%1: %2 px for \"%3\" (%4 px)"_s.arg(e->objectName())
                                        .arg(e->width())
                                        .arg(e->placeholderText())
                                        .arg(needed)));
            }
            QVERIFY2(hinted >= 6, qPrintable(QString::number(hinted)));
        }
        applyLanguage(u"en"_s);
    }

    // Alt+letter reaches exactly one field: no two labels, check boxes or buttons of the dialog
    // share a mnemonic (Name and SNI, Host and SHA-256, Owner and OK used to).
    void mnemonicsAreUnique()
    {
        TargetEditDialog d;
        QHash<QChar, QStringList> byLetter;
        const auto add = [&byLetter](const QString &text) {
            const QString plain = QString(text).replace(u"&&"_s, QString());
            const qsizetype at = plain.indexOf(u'&');
            if (at >= 0 && at + 1 < plain.size())
                byLetter[plain.at(at + 1).toLower()] << text;
        };
        for (const QLabel *label : d.findChildren<QLabel *>())
            add(label->text());
        for (const QAbstractButton *button : d.findChildren<QAbstractButton *>())
            add(button->text());
        for (auto it = byLetter.cbegin(); it != byLetter.cend(); ++it)
            QVERIFY2(it.value().size() == 1, qPrintable(it.value().join(u", "_s)));
        QVERIFY2(byLetter.size() >= 15, qPrintable(QString::number(byLetter.size())));
    }

    void validHostEnablesOk()
    {
        TargetEditDialog d;
        d.show();
        QVERIFY(!okEnabled(d)); // empty host
        QVERIFY(message(d).contains(u"empty host"_s));
        QTest::keyClicks(edit(d, u"host"_s), u"api.example.com"_s);
        QVERIFY(okEnabled(d));
        QVERIFY(message(d).isEmpty());
        const Target t = d.target();
        QCOMPARE(t.host, u"api.example.com"_s);
        QCOMPARE(t.port, quint16(443));
        QVERIFY(t.enabled);
        // STARTTLS smtp without a port gives the protocol's port.
        auto *starttls = d.findChild<QComboBox *>(u"starttls"_s);
        starttls->setCurrentIndex(starttls->findData(u"smtp"_s));
        QCOMPARE(d.target().port, quint16(25));
        QTest::keyClicks(edit(d, u"port"_s), u"587"_s);
        QCOMPARE(d.target().port, quint16(587));
    }

    void idnIsSentAsPunycode()
    {
        TargetEditDialog d;
        edit(d, u"host"_s)->setText(QString::fromUtf8("bücher.example")); // keyClicks is Latin-1 only
        QVERIFY(okEnabled(d));
        QCOMPARE(d.target().effectiveSni(), u"xn--bcher-kva.example"_s);
    }

    // Trust acceptance: shown when editing, validated like a target file, kept on OK.
    void trustAcceptanceIsEditedAndValidated()
    {
        TargetEditDialog d;
        Target t;
        t.id = 7;
        t.host = u"lab.example"_s;
        t.acceptance.acceptSelfSigned = true;
        t.acceptance.pinIssuer = u"CN=Lab CA"_s;
        d.setTarget(t);
        QVERIFY(okEnabled(d));
        QVERIFY(d.findChild<QCheckBox *>(u"acceptSelfSigned"_s)->isChecked());
        QCOMPARE(edit(d, u"pinIssuer"_s)->text(), u"CN=Lab CA"_s);
        QVERIFY(d.target().acceptance.acceptSelfSigned);

        edit(d, u"pinSha256"_s)->setText(u"AB:CD:EF"_s);
        QVERIFY(!okEnabled(d));
        QVERIFY2(message(d).contains(u"bad pin_sha256 'AB:CD:EF'"_s), qPrintable(message(d)));
        const QString hex = QString(u"ab"_s).repeated(32);
        edit(d, u"pinSha256"_s)->setText(hex);
        QVERIFY2(okEnabled(d), qPrintable(message(d)));
        QCOMPARE(d.target().acceptance.pinSha256.size(), 95); // canonical: AB:AB:...
        QVERIFY(d.target().acceptance.pinSha256.startsWith(u"AB:AB:"_s));
        d.findChild<QCheckBox *>(u"acceptSelfSigned"_s)->setChecked(false);
        QVERIFY(!d.target().acceptance.acceptSelfSigned);
    }

    void connectionIsEditedAndNeverTakesAPassword()
    {
        TargetEditDialog d;
        Target t;
        t.host = u"api.example"_s;
        t.connection.clientCertificate = u"/etc/certdash/api.p12"_s;
        t.connection.proxy = u"socks5://gw.example:1080"_s;
        d.setTarget(t);
        QVERIFY(okEnabled(d));
        QCOMPARE(edit(d, u"clientCert"_s)->text(), t.connection.clientCertificate);
        QCOMPARE(d.target().connection, t.connection);

        edit(d, u"proxy"_s)->setText(u"http://ops:hunter2@proxy.example:3128"_s);
        QVERIFY(!okEnabled(d));
        QVERIFY2(message(d).contains(u"carries a password"_s), qPrintable(message(d)));
        QVERIFY2(!message(d).contains(u"hunter2"_s), qPrintable(message(d)));

        edit(d, u"proxy"_s)->setText(u"direct"_s);
        edit(d, u"clientKey"_s)->setText(u"/etc/certdash/api.key"_s);
        QVERIFY2(okEnabled(d), qPrintable(message(d)));
        QCOMPARE(d.target().connection.proxy, u"direct"_s);
        QCOMPARE(d.target().connection.clientKey, u"/etc/certdash/api.key"_s);

        edit(d, u"clientCert"_s)->clear(); // a key alone means nothing
        QVERIFY(!okEnabled(d));
        QVERIFY2(message(d).contains(u"client_key without client_cert"_s), qPrintable(message(d)));
    }

    void invalidInputIsRefusedInWords_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("problem");
        QTest::newRow("host with a space") << "host" << "bad host.example" << "bad host";
        QTest::newRow("broken bracket") << "host" << "[2001:db8::1" << "missing ']'";
        QTest::newRow("port out of range") << "port" << "70000" << "port";
        QTest::newRow("bad address") << "addresses" << "10.0.0.256" << "bad address";
        QTest::newRow("critical above warning") << "critical" << "40" << "critical";
        QTest::newRow("not a number") << "rotation" << "soon" << "rotation";
    }
    void invalidInputIsRefusedInWords()
    {
        QFETCH(QString, field);
        QFETCH(QString, value);
        QFETCH(QString, problem);
        TargetEditDialog d;
        if (field != u"host"_s)
            edit(d, u"host"_s)->setText(u"ok.example.com"_s);
        if (field == u"critical"_s)
            edit(d, u"warning"_s)->setText(u"30"_s);
        QVERIFY(field == u"host"_s || okEnabled(d));
        edit(d, field)->setText(value);
        QVERIFY(!okEnabled(d));
        QVERIFY(!d.isValid());
        QVERIFY2(message(d).contains(problem, Qt::CaseInsensitive), qPrintable(message(d)));
    }

    void sniWithNoSniIsRefused()
    {
        TargetEditDialog d;
        edit(d, u"host"_s)->setText(u"ok.example.com"_s);
        edit(d, u"sni"_s)->setText(u"other.example.com"_s);
        QVERIFY(okEnabled(d));
        d.findChild<QCheckBox *>(u"noSni"_s)->setChecked(true);
        QVERIFY(!okEnabled(d));
    }

    void editRoundTripsEveryField()
    {
        Target t;
        t.id = 42;
        t.name = u"Edge"_s;
        t.host = u"2001:db8::1"_s;
        t.port = 8443;
        t.sni = u"edge.example.com"_s;
        t.addresses = {u"2001:db8::1"_s, u"192.0.2.4"_s};
        t.tags = {u"prod"_s, u"edge"_s};
        t.owner = u"netops"_s;
        t.notes = u"two\nlines"_s;
        t.warningDays = 45;
        t.rotationDays = 30;
        t.enabled = false;
        t.checkRevocation = false;
        TargetEditDialog d;
        d.setTarget(t);
        QCOMPARE(d.windowTitle(), u"Edit target"_s);
        QVERIFY2(d.isValid(), qPrintable(d.problems().join(u"; "_s)));
        const Target r = d.target();
        QCOMPARE(r.id, qint64(42));
        QCOMPARE(r.name, t.name);
        QCOMPARE(r.host, t.host);
        QCOMPARE(r.port, t.port);
        QCOMPARE(r.sni, t.sni);
        QCOMPARE(r.addresses, t.addresses);
        QCOMPARE(r.tags, t.tags);
        QCOMPARE(r.owner, t.owner);
        QCOMPARE(r.notes, t.notes);
        QCOMPARE(r.warningDays, t.warningDays);
        QVERIFY(!r.criticalDays); // blank inherits
        QCOMPARE(r.rotationDays, t.rotationDays);
        QCOMPARE(r.enabled, false);
        QCOMPARE(r.checkRevocation, std::optional<bool>(false));
        // The three choices of online revocation checks, each read back as set.
        auto *revocation = d.findChild<QComboBox *>(u"checkRevocation"_s);
        QVERIFY(revocation);
        for (const std::optional<bool> choice : {std::optional<bool>(), std::optional<bool>(true)}) {
            t.checkRevocation = choice;
            d.setTarget(t);
            QCOMPARE(d.target().checkRevocation, choice);
        }
        revocation->setCurrentIndex(revocation->findData(u"no"_s));
        QCOMPARE(d.target().checkRevocation, std::optional<bool>(false));
    }

    void duplicateIsRefused()
    {
        TargetEditDialog d;
        d.setDuplicateCheck([](const Target &t) {
            return t.host == u"taken.example.com"_s ? u"already in the inventory as Taken"_s
                                                    : QString();
        });
        edit(d, u"host"_s)->setText(u"taken.example.com"_s);
        QVERIFY(!okEnabled(d));
        QVERIFY(message(d).contains(u"already in the inventory"_s));
        edit(d, u"host"_s)->setText(u"free.example.com"_s);
        QVERIFY(okEnabled(d));
    }
};

QTEST_MAIN(TestTargetEditDialog)
#include "tst_targeteditdialog.moc"
