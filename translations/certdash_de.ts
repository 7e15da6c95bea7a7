<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>Status</name>
    <message>
        <location filename="../app/domain/Status.cpp" line="50"/>
        <source>OK</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/Status.cpp" line="52"/>
        <source>Rotation overdue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/Status.cpp" line="54"/>
        <source>Warning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/Status.cpp" line="56"/>
        <source>Critical</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/Status.cpp" line="58"/>
        <source>Not yet valid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/Status.cpp" line="60"/>
        <source>Expired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/Status.cpp" line="62"/>
        <source>Unreachable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/Status.cpp" line="64"/>
        <source>Timed out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/Status.cpp" line="66"/>
        <source>Handshake failed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>certdash</name>
    <message>
        <location filename="../app/probing/Prober.cpp" line="51"/>
        <source>connection refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/Prober.cpp" line="53"/>
        <source>host not found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/Prober.cpp" line="55"/>
        <source>timed out %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/Prober.cpp" line="57"/>
        <source>server closed the connection %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/Prober.cpp" line="62"/>
        <source>cannot connect: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/Prober.cpp" line="63"/>
        <source>TLS handshake failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>certdash::AlertService</name>
    <message>
        <location filename="../app/alerts/AlertService.cpp" line="57"/>
        <source>The alert state was not saved; crossings may be announced again: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/alerts/AlertService.cpp" line="61"/>
        <source>A finished snooze was not cleared: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/alerts/AlertService.cpp" line="67"/>
        <source>The event log was not written: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>certdash::Alerts</name>
    <message>
        <location filename="../app/alerts/AlertLevel.cpp" line="46"/>
        <source>OK</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/alerts/AlertLevel.cpp" line="48"/>
        <source>Rotation overdue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/alerts/AlertLevel.cpp" line="50"/>
        <source>Warning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/alerts/AlertLevel.cpp" line="52"/>
        <source>Critical</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/alerts/AlertLevel.cpp" line="54"/>
        <source>Expired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="31"/>
        <source>Expires %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/ExpiryWords.cpp" line="42"/>
        <source>expired less than an hour ago</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../app/domain/ExpiryWords.cpp" line="44"/>
        <source>expired %n hour(s) ago</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/domain/ExpiryWords.cpp" line="46"/>
        <source>expired %n day(s) ago</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/domain/ExpiryWords.cpp" line="51"/>
        <source>expires in less than an hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../app/domain/ExpiryWords.cpp" line="53"/>
        <source>expires in %n hour(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/domain/ExpiryWords.cpp" line="55"/>
        <source>expires in %n day(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/domain/ExpiryWords.cpp" line="62"/>
        <source>Expired less than an hour ago, on %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../app/domain/ExpiryWords.cpp" line="64"/>
        <source>Expired %n hour(s) ago, on %1.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/domain/ExpiryWords.cpp" line="66"/>
        <source>Expired %n day(s) ago, on %1.</source>
        <translation>
            <numerusform>Vor %n Tag abgelaufen, am %1.</numerusform>
            <numerusform>Vor %n Tagen abgelaufen, am %1.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/domain/ExpiryWords.cpp" line="71"/>
        <source>Expires in less than an hour, on %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../app/domain/ExpiryWords.cpp" line="73"/>
        <source>Expires in %n hour(s), on %1.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/domain/ExpiryWords.cpp" line="75"/>
        <source>%n day(s) left, expires %1.</source>
        <translation>
            <numerusform>noch %n Tag, läuft am %1 ab.</numerusform>
            <numerusform>noch %n Tage, läuft am %1 ab.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="37"/>
        <source>Limited by the intermediate certificate “%1”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="40"/>
        <source>Limited by the root certificate “%1”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="42"/>
        <source>Limited by the server&apos;s own (leaf) certificate.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="51"/>
        <source>address %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="76"/>
        <source>%n not trusted</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="80"/>
        <source>%n expired</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="83"/>
        <source>%n critical</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="86"/>
        <source>%n warning</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="89"/>
        <source>%n rotation overdue</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="92"/>
        <source>%n ok</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="97"/>
        <source>%n weakly secured</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="99"/>
        <source>%n renewed</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="101"/>
        <source>%n trusted again</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="111"/>
        <source>accepted as self-signed or private</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="114"/>
        <source>accepted: the pinned issuer matches</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="117"/>
        <source>accepted: the pinned fingerprint matches</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="122"/>
        <source>Now %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="123"/>
        <source>Now %1 (tag %2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="130"/>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="142"/>
        <source>Not trusted: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="143"/>
        <source>%1: certificate not trusted: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="148"/>
        <source>Weakly secured: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="149"/>
        <source>%1: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="153"/>
        <source>Trusted again: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="154"/>
        <source>%1: the certificate is trusted again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="157"/>
        <source>Still weak: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="176"/>
        <source>Renewed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="177"/>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="181"/>
        <source>%1 since %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="186"/>
        <source>A new certificate is served; now %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="188"/>
        <source>The certificate is not valid yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="208"/>
        <source>%n certificate(s) renewed</source>
        <translation>
            <numerusform>%n Zertifikat erneuert</numerusform>
            <numerusform>%n Zertifikate erneuert</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="210"/>
        <source>%n certificate(s) crossed thresholds</source>
        <translation>
            <numerusform>%n Zertifikat hat Schwellen überschritten</numerusform>
            <numerusform>%n Zertifikate haben Schwellen überschritten</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="226"/>
        <source>and %n more</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>certdash::ChainVerifier</name>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="96"/>
        <source>weak key: %1 has a %2-bit %3 key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="113"/>
        <source>weak signature: %1 is signed with %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="131"/>
        <source>no subjectAltName: %1 matched only through the deprecated Common Name fallback</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="166"/>
        <source>chain out of order: %1 is sent before %2, the certificate it issued</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="179"/>
        <location filename="../app/probing/ChainVerifier.cpp" line="308"/>
        <location filename="../app/probing/ChainVerifier.cpp" line="328"/>
        <source>verification failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="184"/>
        <source>expired: %1 expired %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="188"/>
        <source>not yet valid: %1 valid from %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="199"/>
        <source>self-signed certificate: %1 is not a trusted anchor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="204"/>
        <source>untrusted root: %1 is not a trusted anchor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="213"/>
        <source>incomplete chain: issuer of %1 (%2) was not sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="216"/>
        <source>untrusted root: issuer of %1 (%2) is not a trusted anchor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="222"/>
        <source>hostname mismatch: certificate is not valid for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="240"/>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="293"/>
        <source>no certificate presented</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="322"/>
        <source>hostname mismatch: %1 is not a valid host name or address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="416"/>
        <source> (expired %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="418"/>
        <source> (not valid before %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="422"/>
        <source> issued by %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="425"/>
        <source>extra certificate not on the verified path: %1%2%3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="448"/>
        <location filename="../app/probing/ChainVerifier.cpp" line="480"/>
        <location filename="../app/probing/ChainVerifier.cpp" line="502"/>
        <source>unreadable certificate #%1 sent by the server: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/ExpiryPolicy.cpp" line="39"/>
        <source>unreadable %1 in %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>certdash::ClientIdentity</name>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="79"/>
        <source>%1: cannot read: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="84"/>
        <source>%1: larger than %2 KiB; not a client certificate or key file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="90"/>
        <source>%1: the file is empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="141"/>
        <source>%1: the key is encrypted and no passphrase is available: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="156"/>
        <source>%1: unsupported key format: a PEM private key (-----BEGIN PRIVATE KEY-----) was expected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="164"/>
        <source>%1: no private key in it, only a certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="165"/>
        <source>%1: no private key in it (-----BEGIN PRIVATE KEY----- expected)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="174"/>
        <source>%1: the private key cannot be read (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="184"/>
        <source>%1: wrong passphrase: it does not decrypt the private key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="199"/>
        <source>%1: a DER certificate without its key; give it in PEM with --client-key, or as a PKCS#12 file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="205"/>
        <source>%1: not a certificate: unsupported format (expected PEM or PKCS#12)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="223"/>
        <source>%1: wrong password: it does not open the PKCS#12 file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="232"/>
        <source>%1: the PKCS#12 file cannot be read (%2); one made with legacy algorithms (RC2, 40-bit) can be re-exported with `openssl pkcs12`</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="242"/>
        <source>%1: the PKCS#12 file holds no certificate for its key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="246"/>
        <source>%1: the PKCS#12 file holds no private key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="265"/>
        <source>no client certificate file given</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="281"/>
        <source>%1 is a PKCS#12 file, which holds its own key: give it as --client-cert alone, without --client-key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="295"/>
        <source>%1: not a certificate: it holds only a private key (give it with --client-key, and the certificate with --client-cert)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="299"/>
        <source>%1: not a certificate: no -----BEGIN CERTIFICATE----- block in it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="313"/>
        <source>%1: holds a certificate but no private key: give the key with --client-key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="325"/>
        <source>%1: the private key does not match the certificate (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="327"/>
        <source>the key in %1 does not match the certificate in %2 (%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="399"/>
        <source>the client certificate of %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>certdash::Connection</name>
    <message>
        <location filename="../app/domain/Connection.cpp" line="37"/>
        <source>proxy %1 is not a URL (write http://host:port, socks5://host:port, or %2 for none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/Connection.cpp" line="43"/>
        <source>proxy %1: the scheme must be http, socks5 or socks5h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/Connection.cpp" line="46"/>
        <source>proxy %1 carries a password: passwords are never stored with targets; keep it in the keychain (certdash secret set) instead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/Connection.cpp" line="50"/>
        <source>proxy %1 has no host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/Connection.cpp" line="52"/>
        <source>proxy %1 has no port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/Connection.cpp" line="54"/>
        <source>proxy %1: a proxy URL has no path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/Connection.cpp" line="56"/>
        <source>proxy %1: a proxy URL has no query or fragment</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>certdash::Csv</name>
    <message>
        <location filename="../app/inventory/CsvReader.cpp" line="51"/>
        <source>record too long: %1 characters (a record holds at most %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/CsvReader.cpp" line="128"/>
        <source>unterminated quoted cell (the quote opened on line %1 is never closed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/CsvReader.cpp" line="163"/>
        <source>text after a closing quote on line %1: %2 (write a quote inside a quoted cell as &quot;&quot;)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>certdash::Database</name>
    <message>
        <location filename="../app/storage/Database.cpp" line="66"/>
        <source>%1 is locked by another CertDash process (gave up after %2 s); try again when it has finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/storage/Database.cpp" line="121"/>
        <source>%1 is a directory, not a CertDash database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/storage/Database.cpp" line="140"/>
        <source>%1 is not a CertDash database (not an SQLite file); it was left untouched</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/storage/Database.cpp" line="123"/>
        <source>cannot create the folder for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/storage/Database.cpp" line="133"/>
        <source>cannot open %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/storage/Database.cpp" line="143"/>
        <source>%1 cannot be read as a database: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/storage/Database.cpp" line="149"/>
        <source>%1 cannot be read as a database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/storage/Database.cpp" line="154"/>
        <source>%1 is an SQLite database of another application, not CertDash; it was left untouched</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/storage/Database.cpp" line="158"/>
        <source>%1 was written by a newer CertDash (schema version %2; this version knows up to %3); it was left untouched</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/storage/Database.cpp" line="189"/>
        <source>cannot prepare %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>certdash::DesktopNotifier</name>
    <message>
        <location filename="../app/alerts/DesktopNotifier.cpp" line="80"/>
        <source>Open</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>certdash::DetailsPane</name>
    <message numerus="yes">
        <location filename="../ui/widgets/DetailsPane.cpp" line="54"/>
        <source>%1 (of a %n-day lifetime)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="98"/>
        <location filename="../ui/widgets/DetailsPane.cpp" line="143"/>
        <source>Certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="98"/>
        <source>Expires</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="98"/>
        <location filename="../ui/widgets/DetailsPane.cpp" line="116"/>
        <source>Days left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="116"/>
        <source>Probed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="116"/>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="116"/>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="129"/>
        <source>&amp;Copy PEM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="130"/>
        <source>Sa&amp;ve PEM...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="131"/>
        <source>Renewal &amp;request...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="133"/>
        <source>A new private key like this certificate&apos;s (never weaker) and a CSR with its subject and names, signed with SHA-256. The key is written encrypted; its passphrase goes into the system keychain.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="144"/>
        <source>Expiry timeline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="145"/>
        <source>OpenSSL text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="146"/>
        <source>Trust</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="147"/>
        <source>History</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="176"/>
        <location filename="../ui/widgets/DetailsPane.cpp" line="181"/>
        <source>Save PEM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="178"/>
        <source>PEM certificates (*.pem *.crt)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="185"/>
        <source>Folder for key.pem and csr.pem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="190"/>
        <location filename="../ui/widgets/DetailsPane.cpp" line="193"/>
        <source>Renewal request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="194"/>
        <source>Wrote %1 (a new %2 key, encrypted) and %3. The key&apos;s passphrase is in the keychain as &quot;%4&quot; (certdash secret check reads it).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="208"/>
        <source>No certificate is selected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="218"/>
        <source>Select an endpoint to see its certificates.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="276"/>
        <source>%1, %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="279"/>
        <source>&lt;b&gt;%1&lt;/b&gt; &amp;nbsp; %2 &amp;nbsp; SNI %3 &amp;nbsp; %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="281"/>
        <source>(none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="284"/>
        <source>&lt;br&gt;%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="293"/>
        <source>%1 serves %2 (expires %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="299"/>
        <source>⚠ Backend divergence: the addresses of this target serve different certificates. %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="310"/>
        <source>Leaf</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="311"/>
        <source>Root</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="311"/>
        <source>Intermediate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="313"/>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="338"/>
        <source>&lt;p&gt;The chain verifies to a trust anchor and names this host.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="368"/>
        <source>Subject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="369"/>
        <source>Issuer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="370"/>
        <source>Valid from</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="371"/>
        <source>Valid until</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/widgets/DetailsPane.cpp" line="377"/>
        <source>, ... and %n more</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="378"/>
        <source>Names (SAN)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="379"/>
        <source>Key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="379"/>
        <source>%1 %2 bits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="380"/>
        <source>%1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="381"/>
        <source>Signature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="382"/>
        <source>Serial</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="383"/>
        <source>SHA-256</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="384"/>
        <source>Key usage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="385"/>
        <source>OCSP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="386"/>
        <source>CRL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="387"/>
        <source>Embedded SCTs</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>certdash::EndpointTableModel</name>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="438"/>
        <source>Not probed yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="457"/>
        <source>(resolve)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="461"/>
        <source>(none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="472"/>
        <source>leaf</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="474"/>
        <source>root: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="475"/>
        <source>intermediate: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="484"/>
        <source>trusted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="429"/>
        <source>%1 (stale)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="443"/>
        <source>%1 · not trusted: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="446"/>
        <source>%1 · weak: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="449"/>
        <source>%1 · accepted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="504"/>
        <source>%1 (snoozed)</source>
        <translation>%1 (stumm)</translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="566"/>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="568"/>
        <source>Target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="570"/>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="572"/>
        <source>SNI</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="574"/>
        <source>Days left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="576"/>
        <source>Expires</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="578"/>
        <source>Limiting certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="580"/>
        <source>Issuer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="582"/>
        <source>Key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="584"/>
        <source>Trust</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="586"/>
        <source>Owner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="588"/>
        <source>Tags</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="590"/>
        <source>Last probed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>certdash::EstateCharts</name>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="62"/>
        <source>Target addresses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="64"/>
        <source>Certificate lifetime (days)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="65"/>
        <source>Days left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="81"/>
        <source>Expiry &amp;calendar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="82"/>
        <source>&amp;Rotation health</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="83"/>
        <source>E&amp;xport chart as PNG...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="106"/>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="117"/>
        <source>Target addresses by the week their certificate expires</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="157"/>
        <source>Expiring after these 26 weeks: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="159"/>
        <source>Without a certificate (the last probe failed): %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="161"/>
        <source>Click a bar to list those rows in the table.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="169"/>
        <source>Rotation health: days left against certificate lifetime</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="181"/>
        <source>Healthy band (default)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="181"/>
        <source>Healthy band</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="193"/>
        <source>Warning threshold</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="194"/>
        <source>Critical threshold</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="210"/>
        <location filename="../ui/charts/EstateCharts.cpp" line="340"/>
        <source>Under the band: rotation failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="210"/>
        <location filename="../ui/charts/EstateCharts.cpp" line="340"/>
        <source>In the band</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="246"/>
        <source>Under the band (renewal was due and did not happen): %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="247"/>
        <source>No rotation period is set: the band assumes renewal at 2/3 of the lifetime.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="249"/>
        <source>The band follows the rotation period in Settings; targets with their own period are judged by it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="251"/>
        <source>Hover a point to name its targets; click it to select them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="266"/>
        <source>already expired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="267"/>
        <source>week of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="268"/>
        <source>d MMM yyyy</source>
        <comment>week in a description</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="272"/>
        <source>Expired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="274"/>
        <source>d MMM</source>
        <comment>week label: day and short month</comment>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/charts/EstateCharts.cpp" line="320"/>
        <source>%1, %2: %n target address(es)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/charts/EstateCharts.cpp" line="333"/>
        <source>and %n more</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="337"/>
        <source>%1-day certificate, expired (days left %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/charts/EstateCharts.cpp" line="338"/>
        <source>%1-day certificate, %n day(s) left</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="354"/>
        <source>%1, %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="372"/>
        <source>%1-day certificates, expired (days left %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/charts/EstateCharts.cpp" line="375"/>
        <source>%1-day certificates with %n day(s) left</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="392"/>
        <source>Cannot write %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="400"/>
        <source>Export chart as PNG</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="401"/>
        <source>PNG images (*.png)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="404"/>
        <source>Export chart</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>certdash::EventLog</name>
    <message>
        <location filename="../app/alerts/EventLog.cpp" line="100"/>
        <source>%1: the directory cannot be created.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/alerts/EventLog.cpp" line="108"/>
        <location filename="../app/alerts/EventLog.cpp" line="113"/>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>certdash::ExpiryTimelineChart</name>
    <message>
        <location filename="../ui/charts/ExpiryTimelineChart.cpp" line="50"/>
        <source>Days left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/charts/ExpiryTimelineChart.cpp" line="66"/>
        <source>Select an endpoint to see its expiry timeline.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/charts/ExpiryTimelineChart.cpp" line="75"/>
        <source>No probe of this address is recorded yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/charts/ExpiryTimelineChart.cpp" line="79"/>
        <source>No certificate was read from this address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/charts/ExpiryTimelineChart.cpp" line="118"/>
        <source>Rotation band (default)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/charts/ExpiryTimelineChart.cpp" line="119"/>
        <source>Rotation band (every %1 days)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/charts/ExpiryTimelineChart.cpp" line="127"/>
        <source>Validity of this certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/charts/ExpiryTimelineChart.cpp" line="131"/>
        <source>Warning (%1 days)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/charts/ExpiryTimelineChart.cpp" line="133"/>
        <source>Critical (%1 days)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/charts/ExpiryTimelineChart.cpp" line="140"/>
        <source>Projection if not renewed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/charts/ExpiryTimelineChart.cpp" line="148"/>
        <source>Now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/charts/ExpiryTimelineChart.cpp" line="164"/>
        <source>Days left (probes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/charts/ExpiryTimelineChart.cpp" line="169"/>
        <location filename="../ui/charts/ExpiryTimelineChart.cpp" line="241"/>
        <source>Certificate replaced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/charts/ExpiryTimelineChart.cpp" line="174"/>
        <source>Probe failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/charts/ExpiryTimelineChart.cpp" line="233"/>
        <source>%1
Probe failed: %2
%3</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/charts/ExpiryTimelineChart.cpp" line="237"/>
        <source>%n day(s) left</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/charts/ExpiryTimelineChart.cpp" line="238"/>
        <source>%1
%2
SHA-256 %3
%4</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>certdash::Findings</name>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="24"/>
        <source>A certificate on the path clients use has expired: they refuse the connection. Renew it and reload the service.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="28"/>
        <source>A certificate is not valid yet: clients refuse it until its start date. Check the issuing system&apos;s clock, or wait.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="32"/>
        <source>The server presents a self-signed certificate that no trust anchor vouches for: only clients that pin it will connect.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="36"/>
        <source>The chain ends at a CA that is not among the trust anchors. For a private CA, add its root in Settings (or --ca-file).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="40"/>
        <source>The server does not send the intermediate certificate. Browsers that cached it work; other clients fail. Serve the full chain.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="44"/>
        <source>The certificate does not name this host (or IP): clients refuse it. Reissue it with the right SAN, or check the SNI.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="48"/>
        <source>The key is too short for current clients (RSA under 2048 bits): many refuse it. Reissue with a stronger key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="52"/>
        <source>The certificate is signed with SHA-1 or MD5, which clients no longer accept. Reissue it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="56"/>
        <source>The server sends a certificate clients do not need (often a stale cross-sign). Most clients ignore it; old ones may build a path through it and fail. Remove it from the served chain.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="61"/>
        <source>A validity date of the certificate cannot be read (malformed or impossible, such as year 0000). Clients reject such a certificate, so its status is judged as the worst: reissue it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="66"/>
        <source>The certificate names the host only in its Common Name. Browsers have ignored the Common Name since 2017 and refuse it: reissue it with the name in subjectAltName.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="71"/>
        <source>The server sends its intermediates out of order. Current browsers sort them; old Java and many embedded clients fail. Serve the leaf, then each issuer in turn.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="76"/>
        <source>The server asks for a client certificate (mutual TLS) and none was sent. Its own certificate was still read. To complete the handshake, give CertDash a client certificate the server trusts (--client-cert).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="81"/>
        <source>The server refused the client certificate CertDash presented (not issued by a CA it trusts, expired, or revoked). Its own certificate was still read. Check the client certificate and the server&apos;s client CA.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="109"/>
        <source>Trusted: clients accept this certificate; the %1 should still be cleaned up.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="112"/>
        <source>Trusted: clients accept this certificate.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="115"/>
        <source>Not trusted: clients refuse this certificate (%1). This alerts and makes the scan exit with 2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="120"/>
        <source>Weak: clients accept it today, but %1 should be fixed. The scan exits with 1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="130"/>
        <source>accept_self_signed: a self-signed or private-CA endpoint, meant to be so</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="134"/>
        <source>pin_issuer: the certificate&apos;s issuer is the pinned one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="137"/>
        <source>pin_sha256: the certificate is the pinned one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="143"/>
        <source>the target&apos;s own setting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="144"/>
        <source>the policy of tag %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="145"/>
        <source>Accepted (%1) by %2: clients without it would refuse this certificate (%3); CertDash counts it as trusted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="150"/>
        <source>If the pinned value changes, it alerts.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>certdash::HistoryRepository</name>
    <message>
        <location filename="../app/storage/HistoryRepository.cpp" line="49"/>
        <source>cannot record the result for %1: the target is not stored in the database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/storage/HistoryRepository.cpp" line="58"/>
        <source>cannot record the result for %1: a certificate has no DER encoding</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>certdash::HostName</name>
    <message>
        <location filename="../app/domain/HostName.cpp" line="218"/>
        <source>label %1 is not valid punycode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/HostName.cpp" line="223"/>
        <source>label %1 is not the punycode form of a Unicode label</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/HostName.cpp" line="233"/>
        <source>label %1 starts with a combining mark</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/HostName.cpp" line="240"/>
        <source>label %1 has a zero-width joiner that does not follow a virama</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/HostName.cpp" line="252"/>
        <source>label %1 breaks the rule for right-to-left names (RFC 5893)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>certdash::Inventory</name>
    <message>
        <location filename="../app/inventory/TargetParser.cpp" line="49"/>
        <source>a JSON array</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetParser.cpp" line="51"/>
        <source>kubectl JSON</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetParser.cpp" line="53"/>
        <source>CSV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetParser.cpp" line="58"/>
        <source>a line list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetParser.cpp" line="62"/>
        <source>larger than %1 MiB (the limit for a targets input); split it into smaller files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetParser.cpp" line="89"/>
        <source>and 1 more problem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetParser.cpp" line="90"/>
        <source>and %1 more problems</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetParser.cpp" line="143"/>
        <source>it starts with &apos;{&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetParser.cpp" line="154"/>
        <source>it starts with %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetParser.cpp" line="157"/>
        <source>it starts with &apos;[&apos; but not with a JSON array of objects, so the &apos;[&apos; opens a bracketed IPv6 address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetParser.cpp" line="172"/>
        <source>its first line has a cell named &apos;host&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetParser.cpp" line="215"/>
        <source>%1: read as %2 because %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetParser.cpp" line="281"/>
        <source>cannot read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/CsvFormat.cpp" line="76"/>
        <source>column &apos;%1&apos; appears twice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/CsvFormat.cpp" line="82"/>
        <source>unknown column(s) %1 (valid columns: %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/CsvFormat.cpp" line="87"/>
        <source>missing &apos;host&apos; column in the header (columns found: %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/CsvFormat.cpp" line="118"/>
        <source>%1 cells but the header names %2 columns</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/InputText.cpp" line="104"/>
        <source>a boolean</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/InputText.cpp" line="106"/>
        <source>a number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/InputText.cpp" line="108"/>
        <location filename="../app/inventory/JsonFormat.cpp" line="154"/>
        <location filename="../app/inventory/KubectlFormat.cpp" line="128"/>
        <location filename="../app/inventory/KubectlFormat.cpp" line="144"/>
        <source>a string</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/InputText.cpp" line="110"/>
        <location filename="../app/inventory/KubectlFormat.cpp" line="111"/>
        <source>an array</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/InputText.cpp" line="112"/>
        <location filename="../app/inventory/JsonFormat.cpp" line="182"/>
        <location filename="../app/inventory/KubectlFormat.cpp" line="101"/>
        <location filename="../app/inventory/KubectlFormat.cpp" line="120"/>
        <location filename="../app/inventory/KubectlFormat.cpp" line="137"/>
        <source>an object</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/JsonFormat.cpp" line="183"/>
        <source>nothing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/JsonFormat.cpp" line="120"/>
        <source>&apos;%1&apos; must be true or false, not %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/JsonFormat.cpp" line="135"/>
        <source>&apos;%1&apos; must hold strings, not %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/JsonFormat.cpp" line="89"/>
        <source>&apos;%1&apos; is too long: %2 (a value holds at most %3 characters)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/JsonFormat.cpp" line="95"/>
        <source>&apos;%1&apos; holds an unpaired UTF-16 surrogate (a \uD800-\uDFFF escape on its own): %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/JsonFormat.cpp" line="102"/>
        <source>&apos;%1&apos; holds a NUL character (a \u0000 escape): %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/JsonFormat.cpp" line="156"/>
        <source>a number or a string</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/JsonFormat.cpp" line="158"/>
        <source>a string or an array of strings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/JsonFormat.cpp" line="159"/>
        <source>&apos;%1&apos; must be %2, not %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/JsonFormat.cpp" line="174"/>
        <source>invalid JSON: %1 (column %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/JsonFormat.cpp" line="181"/>
        <source>expected a JSON array of target objects, found %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/JsonFormat.cpp" line="193"/>
        <source>item %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/JsonFormat.cpp" line="197"/>
        <source>%1: expected an object with at least &quot;host&quot;, found %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/JsonFormat.cpp" line="217"/>
        <source>unknown key(s) %1 (valid keys: %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/LineFormat.cpp" line="59"/>
        <source>unterminated quote: the &quot; at column %1 is never closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../app/inventory/LineFormat.cpp" line="83"/>
        <source> and %n more</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/inventory/LineFormat.cpp" line="91"/>
        <source>line too long: %1 (a line holds at most %2 characters)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/LineFormat.cpp" line="109"/>
        <source>empty host: a line starts with host[:port], not %1=</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/LineFormat.cpp" line="153"/>
        <source>unknown key %1: host and port go first, as host[:port]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/LineFormat.cpp" line="157"/>
        <source>unknown key %1 (valid keys: %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/LineFormat.cpp" line="161"/>
        <source>unexpected %1: expected key=value (valid keys: %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/LineFormat.cpp" line="165"/>
        <source>duplicate key %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/LineFormat.cpp" line="146"/>
        <source>missing value for &apos;%1&apos; (write %1=VALUE)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="47"/>
        <source>bad address %1: missing &apos;]&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="53"/>
        <location filename="../app/inventory/TargetFields.cpp" line="100"/>
        <location filename="../app/inventory/TargetFields.cpp" line="324"/>
        <source>empty host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="58"/>
        <source>bad address %1: brackets hold an IPv6 address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="62"/>
        <source>bad host %1: unexpected text after &apos;]&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="80"/>
        <source>ambiguous address %1: write [%2]:%3 for port %3 of %2, or [%4] for the address itself</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="89"/>
        <source>bad address %1: write an IPv6 address with a port as [ADDRESS]:PORT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="108"/>
        <source>bad address %1: not a valid IPv4 address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="112"/>
        <source>invalid host name %1: a wildcard cannot be connected to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="117"/>
        <source>invalid host name %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="121"/>
        <source>invalid host name %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="131"/>
        <source>bad port %1: not a number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="137"/>
        <source>bad port %1: must be between 1 and 65535</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="148"/>
        <source>bad number for %1: %2 (must be a positive whole number of days)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="186"/>
        <source>bad value for accept_self_signed: %1 (must be true or false)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="193"/>
        <source>empty pin_issuer (give the issuer&apos;s name, e.g. pin_issuer=&quot;CN=Example CA, O=Example&quot;)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="196"/>
        <source>pin_issuer %1 is too long (at most %2 characters)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="206"/>
        <source>bad pin_sha256 %1: a SHA-256 fingerprint is 32 bytes, 64 hex digits, with or without &apos;:&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="220"/>
        <source>empty %1 (give the file&apos;s absolute path)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="222"/>
        <source>%1 %2 is too long (at most %3 characters)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="225"/>
        <source>%1 %2 holds a control character</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="227"/>
        <source>%1 %2 is not an absolute path (a scan may run from any folder, by cron or the window)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="236"/>
        <source>client_key without client_cert (give the certificate too)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="240"/>
        <source>empty proxy (give a URL such as http://proxy:3128, or %1 for none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="334"/>
        <source>unknown STARTTLS protocol %1 (valid: %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="340"/>
        <source>port given twice: in host (%1) and as port (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="356"/>
        <source>bad value for no_sni: %1 (must be true or false)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="364"/>
        <source>bad value for enabled: %1 (must be true or false)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="371"/>
        <source>empty sni (use no_sni to send no server name)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="374"/>
        <source>bad sni %1: a server name cannot be an IP address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="376"/>
        <source>invalid sni name %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="378"/>
        <source>invalid sni name %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="380"/>
        <source>sni and no_sni cannot be combined: sni=%1 sends a name, no_sni sends none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="391"/>
        <source>bad address: empty (give one or more IP addresses)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="396"/>
        <source>bad address %1: not an IPv4 or IPv6 address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="412"/>
        <source>critical (%1 days) must not exceed warning (%2 days)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/InventoryExport.cpp" line="110"/>
        <source>ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/InventoryExport.cpp" line="110"/>
        <source>STATE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/InventoryExport.cpp" line="111"/>
        <source>TARGET</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/InventoryExport.cpp" line="111"/>
        <source>ADDRESS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/InventoryExport.cpp" line="112"/>
        <source>SNI</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/InventoryExport.cpp" line="112"/>
        <source>STARTTLS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/InventoryExport.cpp" line="113"/>
        <source>TAGS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/InventoryExport.cpp" line="113"/>
        <source>OWNER</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/InventoryExport.cpp" line="114"/>
        <source>W/C/R DAYS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/InventoryExport.cpp" line="120"/>
        <source>(none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/InventoryExport.cpp" line="122"/>
        <source>on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/InventoryExport.cpp" line="122"/>
        <source>off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/InventoryExport.cpp" line="125"/>
        <source>(resolve)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/InputText.cpp" line="116"/>
        <source>missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlFormat.cpp" line="37"/>
        <source>%1 is %2, expected %3; skipped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlFormat.cpp" line="50"/>
        <source>invalid JSON: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlFormat.cpp" line="58"/>
        <source>not kubectl output: expected a List with &quot;items&quot; or one Ingress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlFormat.cpp" line="62"/>
        <source>&quot;items&quot; is %1, expected an array of Ingress objects; nothing to import</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlFormat.cpp" line="75"/>
        <source>an Ingress object</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlFormat.cpp" line="89"/>
        <source>%1: metadata.namespace and metadata.name must be Kubernetes names (lower-case letters, digits, &apos;-&apos; and &apos;.&apos;)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlFormat.cpp" line="95"/>
        <source>%1: a %2, not an Ingress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlFormat.cpp" line="151"/>
        <source>%1: wildcard host %2 cannot be probed; add its real names</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlFormat.cpp" line="159"/>
        <source>%1: host %2 is not a DNS name (an Ingress host has no port and is served on 443)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlFormat.cpp" line="182"/>
        <source>nothing to import: no Ingress host that can be probed in %1 items</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../app/inventory/InputText.cpp" line="144"/>
        <source> (%n characters)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/inventory/InputText.cpp" line="157"/>
        <source>UTF-32 text is not supported: save the file as UTF-8</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/InputText.cpp" line="166"/>
        <source>the file starts with a UTF-16 byte order mark but is not valid UTF-16: save it as UTF-8</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/InputText.cpp" line="181"/>
        <source>a NUL byte: this is not a text file (UTF-16 needs a byte order mark)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/InputText.cpp" line="189"/>
        <source>not UTF-8: byte \x%1 at column %2; save the file as UTF-8 (or UTF-16 with a byte order mark), e.g. with iconv -f latin1 -t utf-8</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>certdash::MainWindow</name>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="65"/>
        <source>CertDash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="87"/>
        <source>Filter by host, subject, issuer, SAN, owner or tag (Ctrl+F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="92"/>
        <source>All statuses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="96"/>
        <source>Needs attention</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="101"/>
        <source>Not probed yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="102"/>
        <source>Not trusted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="148"/>
        <source>E&amp;ndpoints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="149"/>
        <source>E&amp;state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="157"/>
        <source>%v of %m</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="160"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="182"/>
        <source>Nothing was probed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="186"/>
        <source>Results were not saved: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="208"/>
        <source>Could not write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="247"/>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="248"/>
        <source>&amp;Import targets...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="250"/>
        <source>Import targets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="251"/>
        <source>Target lists (*.txt *.csv *.json);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="256"/>
        <source>&amp;Export report as CSV...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="258"/>
        <source>Export &amp;inventory...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="260"/>
        <source>&amp;Settings...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="262"/>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="265"/>
        <source>&amp;Targets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="266"/>
        <source>&amp;Add...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="268"/>
        <source>&amp;Edit...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="270"/>
        <source>&amp;Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="273"/>
        <source>Probe &amp;selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="275"/>
        <source>Probe &amp;all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="296"/>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="297"/>
        <source>&amp;Filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="302"/>
        <source>&amp;Reload from the database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="304"/>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="305"/>
        <source>&amp;About CertDash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="306"/>
        <source>About CertDash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="307"/>
        <source>&lt;b&gt;CertDash %1&lt;/b&gt;&lt;p&gt;Watches TLS certificates across your endpoints before they expire.&lt;/p&gt;&lt;p&gt;Database: %2&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="312"/>
        <source>Main</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="340"/>
        <source>Proxy: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="346"/>
        <source>Trust anchors: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="358"/>
        <source>Loading...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="393"/>
        <source>Last probe: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="395"/>
        <source>Never probed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="424"/>
        <source>All tags</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="440"/>
        <source>Welcome to CertDash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="441"/>
        <source>The inventory is empty.

Load a sample inventory of public test endpoints that show each status (expired, wrong host, self-signed, untrusted root, incomplete chain, healthy)?

You can add your own hosts with File &gt; Import targets, or drop a target file on the window.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="58"/>
        <source>Importing %1...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="66"/>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="80"/>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="87"/>
        <source>Import</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="67"/>
        <source>Cannot read %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="77"/>
        <source>... and %1 more</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="81"/>
        <source>Nothing was imported; fix these entries first:

%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="87"/>
        <source>Nothing was imported: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="91"/>
        <source>Imported %1: %2 added, %3 updated, %4 unchanged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="136"/>
        <source>Writing the report to %1...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="569"/>
        <source>Last full scan: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="573"/>
        <source>Probing cancelled; results so far were kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="597"/>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="600"/>
        <source>Not trusted: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="602"/>
        <source>Not probed yet: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="603"/>
        <source>No targets: import a target list to begin.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/widgets/MainWindow.cpp" line="656"/>
        <source>%1: %n row(s) ✕</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="657"/>
        <source>Rows chosen in a chart. Click to show every row again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="142"/>
        <source>Export report as CSV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="144"/>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="154"/>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="207"/>
        <source>Export report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="204"/>
        <source>Wrote the report to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="152"/>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="161"/>
        <source>Export inventory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="169"/>
        <source>Remove targets</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="170"/>
        <source>Remove %n target(s) and their history?</source>
        <translation>
            <numerusform>%n Ziel und seinen Verlauf entfernen?</numerusform>
            <numerusform>%n Ziele und ihren Verlauf entfernen?</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="210"/>
        <source>This endpoint is already in the inventory as %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="218"/>
        <source>Target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="235"/>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>certdash::NotificationBanner</name>
    <message>
        <location filename="../ui/tray/NotificationBanner.cpp" line="17"/>
        <source>Show</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/tray/NotificationBanner.cpp" line="18"/>
        <source>Dismiss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/tray/NotificationBanner.cpp" line="31"/>
        <source>Hide these notifications</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/tray/NotificationBanner.cpp" line="77"/>
        <source>... and %n more notification(s).</source>
        <translation>
            <numerusform>... und %n weitere Benachrichtigung.</numerusform>
            <numerusform>... und %n weitere Benachrichtigungen.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>certdash::ProbeScheduler</name>
    <message>
        <location filename="../app/probing/ProbeScheduler.cpp" line="89"/>
        <source>invalid host name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ProbeScheduler.cpp" line="128"/>
        <source>DNS: %1 not found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ProbeScheduler.cpp" line="129"/>
        <source>DNS: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ProbeScheduler.cpp" line="159"/>
        <source>DNS: no answer for %1 within %2 s</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>certdash::Proxy</name>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="96"/>
        <source>%1: %2 is not a usable proxy: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="100"/>
        <source>it is empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="105"/>
        <source>expected http://[user@]host:port, socks5://[user@]host:port or socks5h://[user@]host:port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="116"/>
        <source>the scheme %1 is not supported (http, socks5 or socks5h)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="119"/>
        <source>a proxy URL has no path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="121"/>
        <source>a proxy URL has no query or fragment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="124"/>
        <source>the host is not a valid name or address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="127"/>
        <source>the port must be from 1 to 65535</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="135"/>
        <source>%1: %2: a password does not belong in a proxy URL (it would show in process lists and shell history); store it with `certdash secret set %3` or set %4 for a run without a keychain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="272"/>
        <source>the proxy of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="340"/>
        <source>the proxy %1 (from %2) needs a password: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="353"/>
        <source>proxy %1 refused the connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="355"/>
        <source>proxy %1 not found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="358"/>
        <source>proxy %1 did not answer in time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="363"/>
        <source>proxy %1 requires authentication: give the user in the URL (%2://USER@%3:%4) and store its password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="367"/>
        <source>proxy %1 refused the user name or password (authentication failed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="372"/>
        <source>proxy %1 closed the connection before the tunnel to %2 was open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="380"/>
        <source>proxy %1 did not open a tunnel to %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="382"/>
        <source>proxy %1 did not open a tunnel to %2 (%3): check the password of %4 at this proxy (a proxy may answer a wrong one this way), and whether it allows this destination</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="391"/>
        <source>cannot connect to %1 through proxy %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>certdash::Renewal</name>
    <message>
        <location filename="../app/renewal/RenewalRequest.cpp" line="86"/>
        <source>the certificate&apos;s public key cannot be read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/renewal/RenewalRequest.cpp" line="100"/>
        <source>the certificate&apos;s EC key has no named curve</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/renewal/RenewalRequest.cpp" line="114"/>
        <source>the certificate&apos;s key type (%1) cannot be renewed like for like</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/renewal/RenewalRequest.cpp" line="123"/>
        <source>no passphrase for the new key: it is never written unencrypted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/renewal/RenewalRequest.cpp" line="133"/>
        <source>cannot make a %1 key: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/renewal/RenewalRequest.cpp" line="155"/>
        <source>cannot build the CSR: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/renewal/RenewalRequest.cpp" line="165"/>
        <source>cannot write the key or the CSR: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/renewal/RenewalFiles.cpp" line="30"/>
        <source>%1 already exists; nothing was written</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/renewal/RenewalFiles.cpp" line="49"/>
        <source>%1; no key was written (a key is only written encrypted, with its passphrase in the keychain)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/renewal/RenewalFiles.cpp" line="57"/>
        <source>cannot create %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>certdash::Reports</name>
    <message>
        <location filename="../app/cli/ScanReport.cpp" line="19"/>
        <location filename="../app/reports/Report.cpp" line="56"/>
        <source>cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/reports/Spool.cpp" line="41"/>
        <source>the report&apos;s temporary file %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>certdash::SecretStore</name>
    <message numerus="yes">
        <location filename="../app/secrets/KeychainSecretStore.cpp" line="53"/>
        <source>the keychain did not answer within %n second(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/secrets/KeychainSecretStore.cpp" line="63"/>
        <source>error %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/secrets/KeychainSecretStore.cpp" line="65"/>
        <source>the keychain is not usable: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/secrets/KeychainSecretStore.cpp" line="81"/>
        <location filename="../app/secrets/KeychainSecretStore.cpp" line="102"/>
        <source>the keychain has no entry named &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/secrets/KeychainSecretStore.cpp" line="92"/>
        <source>: nothing was stored</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/secrets/SecretStore.cpp" line="19"/>
        <location filename="../app/secrets/SecretStore.cpp" line="27"/>
        <location filename="../app/secrets/SecretStore.cpp" line="53"/>
        <source>no keychain is available to this program</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/secrets/SecretStore.cpp" line="23"/>
        <source>no keychain is available to this program: nothing was stored</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/secrets/SecretStore.cpp" line="59"/>
        <source>no secret named &quot;%1&quot; (%2): store it with `certdash secret set %1` (it reads the secret from standard input), or set %3 for a run without a keychain</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>certdash::Settings</name>
    <message>
        <location filename="../app/storage/Settings.cpp" line="86"/>
        <source>Warning threshold must be between 0 and 3650 days.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="88"/>
        <source>Critical threshold must be between 0 and 3650 days.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="90"/>
        <source>The critical threshold (%1 days) must not exceed the warning threshold (%2 days).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="95"/>
        <source>Rotation period must be between 1 and 3650 days, or empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="97"/>
        <source>Probe interval must be between 0 (off) and 10080 minutes (a week).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="99"/>
        <source>Concurrency must be between 1 and 10000.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="101"/>
        <source>Timeout must be more than 0 and at most 3600 seconds.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="105"/>
        <source>Trust anchor file %1 cannot be read.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="108"/>
        <source>Without the system trust store, at least one trust anchor file is needed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="111"/>
        <source>History must keep every probe at least 1 day, and daily probes at least as long.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="114"/>
        <source>Probe failures must count after 1 to 100 failures in a row.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="116"/>
        <source>The event log %1 is a directory; give a file name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="120"/>
        <source>The %1 %2 is not an absolute path.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="122"/>
        <source>The %1 %2 cannot be read.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="125"/>
        <source>client certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="128"/>
        <source>A client key needs its client certificate.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="129"/>
        <source>client key</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>certdash::SettingsDialog</name>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="37"/>
        <source> days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="52"/>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="54"/>
        <source>Default thresholds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="59"/>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="60"/>
        <source>&amp;Warning below:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="61"/>
        <source>&amp;Critical below:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="62"/>
        <source>Expected &amp;rotation period:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="63"/>
        <source>Capped at 1/3 and 1/6 of each certificate&apos;s lifetime. Targets and tags can override these.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="69"/>
        <source>Probing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="74"/>
        <source> min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="75"/>
        <source>off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="83"/>
        <source> s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="84"/>
        <source>Re-probe &amp;every:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="85"/>
        <source>Probes in &amp;flight:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="88"/>
        <source>OpenSSL (fastest)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="89"/>
        <source>Qt (QSslSocket, cross-check)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="90"/>
        <source>The TLS client that does the handshakes. Both give the same results; OpenSSL is faster, Qt is an independent check of it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="92"/>
        <source>&amp;Timeout per probe:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="93"/>
        <source>T&amp;LS engine:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="95"/>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="112"/>
        <source>Trust anchors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="97"/>
        <source>Trust the &amp;system certificate store</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="102"/>
        <source>&amp;Add PEM file...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="103"/>
        <source>&amp;Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="112"/>
        <source>PEM certificates (*.pem *.crt);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="122"/>
        <source>History</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="126"/>
        <source>Keep every probe for:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="127"/>
        <source>Then one a day for:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="129"/>
        <source>Alerts</source>
        <translation>Alarme</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="136"/>
        <source>no event log</source>
        <translation>kein Ereignisprotokoll</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="138"/>
        <source>C&amp;hoose...</source>
        <translation>A&amp;uswählen...</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="143"/>
        <source>&amp;Outage alerts after failures in a row:</source>
        <translation>Ausfall&amp;alarm nach Fehlschlägen in Folge:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="144"/>
        <source>E&amp;vent log (JSON lines):</source>
        <translation>E&amp;reignisprotokoll (JSON-Zeilen):</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="148"/>
        <source>Event log</source>
        <translation>Ereignisprotokoll</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="148"/>
        <source>JSON lines (*.jsonl);;All files (*)</source>
        <translation>JSON-Zeilen (*.jsonl);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="154"/>
        <source>Connection (targets may set their own)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="159"/>
        <source>Browse...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="172"/>
        <source>none; a PEM certificate or a PKCS#12 file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="175"/>
        <source>the PEM key, unless the certificate file holds it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="178"/>
        <source>the environment&apos;s (https_proxy); a URL; or direct</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="179"/>
        <source>Passphrase in keychain...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="181"/>
        <source>Password in keychain...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="186"/>
        <source>Client certi&amp;ficate:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="187"/>
        <source>Client certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="188"/>
        <source>Certificates (*.pem *.crt *.p12 *.pfx);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="189"/>
        <source>Client &amp;key:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="190"/>
        <source>Client key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="191"/>
        <source>Keys (*.pem *.key);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="193"/>
        <source>Pro&amp;xy:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="199"/>
        <source>the passphrase of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="205"/>
        <source>Proxy password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="206"/>
        <source>Give the proxy as a URL with a user name first, such as http://alice@proxy.example:3128.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="210"/>
        <source>the password of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="320"/>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="330"/>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="332"/>
        <source>Keychain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="321"/>
        <source>Enter %1. It is kept in the system keychain only, as &quot;%2&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="330"/>
        <source>Stored %1 in the keychain.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="333"/>
        <source>Nothing was stored: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>certdash::SnoozeMenu</name>
    <message>
        <location filename="../ui/widgets/SnoozeMenu.cpp" line="13"/>
        <source>S&amp;nooze alerts</source>
        <translation>Alarme s&amp;tummschalten</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SnoozeMenu.cpp" line="16"/>
        <source>For 1 &amp;day</source>
        <translation>Für 1 &amp;Tag</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SnoozeMenu.cpp" line="17"/>
        <source>For 1 &amp;week</source>
        <translation>Für 1 &amp;Woche</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SnoozeMenu.cpp" line="19"/>
        <source>&amp;Until renewed (acknowledge)</source>
        <translation>&amp;Bis zur Erneuerung (bestätigen)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SnoozeMenu.cpp" line="21"/>
        <source>&amp;Resume alerts</source>
        <translation>Alarme &amp;fortsetzen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SnoozeMenu.cpp" line="83"/>
        <source>Snooze alerts</source>
        <translation>Alarme stummschalten</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SnoozeMenu.cpp" line="84"/>
        <source>The snooze could not be saved: %1</source>
        <translation>Die Stummschaltung konnte nicht gespeichert werden: %1</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SnoozeMenu.cpp" line="99"/>
        <source>Alerts snoozed until a new certificate is served (acknowledged).</source>
        <translation>Alarme stummgeschaltet, bis ein neues Zertifikat ausgeliefert wird (bestätigt).</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SnoozeMenu.cpp" line="100"/>
        <source>Alerts snoozed until %1.</source>
        <translation>Alarme stummgeschaltet bis %1.</translation>
    </message>
</context>
<context>
    <name>certdash::StartTlsDialogue</name>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="98"/>
        <source>waiting for the SMTP greeting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="100"/>
        <source>waiting for the EHLO reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="102"/>
        <location filename="../app/probing/StartTls.cpp" line="177"/>
        <source>waiting for the STARTTLS reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="117"/>
        <source>SMTP server refused the session: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="122"/>
        <source>SMTP server rejected EHLO: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="127"/>
        <source>SMTP server does not offer STARTTLS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="133"/>
        <source>SMTP server refused STARTTLS: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="148"/>
        <source>waiting for the AUTH TLS reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="148"/>
        <source>waiting for the FTP greeting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="160"/>
        <source>FTP server refused the session: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="165"/>
        <source>FTP server refused AUTH TLS: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="177"/>
        <source>waiting for the IMAP greeting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="187"/>
        <source>IMAP server refused the session: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="195"/>
        <source>IMAP server refused STARTTLS: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="208"/>
        <source>waiting for the STLS reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="208"/>
        <source>waiting for the POP3 greeting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="219"/>
        <source>POP3 server refused the session: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="224"/>
        <source>POP3 server refused STLS: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="252"/>
        <source>waiting for the LDAP StartTLS response</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="260"/>
        <source>LDAP server sent something that is not an LDAP message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="269"/>
        <source>LDAP response has no message ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="272"/>
        <source>LDAP server did not answer the StartTLS request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="276"/>
        <source>LDAP response has no result code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="281"/>
        <source>LDAP server refused StartTLS (result code %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="338"/>
        <source>waiting for the XMPP &lt;proceed/&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="339"/>
        <source>waiting for the XMPP stream features</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="347"/>
        <source>XMPP server closed the stream: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="356"/>
        <source>XMPP server does not offer STARTTLS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="369"/>
        <source>XMPP server refused STARTTLS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="379"/>
        <source>waiting for the PostgreSQL SSLRequest answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="392"/>
        <source>PostgreSQL server does not accept TLS connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="394"/>
        <source>PostgreSQL server answered the SSLRequest with an error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="395"/>
        <source>PostgreSQL server sent an unexpected answer to the SSLRequest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="428"/>
        <source>server sent data after the dialogue ended</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="434"/>
        <source>server sent more than %1 KiB without completing STARTTLS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="444"/>
        <source>server sent unexpected data after agreeing to STARTTLS</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>certdash::SystemResolver</name>
    <message>
        <location filename="../app/probing/HostResolver.cpp" line="177"/>
        <source>cannot start a lookup: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>certdash::TargetEditDialog</name>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="35"/>
        <source>Browse...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="52"/>
        <source>Add target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="53"/>
        <source>optional label</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="54"/>
        <source>example.com, 192.0.2.7 or [2001:db8::1]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="55"/>
        <source>default for the protocol</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="56"/>
        <source>default: the host name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="57"/>
        <source>Send &amp;no server name (SNI)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="59"/>
        <source>default: resolve the host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="62"/>
        <source>none (implicit TLS)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="65"/>
        <source>comma separated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="71"/>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="72"/>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="73"/>
        <source>inherit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="74"/>
        <source>&amp;Probe this target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="78"/>
        <source>Accept a self-signed or &amp;private-CA certificate (meant to be so)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="81"/>
        <source>accept an untrusted chain from this issuer, e.g. CN=Example CA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="83"/>
        <source>accept only this certificate: SHA-256, 64 hex digits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="85"/>
        <source>inherit; a PEM certificate or a PKCS#12 file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="87"/>
        <source>the PEM key, unless the certificate file holds it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="89"/>
        <source>inherit; http://host:port, socks5://host:port or direct</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="90"/>
        <source>No password here: CertDash asks the system keychain for it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="93"/>
        <source>&amp;Host:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="94"/>
        <source>&amp;Port:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="95"/>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="96"/>
        <source>S&amp;NI:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="98"/>
        <source>Pinned &amp;addresses:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="99"/>
        <source>&amp;STARTTLS:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="100"/>
        <source>&amp;Tags:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="101"/>
        <source>&amp;Owner:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="102"/>
        <source>No&amp;tes:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="103"/>
        <source>&amp;Warning below (days):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="104"/>
        <source>&amp;Critical below (days):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="105"/>
        <source>&amp;Rotation period (days):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="107"/>
        <source>Trust:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="108"/>
        <source>Pinned &amp;issuer:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="109"/>
        <source>Pinned S&amp;HA-256:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="110"/>
        <source>Certificates (*.pem *.crt *.p12 *.pfx);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="111"/>
        <source>Client certi&amp;ficate:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="112"/>
        <source>Client certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="113"/>
        <source>Client &amp;key:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="114"/>
        <source>Client key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="115"/>
        <source>Keys (*.pem *.key);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="116"/>
        <source>Pro&amp;xy:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="154"/>
        <source>Edit target</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>certdash::TargetRepository</name>
    <message>
        <location filename="../app/storage/TargetRepository.cpp" line="196"/>
        <location filename="../app/storage/TargetRepository.cpp" line="308"/>
        <location filename="../app/storage/TargetRepository.cpp" line="332"/>
        <location filename="../app/storage/TargetRepository.cpp" line="349"/>
        <source>no target with id %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/storage/TargetRepository.cpp" line="229"/>
        <source>%1 is already in the inventory as %2 (id %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/storage/TargetRepository.cpp" line="268"/>
        <location filename="../app/storage/TargetRepository.cpp" line="303"/>
        <location filename="../app/storage/TargetRepository.cpp" line="467"/>
        <location filename="../app/storage/TargetRepository.cpp" line="527"/>
        <source>cannot store %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/storage/TargetRepository.cpp" line="546"/>
        <source>threshold defaults need a tag</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/storage/TargetRepository.cpp" line="551"/>
        <source>threshold defaults for tag %1: days cannot be negative (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/storage/TargetRepository.cpp" line="585"/>
        <source>tag %1 has no threshold defaults</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>certdash::TlsClientSession</name>
    <message>
        <location filename="../app/probing/TlsClientSession.cpp" line="138"/>
        <source>certificate message larger than %1 MiB, the most CertDash reads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/QtTlsProber.cpp" line="261"/>
        <location filename="../app/probing/TlsClientSession.cpp" line="141"/>
        <source>the server ended the handshake</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>certdash::TlsProber</name>
    <message>
        <location filename="../app/probing/TlsProber.cpp" line="105"/>
        <source>server closed the connection %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/TlsProber.cpp" line="153"/>
        <source>the server sent more than %1 MiB %2 without completing it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/TlsProber.cpp" line="216"/>
        <source>STARTTLS failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/TlsProber.cpp" line="248"/>
        <source>server presented no certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/TlsProber.cpp" line="278"/>
        <source>client certificate rejected: the server refused %1 (%2) and ended the handshake (alert: %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/TlsProber.cpp" line="289"/>
        <source>client certificate required: the server asks for a client certificate and none was sent (%1 does not suit it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/TlsProber.cpp" line="292"/>
        <source>client certificate required: the server asks for a client certificate and none was sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/TlsProber.cpp" line="295"/>
        <source>; it ended the handshake (alert: %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/TlsProber.cpp" line="196"/>
        <source>TLS handshake failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/TlsProber.cpp" line="319"/>
        <source>no answer within %1 s %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/TlsProber.cpp" line="329"/>
        <source>while connecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/TlsProber.cpp" line="331"/>
        <source>during STARTTLS (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/TlsProber.cpp" line="332"/>
        <source>during STARTTLS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/TlsProber.cpp" line="334"/>
        <source>during the TLS handshake</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>certdash::TrayIntegration</name>
    <message>
        <location filename="../ui/tray/TrayIntegration.cpp" line="65"/>
        <source>Alert state not loaded; crossings may be announced again: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/tray/TrayIntegration.cpp" line="205"/>
        <source>CertDash keeps running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/tray/TrayIntegration.cpp" line="206"/>
        <source>CertDash keeps watching your certificates from the system tray and tells you when one crosses a threshold.

Open the dashboard again from the tray icon; quit from its menu or with File &gt; Quit.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>certdash::TrayNotifier</name>
    <message>
        <location filename="../ui/tray/TrayNotifier.cpp" line="62"/>
        <source>&amp;Open dashboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/tray/TrayNotifier.cpp" line="63"/>
        <source>&amp;Probe all now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/tray/TrayNotifier.cpp" line="64"/>
        <source>P&amp;ause notifications</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/tray/TrayNotifier.cpp" line="65"/>
        <source>For 1 &amp;hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/tray/TrayNotifier.cpp" line="67"/>
        <source>Until &amp;tomorrow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/tray/TrayNotifier.cpp" line="69"/>
        <source>&amp;Resume notifications</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/tray/TrayNotifier.cpp" line="71"/>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/tray/TrayNotifier.cpp" line="114"/>
        <source>CertDash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/tray/TrayNotifier.cpp" line="120"/>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/tray/TrayNotifier.cpp" line="124"/>
        <source>Not trusted: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/tray/TrayNotifier.cpp" line="126"/>
        <source>Not probed yet: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/tray/TrayNotifier.cpp" line="128"/>
        <source>No targets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/tray/TrayNotifier.cpp" line="130"/>
        <source>Notifications paused until %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/tray/TrayNotifier.cpp" line="194"/>
        <source>%n certificate alerts</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>certdash::Trust</name>
    <message>
        <location filename="../app/domain/Trust.cpp" line="99"/>
        <source>hostname mismatch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="101"/>
        <source>untrusted root</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="103"/>
        <source>incomplete chain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="105"/>
        <source>self-signed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="107"/>
        <source>expired certificate in the chain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="109"/>
        <source>certificate in the chain not valid yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="111"/>
        <source>unreadable certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="113"/>
        <source>pinned certificate changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="115"/>
        <source>unreadable validity date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="117"/>
        <source>host named only in the Common Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="119"/>
        <source>chain out of order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="121"/>
        <source>weak key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="123"/>
        <source>weak signature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="125"/>
        <source>extra certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="127"/>
        <source>client certificate required</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="129"/>
        <source>client certificate rejected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="133"/>
        <source>verification failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="155"/>
        <source>Trusted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="157"/>
        <source>Accepted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="159"/>
        <source>Weak</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="161"/>
        <source>Not trusted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="284"/>
        <source>the target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="285"/>
        <source>tag %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="289"/>
        <source>pin mismatch: the certificate&apos;s SHA-256 is %1, %2 pins %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="294"/>
        <source>pin mismatch: the certificate is issued by %1, %2 pins %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>certdash::TrustStore</name>
    <message>
        <location filename="../app/probing/TrustStore.cpp" line="40"/>
        <source>damaged PEM certificate (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/TrustStore.cpp" line="50"/>
        <source>no certificate found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/TrustStore.cpp" line="134"/>
        <source>no system CA certificates found in %1 or %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/TrustStore.cpp" line="157"/>
        <source>cannot create a certificate store (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/TrustStore.cpp" line="165"/>
        <source>%1: cannot read CA file: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/TrustStore.cpp" line="169"/>
        <source>%1: not a usable CA file: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/TrustStore.cpp" line="172"/>
        <source>%1: cannot add certificate (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/TrustStore.cpp" line="201"/>
        <source>anchor %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>certdash::X509</name>
    <message>
        <location filename="../app/probing/X509.cpp" line="43"/>
        <source>empty certificate data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/X509.cpp" line="49"/>
        <source>not a DER-encoded X.509 certificate (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../app/probing/X509.cpp" line="54"/>
        <source>%n unexpected byte(s) after the DER certificate</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>certdash::cli</name>
    <message>
        <location filename="../app/cli/CommandLine.cpp" line="29"/>
        <source>Usage: certdash [COMMAND] [OPTIONS]

Without a command, CertDash opens the dashboard window.

Commands (each has --help):
  scan      probe targets (a file, or the stored inventory) and report them
  report    the latest stored result of every target address
  import    add targets to the stored inventory
  export    write the stored inventory (CSV or JSON)
  targets   list the stored inventory
  secret    store, check or delete a secret in the OS keychain
  csr       a new key and CSR to renew a target&apos;s stored certificate

Options:
  --database FILE  the CertDash database (GUI and every command; default:
                   %1)
  -h, --help       show this help
  -v, --version    show the version
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/CommandLine.cpp" line="128"/>
        <source>certdash: unknown command &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/CommandStreams.cpp" line="27"/>
        <source>The CertDash database to use (default: %1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/CommandStreams.cpp" line="28"/>
        <source>FILE</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>certdash::cli::Csr</name>
    <message>
        <location filename="../app/cli/CsrCommand.cpp" line="42"/>
        <source>Prepare a renewal for the latest stored certificate of a target: DIR/key.pem, a new private key of the same type (RSA at least 2048 bits, EC on the same curve), encrypted with a random passphrase that goes into the OS keychain (`certdash secret check client-key:DIR/key.pem`), and DIR/csr.pem, a CSR with the same subject and DNS/IP names signed with SHA-256. Exit codes: 0 written, 2 no usable keychain (nothing written), 3 usage or input error.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/CsrCommand.cpp" line="50"/>
        <source>Show this help.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/CsrCommand.cpp" line="52"/>
        <source>The stored target: host[:port] or its name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/CsrCommand.cpp" line="53"/>
        <source>ENDPOINT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/CsrCommand.cpp" line="55"/>
        <source>The directory for key.pem and csr.pem.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/CsrCommand.cpp" line="56"/>
        <source>DIR</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/CsrCommand.cpp" line="61"/>
        <source>Try &apos;certdash csr --help&apos;.
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/CsrCommand.cpp" line="69"/>
        <source>certdash csr: --target ENDPOINT and --output DIR are required
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/CsrCommand.cpp" line="109"/>
        <source>certdash csr: %1 (choose another --output)
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/CsrCommand.cpp" line="83"/>
        <source>certdash csr: no stored target &quot;%1&quot; in %2 (see &apos;certdash targets&apos;)
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/CsrCommand.cpp" line="97"/>
        <source>certdash csr: no certificate of %1 is stored yet: run &apos;certdash scan&apos; first%2
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/CsrCommand.cpp" line="122"/>
        <source>certdash csr: %1 (%2 key, like %3&apos;s certificate); the key&apos;s passphrase is in the keychain as &quot;%4&quot;; %5
</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>certdash::cli::Inventory</name>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="23"/>
        <source>Show this help.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="35"/>
        <source>Try &apos;certdash %1 --help&apos;.
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="52"/>
        <source>Add targets to the stored inventory: a line-format, CSV, JSON or `kubectl get ingress -A -o json` file, or - for standard input. Endpoints already stored are updated with what the file gives. The import is one transaction: by default a file with any rejected entry imports nothing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="57"/>
        <source>The targets file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="60"/>
        <source>Import the valid entries even when others are rejected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="63"/>
        <source>auto (default), %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="64"/>
        <location filename="../app/cli/InventoryCommands.cpp" line="126"/>
        <source>FORMAT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="71"/>
        <source>certdash import: expected exactly one FILE
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="76"/>
        <source>certdash import: --input-format: unknown format &apos;%1&apos;
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="85"/>
        <source>certdash import: --input-format chooses the format.
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="87"/>
        <source>certdash import: problems in %1; nothing was imported (--skip-invalid imports the valid entries).
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="93"/>
        <source>certdash import: nothing in %1 can be imported.
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="105"/>
        <source>certdash import: nothing was imported: %1
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="108"/>
        <source>certdash import: %1: %2 added, %3 updated, %4 unchanged, %5 duplicates merged, %6 rejected
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="123"/>
        <source>Write the stored inventory; &apos;certdash import&apos; reads it back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="125"/>
        <source>csv (default) or json.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="128"/>
        <source>Write to FILE (atomically) instead of standard output.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="130"/>
        <source>FILE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="139"/>
        <source>certdash export: --format: expected csv or json, got &apos;%1&apos;
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="160"/>
        <source>List the stored inventory.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="177"/>
        <source>certdash targets: the inventory in %1 is empty; add targets with &apos;certdash import FILE&apos;.
</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>certdash::cli::Report</name>
    <message>
        <location filename="../app/cli/ReportCommand.cpp" line="25"/>
        <source>Report the latest stored result of every target address (as &apos;certdash scan&apos; would print it), without probing. Exit codes as for scan.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ReportCommand.cpp" line="28"/>
        <source>csv (default), json or prometheus.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ReportCommand.cpp" line="29"/>
        <source>FORMAT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ReportCommand.cpp" line="31"/>
        <source>Write to FILE (atomically) instead of standard output.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ReportCommand.cpp" line="33"/>
        <source>FILE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ReportCommand.cpp" line="35"/>
        <source>Show this help.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ReportCommand.cpp" line="48"/>
        <source>certdash report: --format: unknown format &apos;%1&apos; (expected one of: %2)
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ReportCommand.cpp" line="68"/>
        <source>certdash report: %1 has no probe results yet; run &apos;certdash scan&apos; first.
</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>certdash::cli::Scan</name>
    <message>
        <location filename="../app/cli/ScanCommand.cpp" line="73"/>
        <source> %1 probes/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanCommand.cpp" line="75"/>
        <source>, about %1 s left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanCommand.cpp" line="97"/>
        <source>endpoints %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanCommand.cpp" line="213"/>
        <source>certdash scan: alerts: %1
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanCommand.cpp" line="224"/>
        <source>--notify: no desktop notification service is available; crossings are only logged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanCommand.cpp" line="258"/>
        <source>certdash scan: %1
Try &apos;certdash scan --help&apos;.
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanCommand.cpp" line="274"/>
        <source>certdash scan: problems in the targets: %1; nothing was probed.
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanCommand.cpp" line="281"/>
        <source>certdash scan: %1 lists no targets; nothing was probed.
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanCommand.cpp" line="295"/>
        <source>certdash scan: the inventory in %1 has no enabled targets; add some with &apos;certdash import FILE&apos; or give --targets FILE.
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanCommand.cpp" line="312"/>
        <location filename="../app/cli/ScanCommand.cpp" line="320"/>
        <location filename="../app/cli/ScanCommand.cpp" line="326"/>
        <location filename="../app/cli/ScanCommand.cpp" line="343"/>
        <source>certdash scan: %1
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanCommand.cpp" line="335"/>
        <source>certdash scan: client certificate: %1
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanCommand.cpp" line="373"/>
        <source>certdash scan: the results were not recorded: %1
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanCommand.cpp" line="378"/>
        <source>certdash scan: pruning old history failed: %1
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanCommand.cpp" line="387"/>
        <source>certdash scan: %1 in %2 s
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="25"/>
        <source>Targets to probe: a line-format, CSV, JSON or kubectl file, or - for standard input. Without it, the stored inventory is probed and the results are recorded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="28"/>
        <location filename="../app/cli/ScanOptions.cpp" line="39"/>
        <location filename="../app/cli/ScanOptions.cpp" line="74"/>
        <location filename="../app/cli/ScanOptions.cpp" line="78"/>
        <location filename="../app/cli/ScanOptions.cpp" line="96"/>
        <source>FILE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="30"/>
        <source>Format of the targets file: auto (default), lines, csv, json.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="32"/>
        <location filename="../app/cli/ScanOptions.cpp" line="34"/>
        <source>FORMAT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="34"/>
        <source>Report format: csv (default), json, prometheus.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="37"/>
        <source>Write the report to FILE (atomically) instead of standard output.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="41"/>
        <source>Probes in flight at once (default 32).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="41"/>
        <source>N</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="44"/>
        <source>Seconds one probe may take in all: connect, STARTTLS and handshake (default 10).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="46"/>
        <source>SECONDS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="48"/>
        <source>TLS client doing the handshakes: openssl (default, fastest) or qt (QSslSocket, the cross-check).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="50"/>
        <source>ENGINE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="52"/>
        <source>Warn when fewer days are left (default 30; at most a third of the certificate&apos;s lifetime).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="54"/>
        <location filename="../app/cli/ScanOptions.cpp" line="58"/>
        <location filename="../app/cli/ScanOptions.cpp" line="62"/>
        <location filename="../app/cli/ScanOptions.cpp" line="84"/>
        <location filename="../app/cli/ScanOptions.cpp" line="88"/>
        <source>DAYS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="56"/>
        <source>Critical when fewer days are left (default 7; at most a sixth of the certificate&apos;s lifetime).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="60"/>
        <source>Expected rotation period: rotation_overdue when days left &lt; lifetime - DAYS. Targets&apos; rotation= overrides it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="64"/>
        <source>Also trust the CA certificates in this PEM file (repeatable).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="65"/>
        <source>PEM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="67"/>
        <source>Trust only --ca-file anchors, not the system store.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="70"/>
        <source>Present this client certificate to servers that ask for one (mutual TLS): PEM (with --client-key, or the key in the same file) or PKCS#12. An encrypted key&apos;s passphrase comes from the keychain or CERTDASH_CLIENT_KEY_PASSPHRASE, never from the command line.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="76"/>
        <source>The private key of --client-cert (PEM, may be encrypted).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="80"/>
        <source>No progress and no summary on standard error.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="82"/>
        <source>History: keep every probe this many days (default 30).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="86"/>
        <source>History: then keep one probe a day per target address up to this age (default 730).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="90"/>
        <source>Also show new threshold crossings as desktop notifications (stored inventory only).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="93"/>
        <source>Append threshold crossings as JSON lines to FILE (default: the event log in Settings; &quot;&quot; for none; stored inventory only).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="98"/>
        <source>Probe through this proxy: http://[USER@]HOST:PORT (HTTP CONNECT), socks5://[USER@]HOST:PORT, or socks5h:// (the proxy resolves names); none for no proxy. No password here: `certdash secret set proxy:URL` or CERTDASH_PROXY_PASSWORD. Default: https_proxy, all_proxy and no_proxy from the environment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="104"/>
        <source>URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="106"/>
        <source>Connect directly, whatever the environment says.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="109"/>
        <source>Show this help.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="114"/>
        <source>Probe TLS endpoints and report their certificates.

Exit codes: 0 all ok; 1 worst is warning or rotation_overdue; 2 worst is critical, expired or not_yet_valid, or a probe failed; 3 usage or input error.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="141"/>
        <source>Usage: certdash scan [--targets FILE | --database FILE] [options]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="167"/>
        <source>--targets needs a file name (use - for standard input)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="171"/>
        <source>give either --targets FILE (no database) or --database FILE (its stored inventory), not both</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="209"/>
        <source>--engine: expected openssl or qt, got %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="255"/>
        <source>--client-cert needs a file name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="259"/>
        <source>--client-key needs --client-cert (the certificate that goes with the key)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="269"/>
        <source>--notify and --event-log track the stored inventory; they cannot be used with --targets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="285"/>
        <source>give either --proxy URL or --no-proxy, not both</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="159"/>
        <source>unexpected argument &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="178"/>
        <source>--input-format: unknown format &apos;%1&apos; (expected one of: %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="185"/>
        <source>--format: unknown format &apos;%1&apos; (expected one of: %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="194"/>
        <source>--concurrency: expected a whole number from 1 to 10000, got &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="201"/>
        <source>--timeout: expected seconds between 0 and 3600, got &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="220"/>
        <source>--%1: expected a whole number of days, got &apos;%2&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="228"/>
        <source>--critical (%1 days) must not exceed --warning (%2 days)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="243"/>
        <source>--keep-daily-days must not be shorter than --keep-all-days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="249"/>
        <source>--no-system-ca needs at least one --ca-file</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>certdash::cli::Secret</name>
    <message>
        <location filename="../app/cli/SecretCommands.cpp" line="62"/>
        <source>The keychain is the desktop session&apos;s Secret Service (gnome-keyring, KWallet) on its D-Bus session bus. Without one, headless runs may set %1 or %2 instead.
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/SecretCommands.cpp" line="70"/>
        <source>Usage: certdash secret set|delete|check NAME

Key passphrases, PKCS#12 passwords and proxy passwords live only in the OS keychain
(service &quot;CertDash&quot;). NAME is what the secret unlocks:
  client-key:PATH                 the key or PKCS#12 file (made absolute)
  proxy:SCHEME://USER@HOST:PORT   the proxy (no password in it)

  set NAME     store the secret read from standard input (one line; not echoed)
  delete NAME  remove the entry
  check NAME   say whether the entry exists (never prints the secret)

Exit codes: 0 done (check: the entry exists), 1 no such entry, 2 no usable keychain
(nothing was stored), 3 usage or input error.
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/SecretCommands.cpp" line="96"/>
        <source>the proxy URL in NAME must not contain a password (give it on standard input)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/SecretCommands.cpp" line="103"/>
        <source>NAME &quot;%1&quot; is neither client-key:PATH nor proxy:SCHEME://USER@HOST:PORT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/SecretCommands.cpp" line="111"/>
        <source>standard input holds more than %1 bytes: a secret is one line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/SecretCommands.cpp" line="120"/>
        <source>standard input holds more than one line: a secret is one line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/SecretCommands.cpp" line="129"/>
        <source>the secret read from standard input is empty: nothing was stored</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/SecretCommands.cpp" line="147"/>
        <source>unknown action &apos;%1&apos;
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/SecretCommands.cpp" line="148"/>
        <source>Try &apos;certdash secret --help&apos;.
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/SecretCommands.cpp" line="152"/>
        <source>%1 takes exactly one NAME (the secret itself is read from standard input)
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/SecretCommands.cpp" line="169"/>
        <source>the keychain has an entry named &quot;%1&quot;
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/SecretCommands.cpp" line="173"/>
        <source>the keychain has no entry named &quot;%1&quot;
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/SecretCommands.cpp" line="197"/>
        <source>deleted &quot;%1&quot;
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/SecretCommands.cpp" line="206"/>
        <source>Secret for %1 (not shown): </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/SecretCommands.cpp" line="222"/>
        <source>stored &quot;%1&quot; in the keychain
</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../ui/main.cpp" line="35"/>
        <source>The database to use.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main.cpp" line="45"/>
        <source>CertDash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/main.cpp" line="46"/>
        <source>Cannot open the database.

%1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
