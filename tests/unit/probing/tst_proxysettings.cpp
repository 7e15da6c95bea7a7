#include "domain/Status.h"
#include "probing/ProxySettings.h"
#include "secrets/SecretStore.h"

#include <QTest>

using namespace certdash;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(ProxyServer::Kind)
Q_DECLARE_METATYPE(certdash::Status)

namespace {
QProcessEnvironment environment(const QStringList &assignments) {
    QProcessEnvironment env;
    for (const QString &a : assignments)
        env.insert(a.section(u'=', 0, 0), a.section(u'=', 1));
    return env;
}

// A keychain that holds what the test puts in it.
class MapStore final : public SecretStore {
public:
    QHash<QString, QString> entries;
    SecretLookup read(const QString &name) override {
        if (entries.contains(name))
            return {SecretLookup::Outcome::Found, entries.value(name), {}};
        return {SecretLookup::Outcome::NotFound, {}, u"no such entry"_s};
    }
    QString write(const QString &name, const QString &value) override {
        entries.insert(name, value);
        return {};
    }
    QString remove(const QString &name) override {
        entries.remove(name);
        return {};
    }
};
} // namespace

class TestProxySettings : public QObject {
    Q_OBJECT
private slots:
    void init() { qunsetenv(kProxyPasswordVariable); }

