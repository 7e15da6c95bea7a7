// Settings > Fleet with a real keychain (gnome-keyring on a private session bus, as in
// tst_keychain): a bearer token and a Basic password typed into the source dialog go to the
// keychain under FleetSource::secretKey(), the window's reads send them (a local HTTP server
// records the Authorization header), and neither the settings file, the database nor the fleet
// rows file holds a trace of them.
#include "KeyringSession.h"
#include "fleet/FleetSource.h"
#include "secrets/KeychainSecretStore.h"
#include "storage/Database.h"
#include "storage/Settings.h"
#include "widgets/FleetFeed.h"
#include "widgets/FleetSettings.h"
#include "widgets/MainWindow.h"
#include "widgets/SettingsDialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QStatusBar>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace certdash;
using namespace certdash::test;
using namespace Qt::StringLiterals;

namespace {
// Records the request heads it gets; answers 503 (no fleet behind it).
class RecordingHttp : public QTcpServer {
public:
    QList<QByteArray> heads;
    RecordingHttp() {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = nextPendingConnection()) {
                connect(s, &QTcpSocket::readyRead, s, [this, s] {
                    const QByteArray head = s->readAll();
                    heads << head;
                    s->write("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n"
                             "Connection: close\r\n\r\n");
                    s->disconnectFromHost();
                });
                connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
            }
        });
    }
    bool sawHeader(const QByteArray &header) const {
        for (const QByteArray &head : heads) {
            if (head.contains(header))
                return true;
        }
        return false;
    }
};

QByteArray utf16(const QByteArray &text) {
    const QString s = QString::fromUtf8(text);
    return QByteArray(reinterpret_cast<const char *>(s.utf16()), s.size() * 2);
}
} // namespace

class TestFleetSettings : public QObject {
    Q_OBJECT

    KeyringSession m_keyring;

    // Fills the source dialog as a user would and presses OK.
    static void addSource(SettingsDialog &dialog, const QString &url, const QString &auth,
                          const QString &user, const QString &secret) {
        dialog.findChild<QPushButton *>(u"addFleetSource"_s)->click();
        FleetSourceDialog *source = nullptr;
        QTRY_VERIFY((source = dialog.findChild<FleetSourceDialog *>()) != nullptr);
        source->findChild<QLineEdit *>(u"fleetUrl"_s)->setText(url);
        auto *authBox = source->findChild<QComboBox *>(u"fleetAuth"_s);
        authBox->setCurrentIndex(authBox->findData(auth));
        source->findChild<QLineEdit *>(u"fleetUser"_s)->setText(user);
        source->findChild<QLineEdit *>(u"fleetSecret"_s)->setText(secret);
        source->findChild<QSpinBox *>(u"fleetInterval"_s)->setValue(30);
        QPushButton *ok = source->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
        QVERIFY(ok->isEnabled());
        ok->click();
        QTRY_VERIFY(!dialog.findChild<FleetSourceDialog *>()); // deleted on close
    }

private slots:
    void initTestCase() {
        const QString error = m_keyring.start();
        QVERIFY2(error.isEmpty(), qPrintable(error));
        m_keyring.applyToThisProcess();
    }

    void secretsGoToTheKeychainOnly() {
        const QByteArray token = "Fleet-Bearer-Token-8c41e2";
        const QByteArray password = "Fleet-Basic-Password-f09d";
        RecordingHttp bearerServer, basicServer;
        QVERIFY(bearerServer.listen(QHostAddress::LocalHost));
        QVERIFY(basicServer.listen(QHostAddress::LocalHost));
        const QString bearerUrl = u"http://127.0.0.1:%1"_s.arg(bearerServer.serverPort());
        const QString basicUrl = u"http://127.0.0.1:%1"_s.arg(basicServer.serverPort());

        const QString dir = m_keyring.home() + u"/certdash"_s;
        QVERIFY(QDir().mkpath(dir));
        Settings settings(dir + u"/certdash.ini"_s);
        QString error;
        auto db = Database::open(dir + u"/certdash.sqlite"_s, &error);
        QVERIFY2(db, qPrintable(error));

        SettingsDialog dialog;
        dialog.setValues(settings.values());
        addSource(dialog, bearerUrl, u"bearer"_s, QString(), QString::fromUtf8(token));
        addSource(dialog, basicUrl, u"basic"_s, u"reader"_s, QString::fromUtf8(password));
        QCOMPARE(dialog.findChild<QListWidget *>(u"fleetSources"_s)->count(), 2);
        const Settings::Values values = dialog.values();
        QCOMPARE(values.fleetSources.size(), 2);
        QVERIFY(settings.store(values).isEmpty());
        settings.sync();

        // In the keychain, under the names the window looks them up by.
        KeychainSecretStore keychain;
        QCOMPARE(keychain.read(fleetSourceOf(values.fleetSources.at(0)).secretKey()).value,
                 QString::fromUtf8(token));
        QCOMPARE(keychain.read(fleetSourceOf(values.fleetSources.at(1)).secretKey()).value,
                 QString::fromUtf8(password));

        // The window reads them from there and sends them (and only to their own server).
        {
            MainWindow window(*db, settings);
            QTRY_VERIFY_WITH_TIMEOUT(bearerServer.sawHeader("Bearer " + token), 15000);
            QTRY_VERIFY_WITH_TIMEOUT(
                basicServer.sawHeader("Basic " + QByteArray("reader:" + password).toBase64()),
                15000);
            QVERIFY(!basicServer.sawHeader(token));
            QTRY_VERIFY(!window.statusBar()->currentMessage().isEmpty()); // 503: said once
        }
        settings.sync();

        // No trace anywhere under the home: settings, database, fleet rows file, WAL.
        QStringList found =
            filesContaining(m_keyring.home(), token) + filesContaining(m_keyring.home(), password) +
            filesContaining(m_keyring.home(), utf16(token)) +
            filesContaining(m_keyring.home(), utf16(password)) +
            filesContaining(m_keyring.home(), token.toBase64()) +
            filesContaining(m_keyring.home(), QByteArray("reader:" + password).toBase64());
        found.removeAll(u".local/share/keyrings/login.keyring"_s);
        QVERIFY2(found.isEmpty(), qPrintable(found.join(u", "_s)));
        QVERIFY(QFile::exists(dir + u"/certdash.ini"_s));
        QVERIFY(QFile::exists(dir + u"/certdash.sqlite"_s));

        // Removing a source removes its keychain entry.
        SettingsDialog again;
        again.setValues(settings.values());
        auto *list = again.findChild<QListWidget *>(u"fleetSources"_s);
        list->setCurrentRow(0);
        again.findChild<QPushButton *>(u"removeFleetSource"_s)->click();
        QCOMPARE(again.values().fleetSources.size(), 1);
        QCOMPARE(int(keychain.read(fleetSourceOf(values.fleetSources.at(0)).secretKey()).outcome),
                 int(SecretLookup::Outcome::NotFound));
    }
};

QTEST_MAIN(TestFleetSettings)
#include "tst_fleetsettings.moc"
