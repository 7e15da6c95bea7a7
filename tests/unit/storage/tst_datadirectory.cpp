// Where the store lives, and the one-time move from 0.1.0's doubled folder
// (~/.local/share/CertDash/CertDash) to ~/.local/share/CertDash.
#include "storage/DataDirectory.h"
#include "storage/Database.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace certdash;
using namespace Qt::StringLiterals;

namespace {
bool writeFile(const QString &path, const QByteArray &content) {
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(content) == content.size();
}
QByteArray readFile(const QString &path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}
} // namespace

class TestDataDirectory : public QObject {
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_home;
    QString m_current; // <data>/CertDash
    QString m_legacy;  // <data>/CertDash/CertDash

private slots:
    void initTestCase() {
        QCoreApplication::setApplicationName(u"CertDash"_s);
        QCoreApplication::setOrganizationName(u"CertDash"_s);
    }
    void init() {
        m_home = std::make_unique<QTemporaryDir>();
        QVERIFY(m_home->isValid());
        qputenv("XDG_DATA_HOME", QFile::encodeName(m_home->filePath(u"data"_s)));
        m_current = m_home->filePath(u"data/CertDash"_s);
        m_legacy = m_home->filePath(u"data/CertDash/CertDash"_s);
    }

    void oneFolderNamedAfterTheApplication() {
        QCOMPARE(dataDirectory(), m_current);
        QCOMPARE(Database::defaultPath(), m_current + u"/certdash.sqlite"_s);
        QCOMPARE(moveLegacyDataDirectory().result, LegacyMove::Result::NothingToMove);
    }

    // A real 0.1.0 store with a target, closed: moved with the event log, opens with its data.
    void legacyStoreIsMovedOnce() {
        {
            QString error;
            auto db = Database::open(m_legacy + u"/certdash.sqlite"_s, &error);
            QVERIFY2(db, qPrintable(error));
            QVERIFY(db->schemaVersion() > 0);
        }
        QVERIFY(writeFile(m_legacy + u"/events.jsonl"_s, "{\"event\":\"crossed\"}\n"));
        // Until moved, the old folder is the one in use: nothing splits across two stores.
        QCOMPARE(dataDirectory(), m_legacy);

        const LegacyMove move = moveLegacyDataDirectory();
        QCOMPARE(move.result, LegacyMove::Result::Moved);
        QCOMPARE(move.from, m_legacy);
        QCOMPARE(dataDirectory(), m_current);
        QVERIFY(QFileInfo::exists(m_current + u"/certdash.sqlite"_s));
        QCOMPARE(readFile(m_current + u"/events.jsonl"_s), QByteArray("{\"event\":\"crossed\"}\n"));
        QVERIFY2(!QFileInfo::exists(m_legacy), "the emptied old folder is left behind");
        QString error;
        auto moved = Database::open(Database::defaultPath(), &error);
        QVERIFY2(moved, qPrintable(error));
        QCOMPARE(moved->schemaVersion(), Database::currentSchemaVersion());

        QCOMPARE(moveLegacyDataDirectory().result, LegacyMove::Result::NothingToMove);
    }

    // Another process (a window) has the old store open: it is used where it is, not moved
    // under that process's feet.
    void openStoreIsNotMoved() {
        QString error;
        auto open = Database::open(m_legacy + u"/certdash.sqlite"_s, &error);
        QVERIFY2(open, qPrintable(error));
        QVERIFY(QFileInfo::exists(m_legacy + u"/certdash.sqlite-shm"_s));
        QCOMPARE(moveLegacyDataDirectory().result, LegacyMove::Result::InUse);
        QCOMPARE(dataDirectory(), m_legacy);
        QCOMPARE(Database::defaultPath(), m_legacy + u"/certdash.sqlite"_s);
        QVERIFY(!QFileInfo::exists(m_current + u"/certdash.sqlite"_s));
    }

    // A store in both places (a user copied one by hand): the new one is used, nothing moves,
    // the old one and anything else the user keeps there stay untouched.
    void newStoreWins() {
        QVERIFY(writeFile(m_current + u"/certdash.sqlite"_s, "new"));
        QVERIFY(writeFile(m_legacy + u"/certdash.sqlite"_s, "old"));
        QCOMPARE(moveLegacyDataDirectory().result, LegacyMove::Result::NothingToMove);
        QCOMPARE(dataDirectory(), m_current);
        QCOMPARE(readFile(m_legacy + u"/certdash.sqlite"_s), QByteArray("old"));
    }
};

QTEST_GUILESS_MAIN(TestDataDirectory)
#include "tst_datadirectory.moc"
