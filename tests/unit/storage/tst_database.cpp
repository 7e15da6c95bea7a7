#include "TestSupport.h"
#include "storage/Database.h"
#include "storage/Schema.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace certdash;

namespace {

QVariant pragma(const QSqlDatabase &db, const QString &name) {
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("PRAGMA ") + name) || !q.next())
        return {};
    return q.value(0);
}

QVariant scalar(const QSqlDatabase &db, const QString &sql) {
    QSqlQuery q(db);
    if (!q.exec(sql) || !q.next())
        return {};
    return q.value(0);
}

// A connection that is not a Database: to build files by hand and to play "another process".
class RawConnection {
public:
    explicit RawConnection(const QString &path)
        : m_name(QStringLiteral("raw-%1").arg(++s_counter)) {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        db.setDatabaseName(path);
        m_ok = db.open();
    }
    ~RawConnection() {
        {
            QSqlDatabase db = QSqlDatabase::database(m_name, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(m_name);
    }
    bool ok() const { return m_ok; }
    QSqlDatabase db() const { return QSqlDatabase::database(m_name, false); }
    bool exec(const QString &sql) {
        QSqlQuery q(db());
        if (q.exec(sql))
            return true;
        qWarning() << "raw statement failed:" << q.lastError().text() << sql;
        return false;
    }

private:
    static inline int s_counter = 0;
    QString m_name;
    bool m_ok = false;
};

// Everything a refused open must leave as it was.
struct FileState {
    QByteArray sha256;
    QDateTime modified;
    qint64 size = -1;
    bool operator==(const FileState &o) const {
        return sha256 == o.sha256 && modified == o.modified && size == o.size;
    }
};

FileState stateOf(const QString &path) {
    FileState s;
    QFile f(path);
    if (f.open(QIODevice::ReadOnly)) {
        s.sha256 = QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
        s.modified = QFileInfo(path).lastModified().toUTC();
        s.size = f.size();
    }
    return s;
}

// Backdates the file so that any write, however quick, would show in its mtime.
void backdate(const QString &path) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadWrite));
    QVERIFY(f.setFileTime(test::pinnedNow().addDays(-10), QFileDevice::FileModificationTime));
}

void writeFile(const QString &path, const QByteArray &bytes) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QCOMPARE(f.write(bytes), bytes.size());
}

bool siblingsExist(const QString &path) {
    return QFileInfo::exists(path + QStringLiteral("-wal")) ||
           QFileInfo::exists(path + QStringLiteral("-journal"));
}

} // namespace