    void parsesUrls_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<ProxyServer::Kind>("kind");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("display");
        QTest::addColumn<bool>("resolvesNames");
        using K = ProxyServer::Kind;
        QTest::newRow("http") << u"http://proxy.example:3128"_s << K::Http << u"proxy.example"_s
                              << 3128 << QString() << u"http://proxy.example:3128"_s << true;
        QTest::newRow("http user, slash")
            << u"HTTP://alice@Proxy.Example.:8080/"_s << K::Http << u"proxy.example"_s << 8080
            << u"alice"_s << u"http://alice@proxy.example:8080"_s << true;
        QTest::newRow("no scheme is http") << u"proxy:3128"_s << K::Http << u"proxy"_s << 3128
                                           << QString() << u"http://proxy:3128"_s << true;
        QTest::newRow("default port 1080")
            << u"socks5://10.0.0.1"_s << K::Socks5 << u"10.0.0.1"_s << 1080 << QString()
            << u"socks5://10.0.0.1:1080"_s << false;
        QTest::newRow("socks5h ipv6") << u"socks5h://bob@[::1]:1081"_s << K::Socks5h << u"::1"_s
                                      << 1081 << u"bob"_s << u"socks5h://bob@[::1]:1081"_s << true;
        QTest::newRow("idn") << u"http://прокси.example:3128"_s << K::Http
                             << u"xn--h1adldfi.example"_s << 3128 << QString()
                             << u"http://xn--h1adldfi.example:3128"_s << true;
    }
    void parsesUrls() {
        QFETCH(QString, text);
        const ProxyUrlParse parsed = parseProxyUrl(text, u"--proxy"_s);
        QVERIFY2(parsed.server, qPrintable(parsed.error));
        QTEST(parsed.server->kind, "kind");
        QTEST(parsed.server->host, "host");
        QTEST(int(parsed.server->port), "port");
        QTEST(parsed.server->user, "user");
        QTEST(parsed.server->display(), "display");
        QTEST(parsed.server->resolvesNames(), "resolvesNames");
        const QNetworkProxy proxy = parsed.server->networkProxy();
        QCOMPARE(proxy.type(), parsed.server->kind == ProxyServer::Kind::Http
                                   ? QNetworkProxy::HttpProxy
                                   : QNetworkProxy::Socks5Proxy);
        QCOMPARE(proxy.hostName(), parsed.server->host);
        QCOMPARE(proxy.port(), parsed.server->port);
    }

    void refusesUrls_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("empty") << u" "_s << u"empty"_s;
        QTest::newRow("https proxy") << u"https://proxy:443"_s << u"'https' is not supported"_s;
        QTest::newRow("socks4") << u"socks4://proxy:1080"_s << u"'socks4' is not supported"_s;
        QTest::newRow("path") << u"http://proxy:3128/x"_s << u"no path"_s;
        QTest::newRow("port") << u"http://proxy:99999"_s << u"expected http://"_s;
        QTest::newRow("no host") << u"http://:3128"_s << u"expected http://"_s;
    }
    void refusesUrls() {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        const ProxyUrlParse parsed = parseProxyUrl(text, u"https_proxy"_s);
        QVERIFY(!parsed.server);
        QVERIFY2(parsed.error.startsWith(u"https_proxy: "_s), qPrintable(parsed.error));
        QVERIFY2(parsed.error.contains(expected), qPrintable(parsed.error));
    }

    // A password in the URL is refused, the message never repeats it, and it says where the
    // password goes instead.
    void refusesPasswordInUrl_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("quoted");
        QTest::addColumn<QString>("entry");
        QTest::newRow("http") << u"http://alice:s3cr3t-pw@proxy:3128"_s
                              << u"'http://alice@proxy:3128'"_s
                              << u"proxy:http://alice@proxy:3128"_s;
        QTest::newRow("empty password")
            << u"socks5://alice:@proxy:1080"_s << u"'socks5://alice@proxy:1080'"_s
            << u"proxy:socks5://alice@proxy:1080"_s;
        QTest::newRow("no scheme") << u"alice:s3cr3t-pw@proxy:3128"_s << u"'alice@proxy:3128'"_s
                                   << u"proxy:http://alice@proxy:3128"_s;
    }
    void refusesPasswordInUrl() {
        QFETCH(QString, text);
        QFETCH(QString, quoted);
        QFETCH(QString, entry);
        const ProxyUrlParse parsed = parseProxyUrl(text, u"--proxy"_s);
        QVERIFY(!parsed.server);
        QVERIFY2(!parsed.error.contains(u"s3cr3t"_s), qPrintable(parsed.error));
        QVERIFY2(parsed.error.contains(quoted), qPrintable(parsed.error));
        QVERIFY2(parsed.error.contains(u"certdash secret set "_s + entry),
                 qPrintable(parsed.error));
        QVERIFY2(parsed.error.contains(QLatin1String(kProxyPasswordVariable)),
                 qPrintable(parsed.error));
    }

    void noProxyMatching_data() {
        QTest::addColumn<QString>("list");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("address");
        QTest::addColumn<bool>("bypassed");
        QTest::newRow("empty") << QString() << u"a.example"_s << 443 << QString() << false;
        QTest::newRow("star") << u"*"_s << u"a.example"_s << 443 << QString() << true;
        QTest::newRow("exact") << u"intranet"_s << u"intranet"_s << 443 << QString() << true;
        QTest::newRow("exact, case, dot")
            << u"Intranet.Example."_s << u"intranet.example"_s << 443 << QString() << true;
        QTest::newRow("suffix matches subdomain")
            << u"example.com"_s << u"www.example.com"_s << 443 << QString() << true;
        QTest::newRow("suffix is not a substring")
            << u"example.com"_s << u"badexample.com"_s << 443 << QString() << false;
        QTest::newRow(".suffix: subdomain")
            << u".example.com"_s << u"a.b.example.com"_s << 443 << QString() << true;
        QTest::newRow(".suffix: not the domain")
            << u".example.com"_s << u"example.com"_s << 443 << QString() << false;
        QTest::newRow("*.suffix") << u"*.example.com"_s << u"x.example.com"_s << 443 << QString()
                                  << true;
        QTest::newRow("list with spaces")
            << u"foo, bar.example ,baz"_s << u"bar.example"_s << 443 << QString() << true;
        QTest::newRow("other name") << u"foo,bar"_s << u"baz"_s << 443 << QString() << false;
        QTest::newRow("ipv4 host") << u"192.0.2.7"_s << u"192.0.2.7"_s << 443 << QString() << true;
        QTest::newRow("ipv4 other")
            << u"192.0.2.7"_s << u"192.0.2.8"_s << 443 << QString() << false;
        QTest::newRow("ipv6 host") << u"::1"_s << u"::1"_s << 443 << QString() << true;
        QTest::newRow("ipv6 brackets")
            << u"[2001:db8::1]"_s << u"2001:db8:0::1"_s << 443 << QString() << true;
        QTest::newRow("cidr host")
            << u"10.0.0.0/8"_s << u"10.20.30.40"_s << 443 << QString() << true;
        QTest::newRow("cidr outside")
            << u"10.0.0.0/8"_s << u"11.0.0.1"_s << 443 << QString() << false;
        QTest::newRow("cidr pinned address")
            << u"10.0.0.0/8"_s << u"db.internal"_s << 443 << u"10.1.2.3"_s << true;
        QTest::newRow("cidr v6") << u"2001:db8::/32"_s << u"2001:db8:1::5"_s << 443 << QString()
                                 << true;
        QTest::newRow("port match")
            << u"example.com:443"_s << u"example.com"_s << 443 << QString() << true;
        QTest::newRow("port other")
            << u"example.com:443"_s << u"example.com"_s << 8443 << QString() << false;
        QTest::newRow("ipv6 port") << u"[::1]:443"_s << u"::1"_s << 443 << QString() << true;
        QTest::newRow("idn entry")
            << u"пример.рф"_s << u"xn--e1afmkfd.xn--p1ai"_s << 443 << QString() << true;
    }
    void noProxyMatching() {
        QFETCH(QString, list);
        QFETCH(QString, host);
        QFETCH(int, port);
        QFETCH(QString, address);
        QTEST(ProxyBypass::parse(list).matches(host, quint16(port), address), "bypassed");
    }

    // https_proxy over all_proxy, lower case over upper case, --proxy over both, none/--no-proxy
    // over everything.
    void precedence_data() {
        QTest::addColumn<QStringList>("env");
        QTest::addColumn<QString>("explicitProxy"); // "unset" for none given
        QTest::addColumn<bool>("disabled");
        QTest::addColumn<QString>("expected"); // display, or "" for direct
        QTest::addColumn<QString>("source");
        const QString unset = u"unset"_s;
        QTest::newRow("nothing") << QStringList{} << unset << false << QString() << QString();
        QTest::newRow("https_proxy")
            << QStringList{u"https_proxy=http://h1:3128"_s, u"all_proxy=socks5://a:1080"_s} << unset
            << false << u"http://h1:3128"_s << u"https_proxy"_s;
        QTest::newRow("HTTPS_PROXY") << QStringList{u"HTTPS_PROXY=http://h2:3128"_s} << unset
                                     << false << u"http://h2:3128"_s << u"HTTPS_PROXY"_s;
        QTest::newRow("lower over upper")
            << QStringList{u"https_proxy=http://low:1"_s, u"HTTPS_PROXY=http://up:2"_s} << unset
            << false << u"http://low:1"_s << u"https_proxy"_s;
        QTest::newRow("all_proxy") << QStringList{u"ALL_PROXY=socks5h://a:1080"_s} << unset << false
                                   << u"socks5h://a:1080"_s << u"ALL_PROXY"_s;
        QTest::newRow("http_proxy is not for TLS") << QStringList{u"http_proxy=http://plain:80"_s}
                                                   << unset << false << QString() << QString();
        QTest::newRow("explicit over env")
            << QStringList{u"https_proxy=http://h1:3128"_s} << u"socks5://me@s:1080"_s << false
            << u"socks5://me@s:1080"_s << u"--proxy"_s;
        QTest::newRow("explicit none") << QStringList{u"https_proxy=http://h1:3128"_s} << u"none"_s
                                       << false << QString() << QString();
        QTest::newRow("--no-proxy") << QStringList{u"all_proxy=http://h1:3128"_s} << unset << true
                                    << QString() << QString();
    }
    void precedence() {
        QFETCH(QStringList, env);
        QFETCH(QString, explicitProxy);
        QFETCH(bool, disabled);
        QFETCH(QString, expected);
        const auto given =
            explicitProxy == u"unset"_s ? std::nullopt : std::optional<QString>(explicitProxy);
        const ProxyChoice choice = chooseProxy(given, disabled, environment(env));
        QVERIFY2(choice.settings, qPrintable(choice.error));
        QCOMPARE(choice.settings->server ? choice.settings->server->display() : QString(),
                 expected);
        QTEST(choice.settings->source, "source");
    }

    void environmentErrorsNameTheVariable() {
        const ProxyChoice choice = chooseProxy(
            std::nullopt, false, environment({u"https_proxy=http://u:hunter2@corp:3128"_s}));
        QVERIFY(!choice.settings);
        QVERIFY2(choice.error.startsWith(u"https_proxy: 'http://u@corp:3128'"_s),
                 qPrintable(choice.error));
        QVERIFY(!choice.error.contains(u"hunter2"_s));
    }

    // no_proxy applies to the environment's proxy and to --proxy; a bypassed host goes direct.
    void serverForAHost() {
        const ProxyChoice choice = chooseProxy(
            u"socks5://p:1080"_s, false, environment({u"no_proxy=.corp.example,127.0.0.0/8"_s}));
        QVERIFY(choice.settings);
        const ProxySettings &s = *choice.settings;
        QVERIFY(s.serverFor(u"www.example.org"_s, 443));
        QVERIFY(!s.serverFor(u"db.corp.example"_s, 443));
        QVERIFY(!s.serverFor(u"127.0.0.1"_s, 443));
        QVERIFY(!s.serverFor(u"local.test"_s, 443, u"127.0.0.2"_s));
        // socks5 leaves resolution to CertDash; socks5h and http take the name.
        QVERIFY(!s.resolvedByProxy(u"www.example.org"_s, 443));
        const ProxySettings h = *chooseProxy(u"http://p:3128"_s, false, {}).settings;
        QVERIFY(h.resolvedByProxy(u"www.example.org"_s, 443));
        QVERIFY(!h.resolvedByProxy(u"192.0.2.1"_s, 443)); // an address needs no resolving
        QVERIFY(!ProxySettings{}.serverFor(u"www.example.org"_s, 443));
    }

    void passwordFromKeychainElseEnvironment() {
        ProxySettings s = *chooseProxy(u"http://alice@p:3128"_s, false, {}).settings;
        MapStore store;
        // Neither: a message naming the proxy and the entry, no password.
        QString error = attachProxyPassword(s, &store);
        QVERIFY2(error.contains(u"http://alice@p:3128"_s), qPrintable(error));
        QVERIFY2(error.contains(u"certdash secret set proxy:http://alice@p:3128"_s),
                 qPrintable(error));
        QVERIFY2(error.contains(QLatin1String(kProxyPasswordVariable)), qPrintable(error));
        // The environment variable for runs without a keychain (store null).
        qputenv(kProxyPasswordVariable, "from-env");
        QCOMPARE(attachProxyPassword(s, nullptr), QString());
        QCOMPARE(s.server->password, u"from-env"_s);
        // The keychain first.
        store.write(proxySecretName(s.server->url()), u"from-keychain"_s);
        QCOMPARE(attachProxyPassword(s, &store), QString());
        QCOMPARE(s.server->password, u"from-keychain"_s);
        QCOMPARE(s.server->networkProxy().password(), u"from-keychain"_s);
        QVERIFY(!s.server->display().contains(u"from-keychain"_s));
        // HTTP: Basic credentials go with the first CONNECT.
        QCOMPARE(s.server->networkProxy().rawHeader("Proxy-Authorization"),
                 "Basic " + QByteArray("alice:from-keychain").toBase64());
        // No user, no password needed.
        ProxySettings anonymous = *chooseProxy(u"http://p:3128"_s, false, {}).settings;
        QCOMPARE(attachProxyPassword(anonymous, &store), QString());
    }

    void failuresNameTheProxyNotThePassword_data() {
        QTest::addColumn<int>("error");
        QTest::addColumn<QString>("user");
        QTest::addColumn<Status>("status");
        QTest::addColumn<QString>("words");
        using E = QAbstractSocket::SocketError;
        QTest::newRow("refused") << int(E::ProxyConnectionRefusedError) << QString()
                                 << Status::Unreachable << u"refused the connection"_s;
        QTest::newRow("not found")
            << int(E::ProxyNotFoundError) << QString() << Status::Unreachable << u"not found"_s;
        QTest::newRow("auth, no user") << int(E::ProxyAuthenticationRequiredError) << QString()
                                       << Status::Unreachable << u"requires authentication"_s;
        QTest::newRow("auth failed") << int(E::ProxyAuthenticationRequiredError) << u"alice"_s
                                     << Status::Unreachable << u"authentication failed"_s;
        QTest::newRow("timeout") << int(E::ProxyConnectionTimeoutError) << QString()
                                 << Status::Timeout << u"did not answer in time"_s;
        QTest::newRow("closed") << int(E::ProxyConnectionClosedError) << QString()
                                << Status::Unreachable << u"closed the connection"_s;
        QTest::newRow("target refused") << int(E::ConnectionRefusedError) << QString()
                                        << Status::Unreachable << u"through proxy"_s;
    }
    void failuresNameTheProxyNotThePassword() {
        QFETCH(int, error);
        QFETCH(QString, user);
        ProxyServer proxy = *parseProxyUrl(u"http://p.example:3128"_s, u"--proxy"_s).server;
        proxy.user = user;
        proxy.password = u"pw-123456"_s;
        const auto failure = proxyFailure(QAbstractSocket::SocketError(error), u"text"_s, proxy,
                                          u"site.example:443"_s);
        QVERIFY(failure);
        QTEST(failure->status, "status");
        QVERIFY2(failure->error.contains(proxy.display()), qPrintable(failure->error));
        QVERIFY2(!failure->error.contains(u"pw-123456"_s), qPrintable(failure->error));
        QFETCH(QString, words);
        QVERIFY2(failure->error.contains(words), qPrintable(failure->error));
    }
};

QTEST_GUILESS_MAIN(TestProxySettings)
#include "tst_proxysettings.moc"
