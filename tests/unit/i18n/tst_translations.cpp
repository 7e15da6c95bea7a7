// The German and French translations: nothing unfinished, every placeholder kept, the plural
// forms each language needs, mnemonics kept and not made to clash. The .ts files are first
// brought up to date with the sources (lupdate into a scratch copy), so a string added to the
// code but not translated fails this test.
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

using namespace Qt::StringLiterals;

namespace {
struct Message {
    QString context;
    QString source;
    bool numerus = false;
    QString type;      // "", "unfinished", "vanished", "obsolete"
    QStringList forms; // one, or the numerus forms
    int line = 0;      // in the .ts file
};

QList<Message> readTs(const QString &path, QString *error) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = file.errorString();
        return {};
    }
    QList<Message> messages;
    QXmlStreamReader xml(&file);
    QString context;
    Message current;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isEndElement() && xml.name() == "message"_L1) {
            messages << current;
            continue;
        }
        if (!xml.isStartElement())
            continue;
        const auto name = xml.name();
        if (name == "name"_L1) {
            context = xml.readElementText();
        } else if (name == "message"_L1) {
            current = Message{};
            current.context = context;
            current.numerus = xml.attributes().value("numerus"_L1) == "yes"_L1;
            current.line = int(xml.lineNumber());
        } else if (name == "source"_L1) {
            current.source = xml.readElementText();
        } else if (name == "translation"_L1) {
            current.type = xml.attributes().value("type"_L1).toString();
            if (!current.numerus) // a numerus translation holds its forms as children
                current.forms << xml.readElementText();
        } else if (name == "numerusform"_L1) {
            current.forms << xml.readElementText();
        }
    }
    if (xml.hasError())
        *error = xml.errorString();
    return messages;
}

QStringList placeholders(const QString &text) {
    static const QRegularExpression re(u"%(?:L?[0-9]{1,2}|n)"_s);
    QStringList found;
    for (auto it = re.globalMatch(text); it.hasNext();)
        found << it.next().captured();
    found.removeDuplicates();
    found.sort();
    return found;
}

// The mnemonic letter after a single "&" ("&&" is a literal ampersand), lower case; null if none.
QChar mnemonic(const QString &text) {
    for (qsizetype i = 0; i + 1 < text.size(); ++i) {
        if (text.at(i) != u'&')
            continue;
        if (text.at(i + 1) == u'&') {
            ++i;
            continue;
        }
        if (!text.at(i + 1).isSpace())
            return text.at(i + 1).toLower();
    }
    return {};
}

QString where(const QString &lang, const Message &m) {
    return u"certdash_%1.ts:%2 [%3] \"%4\""_s.arg(lang).arg(m.line).arg(m.context,
                                                                        m.source.left(60));
}
} // namespace

class TestTranslations : public QObject {
    Q_OBJECT

    QTemporaryDir m_scratch;
    QHash<QString, QList<Message>> m_messages; // by language

private slots:
    void initTestCase() {
        QVERIFY(m_scratch.isValid());
        const QString source = QStringLiteral(CERTDASH_SOURCE_DIR);
        for (const QString &lang : {u"de"_s, u"fr"_s, u"en"_s}) {
            const QString copy = m_scratch.filePath(u"certdash_%1.ts"_s.arg(lang));
            QVERIFY(QFile::copy(source + u"/translations/certdash_%1.ts"_s.arg(lang), copy));
            QFile::setPermissions(copy, QFile::ReadOwner | QFile::WriteOwner);
            // As `cmake --build build --target update_translations` does, on the copy.
            QProcess lupdate;
            lupdate.setProcessChannelMode(QProcess::MergedChannels);
            // English holds only the plural forms the source text cannot carry (-pluralonly).
            QStringList arguments{u"-locations"_s, u"none"_s, u"-extensions"_s, u"cpp,h"_s};
            if (lang == u"en"_s)
                arguments << u"-pluralonly"_s;
            arguments << source + u"/app"_s << source + u"/ui"_s << u"-ts"_s << copy;
            lupdate.start(QStringLiteral(CERTDASH_LUPDATE), arguments);
            QVERIFY2(lupdate.waitForFinished(120000), "lupdate did not finish");
            QVERIFY2(lupdate.exitCode() == 0, lupdate.readAll().constData());
            QString error;
            m_messages.insert(lang, readTs(copy, &error));
            QVERIFY2(error.isEmpty(), qPrintable(error));
            QVERIFY2(m_messages.value(lang).size() > (lang == u"en"_s ? 20 : 500),
                     qPrintable(u"only %1 messages read"_s.arg(m_messages.value(lang).size())));
        }
    }