class TestDatabase : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString path(const QString &name) const { return m_dir.filePath(name); }

    // Opens must fail, say why with the file's name, and leave the file byte-for-byte and
    // mtime-for-mtime as it was.
    void expectRefusedUntouched(const QString &file, const QString &expectedText) {
        backdate(file);
        const FileState before = stateOf(file);
        QVERIFY(!before.sha256.isEmpty());
        QString error;
        const auto db = Database::open(file, &error);
        QVERIFY(!db);
        QVERIFY2(error.contains(expectedText), qPrintable(error));
        QVERIFY2(error.contains(QFileInfo(file).fileName()), qPrintable(error));
        QVERIFY(stateOf(file) == before);
        QVERIFY(!siblingsExist(file));
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void freshDatabaseIsCurrentWalWithForeignKeys() {
        const QString file = path(QStringLiteral("fresh.sqlite"));
        QString error;
        auto db = Database::open(file, &error);
        QVERIFY2(db, qPrintable(error));
        QCOMPARE(db->schemaVersion(), schema::latestVersion());
        QCOMPARE(db->schemaVersion(), Database::currentSchemaVersion());
        QCOMPARE(pragma(db->connection(), QStringLiteral("journal_mode")).toString(),
                 QStringLiteral("wal"));
        QCOMPARE(pragma(db->connection(), QStringLiteral("foreign_keys")).toInt(), 1);
        QCOMPARE(pragma(db->connection(), QStringLiteral("application_id")).toInt(),
                 Database::kApplicationId);
        for (const char *table : {"targets", "target_tags", "tag_policies", "certificates",
                                  "certificate_info", "probes", "latest_probes", "meta"}) {
            QCOMPARE(scalar(db->connection(),
                            QStringLiteral("SELECT count(*) FROM sqlite_master WHERE type = "
                                           "'table' AND name = '%1'")
                                .arg(QLatin1String(table)))
                         .toInt(),
                     1);
        }
        // Deleting a probe finds its latest_probes row through an index, not a table scan.
        QCOMPARE(scalar(db->connection(),
                        QStringLiteral("SELECT count(*) FROM sqlite_master WHERE type = 'index' "
                                       "AND tbl_name = 'latest_probes' AND sql LIKE '%probe_id%'"))
                     .toInt(),
                 1);
    }

    void reopenKeepsData() {
        const QString file = path(QStringLiteral("reopen.sqlite"));
        QString error;
        {
            auto db = Database::open(file, &error);
            QVERIFY2(db, qPrintable(error));
            QVERIFY2(db->exec(QStringLiteral("INSERT INTO tag_policies (tag, warning_days) "
                                             "VALUES ('prod', 45)"),
                              &error),
                     qPrintable(error));
        }
        auto db = Database::open(file, &error);
        QVERIFY2(db, qPrintable(error));
        QCOMPARE(db->schemaVersion(), schema::latestVersion());
        QCOMPARE(scalar(db->connection(),
                        QStringLiteral("SELECT warning_days FROM tag_policies WHERE tag = 'prod'"))
                     .toInt(),
                 45);
        // A second open of the same file in the same process is a second connection, not a
        // clash: the dashboard and a scan may share the file.
        auto second = Database::open(file, &error);
        QVERIFY2(second, qPrintable(error));
    }

    void migratesVersion1() {
        const QString file = path(QStringLiteral("v1.sqlite"));
        {
            RawConnection raw(file);
            QVERIFY(raw.ok());
            for (const QString &statement : schema::migrationTo(1))
                QVERIFY(raw.exec(statement));
            QVERIFY(raw.exec(QStringLiteral("PRAGMA user_version=1")));
            QVERIFY(
                raw.exec(QStringLiteral("PRAGMA application_id=%1").arg(Database::kApplicationId)));
            QVERIFY(raw.exec(QStringLiteral(
                "INSERT INTO targets (id, endpoint_key, name, host, port, tags, owner, "
                "warning_days, created_at, updated_at) VALUES "
                "(7, 'k7', 'Web', 'www.example.com', 443, 'prod, web', 'ops', 40, 1000, 2000), "
                "(9, 'k9', '', 'mail.example.com', 25, '', '', NULL, 3000, 4000)")));
            QVERIFY(raw.exec(
                QStringLiteral("INSERT INTO probes (target_id, address, probed_at, status) "
                               "VALUES (7, '192.0.2.1', 1500, 'ok')")));
        }

        QString error;
        auto db = Database::open(file, &error);
        QVERIFY2(db, qPrintable(error));
        QCOMPARE(db->schemaVersion(), schema::latestVersion());
        const QSqlDatabase c = db->connection();

        QSqlQuery tags(c);
        QVERIFY(tags.exec(QStringLiteral("SELECT target_id, tag FROM target_tags "
                                         "ORDER BY target_id, tag")));
        QList<QPair<qint64, QString>> got;
        while (tags.next())
            got.append({tags.value(0).toLongLong(), tags.value(1).toString()});
        const QList<QPair<qint64, QString>> expected{{7, QStringLiteral("prod")},
                                                     {7, QStringLiteral("web")}};
        QCOMPARE(got, expected);

        QSqlQuery columns(c);
        QVERIFY(columns.exec(QStringLiteral("PRAGMA table_info(targets)")));
        QStringList names;
        while (columns.next())
            names << columns.value(1).toString();
        QVERIFY2(!names.contains(QStringLiteral("tags")), qPrintable(names.join(u',')));
        QVERIFY(names.contains(QStringLiteral("endpoint_key")));

        QSqlQuery rows(c);
        QVERIFY(rows.exec(QStringLiteral("SELECT id, name, host, port, owner, warning_days, "
                                         "created_at, updated_at FROM targets ORDER BY id")));
        QVERIFY(rows.next());
        QCOMPARE(rows.value(0).toLongLong(), 7);
        QCOMPARE(rows.value(1).toString(), QStringLiteral("Web"));
        QCOMPARE(rows.value(2).toString(), QStringLiteral("www.example.com"));
        QCOMPARE(rows.value(3).toInt(), 443);
        QCOMPARE(rows.value(4).toString(), QStringLiteral("ops"));
        QCOMPARE(rows.value(5).toInt(), 40);
        QCOMPARE(rows.value(6).toLongLong(), 1000);
        QCOMPARE(rows.value(7).toLongLong(), 2000);
        QVERIFY(rows.next());
        QCOMPARE(rows.value(0).toLongLong(), 9);
        QCOMPARE(rows.value(2).toString(), QStringLiteral("mail.example.com"));
        QVERIFY(rows.value(5).isNull());
        QVERIFY(!rows.next());

        QCOMPARE(
            scalar(c, QStringLiteral("SELECT count(*) FROM probes WHERE target_id = 7")).toInt(),
            1);
        QCOMPARE(scalar(c, QStringLiteral("SELECT count(*) FROM tag_policies")).toInt(), 0);
        QCOMPARE(scalar(c, QStringLiteral("PRAGMA integrity_check")).toString(),
                 QStringLiteral("ok"));
    }

    // Version 3 -> 4 adds the alert tracker's memory: an existing store keeps its inventory and
    // history, starts with no alert state (the first scan announces what it finds), and the
    // state goes away with its target.
    void migratesVersion3() {
        const QString file = path(QStringLiteral("v3.sqlite"));
        {
            RawConnection raw(file);
            QVERIFY(raw.ok());
            for (int v = 1; v <= 3; ++v) {
                for (const QString &statement : schema::migrationTo(v))
                    QVERIFY2(raw.exec(statement), qPrintable(statement));
            }
            QVERIFY(raw.exec(QStringLiteral("PRAGMA user_version=3")));
            QVERIFY(
                raw.exec(QStringLiteral("PRAGMA application_id=%1").arg(Database::kApplicationId)));
            QVERIFY(raw.exec(QStringLiteral(
                "INSERT INTO targets (id, endpoint_key, host, port, created_at, updated_at) "
                "VALUES (5, 'k5', 'api.example.com', 443, 1000, 1000)")));
            QVERIFY(
                raw.exec(QStringLiteral("INSERT INTO probes (target_id, address, probed_at, status) "
                                        "VALUES (5, '192.0.2.5', 1500, 'warning')")));
        }

        QString error;
        auto db = Database::open(file, &error);
        QVERIFY2(db, qPrintable(error));
        QCOMPARE(db->schemaVersion(), schema::latestVersion());
        const QSqlDatabase c = db->connection();
        QCOMPARE(scalar(c, QStringLiteral("SELECT count(*) FROM probes")).toInt(), 1);
        QCOMPARE(scalar(c, QStringLiteral("SELECT count(*) FROM alert_state")).toInt(), 0);
        QCOMPARE(scalar(c, QStringLiteral("SELECT count(*) FROM alert_snoozes")).toInt(), 0);

        QVERIFY2(db->exec(QStringLiteral(
                              "INSERT INTO alert_state (target_id, address, level, notified_level, "
                              "updated_at) VALUES (5, '192.0.2.5', 'warning', 'warning', 1500)"),
                          &error),
                 qPrintable(error));
        QVERIFY2(db->exec(QStringLiteral("INSERT INTO alert_snoozes (target_id, until_renewed, "
                                         "created_at) VALUES (5, 1, 1500)"),
                          &error),
                 qPrintable(error));
        // Alert state for a target that does not exist is refused (foreign keys are on).
        QVERIFY(!db->exec(QStringLiteral("INSERT INTO alert_state (target_id, address, level, "
                                         "notified_level, updated_at) "
                                         "VALUES (99, '', 'ok', 'ok', 1)")));
        QVERIFY(db->exec(QStringLiteral("DELETE FROM targets WHERE id = 5")));
        QCOMPARE(scalar(c, QStringLiteral("SELECT count(*) FROM alert_state")).toInt(), 0);
        QCOMPARE(scalar(c, QStringLiteral("SELECT count(*) FROM alert_snoozes")).toInt(), 0);
        QCOMPARE(scalar(c, QStringLiteral("PRAGMA integrity_check")).toString(),
                 QStringLiteral("ok"));
    }

    // Version 6 (trust levels): probes stored before get kinds from the verifier's English
    // findings and a level from them, so that the window, `certdash report` and the next scan's
    // alerts see the same level as a fresh probe; the alert state starts at trusted; one
    // transaction like every migration.
    void migratesVersion5() {
        const QString file = path(QStringLiteral("v5.sqlite"));
        {
            RawConnection raw(file);
            QVERIFY(raw.ok());
            for (int v = 1; v <= 5; ++v) {
                for (const QString &statement : schema::migrationTo(v))
                    QVERIFY2(raw.exec(statement), qPrintable(statement));
            }
            QVERIFY(raw.exec(QStringLiteral("PRAGMA user_version=5")));
            QVERIFY(
                raw.exec(QStringLiteral("PRAGMA application_id=%1").arg(Database::kApplicationId)));
            QVERIFY(raw.exec(QStringLiteral(
                "INSERT INTO targets (id, endpoint_key, host, port, created_at, updated_at) "
                "VALUES (5, 'k5', 'api.example.com', 443, 1000, 1000)")));
            const auto probe = [&](int id, const QString &trusted, const QString &findings) {
                return raw.exec(
                    QStringLiteral("INSERT INTO probes (id, target_id, address, probed_at, status, "
                                   "trusted, findings) VALUES (%1, 5, '192.0.2.%1', 1500, 'ok', "
                                   "%2, '%3')")
                        .arg(id)
                        .arg(trusted, findings));
            };
            QVERIFY(probe(1, QStringLiteral("1"), QString()));
            QVERIFY(probe(
                2, QStringLiteral("0"),
                QStringLiteral(R"(["hostname mismatch: certificate is not valid for )"
                               R"(api.example.com","weak key: CN=x has a 1024-bit RSA key"])")));
            QVERIFY(
                probe(3, QStringLiteral("0"),
                      QStringLiteral(R"(["weak signature: CN=x is signed with sha1",)"
                                     R"("extra certificate not on the verified path: CN=Old"])")));
            QVERIFY(probe(4, QStringLiteral("NULL"), QString())); // no certificate read
            QVERIFY(
                probe(5, QStringLiteral("0"), QStringLiteral(R"(["CN=x: path length exceeded"])")));
            // Findings as version 5 builds (main's chain checks) wrote them.
            QVERIFY(probe(
                6, QStringLiteral("1"),
                QStringLiteral(R"(["extra certificate not on the verified path: CN=Root )"
                               R"x(issued by CN=Old Root (expired 2021-09-30T14:01:15Z)"])x")));
            QVERIFY(
                probe(7, QStringLiteral("1"),
                      QStringLiteral(R"(["chain out of order: CN=Int 1 is sent before CN=Int )"
                                     R"(2, the certificate it issued",)"
                                     R"("extra certificate not on the verified path: CN=Old"])")));
            QVERIFY(probe(8, QStringLiteral("0"),
                          QStringLiteral(R"(["no subjectAltName: CN=x matched only through the )"
                                         R"(deprecated Common Name fallback"])")));
            QVERIFY(probe(9, QStringLiteral("0"),
                          QStringLiteral(R"(["unreadable notBefore in CN=x: 991332250000Z",)"
                                         R"("unreadable notAfter in CN=x: 00000101000000Z"])")));
            QVERIFY(raw.exec(QStringLiteral(
                "INSERT INTO alert_state (target_id, address, level, notified_level, updated_at) "
                "VALUES (5, '192.0.2.2', 'warning', 'warning', 1500)")));
        }

        QString error;
        auto db = Database::open(file, &error);
        QVERIFY2(db, qPrintable(error));
        QCOMPARE(db->schemaVersion(), 10); // through 6, then 7 (connections), 8 (scan runs), 9 (changes), 10
        const QSqlDatabase c = db->connection();
        // Version 7: targets and tags gain how to reach them, empty (inherit) for what was stored.
        QCOMPARE(scalar(c, QStringLiteral("SELECT count(*) FROM targets WHERE client_cert = '' "
                                          "AND client_key = '' AND proxy = ''"))
                     .toInt(),
                 scalar(c, QStringLiteral("SELECT count(*) FROM targets")).toInt());
        const auto column = [&](int id, const char *name) {
            return scalar(c, QStringLiteral("SELECT %1 FROM probes WHERE id = %2")
                                 .arg(QLatin1String(name))
                                 .arg(id));
        };
        QCOMPARE(column(1, "trust_level").toString(), QStringLiteral("trusted"));
        QCOMPARE(column(1, "finding_kinds").toString(), QString());
        QCOMPARE(column(2, "finding_kinds").toString(),
                 QStringLiteral("hostname_mismatch weak_key"));
        QCOMPARE(column(2, "trust_level").toString(), QStringLiteral("failed"));
        QCOMPARE(column(3, "finding_kinds").toString(),
                 QStringLiteral("weak_signature extra_certificate"));
        QCOMPARE(column(3, "trust_level").toString(), QStringLiteral("weak"));
        QVERIFY(column(4, "trust_level").isNull());
        QCOMPARE(column(5, "finding_kinds").toString(), QStringLiteral("other"));
        QCOMPARE(column(5, "trust_level").toString(), QStringLiteral("failed"));
        // A stale cross-sign alone stays trusted; out of order is weak; CN-only and unreadable
        // dates fail.
        QCOMPARE(column(6, "finding_kinds").toString(), QStringLiteral("extra_certificate"));
        QCOMPARE(column(6, "trust_level").toString(), QStringLiteral("trusted"));
        QCOMPARE(column(7, "finding_kinds").toString(),
                 QStringLiteral("chain_out_of_order extra_certificate"));
        QCOMPARE(column(7, "trust_level").toString(), QStringLiteral("weak"));
        QCOMPARE(column(8, "finding_kinds").toString(), QStringLiteral("no_subject_alt_name"));
        QCOMPARE(column(8, "trust_level").toString(), QStringLiteral("failed"));
        QCOMPARE(column(9, "finding_kinds").toString(),
                 QStringLiteral("unreadable_date unreadable_date"));
        QCOMPARE(column(9, "trust_level").toString(), QStringLiteral("failed"));
        QCOMPARE(scalar(c, QStringLiteral("SELECT trust_level FROM alert_state")).toString(),
                 QStringLiteral("trusted"));
        QCOMPARE(scalar(c, QStringLiteral("SELECT accept_self_signed || pin_issuer || pin_sha256 "
                                          "FROM targets WHERE id = 5"))
                     .toString(),
                 QStringLiteral("0"));
        QCOMPARE(scalar(c, QStringLiteral("PRAGMA integrity_check")).toString(),
                 QStringLiteral("ok"));
    }

    void refusesNewerSchema() {
        const QString file = path(QStringLiteral("newer.sqlite"));
        {
            RawConnection raw(file);
            QVERIFY(raw.ok());
            QVERIFY(raw.exec(QStringLiteral("CREATE TABLE future (x INTEGER)")));
            QVERIFY(raw.exec(QStringLiteral("INSERT INTO future VALUES (42)")));
            QVERIFY(raw.exec(QStringLiteral("PRAGMA user_version=99")));
            QVERIFY(
                raw.exec(QStringLiteral("PRAGMA application_id=%1").arg(Database::kApplicationId)));
        }
        expectRefusedUntouched(file, QStringLiteral("newer"));
        QString error;
        QVERIFY(!Database::open(file, &error));
        QVERIFY2(error.contains(QStringLiteral("99")), qPrintable(error));
    }

    void refusesNonDatabaseFiles_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("text") << QByteArray("example.com:443\nmail.example.com:25 starttls=smtp\n");
        QByteArray jpeg("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00", 20);
        for (int i = 0; i < 4096; ++i)
            jpeg.append(char((i * 31 + 7) & 0xFF));
        jpeg.append("\xFF\xD9", 2);
        QTest::newRow("jpeg") << jpeg;
    }
    void refusesNonDatabaseFiles() {
        QFETCH(QByteArray, bytes);
        const QString file =
            path(QStringLiteral("notadb-%1").arg(QLatin1String(QTest::currentDataTag())));
        writeFile(file, bytes);
        expectRefusedUntouched(file, QStringLiteral("not a CertDash database"));
    }

    void refusesOtherApplicationsDatabase() {
        const QString file = path(QStringLiteral("other-app.sqlite"));
        {
            RawConnection raw(file);
            QVERIFY(raw.ok());
            QVERIFY(raw.exec(QStringLiteral("CREATE TABLE contacts (name TEXT, phone TEXT)")));
            QVERIFY(raw.exec(QStringLiteral("INSERT INTO contacts VALUES ('Ann', '555')")));
        }
        expectRefusedUntouched(file, QStringLiteral("another application"));
    }

    void lockedDatabaseFailsQuicklyWithMessage() {
        const QString file = path(QStringLiteral("locked.sqlite"));
        QString error;
        auto db = Database::open(file, &error);
        QVERIFY2(db, qPrintable(error));

        RawConnection other(file);
        QVERIFY(other.ok());
        QVERIFY(other.exec(QStringLiteral("BEGIN IMMEDIATE")));
        QVERIFY(other.exec(QStringLiteral("INSERT INTO tag_policies (tag) VALUES ('held')")));

        QElapsedTimer timer;
        timer.start();
        const bool written = db->inTransaction(
            [&] {
                return db->exec(QStringLiteral("INSERT INTO tag_policies (tag) VALUES ('mine')"),
                                &error);
            },
            &error);
        const qint64 elapsed = timer.elapsed();
        QVERIFY(!written);
        QVERIFY2(elapsed < 10000, qPrintable(QString::number(elapsed)));
        QVERIFY2(error.contains(QStringLiteral("locked")), qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral("locked.sqlite")), qPrintable(error));

        // Once the other side lets go, the same connection writes normally.
        QVERIFY(other.exec(QStringLiteral("ROLLBACK")));
        QVERIFY2(db->inTransaction(
                     [&] {
                         return db->exec(
                             QStringLiteral("INSERT INTO tag_policies (tag) VALUES ('mine')"),
                             &error);
                     },
                     &error),
                 qPrintable(error));
        QCOMPARE(
            scalar(db->connection(), QStringLiteral("SELECT group_concat(tag) FROM tag_policies"))
                .toString(),
            QStringLiteral("mine"));
    }

    void refusesDirectory() {
        const QString dir = path(QStringLiteral("a-folder"));
        QVERIFY(QDir().mkpath(dir));
        QString error;
        QVERIFY(!Database::open(dir, &error));
        QVERIFY2(error.contains(QStringLiteral("a-folder")), qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral("directory")), qPrintable(error));
        QVERIFY(QDir(dir).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestDatabase)
#include "tst_database.moc"
