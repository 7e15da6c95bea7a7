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
    <name>certdash::ChainVerifier</name>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="88"/>
        <source>weak key: %1 has a %2-bit %3 key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="105"/>
        <source>weak signature: %1 is signed with %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="112"/>
        <location filename="../app/probing/ChainVerifier.cpp" line="205"/>
        <location filename="../app/probing/ChainVerifier.cpp" line="220"/>
        <source>verification failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="116"/>
        <source>expired: %1 expired %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="118"/>
        <source>not yet valid: %1 valid from %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="121"/>
        <source>self-signed certificate: %1 is not a trusted anchor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="123"/>
        <source>untrusted root: %1 is not a trusted anchor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="131"/>
        <source>incomplete chain: issuer of %1 (%2) was not sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="133"/>
        <source>untrusted root: issuer of %1 (%2) is not a trusted anchor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="137"/>
        <source>hostname mismatch: certificate is not valid for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="154"/>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="191"/>
        <source>no certificate presented</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="216"/>
        <source>hostname mismatch: %1 is not a valid host name or address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="281"/>
        <source> (expired %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="283"/>
        <source> (not valid before %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="287"/>
        <source> issued by %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="288"/>
        <source>extra certificate not on the verified path: %1%2%3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="310"/>
        <location filename="../app/probing/ChainVerifier.cpp" line="326"/>
        <location filename="../app/probing/ChainVerifier.cpp" line="342"/>
        <source>unreadable certificate #%1 sent by the server: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>certdash::Csv</name>
    <message>
        <location filename="../app/inventory/CsvReader.cpp" line="114"/>
        <source>unterminated quoted cell (the quote opened on line %1 is never closed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/CsvReader.cpp" line="146"/>
        <source>text after a closing quote on line %1: &quot;%2&quot; (write a quote inside a quoted cell as &quot;&quot;)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>certdash::Database</name>
    <message>
        <location filename="../app/storage/Database.cpp" line="67"/>
        <source>%1 is locked by another CertDash process (gave up after %2 s); try again when it has finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/storage/Database.cpp" line="119"/>
        <source>%1 is a directory, not a CertDash database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/storage/Database.cpp" line="122"/>
        <source>cannot read %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/storage/Database.cpp" line="125"/>
        <source>%1 is not a CertDash database (not an SQLite file); it was left untouched</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/storage/Database.cpp" line="129"/>
        <source>cannot create the folder for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/storage/Database.cpp" line="140"/>
        <source>cannot open %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/storage/Database.cpp" line="147"/>
        <source>%1 cannot be read as a database: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/storage/Database.cpp" line="151"/>
        <source>%1 is an SQLite database of another application, not CertDash; it was left untouched</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/storage/Database.cpp" line="155"/>
        <source>%1 was written by a newer CertDash (schema version %2; this version knows up to %3); it was left untouched</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/storage/Database.cpp" line="186"/>
        <source>cannot prepare %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>certdash::Inventory</name>
    <message>
        <location filename="../app/inventory/TargetParser.cpp" line="166"/>
        <source>cannot read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/CsvFormat.cpp" line="66"/>
        <source>column &apos;%1&apos; appears twice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/CsvFormat.cpp" line="73"/>
        <source>unknown column(s) %1 (valid columns: %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/CsvFormat.cpp" line="79"/>
        <source>missing &apos;host&apos; column in the header (columns found: %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/CsvFormat.cpp" line="106"/>
        <source>%1 cells but the header names %2 columns</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/JsonFormat.cpp" line="84"/>
        <source>a boolean</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/JsonFormat.cpp" line="86"/>
        <source>a number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/JsonFormat.cpp" line="88"/>
        <location filename="../app/inventory/JsonFormat.cpp" line="144"/>
        <source>a string</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/JsonFormat.cpp" line="90"/>
        <source>an array</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/JsonFormat.cpp" line="92"/>
        <location filename="../app/inventory/JsonFormat.cpp" line="172"/>
        <source>an object</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/JsonFormat.cpp" line="96"/>
        <location filename="../app/inventory/JsonFormat.cpp" line="172"/>
        <source>nothing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/JsonFormat.cpp" line="115"/>
        <source>&apos;no_sni&apos; must be true or false, not %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/JsonFormat.cpp" line="130"/>
        <source>&apos;%1&apos; must hold strings, not %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/JsonFormat.cpp" line="146"/>
        <source>a number or a string</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/JsonFormat.cpp" line="148"/>
        <source>a string or an array of strings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/JsonFormat.cpp" line="149"/>
        <source>&apos;%1&apos; must be %2, not %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/JsonFormat.cpp" line="164"/>
        <source>invalid JSON: %1 (column %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/JsonFormat.cpp" line="171"/>
        <source>expected a JSON array of target objects, found %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/JsonFormat.cpp" line="182"/>
        <source>item %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/JsonFormat.cpp" line="186"/>
        <source>%1: expected an object with at least &quot;host&quot;, found %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/JsonFormat.cpp" line="201"/>
        <source>unknown key(s) %1 (valid keys: %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/LineFormat.cpp" line="56"/>
        <source>unterminated quote: the &quot; at column %1 is never closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/LineFormat.cpp" line="90"/>
        <source>empty host: a line starts with host[:port], not %1=</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/LineFormat.cpp" line="99"/>
        <source>unknown key &apos;%1&apos;: host and port go first, as host[:port]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/LineFormat.cpp" line="105"/>
        <source>unknown key &apos;%1&apos; (valid keys: %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/LineFormat.cpp" line="108"/>
        <source>unexpected &apos;%1&apos;: expected key=value (valid keys: %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/LineFormat.cpp" line="114"/>
        <source>duplicate key &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/LineFormat.cpp" line="118"/>
        <source>missing value for &apos;%1&apos; (write %1=VALUE)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="40"/>
        <source>bad address %1: missing &apos;]&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="46"/>
        <location filename="../app/inventory/TargetFields.cpp" line="81"/>
        <location filename="../app/inventory/TargetFields.cpp" line="198"/>
        <source>empty host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="51"/>
        <source>bad address %1: brackets hold an IPv6 address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="55"/>
        <source>bad host %1: unexpected text after &apos;]&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="70"/>
        <source>bad address %1: write an IPv6 address with a port as [ADDRESS]:PORT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="89"/>
        <source>bad address %1: not a valid IPv4 address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="93"/>
        <source>invalid host name %1: a wildcard cannot be connected to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="98"/>
        <source>invalid host name %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="108"/>
        <source>bad port %1: not a number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="114"/>
        <source>bad port %1: must be between 1 and 65535</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="125"/>
        <source>bad number for %1: %2 (must be a positive whole number of days)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="207"/>
        <source>unknown STARTTLS protocol %1 (valid: %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="213"/>
        <source>port given twice: in host (%1) and as port (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="229"/>
        <source>bad value for no_sni: %1 (must be true or false)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="235"/>
        <source>empty sni (use no_sni to send no server name)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="238"/>
        <source>bad sni %1: a server name cannot be an IP address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="240"/>
        <source>invalid sni name %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="242"/>
        <source>sni and no_sni cannot be combined: sni=%1 sends a name, no_sni sends none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="253"/>
        <source>bad address: empty (give one or more IP addresses)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="258"/>
        <source>bad address %1: not an IPv4 or IPv6 address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="274"/>
        <source>critical (%1 days) must not exceed warning (%2 days)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>certdash::MainWindow</name>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="13"/>
        <source>CertDash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="16"/>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="17"/>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="20"/>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="21"/>
        <source>&amp;About CertDash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="22"/>
        <source>About CertDash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="23"/>
        <source>&lt;b&gt;CertDash %1&lt;/b&gt;&lt;p&gt;Watches TLS certificates across your endpoints before they expire.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="29"/>
        <source>No targets yet.

For now, scan from a terminal:
  certdash scan --targets FILE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="33"/>
        <source>Ready</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>certdash::ProbeScheduler</name>
    <message>
        <location filename="../app/probing/ProbeScheduler.cpp" line="84"/>
        <source>invalid host name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ProbeScheduler.cpp" line="121"/>
        <source>DNS: %1 not found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ProbeScheduler.cpp" line="122"/>
        <source>DNS: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/ProbeScheduler.cpp" line="149"/>
        <source>DNS: no answer for %1 within %2 s</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>certdash::Reports</name>
    <message>
        <location filename="../app/reports/Report.cpp" line="56"/>
        <source>cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>certdash::StartTlsDialogue</name>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="73"/>
        <source>waiting for the SMTP greeting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="75"/>
        <source>waiting for the EHLO reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="77"/>
        <location filename="../app/probing/StartTls.cpp" line="151"/>
        <source>waiting for the STARTTLS reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="92"/>
        <source>SMTP server refused the session: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="97"/>
        <source>SMTP server rejected EHLO: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="102"/>
        <source>SMTP server does not offer STARTTLS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="108"/>
        <source>SMTP server refused STARTTLS: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="122"/>
        <source>waiting for the AUTH TLS reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="122"/>
        <source>waiting for the FTP greeting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="134"/>
        <source>FTP server refused the session: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="139"/>
        <source>FTP server refused AUTH TLS: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="151"/>
        <source>waiting for the IMAP greeting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="161"/>
        <source>IMAP server refused the session: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="169"/>
        <source>IMAP server refused STARTTLS: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="182"/>
        <source>waiting for the STLS reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="182"/>
        <source>waiting for the POP3 greeting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="193"/>
        <source>POP3 server refused the session: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="198"/>
        <source>POP3 server refused STLS: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="226"/>
        <source>waiting for the LDAP StartTLS response</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="234"/>
        <source>LDAP server sent something that is not an LDAP message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="243"/>
        <source>LDAP response has no message ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="246"/>
        <source>LDAP server did not answer the StartTLS request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="248"/>
        <source>LDAP response has no result code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="253"/>
        <source>LDAP server refused StartTLS (result code %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="310"/>
        <source>waiting for the XMPP &lt;proceed/&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="311"/>
        <source>waiting for the XMPP stream features</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="319"/>
        <source>XMPP server closed the stream: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="328"/>
        <source>XMPP server does not offer STARTTLS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="341"/>
        <source>XMPP server refused STARTTLS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="351"/>
        <source>waiting for the PostgreSQL SSLRequest answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="364"/>
        <source>PostgreSQL server does not accept TLS connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="366"/>
        <source>PostgreSQL server answered the SSLRequest with an error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="367"/>
        <source>PostgreSQL server sent an unexpected answer to the SSLRequest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="400"/>
        <source>server sent data after the dialogue ended</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="403"/>
        <source>server sent more than %1 KiB without completing STARTTLS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="411"/>
        <source>server sent unexpected data after agreeing to STARTTLS</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>certdash::TlsProber</name>
    <message>
        <location filename="../app/probing/TlsProber.cpp" line="134"/>
        <location filename="../app/probing/TlsProber.cpp" line="249"/>
        <source>server closed the connection %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/TlsProber.cpp" line="179"/>
        <source>STARTTLS failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/TlsProber.cpp" line="201"/>
        <source>undecodable certificate at position %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/TlsProber.cpp" line="208"/>
        <source>server presented no certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/TlsProber.cpp" line="230"/>
        <source>connection refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/TlsProber.cpp" line="233"/>
        <source>host not found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/TlsProber.cpp" line="240"/>
        <location filename="../app/probing/TlsProber.cpp" line="255"/>
        <source>cannot connect: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/TlsProber.cpp" line="245"/>
        <source>timed out %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/TlsProber.cpp" line="257"/>
        <source>TLS handshake failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/TlsProber.cpp" line="263"/>
        <source>no answer within %1 s %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/TlsProber.cpp" line="273"/>
        <source>while connecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/TlsProber.cpp" line="275"/>
        <source>during STARTTLS (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/TlsProber.cpp" line="276"/>
        <source>during STARTTLS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/TlsProber.cpp" line="278"/>
        <source>during the TLS handshake</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>certdash::TrustStore</name>
    <message>
        <location filename="../app/probing/TrustStore.cpp" line="39"/>
        <source>damaged PEM certificate (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/TrustStore.cpp" line="49"/>
        <source>no certificate found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/TrustStore.cpp" line="81"/>
        <source>no system CA certificates found in %1 or %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/TrustStore.cpp" line="104"/>
        <source>cannot create a certificate store (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/TrustStore.cpp" line="112"/>
        <source>%1: cannot read CA file: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/TrustStore.cpp" line="116"/>
        <source>%1: not a usable CA file: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/TrustStore.cpp" line="119"/>
        <source>%1: cannot add certificate (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/TrustStore.cpp" line="148"/>
        <source>anchor %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>certdash::X509</name>
    <message>
        <location filename="../app/probing/X509.cpp" line="44"/>
        <source>empty certificate data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/probing/X509.cpp" line="50"/>
        <source>not a DER-encoded X.509 certificate (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../app/probing/X509.cpp" line="55"/>
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
        <location filename="../app/cli/CommandLine.cpp" line="24"/>
        <source>Usage: certdash [COMMAND] [OPTIONS]

Without a command, CertDash opens the dashboard window.

Commands:
  scan      probe targets and report their certificates (certdash scan --help)

Options:
  -h, --help     show this help
  -v, --version  show the version
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/CommandLine.cpp" line="77"/>
        <source>certdash: unknown command &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>certdash::cli::Scan</name>
    <message>
        <location filename="../app/cli/ScanCommand.cpp" line="77"/>
        <source> %1 probes/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanCommand.cpp" line="79"/>
        <source>, about %1 s left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanCommand.cpp" line="96"/>
        <source>endpoints %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanCommand.cpp" line="107"/>
        <source>certdash scan: %1
Try &apos;certdash scan --help&apos;.
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanCommand.cpp" line="116"/>
        <source>certdash scan: problems in the targets: %1; nothing was probed.
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanCommand.cpp" line="121"/>
        <source>certdash scan: %1 lists no targets; nothing was probed.
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanCommand.cpp" line="135"/>
        <location filename="../app/cli/ScanCommand.cpp" line="186"/>
        <source>certdash scan: %1
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanCommand.cpp" line="190"/>
        <source>certdash scan: %1 in %2 s
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="20"/>
        <source>Targets to probe: a line-format, CSV or JSON file, or - for standard input.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="22"/>
        <location filename="../app/cli/ScanOptions.cpp" line="33"/>
        <source>FILE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="24"/>
        <source>Format of the targets file: auto (default), lines, csv, json.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="26"/>
        <location filename="../app/cli/ScanOptions.cpp" line="28"/>
        <source>FORMAT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="28"/>
        <source>Report format: csv (default), json, prometheus.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="31"/>
        <source>Write the report to FILE (atomically) instead of standard output.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="35"/>
        <source>Probes in flight at once (default 32).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="35"/>
        <source>N</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="38"/>
        <source>Seconds one probe may take in all: connect, STARTTLS and handshake (default 10).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="40"/>
        <source>SECONDS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="42"/>
        <source>Warn when fewer days are left (default 30; at most a third of the certificate&apos;s lifetime).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="44"/>
        <location filename="../app/cli/ScanOptions.cpp" line="48"/>
        <location filename="../app/cli/ScanOptions.cpp" line="52"/>
        <source>DAYS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="46"/>
        <source>Critical when fewer days are left (default 7; at most a sixth of the certificate&apos;s lifetime).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="50"/>
        <source>Expected rotation period: rotation_overdue when days left &lt; lifetime - DAYS. Targets&apos; rotation= overrides it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="54"/>
        <source>Also trust the CA certificates in this PEM file (repeatable).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="55"/>
        <source>PEM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="57"/>
        <source>Trust only --ca-file anchors, not the system store.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="59"/>
        <source>No progress and no summary on standard error.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="61"/>
        <source>Show this help.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="66"/>
        <source>Probe TLS endpoints and report their certificates.

Exit codes: 0 all ok; 1 worst is warning or rotation_overdue; 2 worst is critical, expired or not_yet_valid, or a probe failed; 3 usage or input error.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="91"/>
        <source>Usage: certdash scan --targets FILE [options]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="108"/>
        <source>unexpected argument &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="115"/>
        <source>--targets FILE is required (use - for standard input)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="121"/>
        <source>--input-format: unknown format &apos;%1&apos; (expected one of: %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="128"/>
        <source>--format: unknown format &apos;%1&apos; (expected one of: %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="137"/>
        <source>--concurrency: expected a whole number from 1 to 10000, got &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="144"/>
        <source>--timeout: expected seconds between 0 and 3600, got &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="156"/>
        <source>--%1: expected a whole number of days, got &apos;%2&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="164"/>
        <source>--critical (%1 days) must not exceed --warning (%2 days)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="178"/>
        <source>--no-system-ca needs at least one --ca-file</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