    void complete_data() {
        QTest::addColumn<QString>("lang");
        QTest::newRow("de") << u"de"_s;
        QTest::newRow("fr") << u"fr"_s;
        // Without its forms, "%n day(s) left" reads "1 day(s) left" in English.
        QTest::newRow("en (plural forms)") << u"en"_s;
    }
    // Nothing unfinished or empty: run `cmake --build build --target update_translations`
    // and translate what it added.
    void complete() {
        QFETCH(QString, lang);
        QStringList problems;
        for (const Message &m : m_messages.value(lang)) {
            if (m.type == "vanished"_L1 || m.type == "obsolete"_L1 ||
                (lang == u"en"_s && !m.numerus))
                continue;
            const bool empty =
                m.forms.isEmpty() || std::any_of(m.forms.begin(), m.forms.end(),
                                                 [](const QString &f) { return f.isEmpty(); });
            if (m.type == "unfinished"_L1 || empty)
                problems << where(lang, m);
        }
        QVERIFY2(problems.isEmpty(), qPrintable(u"%1 unfinished:\n"_s.arg(problems.size()) +
                                                problems.mid(0, 20).join(u'\n')));
    }

    void faithful_data() { complete_data(); }
    // Placeholders: a translation that drops %1 prints the wrong thing (or leaves "%2" in the
    // text). Only a numerus message's singular may say "one" instead of %n.
    void faithful() {
        QFETCH(QString, lang);
        QStringList problems;
        for (const Message &m : m_messages.value(lang)) {
            if (m.type == "vanished"_L1 || m.type == "obsolete"_L1 || m.forms.isEmpty())
                continue;
            if (m.numerus && m.forms.size() != 2)
                problems << where(lang, m) + u": %1 plural forms, 2 needed"_s.arg(m.forms.size());
            const QStringList wanted = placeholders(m.source);
            for (qsizetype i = 0; i < m.forms.size(); ++i) {
                QStringList want = wanted;
                QStringList got = placeholders(m.forms.at(i));
                if (m.numerus && i == 0) {
                    want.removeAll(u"%n"_s);
                    got.removeAll(u"%n"_s);
                }
                if (want != got)
                    problems << where(lang, m) + u": placeholders %1, translated %2"_s.arg(
                                                     want.join(u' '), got.join(u' '));
                if (!mnemonic(m.source).isNull() && mnemonic(m.forms.at(i)).isNull())
                    problems << where(lang, m) + u": the & mnemonic is dropped"_s;
            }
        }
        QVERIFY2(problems.isEmpty(), qPrintable(problems.mid(0, 20).join(u'\n')));
    }

    void mnemonicsDoNotClash_data() { complete_data(); }
    // Within one class (a menu bar, a dialog), items whose English mnemonics differ must not
    // share a letter in translation either: Alt+letter would reach only one of them.
    void mnemonicsDoNotClash() {
        QFETCH(QString, lang);
        QHash<QString, QHash<QChar, QSet<QChar>>> byContext; // translated letter -> English ones
        QHash<QString, QHash<QChar, QStringList>> sources;
        for (const Message &m : m_messages.value(lang)) {
            if (m.type == "vanished"_L1 || m.type == "obsolete"_L1 || m.forms.isEmpty())
                continue;
            const QChar english = mnemonic(m.source);
            const QChar translated = mnemonic(m.forms.constFirst());
            if (english.isNull() || translated.isNull())
                continue;
            byContext[m.context][translated].insert(english);
            sources[m.context][translated] << m.source;
        }
        QStringList problems;
        for (auto c = byContext.cbegin(); c != byContext.cend(); ++c) {
            for (auto l = c.value().cbegin(); l != c.value().cend(); ++l) {
                if (l.value().size() > 1)
                    problems << u"[%1] '%2': %3"_s.arg(c.key(), l.key(),
                                                       sources[c.key()][l.key()].join(u", "_s));
            }
        }
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    }
};

QTEST_GUILESS_MAIN(TestTranslations)
#include "tst_translations.moc"
