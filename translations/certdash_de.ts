<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>ChangeKind</name>
    <message>
        <location filename="../app/storage/ChangeFeed.cpp" line="328" />
        <source>Certificate rotated</source>
        <translation>Zertifikat rotiert</translation>
    </message>
    <message>
        <location filename="../app/storage/ChangeFeed.cpp" line="330" />
        <source>Rotation overdue</source>
        <translation>Rotation überfällig</translation>
    </message>
    <message>
        <location filename="../app/storage/ChangeFeed.cpp" line="332" />
        <source>New finding</source>
        <translation>Neuer Befund</translation>
    </message>
    <message>
        <location filename="../app/storage/ChangeFeed.cpp" line="334" />
        <source>Finding resolved</source>
        <translation>Befund behoben</translation>
    </message>
    <message>
        <location filename="../app/storage/ChangeFeed.cpp" line="336" />
        <source>Probe failing</source>
        <translation>Prüfung schlägt fehl</translation>
    </message>
    <message>
        <location filename="../app/storage/ChangeFeed.cpp" line="338" />
        <source>Recovered</source>
        <translation>Wiederhergestellt</translation>
    </message>
    <message>
        <location filename="../app/storage/ChangeFeed.cpp" line="340" />
        <source>Address appeared</source>
        <translation>Adresse hinzugekommen</translation>
    </message>
    <message>
        <location filename="../app/storage/ChangeFeed.cpp" line="342" />
        <source>Address disappeared</source>
        <translation>Adresse verschwunden</translation>
    </message>
    <message>
        <location filename="../app/storage/ChangeFeed.cpp" line="344" />
        <source>Address serves a different certificate</source>
        <translation>Adresse liefert ein anderes Zertifikat aus</translation>
    </message>
    <message>
        <location filename="../app/storage/ChangeFeed.cpp" line="346" />
        <source>Target added</source>
        <translation>Ziel hinzugefügt</translation>
    </message>
    <message>
        <location filename="../app/storage/ChangeFeed.cpp" line="348" />
        <source>Target removed</source>
        <translation>Ziel entfernt</translation>
    </message>
    <message>
        <location filename="../app/storage/ChangeFeed.cpp" line="539" />
        <source>%1 still served, %2 days left</source>
        <translation>%1 wird weiterhin ausgeliefert, %2 Tage übrig</translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <location filename="../app/domain/Status.cpp" line="50" />
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../app/domain/Status.cpp" line="52" />
        <source>Rotation overdue</source>
        <translation>Rotation überfällig</translation>
    </message>
    <message>
        <location filename="../app/domain/Status.cpp" line="54" />
        <source>Warning</source>
        <translation>Warnung</translation>
    </message>
    <message>
        <location filename="../app/domain/Status.cpp" line="56" />
        <source>Critical</source>
        <translation>Kritisch</translation>
    </message>
    <message>
        <location filename="../app/domain/Status.cpp" line="58" />
        <source>Not yet valid</source>
        <translation>Noch nicht gültig</translation>
    </message>
    <message>
        <location filename="../app/domain/Status.cpp" line="60" />
        <source>Expired</source>
        <translation>Abgelaufen</translation>
    </message>
    <message>
        <location filename="../app/domain/Status.cpp" line="62" />
        <source>Unreachable</source>
        <translation>Nicht erreichbar</translation>
    </message>
    <message>
        <location filename="../app/domain/Status.cpp" line="64" />
        <source>Timed out</source>
        <translation>Zeitüberschreitung</translation>
    </message>
    <message>
        <location filename="../app/domain/Status.cpp" line="66" />
        <source>Handshake failed</source>
        <translation>Handshake fehlgeschlagen</translation>
    </message>
</context>
<context>
    <name>certdash::AlertService</name>
    <message>
        <location filename="../app/alerts/AlertService.cpp" line="70" />
        <source>The alert state was not saved; crossings may be announced again: %1</source>
        <translation>Der Alarmstatus wurde nicht gespeichert; Schwellenwertüberschreitungen werden möglicherweise erneut gemeldet: %1</translation>
    </message>
    <message>
        <location filename="../app/alerts/AlertService.cpp" line="74" />
        <source>A finished snooze was not cleared: %1</source>
        <translation>Eine beendete Zurückstellung wurde nicht entfernt: %1</translation>
    </message>
    <message>
        <location filename="../app/alerts/AlertService.cpp" line="80" />
        <source>The event log was not written: %1</source>
        <translation>Das Ereignisprotokoll wurde nicht geschrieben: %1</translation>
    </message>
</context>
<context>
    <name>certdash::Alerts</name>
    <message>
        <location filename="../app/alerts/AlertLevel.cpp" line="46" />
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../app/alerts/AlertLevel.cpp" line="48" />
        <source>Rotation overdue</source>
        <translation>Rotation überfällig</translation>
    </message>
    <message>
        <location filename="../app/alerts/AlertLevel.cpp" line="50" />
        <source>Warning</source>
        <translation>Warnung</translation>
    </message>
    <message>
        <location filename="../app/alerts/AlertLevel.cpp" line="52" />
        <source>Critical</source>
        <translation>Kritisch</translation>
    </message>
    <message>
        <location filename="../app/alerts/AlertLevel.cpp" line="54" />
        <source>Expired</source>
        <translation>Abgelaufen</translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="31" />
        <source>Expires %1.</source>
        <translation>Läuft am %1 ab.</translation>
    </message>
    <message>
        <location filename="../app/domain/ExpiryWords.cpp" line="42" />
        <source>expired less than an hour ago</source>
        <translation>vor weniger als einer Stunde abgelaufen</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/domain/ExpiryWords.cpp" line="44" />
        <source>expired %n hour(s) ago</source>
        <translation>
            <numerusform>vor %n Stunde abgelaufen</numerusform>
            <numerusform>vor %n Stunden abgelaufen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/domain/ExpiryWords.cpp" line="46" />
        <source>expired %n day(s) ago</source>
        <translation>
            <numerusform>vor %n Tag abgelaufen</numerusform>
            <numerusform>vor %n Tagen abgelaufen</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/domain/ExpiryWords.cpp" line="51" />
        <source>expires in less than an hour</source>
        <translation>läuft in weniger als einer Stunde ab</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/domain/ExpiryWords.cpp" line="53" />
        <source>expires in %n hour(s)</source>
        <translation>
            <numerusform>läuft in %n Stunde ab</numerusform>
            <numerusform>läuft in %n Stunden ab</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/domain/ExpiryWords.cpp" line="55" />
        <source>expires in %n day(s)</source>
        <translation>
            <numerusform>läuft in %n Tag ab</numerusform>
            <numerusform>läuft in %n Tagen ab</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/domain/ExpiryWords.cpp" line="62" />
        <source>Expired less than an hour ago, on %1.</source>
        <translation>Vor weniger als einer Stunde abgelaufen, am %1.</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/domain/ExpiryWords.cpp" line="64" />
        <source>Expired %n hour(s) ago, on %1.</source>
        <translation>
            <numerusform>Vor %n Stunde abgelaufen, am %1.</numerusform>
            <numerusform>Vor %n Stunden abgelaufen, am %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/domain/ExpiryWords.cpp" line="66" />
        <source>Expired %n day(s) ago, on %1.</source>
        <translation>
            <numerusform>Vor %n Tag abgelaufen, am %1.</numerusform>
            <numerusform>Vor %n Tagen abgelaufen, am %1.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/domain/ExpiryWords.cpp" line="71" />
        <source>Expires in less than an hour, on %1.</source>
        <translation>Läuft in weniger als einer Stunde ab, am %1.</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/domain/ExpiryWords.cpp" line="73" />
        <source>Expires in %n hour(s), on %1.</source>
        <translation>
            <numerusform>Läuft in %n Stunde ab, am %1.</numerusform>
            <numerusform>Läuft in %n Stunden ab, am %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/domain/ExpiryWords.cpp" line="75" />
        <source>%n day(s) left, expires %1.</source>
        <translation>
            <numerusform>Noch %n Tag, läuft am %1 ab.</numerusform>
            <numerusform>Noch %n Tage, läuft am %1 ab.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="37" />
        <source>Limited by the intermediate certificate “%1”.</source>
        <translation>Begrenzt durch das Zwischenzertifikat „%1“.</translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="40" />
        <source>Limited by the root certificate “%1”.</source>
        <translation>Begrenzt durch das Stammzertifikat „%1“.</translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="42" />
        <source>Limited by the server's own (leaf) certificate.</source>
        <translation>Begrenzt durch das Endzertifikat (Leaf) des Servers.</translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="51" />
        <source>address %1</source>
        <translation>Adresse %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="86" />
        <source>%n not resolved (DNS)</source>
        <translation>
            <numerusform>%n nicht aufgelöst (DNS)</numerusform>
            <numerusform>%n nicht aufgelöst (DNS)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="88" />
        <source>%n unreachable</source>
        <translation>
            <numerusform>%n nicht erreichbar</numerusform>
            <numerusform>%n nicht erreichbar</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="90" />
        <source>%n timed out</source>
        <translation>
            <numerusform>%n mit Zeitüberschreitung</numerusform>
            <numerusform>%n mit Zeitüberschreitung</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="92" />
        <source>%n TLS handshake failed</source>
        <translation>
            <numerusform>%n TLS-Handshake fehlgeschlagen</numerusform>
            <numerusform>%n TLS-Handshakes fehlgeschlagen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="120" />
        <source>%n not trusted</source>
        <translation>
            <numerusform>%n nicht vertrauenswürdig</numerusform>
            <numerusform>%n nicht vertrauenswürdig</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="124" />
        <source>%n expired</source>
        <translation>
            <numerusform>%n abgelaufen</numerusform>
            <numerusform>%n abgelaufen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="127" />
        <source>%n critical</source>
        <translation>
            <numerusform>%n kritisch</numerusform>
            <numerusform>%n kritisch</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="130" />
        <source>%n warning</source>
        <translation>
            <numerusform>%n Warnung</numerusform>
            <numerusform>%n Warnungen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="133" />
        <source>%n rotation overdue</source>
        <translation>
            <numerusform>%n Rotation überfällig</numerusform>
            <numerusform>%n Rotationen überfällig</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="136" />
        <source>%n ok</source>
        <translation>
            <numerusform>%n OK</numerusform>
            <numerusform>%n OK</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="141" />
        <source>%n weakly secured</source>
        <translation>
            <numerusform>%n schwach gesichert</numerusform>
            <numerusform>%n schwach gesichert</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="143" />
        <source>%n renewed</source>
        <translation>
            <numerusform>%n erneuert</numerusform>
            <numerusform>%n erneuert</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="145" />
        <source>%n trusted again</source>
        <translation>
            <numerusform>%n wieder vertrauenswürdig</numerusform>
            <numerusform>%n wieder vertrauenswürdig</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="155" />
        <source>accepted as self-signed or private</source>
        <translation>als selbstsigniert oder privat akzeptiert</translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="158" />
        <source>accepted: the pinned issuer matches</source>
        <translation>akzeptiert: Der gepinnte Aussteller stimmt überein</translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="161" />
        <source>accepted: the pinned fingerprint matches</source>
        <translation>akzeptiert: Der gepinnte Fingerabdruck stimmt überein</translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="166" />
        <source>Now %1.</source>
        <translation>Jetzt %1.</translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="167" />
        <source>Now %1 (tag %2).</source>
        <translation>Jetzt %1 (Tag %2).</translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="174" />
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="186" />
        <source>Not trusted: %1</source>
        <translation>Nicht vertrauenswürdig: %1</translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="187" />
        <source>%1: certificate not trusted: %2.</source>
        <translation>%1: Zertifikat nicht vertrauenswürdig: %2.</translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="192" />
        <source>Weakly secured: %1</source>
        <translation>Schwach gesichert: %1</translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="193" />
        <source>%1: %2.</source>
        <translation>%1: %2.</translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="197" />
        <source>Trusted again: %1</source>
        <translation>Wieder vertrauenswürdig: %1</translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="198" />
        <source>%1: the certificate is trusted again.</source>
        <translation>%1: Das Zertifikat ist wieder vertrauenswürdig.</translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="201" />
        <source>Still weak: %1.</source>
        <translation>Weiterhin schwach: %1.</translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="221" />
        <source>Renewed: %1</source>
        <translation>Erneuert: %1</translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="222" />
        <location filename="../app/alerts/Notification.cpp" line="250" />
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="226" />
        <source>%1 since %2.</source>
        <translation>%1 seit %2.</translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="231" />
        <source>A new certificate is served; now %1.</source>
        <translation>Ein neues Zertifikat wird ausgeliefert; jetzt %1.</translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="233" />
        <source>The certificate is not valid yet.</source>
        <translation>Das Zertifikat ist noch nicht gültig.</translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="249" />
        <source>Not resolved (DNS): %1</source>
        <translation>Nicht aufgelöst (DNS): %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="267" />
        <source>%n certificate(s) renewed</source>
        <translation>
            <numerusform>%n Zertifikat erneuert</numerusform>
            <numerusform>%n Zertifikate erneuert</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="269" />
        <location filename="../app/alerts/Notification.cpp" line="276" />
        <source>%n certificate(s) crossed thresholds</source>
        <translation>
            <numerusform>%n Zertifikat hat Schwellenwerte überschritten</numerusform>
            <numerusform>%n Zertifikate haben Schwellenwerte überschritten</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="273" />
        <source>Outage: %n down</source>
        <translation>
            <numerusform>%n Ausfall</numerusform>
            <numerusform>%n Ausfälle</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="276" />
        <source>%1; %2</source>
        <translation>%1; %2</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="294" />
        <source>and %n more</source>
        <translation>
            <numerusform>und %n weitere</numerusform>
            <numerusform>und %n weitere</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>certdash::ChainVerifier</name>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="96" />
        <source>weak key: %1 has a %2-bit %3 key</source>
        <translation>schwacher Schlüssel: %1 hat einen %3-Schlüssel mit %2 Bit</translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="113" />
        <source>weak signature: %1 is signed with %2</source>
        <translation>schwache Signatur: %1 ist mit %2 signiert</translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="131" />
        <source>no subjectAltName: %1 matched only through the deprecated Common Name fallback</source>
        <translation>kein subjectAltName: %1 passt nur über den veralteten Rückgriff auf den Common Name</translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="166" />
        <source>chain out of order: %1 is sent before %2, the certificate it issued</source>
        <translation>Kette in falscher Reihenfolge: %1 wird vor dem von ihm ausgestellten Zertifikat %2 gesendet</translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="179" />
        <location filename="../app/probing/ChainVerifier.cpp" line="308" />
        <location filename="../app/probing/ChainVerifier.cpp" line="328" />
        <source>verification failed: %1</source>
        <translation>Verifizierung fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="184" />
        <source>expired: %1 expired %2</source>
        <translation>abgelaufen: %1 ist am %2 abgelaufen</translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="188" />
        <source>not yet valid: %1 valid from %2</source>
        <translation>noch nicht gültig: %1 ist erst ab %2 gültig</translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="199" />
        <source>self-signed certificate: %1 is not a trusted anchor</source>
        <translation>selbstsigniertes Zertifikat: %1 ist kein Vertrauensanker</translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="204" />
        <source>untrusted root: %1 is not a trusted anchor</source>
        <translation>nicht vertrauenswürdiges Stammzertifikat: %1 ist kein Vertrauensanker</translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="213" />
        <source>incomplete chain: issuer of %1 (%2) was not sent</source>
        <translation>unvollständige Kette: Der Aussteller von %1 (%2) wurde nicht gesendet</translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="216" />
        <source>untrusted root: issuer of %1 (%2) is not a trusted anchor</source>
        <translation>nicht vertrauenswürdiges Stammzertifikat: Der Aussteller von %1 (%2) ist kein Vertrauensanker</translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="222" />
        <source>hostname mismatch: certificate is not valid for %1</source>
        <translation>Namenskonflikt: Das Zertifikat ist nicht für %1 gültig</translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="240" />
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="293" />
        <source>no certificate presented</source>
        <translation>kein Zertifikat vorgelegt</translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="322" />
        <source>hostname mismatch: %1 is not a valid host name or address</source>
        <translation>Namenskonflikt: %1 ist weder ein gültiger Hostname noch eine gültige Adresse</translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="416" />
        <source> (expired %1)</source>
        <translation> (abgelaufen am %1)</translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="418" />
        <source> (not valid before %1)</source>
        <translation> (gültig erst ab %1)</translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="422" />
        <source> issued by %1</source>
        <translation> ausgestellt von %1</translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="425" />
        <source>extra certificate not on the verified path: %1%2%3</source>
        <translation>zusätzliches Zertifikat außerhalb des verifizierten Pfads: %1%2%3</translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="448" />
        <location filename="../app/probing/ChainVerifier.cpp" line="480" />
        <location filename="../app/probing/ChainVerifier.cpp" line="502" />
        <source>unreadable certificate #%1 sent by the server: %2</source>
        <translation>nicht lesbares Zertifikat #%1 vom Server: %2</translation>
    </message>
    <message>
        <location filename="../app/domain/ExpiryPolicy.cpp" line="39" />
        <source>unreadable %1 in %2: %3</source>
        <translation>nicht lesbares Feld %1 in %2: %3</translation>
    </message>
</context>
<context>
    <name>certdash::ChangesModel</name>
    <message>
        <location filename="../ui/models/ChangesModel.cpp" line="51" />
        <source>%1%2%3, expires %4</source>
        <translation>%1%2%3, läuft am %4 ab</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/models/ChangesModel.cpp" line="56" />
        <source>%1 still served, %n day(s) left</source>
        <translation>
            <numerusform>%1 wird weiterhin ausgeliefert, %n Tag übrig</numerusform>
            <numerusform>%1 wird weiterhin ausgeliefert, %n Tage übrig</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/models/ChangesModel.cpp" line="64" />
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location filename="../ui/models/ChangesModel.cpp" line="69" />
        <source>siblings serve %1, this address %2</source>
        <translation>die übrigen Adressen liefern %1 aus, diese Adresse %2</translation>
    </message>
    <message>
        <location filename="../ui/models/ChangesModel.cpp" line="90" />
        <source>Before: %1
After: %2</source>
        <translation>Vorher: %1
Nachher: %2</translation>
    </message>
    <message>
        <location filename="../ui/models/ChangesModel.cpp" line="116" />
        <source>First seen</source>
        <translation>Erstmals gesehen</translation>
    </message>
    <message>
        <location filename="../ui/models/ChangesModel.cpp" line="118" />
        <source>Change</source>
        <translation>Änderung</translation>
    </message>
    <message>
        <location filename="../ui/models/ChangesModel.cpp" line="120" />
        <source>Target</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <location filename="../ui/models/ChangesModel.cpp" line="122" />
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <location filename="../ui/models/ChangesModel.cpp" line="124" />
        <source>Before → after</source>
        <translation>Vorher → nachher</translation>
    </message>
</context>
<context>
    <name>certdash::ChangesView</name>
    <message>
        <location filename="../ui/widgets/ChangesView.cpp" line="24" />
        <source>Last 24 hours</source>
        <translation>Letzte 24 Stunden</translation>
    </message>
    <message>
        <location filename="../ui/widgets/ChangesView.cpp" line="25" />
        <source>Last 7 days</source>
        <translation>Letzte 7 Tage</translation>
    </message>
    <message>
        <location filename="../ui/widgets/ChangesView.cpp" line="26" />
        <source>Last 30 days</source>
        <translation>Letzte 30 Tage</translation>
    </message>
    <message>
        <location filename="../ui/widgets/ChangesView.cpp" line="27" />
        <source>Since a date</source>
        <translation>Seit einem Datum</translation>
    </message>
    <message>
        <location filename="../ui/widgets/ChangesView.cpp" line="35" />
        <source>S&amp;ince:</source>
        <translation>&amp;Seit:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/ChangesView.cpp" line="102" />
        <source>Reading…</source>
        <translation>Wird gelesen…</translation>
    </message>
    <message>
        <location filename="../ui/widgets/ChangesView.cpp" line="108" />
        <source>Could not read the changes: %1</source>
        <translation>Die Änderungen konnten nicht gelesen werden: %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/widgets/ChangesView.cpp" line="113" />
        <source>%n change(s) since %1</source>
        <translation>
            <numerusform>%n Änderung seit %1</numerusform>
            <numerusform>%n Änderungen seit %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>certdash::ClientIdentity</name>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="79" />
        <source>%1: cannot read: %2</source>
        <translation>%1: Lesen nicht möglich: %2</translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="84" />
        <source>%1: larger than %2 KiB; not a client certificate or key file</source>
        <translation>%1: größer als %2 KiB; keine Clientzertifikats- oder Schlüsseldatei</translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="90" />
        <source>%1: the file is empty</source>
        <translation>%1: Die Datei ist leer</translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="141" />
        <source>%1: the key is encrypted and no passphrase is available: %2</source>
        <translation>%1: Der Schlüssel ist verschlüsselt und es ist keine Passphrase verfügbar: %2</translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="156" />
        <source>%1: unsupported key format: a PEM private key (-----BEGIN PRIVATE KEY-----) was expected</source>
        <translation>%1: Nicht unterstütztes Schlüsselformat: Ein privater PEM-Schlüssel (-----BEGIN PRIVATE KEY-----) wurde erwartet</translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="164" />
        <source>%1: no private key in it, only a certificate</source>
        <translation>%1: enthält keinen privaten Schlüssel, nur ein Zertifikat</translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="165" />
        <source>%1: no private key in it (-----BEGIN PRIVATE KEY----- expected)</source>
        <translation>%1: enthält keinen privaten Schlüssel (-----BEGIN PRIVATE KEY----- erwartet)</translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="174" />
        <source>%1: the private key cannot be read (%2)</source>
        <translation>%1: Der private Schlüssel kann nicht gelesen werden (%2)</translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="184" />
        <source>%1: wrong passphrase: it does not decrypt the private key</source>
        <translation>%1: Falsche Passphrase, der private Schlüssel lässt sich damit nicht entschlüsseln</translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="199" />
        <source>%1: a DER certificate without its key; give it in PEM with --client-key, or as a PKCS#12 file</source>
        <translation>%1: ein DER-Zertifikat ohne seinen Schlüssel; geben Sie es im PEM-Format mit --client-key oder als PKCS#12-Datei an</translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="205" />
        <source>%1: not a certificate: unsupported format (expected PEM or PKCS#12)</source>
        <translation>%1: kein Zertifikat: nicht unterstütztes Format (PEM oder PKCS#12 erwartet)</translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="223" />
        <source>%1: wrong password: it does not open the PKCS#12 file</source>
        <translation>%1: Falsches Passwort, die PKCS#12-Datei lässt sich damit nicht öffnen</translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="232" />
        <source>%1: the PKCS#12 file cannot be read (%2); one made with legacy algorithms (RC2, 40-bit) can be re-exported with `openssl pkcs12`</source>
        <translation>%1: Die PKCS#12-Datei kann nicht gelesen werden (%2); eine mit veralteten Algorithmen (RC2, 40 Bit) erstellte Datei lässt sich mit `openssl pkcs12` neu exportieren</translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="242" />
        <source>%1: the PKCS#12 file holds no certificate for its key</source>
        <translation>%1: Die PKCS#12-Datei enthält kein Zertifikat zu ihrem Schlüssel</translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="246" />
        <source>%1: the PKCS#12 file holds no private key</source>
        <translation>%1: Die PKCS#12-Datei enthält keinen privaten Schlüssel</translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="265" />
        <source>no client certificate file given</source>
        <translation>keine Clientzertifikatsdatei angegeben</translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="281" />
        <source>%1 is a PKCS#12 file, which holds its own key: give it as --client-cert alone, without --client-key</source>
        <translation>%1 ist eine PKCS#12-Datei, die ihren eigenen Schlüssel enthält: Geben Sie sie allein mit --client-cert an, ohne --client-key</translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="295" />
        <source>%1: not a certificate: it holds only a private key (give it with --client-key, and the certificate with --client-cert)</source>
        <translation>%1: kein Zertifikat: enthält nur einen privaten Schlüssel (geben Sie ihn mit --client-key an und das Zertifikat mit --client-cert)</translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="299" />
        <source>%1: not a certificate: no -----BEGIN CERTIFICATE----- block in it</source>
        <translation>%1: kein Zertifikat: enthält keinen Block -----BEGIN CERTIFICATE-----</translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="313" />
        <source>%1: holds a certificate but no private key: give the key with --client-key</source>
        <translation>%1: enthält ein Zertifikat, aber keinen privaten Schlüssel: Geben Sie den Schlüssel mit --client-key an</translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="325" />
        <source>%1: the private key does not match the certificate (%2)</source>
        <translation>%1: Der private Schlüssel passt nicht zum Zertifikat (%2)</translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="327" />
        <source>the key in %1 does not match the certificate in %2 (%3)</source>
        <translation>Der Schlüssel in %1 passt nicht zum Zertifikat in %2 (%3)</translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="399" />
        <source>the client certificate of %1: %2</source>
        <translation>Clientzertifikat für %1: %2</translation>
    </message>
</context>
<context>
    <name>certdash::Connection</name>
    <message>
        <location filename="../app/domain/Connection.cpp" line="37" />
        <source>proxy %1 is not a URL (write http://host:port, socks5://host:port, or %2 for none)</source>
        <translation>Proxy %1 ist keine URL (schreiben Sie http://host:port, socks5://host:port oder %2 für keinen Proxy)</translation>
    </message>
    <message>
        <location filename="../app/domain/Connection.cpp" line="43" />
        <source>proxy %1: the scheme must be http, socks5 or socks5h</source>
        <translation>Proxy %1: Das Schema muss http, socks5 oder socks5h sein</translation>
    </message>
    <message>
        <location filename="../app/domain/Connection.cpp" line="46" />
        <source>proxy %1 carries a password: passwords are never stored with targets; keep it in the keychain (certdash secret set) instead</source>
        <translation>Proxy %1 enthält ein Passwort: Passwörter werden nie zusammen mit Zielen gespeichert; legen Sie es stattdessen im Schlüsselbund ab (certdash secret set)</translation>
    </message>
    <message>
        <location filename="../app/domain/Connection.cpp" line="50" />
        <source>proxy %1 has no host</source>
        <translation>Proxy %1 hat keinen Host</translation>
    </message>
    <message>
        <location filename="../app/domain/Connection.cpp" line="52" />
        <source>proxy %1 has no port</source>
        <translation>Proxy %1 hat keinen Port</translation>
    </message>
    <message>
        <location filename="../app/domain/Connection.cpp" line="54" />
        <source>proxy %1: a proxy URL has no path</source>
        <translation>Proxy %1: Eine Proxy-URL darf keinen Pfad enthalten</translation>
    </message>
    <message>
        <location filename="../app/domain/Connection.cpp" line="56" />
        <source>proxy %1: a proxy URL has no query or fragment</source>
        <translation>Proxy %1: Eine Proxy-URL darf weder Query noch Fragment enthalten</translation>
    </message>
</context>
<context>
    <name>certdash::Csv</name>
    <message>
        <location filename="../app/inventory/CsvReader.cpp" line="51" />
        <source>record too long: %1 characters (a record holds at most %2)</source>
        <translation>Datensatz zu lang: %1 Zeichen (ein Datensatz enthält höchstens %2)</translation>
    </message>
    <message>
        <location filename="../app/inventory/CsvReader.cpp" line="128" />
        <source>unterminated quoted cell (the quote opened on line %1 is never closed)</source>
        <translation>nicht abgeschlossene Zelle in Anführungszeichen (das in Zeile %1 geöffnete Anführungszeichen wird nie geschlossen)</translation>
    </message>
    <message>
        <location filename="../app/inventory/CsvReader.cpp" line="163" />
        <source>text after a closing quote on line %1: %2 (write a quote inside a quoted cell as "")</source>
        <translation>Text nach einem schließenden Anführungszeichen in Zeile %1: %2 (schreiben Sie ein Anführungszeichen innerhalb einer Zelle in Anführungszeichen als "")</translation>
    </message>
</context>
<context>
    <name>certdash::Database</name>
    <message>
        <location filename="../app/storage/Database.cpp" line="65" />
        <source>%1 is locked by another CertDash process (gave up after %2 s); try again when it has finished</source>
        <translation>%1 ist durch einen anderen CertDash-Prozess gesperrt (nach %2 s aufgegeben); versuchen Sie es erneut, wenn dieser beendet ist</translation>
    </message>
    <message>
        <location filename="../app/storage/Database.cpp" line="120" />
        <source>%1 is a directory, not a CertDash database</source>
        <translation>%1 ist ein Verzeichnis, keine CertDash-Datenbank</translation>
    </message>
    <message>
        <location filename="../app/storage/Database.cpp" line="139" />
        <source>%1 is not a CertDash database (not an SQLite file); it was left untouched</source>
        <translation>%1 ist keine CertDash-Datenbank (keine SQLite-Datei); sie wurde nicht verändert</translation>
    </message>
    <message>
        <location filename="../app/storage/Database.cpp" line="122" />
        <source>cannot create the folder for %1</source>
        <translation>Der Ordner für %1 kann nicht erstellt werden</translation>
    </message>
    <message>
        <location filename="../app/storage/Database.cpp" line="132" />
        <source>cannot open %1: %2</source>
        <translation>%1 kann nicht geöffnet werden: %2</translation>
    </message>
    <message>
        <location filename="../app/storage/Database.cpp" line="142" />
        <source>%1 cannot be read as a database: %2</source>
        <translation>%1 kann nicht als Datenbank gelesen werden: %2</translation>
    </message>
    <message>
        <location filename="../app/storage/Database.cpp" line="148" />
        <source>%1 cannot be read as a database</source>
        <translation>%1 kann nicht als Datenbank gelesen werden</translation>
    </message>
    <message>
        <location filename="../app/storage/Database.cpp" line="153" />
        <source>%1 is an SQLite database of another application, not CertDash; it was left untouched</source>
        <translation>%1 ist eine SQLite-Datenbank einer anderen Anwendung, nicht von CertDash; sie wurde nicht verändert</translation>
    </message>
    <message>
        <location filename="../app/storage/Database.cpp" line="157" />
        <source>%1 was written by a newer CertDash (schema version %2; this version knows up to %3); it was left untouched</source>
        <translation>%1 wurde von einer neueren CertDash-Version geschrieben (Schemaversion %2; diese Version unterstützt bis %3); sie wurde nicht verändert</translation>
    </message>
    <message>
        <location filename="../app/storage/Database.cpp" line="188" />
        <source>cannot prepare %1: %2</source>
        <translation>%1 kann nicht vorbereitet werden: %2</translation>
    </message>
    <message>
        <location filename="../app/storage/DataDirectory.cpp" line="57" />
        <source>cannot create %1</source>
        <translation>%1 kann nicht angelegt werden</translation>
    </message>
    <message>
        <location filename="../app/storage/DataDirectory.cpp" line="70" />
        <source>cannot move %1 to %2</source>
        <translation>%1 kann nicht nach %2 verschoben werden</translation>
    </message>
</context>
<context>
    <name>certdash::DesktopNotifier</name>
    <message>
        <location filename="../app/alerts/DesktopNotifier.cpp" line="80" />
        <source>Open</source>
        <translation>Öffnen</translation>
    </message>
</context>
<context>
    <name>certdash::DetailsPane</name>
    <message numerus="yes">
        <location filename="../ui/widgets/DetailsPane.cpp" line="54" />
        <source>%1 (of a %n-day lifetime)</source>
        <translation>
            <numerusform>%1 (von %n Tag Laufzeit)</numerusform>
            <numerusform>%1 (von %n Tagen Laufzeit)</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="98" />
        <location filename="../ui/widgets/DetailsPane.cpp" line="153" />
        <source>Certificate</source>
        <translation>Zertifikat</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="98" />
        <source>Expires</source>
        <translation>Läuft ab</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="98" />
        <location filename="../ui/widgets/DetailsPane.cpp" line="126" />
        <source>Days left</source>
        <translation>Tage übrig</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="126" />
        <source>Probed</source>
        <translation>Geprüft</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="126" />
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="126" />
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="139" />
        <source>&amp;Copy PEM</source>
        <translation>PEM &amp;kopieren</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="140" />
        <source>Sa&amp;ve PEM...</source>
        <translation>PEM &amp;speichern...</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="141" />
        <source>Renewal &amp;request...</source>
        <translation>&amp;Erneuerungsanfrage...</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="143" />
        <source>A new private key like this certificate's (never weaker) and a CSR with its subject and names, signed with SHA-256. The key is written encrypted; its passphrase goes into the system keychain.</source>
        <translation>Ein neuer privater Schlüssel wie der dieses Zertifikats (nie schwächer) und ein CSR mit dessen Inhaber und Namen, signiert mit SHA-256. Der Schlüssel wird verschlüsselt geschrieben; seine Passphrase kommt in den Schlüsselbund des Systems.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="154" />
        <source>Expiry timeline</source>
        <translation>Ablauf-Zeitleiste</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="155" />
        <source>OpenSSL text</source>
        <translation>OpenSSL-Text</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="156" />
        <source>Trust</source>
        <translation>Vertrauen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="157" />
        <source>History</source>
        <translation>Verlauf</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="188" />
        <location filename="../ui/widgets/DetailsPane.cpp" line="193" />
        <source>Save PEM</source>
        <translation>PEM speichern</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="190" />
        <source>PEM certificates (*.pem *.crt)</source>
        <translation>PEM-Zertifikate (*.pem *.crt)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="197" />
        <source>Folder for key.pem and csr.pem</source>
        <translation>Ordner für key.pem und csr.pem</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="202" />
        <location filename="../ui/widgets/DetailsPane.cpp" line="205" />
        <source>Renewal request</source>
        <translation>Erneuerungsanfrage</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="206" />
        <source>Wrote %1 (a new %2 key, encrypted) and %3. The key's passphrase is in the keychain as "%4" (certdash secret check reads it).</source>
        <translation>%1 (ein neuer Schlüssel, %2, verschlüsselt) und %3 wurden geschrieben. Die Passphrase des Schlüssels liegt im Schlüsselbund unter „%4“ (certdash secret check liest sie).</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="220" />
        <source>No certificate is selected.</source>
        <translation>Kein Zertifikat ausgewählt.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="230" />
        <source>Select an endpoint to see its certificates.</source>
        <translation>Wählen Sie einen Endpunkt aus, um seine Zertifikate zu sehen.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="301" />
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="304" />
        <source>&lt;b&gt;%1&lt;/b&gt; &amp;nbsp; %2 &amp;nbsp; SNI %3 &amp;nbsp; %4</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; &amp;nbsp; %2 &amp;nbsp; SNI %3 &amp;nbsp; %4</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="306" />
        <source>(none)</source>
        <translation>(keine)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="309" />
        <source>&lt;br&gt;%1</source>
        <translation>&lt;br&gt;%1</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="318" />
        <source>%1 serves %2 (expires %3)</source>
        <translation>%1 liefert %2 aus (läuft am %3 ab)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="324" />
        <source>⚠ Backend divergence: the addresses of this target serve different certificates. %1</source>
        <translation>⚠ Abweichende Backends: Die Adressen dieses Ziels liefern unterschiedliche Zertifikate aus. %1</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="339" />
        <source>Leaf</source>
        <translation>Endzertifikat</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="340" />
        <source>Root</source>
        <translation>Stammzertifikat</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="340" />
        <source>Intermediate</source>
        <translation>Zwischenzertifikat</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="342" />
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="354" />
        <source>Limiting: the earliest expiry on the path clients use decides this endpoint's status</source>
        <translation>Begrenzend: Der früheste Ablauf auf dem Pfad, den Clients verwenden, bestimmt den Status dieses Endpunkts</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="372" />
        <source>root</source>
        <translation>Stammzertifikat</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="373" />
        <source>intermediate</source>
        <translation>Zwischenzertifikat</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="375" />
        <source>⏳ Limiting certificate: the %1 %2 expires %3, before the leaf (%4). The endpoint breaks when it expires, whatever the leaf says; renewing the leaf alone does not help.</source>
        <translation>⏳ Begrenzendes Zertifikat: Das %1 „%2“ läuft am %3 ab, vor dem Endzertifikat (%4). Wenn es abläuft, fällt der Endpunkt aus, unabhängig vom Endzertifikat; nur das Endzertifikat zu erneuern hilft nicht.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="395" />
        <source>&lt;p&gt;The chain verifies to a trust anchor and names this host.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Die Kette lässt sich bis zu einem Vertrauensanker verifizieren und nennt diesen Host.&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="425" />
        <source>Subject</source>
        <translation>Inhaber</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="426" />
        <source>Issuer</source>
        <translation>Aussteller</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="427" />
        <source>Valid from</source>
        <translation>Gültig ab</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="428" />
        <source>Valid until</source>
        <translation>Gültig bis</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/widgets/DetailsPane.cpp" line="434" />
        <source>, ... and %n more</source>
        <translation>
            <numerusform>, ... und %n weiterer</numerusform>
            <numerusform>, ... und %n weitere</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="435" />
        <source>Names (SAN)</source>
        <translation>Namen (SAN)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="436" />
        <source>Key</source>
        <translation>Schlüssel</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="436" />
        <source>%1 %2 bits</source>
        <translation>%1 %2 Bit</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="437" />
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="438" />
        <source>Signature</source>
        <translation>Signatur</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="439" />
        <source>Serial</source>
        <translation>Seriennummer</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="440" />
        <source>SHA-256</source>
        <translation>SHA-256</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="441" />
        <source>Key usage</source>
        <translation>Schlüsselverwendung</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="442" />
        <source>OCSP</source>
        <translation>OCSP</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="443" />
        <source>CRL</source>
        <translation>CRL</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="444" />
        <source>Embedded SCTs</source>
        <translation>Eingebettete SCTs</translation>
    </message>
</context>
<context>
    <name>certdash::EndpointTableModel</name>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="470" />
        <source>Not probed yet</source>
        <translation>Noch nicht geprüft</translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="489" />
        <source>(resolve)</source>
        <translation>(per DNS)</translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="493" />
        <source>(none)</source>
        <translation>(keine)</translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="506" />
        <source>leaf</source>
        <translation>Endzertifikat</translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="508" />
        <source>root: %1</source>
        <translation>Stammzertifikat: %1</translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="509" />
        <source>intermediate: %1</source>
        <translation>Zwischenzertifikat: %1</translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="518" />
        <source>trusted</source>
        <translation>vertrauenswürdig</translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="461" />
        <source>%1 (stale)</source>
        <translation>%1 (veraltet)</translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="475" />
        <source>%1 · not trusted: %2</source>
        <translation>%1 · nicht vertrauenswürdig: %2</translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="478" />
        <source>%1 · weak: %2</source>
        <translation>%1 · schwach: %2</translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="481" />
        <source>%1 · accepted</source>
        <translation>%1 · akzeptiert</translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="504" />
        <source>earliest in the chain</source>
        <translation>frühestes der Kette</translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="525" />
        <source>%1 via %2</source>
        <translation>%1 über %2</translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="543" />
        <source>%1 (snoozed)</source>
        <translation>%1 (zurückgestellt)</translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="609" />
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="611" />
        <source>Target</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="613" />
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="615" />
        <source>SNI</source>
        <translation>SNI</translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="617" />
        <source>Days left</source>
        <translation>Tage übrig</translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="619" />
        <source>Expires</source>
        <translation>Läuft ab</translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="621" />
        <source>Limiting certificate</source>
        <translation>Begrenzendes Zertifikat</translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="623" />
        <source>Issuer</source>
        <translation>Aussteller</translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="625" />
        <source>Key</source>
        <translation>Schlüssel</translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="627" />
        <source>Trust</source>
        <translation>Vertrauen</translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="629" />
        <source>Owner</source>
        <translation>Verantwortlich</translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="631" />
        <source>Tags</source>
        <translation>Tags</translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="633" />
        <source>Last probed</source>
        <translation>Zuletzt geprüft</translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="635" />
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModelFleet.cpp" line="14" />
        <source>CertDash</source>
        <translation>CertDash</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/models/EndpointTableModelFleet.cpp" line="24" />
        <source>%n s</source>
        <translation>
            <numerusform>%n s</numerusform>
            <numerusform>%n s</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/models/EndpointTableModelFleet.cpp" line="26" />
        <source>%n min</source>
        <translation>
            <numerusform>%n min</numerusform>
            <numerusform>%n min</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/models/EndpointTableModelFleet.cpp" line="28" />
        <source>%n h</source>
        <translation>
            <numerusform>%n h</numerusform>
            <numerusform>%n h</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/models/EndpointTableModelFleet.cpp" line="29" />
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n Tag</numerusform>
            <numerusform>%n Tagen</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModelFleet.cpp" line="36" />
        <source>Fleet row from %1, read %2 ago (its newest probe sample).</source>
        <translation>Flottenzeile von %1, vor %2 gelesen (der neueste Messwert ihrer Prüfung).</translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModelFleet.cpp" line="41" />
        <source>Stale: older than a few read intervals; the fleet has not probed it since, or the Prometheus could not be read.</source>
        <translation>Veraltet: älter als einige Leseintervalle; die Flotte hat das Ziel seitdem nicht geprüft, oder der Prometheus konnte nicht gelesen werden.</translation>
    </message>
</context>
<context>
    <name>certdash::EstateCharts</name>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="65" />
        <source>Target addresses</source>
        <translation>Zieladressen</translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="67" />
        <source>Certificate lifetime (days)</source>
        <translation>Zertifikatslaufzeit (Tage)</translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="68" />
        <source>Days left</source>
        <translation>Tage übrig</translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="84" />
        <source>Expiry &amp;calendar</source>
        <translation>Ablauf&amp;kalender</translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="85" />
        <source>&amp;Rotation health</source>
        <translation>&amp;Rotationszustand</translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="86" />
        <source>E&amp;xport chart as PNG...</source>
        <translation>Diagramm als PNG e&amp;xportieren...</translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="109" />
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="120" />
        <source>Target addresses by the week their certificate expires</source>
        <translation>Zieladressen nach Woche des Zertifikatsablaufs</translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="160" />
        <source>Expiring after these 26 weeks: %1.</source>
        <translation>Ablauf nach den gezeigten 26 Wochen: %1.</translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="162" />
        <source>Without a certificate (the last probe failed): %1.</source>
        <translation>Ohne Zertifikat (letzte Prüfung fehlgeschlagen): %1.</translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="164" />
        <source>Click a bar to list those rows in the table.</source>
        <translation>Klicken Sie auf einen Balken, um diese Zeilen in der Tabelle aufzulisten.</translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="172" />
        <source>Rotation health: days left against certificate lifetime</source>
        <translation>Rotationszustand: verbleibende Tage im Verhältnis zur Zertifikatslaufzeit</translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="184" />
        <source>Healthy band (default)</source>
        <translation>Sollbereich (Standard)</translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="184" />
        <source>Healthy band</source>
        <translation>Sollbereich</translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="196" />
        <source>Warning threshold</source>
        <translation>Schwellenwert Warnung</translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="197" />
        <source>Critical threshold</source>
        <translation>Schwellenwert Kritisch</translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="213" />
        <location filename="../ui/charts/EstateCharts.cpp" line="347" />
        <source>Under the band: rotation failed</source>
        <translation>Unter dem Sollbereich: Rotation fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="213" />
        <location filename="../ui/charts/EstateCharts.cpp" line="347" />
        <source>In the band</source>
        <translation>Im Sollbereich</translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="249" />
        <source>Under the band (renewal was due and did not happen): %1.</source>
        <translation>Unter dem Sollbereich (Erneuerung war fällig und ist ausgeblieben): %1.</translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="250" />
        <source>No rotation period is set: the band assumes renewal at 2/3 of the lifetime.</source>
        <translation>Kein Rotationsintervall festgelegt: Der Sollbereich geht von einer Erneuerung nach 2/3 der Laufzeit aus.</translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="252" />
        <source>The band follows the rotation period in Settings; targets with their own period are judged by it.</source>
        <translation>Der Sollbereich folgt dem Rotationsintervall in den Einstellungen; Ziele mit eigenem Intervall werden nach diesem beurteilt.</translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="254" />
        <source>Hover a point to name its targets; click it to select them.</source>
        <translation>Zeigen Sie auf einen Punkt, um seine Ziele zu sehen; klicken Sie darauf, um sie auszuwählen.</translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="269" />
        <source>already expired</source>
        <translation>bereits abgelaufen</translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="270" />
        <source>week of %1</source>
        <translation>Woche vom %1</translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="271" />
        <source>d MMM yyyy</source>
        <comment>week in a description</comment>
        <translation>d. MMM yyyy</translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="275" />
        <source>Expired</source>
        <translation>Abgelaufen</translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="277" />
        <source>d MMM</source>
        <comment>week label: day and short month</comment>
        <translation>d. MMM</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/charts/EstateCharts.cpp" line="327" />
        <source>%1, %2: %n target address(es)</source>
        <translation>
            <numerusform>%1, %2: %n Zieladresse</numerusform>
            <numerusform>%1, %2: %n Zieladressen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/charts/EstateCharts.cpp" line="340" />
        <source>and %n more</source>
        <translation>
            <numerusform>und %n weiteres</numerusform>
            <numerusform>und %n weitere</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="344" />
        <source>%1-day certificate, expired (days left %2)</source>
        <translation>%1-Tage-Zertifikat, abgelaufen (Tage übrig: %2)</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/charts/EstateCharts.cpp" line="345" />
        <source>%1-day certificate, %n day(s) left</source>
        <translation>
            <numerusform>%1-Tage-Zertifikat, noch %n Tag übrig</numerusform>
            <numerusform>%1-Tage-Zertifikat, noch %n Tage übrig</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="361" />
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="379" />
        <source>%1-day certificates, expired (days left %2)</source>
        <translation>%1-Tage-Zertifikate, abgelaufen (Tage übrig: %2)</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/charts/EstateCharts.cpp" line="382" />
        <source>%1-day certificates with %n day(s) left</source>
        <translation>
            <numerusform>%1-Tage-Zertifikate mit %n verbleibendem Tag</numerusform>
            <numerusform>%1-Tage-Zertifikate mit %n verbleibenden Tagen</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="399" />
        <source>Cannot write %1.</source>
        <translation>%1 kann nicht geschrieben werden.</translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="428" />
        <source>Export chart as PNG</source>
        <translation>Diagramm als PNG exportieren</translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="429" />
        <source>PNG images (*.png)</source>
        <translation>PNG-Bilder (*.png)</translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="432" />
        <source>Export chart</source>
        <translation>Diagramm exportieren</translation>
    </message>
</context>
<context>
    <name>certdash::EventLog</name>
    <message>
        <location filename="../app/alerts/EventLog.cpp" line="100" />
        <source>%1: the directory cannot be created.</source>
        <translation>%1: Das Verzeichnis kann nicht erstellt werden.</translation>
    </message>
    <message>
        <location filename="../app/alerts/EventLog.cpp" line="108" />
        <location filename="../app/alerts/EventLog.cpp" line="113" />
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>certdash::EvidenceReport</name>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="30" />
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="87" />
        <source>Summary</source>
        <translation>Zusammenfassung</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="92" />
        <location filename="../ui/report/EvidenceDocument.cpp" line="160" />
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="93" />
        <location filename="../ui/report/EvidenceDocument.cpp" line="102" />
        <source>Target addresses</source>
        <translation>Zieladressen</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="101" />
        <source>Trust</source>
        <translation>Vertrauen</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="109" />
        <source>Needs attention: %1 of %2 target addresses.</source>
        <translation>Handlungsbedarf: %1 von %2 Zieladressen.</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="133" />
        <source>Expiry calendar</source>
        <translation>Ablaufkalender</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="136" />
        <source>Rotation health</source>
        <translation>Rotationszustand</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="145" />
        <source>Endpoints that need attention (%1)</source>
        <translation>Endpunkte mit Handlungsbedarf (%1)</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="150" />
        <source>None: every probed target address is ok and trusted.</source>
        <translation>Keine: Jede geprüfte Zieladresse ist ok und vertrauenswürdig.</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="155" />
        <source>As the window's "Needs attention" shows them: any status but ok, or a certificate clients refuse. The limiting certificate is the one on the path clients use that expires first.</source>
        <translation>So, wie „Handlungsbedarf“ im Fenster sie zeigt: jeder Status außer ok oder ein Zertifikat, das Clients ablehnen. Das begrenzende Zertifikat ist dasjenige auf dem Pfad, den Clients verwenden, das zuerst abläuft.</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="160" />
        <location filename="../ui/report/EvidenceDocument.cpp" line="222" />
        <source>Endpoint</source>
        <translation>Endpunkt</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="161" />
        <source>Limiting certificate</source>
        <translation>Begrenzendes Zertifikat</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="161" />
        <source>Expires</source>
        <translation>Läuft ab</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="162" />
        <source>Days left</source>
        <translation>Tage übrig</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="162" />
        <source>Findings</source>
        <translation>Befunde</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="184" />
        <source>role: %1</source>
        <translation>Rolle: %1</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="212" />
        <source>Changes since %1 (%2)</source>
        <translation>Änderungen seit %1 (%2)</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="217" />
        <source>Nothing changed in this period.</source>
        <translation>In diesem Zeitraum hat sich nichts geändert.</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="221" />
        <source>First seen</source>
        <translation>Erstmals gesehen</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="221" />
        <source>Change</source>
        <translation>Änderung</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="222" />
        <source>Before</source>
        <translation>Vorher</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="223" />
        <source>After</source>
        <translation>Nachher</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="223" />
        <source>Detail</source>
        <translation>Detail</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="245" />
        <location filename="../ui/report/EvidenceDocument.cpp" line="251" />
        <location filename="../ui/report/EvidencePdf.cpp" line="178" />
        <source>CertDash evidence report</source>
        <translation>CertDash-Prüfbericht</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="258" />
        <source>Generated</source>
        <translation>Erstellt</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="259" />
        <source>Store</source>
        <translation>Datenbank</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="260" />
        <source>Scope</source>
        <translation>Umfang</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="261" />
        <source>every stored target: %1 targets, %2 target addresses with a result</source>
        <translation>alle gespeicherten Ziele: %1 Ziele, %2 Zieladressen mit Ergebnis</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="264" />
        <source>Changes since</source>
        <translation>Änderungen seit</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="284" />
        <source>Written by CertDash %1 from the latest stored probe results.</source>
        <translation>Erstellt von CertDash %1 aus den neuesten gespeicherten Prüfergebnissen.</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceReport.cpp" line="105" />
        <source>No certificate read</source>
        <translation>Kein Zertifikat gelesen</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceReport.cpp" line="131" />
        <source>No certificate was read: %1.</source>
        <translation>Es wurde kein Zertifikat gelesen: %1.</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceReport.cpp" line="137" />
        <source>%1: the certificate %2.</source>
        <translation>%1: Zertifikat %2.</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceReport.cpp" line="139" />
        <source>%1: the %2 certificate %3 %4, before the leaf does.</source>
        <translation>%1: Zertifikat %3 (%2) %4, früher als das Endzertifikat.</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceReport.cpp" line="152" />
        <source>%1. %2</source>
        <comment>finding, then its meaning</comment>
        <translation>%1. %2</translation>
    </message>
</context>
<context>
    <name>certdash::ExpiryTimelineChart</name>
    <message>
        <location filename="../ui/charts/ExpiryTimelineChart.cpp" line="50" />
        <source>Days left</source>
        <translation>Verbleibende Tage</translation>
    </message>
    <message>
        <location filename="../ui/charts/ExpiryTimelineChart.cpp" line="74" />
        <source>Select an endpoint to see its expiry timeline.</source>
        <translation>Wählen Sie einen Endpunkt aus, um seine Ablauf-Zeitleiste anzuzeigen.</translation>
    </message>
    <message>
        <location filename="../ui/charts/ExpiryTimelineChart.cpp" line="84" />
        <source>No probe of this address is recorded yet.</source>
        <translation>Für diese Adresse ist noch keine Prüfung aufgezeichnet.</translation>
    </message>
    <message>
        <location filename="../ui/charts/ExpiryTimelineChart.cpp" line="88" />
        <source>No certificate was read from this address.</source>
        <translation>Von dieser Adresse wurde kein Zertifikat gelesen.</translation>
    </message>
    <message>
        <location filename="../ui/charts/ExpiryTimelineChart.cpp" line="127" />
        <source>Rotation band (default)</source>
        <translation>Rotationskorridor (Standard)</translation>
    </message>
    <message>
        <location filename="../ui/charts/ExpiryTimelineChart.cpp" line="128" />
        <source>Rotation band (every %1 days)</source>
        <translation>Rotationskorridor (alle %1 Tage)</translation>
    </message>
    <message>
        <location filename="../ui/charts/ExpiryTimelineChart.cpp" line="136" />
        <source>Validity of this certificate</source>
        <translation>Gültigkeit dieses Zertifikats</translation>
    </message>
    <message>
        <location filename="../ui/charts/ExpiryTimelineChart.cpp" line="140" />
        <source>Warning (%1 days)</source>
        <translation>Warnung (%1 Tage)</translation>
    </message>
    <message>
        <location filename="../ui/charts/ExpiryTimelineChart.cpp" line="142" />
        <source>Critical (%1 days)</source>
        <translation>Kritisch (%1 Tage)</translation>
    </message>
    <message>
        <location filename="../ui/charts/ExpiryTimelineChart.cpp" line="149" />
        <source>Projection if not renewed</source>
        <translation>Prognose ohne Erneuerung</translation>
    </message>
    <message>
        <location filename="../ui/charts/ExpiryTimelineChart.cpp" line="157" />
        <source>Now</source>
        <translation>Jetzt</translation>
    </message>
    <message>
        <location filename="../ui/charts/ExpiryTimelineChart.cpp" line="173" />
        <source>Days left (probes)</source>
        <translation>Verbleibende Tage (Prüfungen)</translation>
    </message>
    <message>
        <location filename="../ui/charts/ExpiryTimelineChart.cpp" line="178" />
        <location filename="../ui/charts/ExpiryTimelineChart.cpp" line="296" />
        <source>Certificate replaced</source>
        <translation>Zertifikat ersetzt</translation>
    </message>
    <message>
        <location filename="../ui/charts/ExpiryTimelineChart.cpp" line="183" />
        <source>Probe failed</source>
        <translation>Prüfung fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../ui/charts/ExpiryTimelineChart.cpp" line="288" />
        <source>%1
Probe failed: %2
%3</source>
        <translation>%1
Prüfung fehlgeschlagen: %2
%3</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/charts/ExpiryTimelineChart.cpp" line="292" />
        <source>%n day(s) left</source>
        <translation>
            <numerusform>Noch %n Tag</numerusform>
            <numerusform>Noch %n Tage</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/charts/ExpiryTimelineChart.cpp" line="293" />
        <source>%1
%2
SHA-256 %3
%4</source>
        <translation>%1
%2
SHA-256 %3
%4</translation>
    </message>
</context>
<context>
    <name>certdash::Findings</name>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="24" />
        <source>A certificate on the path clients use has expired: they refuse the connection. Renew it and reload the service.</source>
        <translation>Ein Zertifikat auf dem Pfad, den Clients verwenden, ist abgelaufen, daher lehnen Clients die Verbindung ab. Erneuern Sie es und laden Sie den Dienst neu.</translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="28" />
        <source>A certificate is not valid yet: clients refuse it until its start date. Check the issuing system's clock, or wait.</source>
        <translation>Ein Zertifikat ist noch nicht gültig: Clients lehnen es bis zu seinem Startdatum ab. Prüfen Sie die Uhr des ausstellenden Systems oder warten Sie.</translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="32" />
        <source>The server presents a self-signed certificate that no trust anchor vouches for: only clients that pin it will connect.</source>
        <translation>Der Server präsentiert ein selbstsigniertes Zertifikat, für das kein Vertrauensanker bürgt: Nur Clients, die es pinnen, bauen eine Verbindung auf.</translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="36" />
        <source>The chain ends at a CA that is not among the trust anchors. For a private CA, add its root in Settings (or --ca-file).</source>
        <translation>Die Kette endet bei einer CA, die nicht zu den Vertrauensankern gehört. Fügen Sie bei einer privaten CA deren Stammzertifikat in den Einstellungen hinzu (oder mit --ca-file).</translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="40" />
        <source>The server does not send the intermediate certificate. Browsers that cached it work; other clients fail. Serve the full chain.</source>
        <translation>Der Server sendet das Zwischenzertifikat nicht. Browser, die es zwischengespeichert haben, funktionieren; andere Clients scheitern. Liefern Sie die vollständige Kette aus.</translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="44" />
        <source>The certificate does not name this host (or IP): clients refuse it. Reissue it with the right SAN, or check the SNI.</source>
        <translation>Das Zertifikat nennt diesen Host (bzw. diese IP) nicht: Clients lehnen es ab. Stellen Sie es mit dem richtigen SAN neu aus oder prüfen Sie die SNI.</translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="48" />
        <source>The key is too short for current clients (RSA under 2048 bits): many refuse it. Reissue with a stronger key.</source>
        <translation>Der Schlüssel ist für aktuelle Clients zu kurz (RSA unter 2048 Bit): Viele lehnen ihn ab. Stellen Sie das Zertifikat mit einem stärkeren Schlüssel neu aus.</translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="52" />
        <source>The certificate is signed with SHA-1 or MD5, which clients no longer accept. Reissue it.</source>
        <translation>Das Zertifikat ist mit SHA-1 oder MD5 signiert, was Clients nicht mehr akzeptieren. Stellen Sie es neu aus.</translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="56" />
        <source>The server sends a certificate clients do not need (often a stale cross-sign). Most clients ignore it; old ones may build a path through it and fail. Remove it from the served chain.</source>
        <translation>Der Server sendet ein Zertifikat, das Clients nicht benötigen (oft eine veraltete Cross-Signatur). Die meisten Clients ignorieren es; ältere bauen darüber womöglich einen Pfad auf und scheitern. Entfernen Sie es aus der ausgelieferten Kette.</translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="61" />
        <source>A validity date of the certificate cannot be read (malformed or impossible, such as year 0000). Clients reject such a certificate, so its status is judged as the worst: reissue it.</source>
        <translation>Ein Gültigkeitsdatum des Zertifikats kann nicht gelesen werden (fehlerhaft oder unmöglich, etwa Jahr 0000). Clients lehnen ein solches Zertifikat ab, daher wird sein Status als der schlechtestmögliche bewertet: Stellen Sie es neu aus.</translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="66" />
        <source>The certificate names the host only in its Common Name. Browsers have ignored the Common Name since 2017 and refuse it: reissue it with the name in subjectAltName.</source>
        <translation>Das Zertifikat nennt den Host nur im Common Name. Browser ignorieren den Common Name seit 2017 und lehnen es ab: Stellen Sie es mit dem Namen in subjectAltName neu aus.</translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="71" />
        <source>The server sends its intermediates out of order. Current browsers sort them; old Java and many embedded clients fail. Serve the leaf, then each issuer in turn.</source>
        <translation>Der Server sendet seine Zwischenzertifikate in falscher Reihenfolge. Aktuelle Browser sortieren sie; altes Java und viele Embedded-Clients scheitern. Liefern Sie zuerst das Endzertifikat aus, dann jeden Aussteller der Reihe nach.</translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="76" />
        <source>The server asks for a client certificate (mutual TLS) and none was sent. Its own certificate was still read. To complete the handshake, give CertDash a client certificate the server trusts (--client-cert).</source>
        <translation>Der Server verlangt ein Clientzertifikat (Mutual TLS), und es wurde keines gesendet. Sein eigenes Zertifikat wurde trotzdem gelesen. Um den Handshake abzuschließen, geben Sie CertDash ein Clientzertifikat, dem der Server vertraut (--client-cert).</translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="81" />
        <source>The server refused the client certificate CertDash presented (not issued by a CA it trusts, expired, or revoked). Its own certificate was still read. Check the client certificate and the server's client CA.</source>
        <translation>Der Server hat das von CertDash präsentierte Clientzertifikat abgelehnt (nicht von einer CA ausgestellt, der er vertraut, abgelaufen oder widerrufen). Sein eigenes Zertifikat wurde trotzdem gelesen. Prüfen Sie das Clientzertifikat und die Client-CA des Servers.</translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="86" />
        <source>The CA has revoked this certificate (said by a signed OCSP response or its CRL): clients that check revocation refuse it, and a revoked certificate still in service is an incident. Replace it now and find out why it was revoked.</source>
        <translation>Die CA hat dieses Zertifikat widerrufen, wie eine signierte OCSP-Antwort oder ihre Sperrliste (CRL) besagt: Clients, die den Widerruf prüfen, lehnen es ab, und ein widerrufenes Zertifikat, das noch im Einsatz ist, ist ein Sicherheitsvorfall. Ersetzen Sie es sofort und klären Sie, warum es widerrufen wurde.</translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="92" />
        <source>The OCSP responder answered that it does not know this certificate. The certificate may come from another CA than it claims, or the responder is out of step with its CA. Ask the CA; clients that require an answer refuse it.</source>
        <translation>Der OCSP-Responder hat geantwortet, dass er dieses Zertifikat nicht kennt. Das Zertifikat stammt möglicherweise von einer anderen CA als angegeben, oder der Responder ist nicht auf dem Stand seiner CA. Fragen Sie bei der CA nach; Clients, die eine Antwort verlangen, lehnen das Zertifikat ab.</translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="98" />
        <source>Whether the certificate was revoked could not be learnt: it names no OCSP responder or CRL, they could not be reached in time, or the answer could not be verified. This only informs, unless online revocation checks were asked for this target: then it counts as weak.</source>
        <translation>Ob das Zertifikat widerrufen wurde, ließ sich nicht feststellen: Es nennt keinen OCSP-Responder und keine Sperrliste (CRL), diese waren nicht rechtzeitig erreichbar, oder die Antwort konnte nicht verifiziert werden. Dies dient nur zur Information, es sei denn, für dieses Ziel wurde eine Online-Prüfung auf Widerruf verlangt: Dann gilt es als schwach.</translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="127" />
        <source>Trusted: clients accept this certificate; the %1 should still be cleaned up.</source>
        <translation>Vertrauenswürdig: Clients akzeptieren dieses Zertifikat; bereinigt werden sollte dennoch: %1.</translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="130" />
        <source>Trusted: clients accept this certificate.</source>
        <translation>Vertrauenswürdig: Clients akzeptieren dieses Zertifikat.</translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="133" />
        <source>Not trusted: clients refuse this certificate (%1). This alerts and makes the scan exit with 2.</source>
        <translation>Nicht vertrauenswürdig: Clients lehnen dieses Zertifikat ab (%1). Dies löst einen Alarm aus, und der Scan endet mit Exit-Code 2.</translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="138" />
        <source>Weak: clients accept it today, but %1 should be fixed. The scan exits with 1.</source>
        <translation>Schwach: Clients akzeptieren es heute noch, aber Folgendes sollte behoben werden: %1. Der Scan endet mit Exit-Code 1.</translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="148" />
        <source>accept_self_signed: a self-signed or private-CA endpoint, meant to be so</source>
        <translation>accept_self_signed: ein selbstsignierter Endpunkt oder einer mit privater CA, so beabsichtigt</translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="152" />
        <source>pin_issuer: the certificate's issuer is the pinned one</source>
        <translation>pin_issuer: Der Aussteller des Zertifikats ist der gepinnte</translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="155" />
        <source>pin_sha256: the certificate is the pinned one</source>
        <translation>pin_sha256: Das Zertifikat ist das gepinnte</translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="161" />
        <source>the target's own setting</source>
        <translation>die eigene Einstellung des Ziels</translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="162" />
        <source>the policy of tag %1</source>
        <translation>die Richtlinie von Tag %1</translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="163" />
        <source>Accepted (%1) by %2: clients without it would refuse this certificate (%3); CertDash counts it as trusted.</source>
        <translation>Akzeptiert (%1) durch %2: Clients ohne diese Regel würden das Zertifikat ablehnen (%3); CertDash wertet es als vertrauenswürdig.</translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="168" />
        <source>If the pinned value changes, it alerts.</source>
        <translation>Ändert sich der gepinnte Wert, wird ein Alarm ausgelöst.</translation>
    </message>
</context>
<context>
    <name>certdash::FleetFeed</name>
    <message>
        <location filename="../ui/widgets/FleetFeed.cpp" line="114" />
        <source>Fleet %1: no %2 in the keychain (%3); reading without it.</source>
        <translation>Flotte %1: kein %2 im Schlüsselbund (%3); es wird ohne Authentifizierung gelesen.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/FleetFeed.cpp" line="116" />
        <source>token</source>
        <translation>Token</translation>
    </message>
    <message>
        <location filename="../ui/widgets/FleetFeed.cpp" line="116" />
        <source>password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <location filename="../ui/widgets/FleetFeed.cpp" line="117" />
        <source>no keychain</source>
        <translation>kein Schlüsselbund</translation>
    </message>
    <message>
        <location filename="../ui/widgets/FleetFeed.cpp" line="243" />
        <source>Fleet %1 is read again.</source>
        <translation>Flotte %1 kann wieder gelesen werden.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/FleetFeed.cpp" line="277" />
        <source>Fleet %1 could not be read: %2 The rows read before stay, with their age.</source>
        <translation>Flotte %1 konnte nicht gelesen werden: %2 Die zuvor gelesenen Zeilen bleiben mit ihrem Alter erhalten.</translation>
    </message>
</context>
<context>
    <name>certdash::FleetReader</name>
    <message>
        <location filename="../app/fleet/FleetReader.cpp" line="49" />
        <source>cannot read a PEM certificate from the CA file %1</source>
        <translation>aus der CA-Datei %1 kann kein PEM-Zertifikat gelesen werden</translation>
    </message>
    <message>
        <location filename="../app/fleet/FleetReader.cpp" line="127" />
        <source>%1: no answer within %2 s (Prometheus down or too slow; see --timeout)</source>
        <translation>%1: keine Antwort innerhalb von %2 s (Prometheus nicht erreichbar oder zu langsam; siehe --timeout)</translation>
    </message>
    <message>
        <location filename="../app/fleet/FleetReader.cpp" line="157" />
        <location filename="../app/fleet/FleetReader.cpp" line="196" />
        <source>%1: the answer is larger than %2 MB</source>
        <translation>%1: Die Antwort ist größer als %2 MB</translation>
    </message>
    <message>
        <location filename="../app/fleet/FleetReader.cpp" line="186" />
        <source>%1: HTTP %2 %3: %4</source>
        <translation>%1: HTTP %2 %3: %4</translation>
    </message>
    <message>
        <location filename="../app/fleet/FleetReader.cpp" line="255" />
        <source>%1: no fleet series for %2 (read the latest results first)</source>
        <translation>%1: keine Flotten-Zeitreihe für %2 (zuerst die neuesten Ergebnisse lesen)</translation>
    </message>
    <message>
        <location filename="../app/fleet/FleetReader.cpp" line="292" />
        <source>%1: read cancelled</source>
        <translation>%1: Lesen abgebrochen</translation>
    </message>
</context>
<context>
    <name>certdash::FleetRows</name>
    <message>
        <location filename="../app/fleet/FleetRows.cpp" line="97" />
        <source>%1: the answer is not Prometheus JSON (%2 at byte %3): %4</source>
        <translation>%1: Die Antwort ist kein Prometheus-JSON (%2 bei Byte %3): %4</translation>
    </message>
    <message>
        <location filename="../app/fleet/FleetRows.cpp" line="100" />
        <source>not an object</source>
        <translation>kein Objekt</translation>
    </message>
    <message>
        <location filename="../app/fleet/FleetRows.cpp" line="108" />
        <source>%1: Prometheus answered with an error (%2): %3</source>
        <translation>%1: Prometheus hat mit einem Fehler geantwortet (%2): %3</translation>
    </message>
    <message>
        <location filename="../app/fleet/FleetRows.cpp" line="117" />
        <source>%1: expected a Prometheus %2 answer, got %3</source>
        <translation>%1: Prometheus-Antwort vom Typ %2 erwartet, %3 erhalten</translation>
    </message>
    <message>
        <location filename="../app/fleet/FleetRows.cpp" line="250" />
        <source>%1: a series without a readable value: %2</source>
        <translation>%1: eine Zeitreihe ohne lesbaren Wert: %2</translation>
    </message>
    <message>
        <location filename="../app/fleet/FleetRows.cpp" line="504" />
        <source>blackbox_exporter read no certificate expiry</source>
        <translation>blackbox_exporter hat kein Ablaufdatum eines Zertifikats gelesen</translation>
    </message>
    <message>
        <location filename="../app/fleet/FleetRows.cpp" line="505" />
        <source>probe failed at the exporter %1 (blackbox_exporter exports no reason; its log has it)</source>
        <translation>Prüfung am Exporter %1 fehlgeschlagen (blackbox_exporter exportiert keinen Grund; er steht in dessen Log)</translation>
    </message>
    <message>
        <location filename="../app/fleet/FleetRows.cpp" line="533" />
        <source>blackbox_exporter read the certificate but reported the probe as failed</source>
        <translation>blackbox_exporter hat das Zertifikat gelesen, die Prüfung aber als fehlgeschlagen gemeldet</translation>
    </message>
    <message>
        <location filename="../app/fleet/FleetRows.cpp" line="610" />
        <source>probe failed at the exporter</source>
        <translation>Prüfung am Exporter fehlgeschlagen</translation>
    </message>
</context>
<context>
    <name>certdash::FleetSettings</name>
    <message>
        <location filename="../ui/widgets/FleetSettings.cpp" line="129" />
        <source>Fleet (Prometheus)</source>
        <translation>Flotte (Prometheus)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/FleetSettings.cpp" line="134" />
        <source>Add &amp;Prometheus...</source>
        <translation>Pr&amp;ometheus hinzufügen...</translation>
    </message>
    <message>
        <location filename="../ui/widgets/FleetSettings.cpp" line="136" />
        <source>E&amp;dit...</source>
        <translation>&amp;Bearbeiten...</translation>
    </message>
    <message>
        <location filename="../ui/widgets/FleetSettings.cpp" line="138" />
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/FleetSettings.cpp" line="145" />
        <source>Results of a Prometheus scraping blackbox_exporter (see certdash fleet config) join the table as fleet rows.</source>
        <translation>Ergebnisse eines Prometheus, der blackbox_exporter abfragt (siehe certdash fleet config), erscheinen in der Tabelle als Flottenzeilen.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/FleetSettings.cpp" line="195" />
        <source>bearer token</source>
        <translation>Bearer-Token</translation>
    </message>
    <message>
        <location filename="../ui/widgets/FleetSettings.cpp" line="197" />
        <source>Basic as %1</source>
        <translation>Basic als %1</translation>
    </message>
    <message>
        <location filename="../ui/widgets/FleetSettings.cpp" line="199" />
        <source>no authentication</source>
        <translation>keine Authentifizierung</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/widgets/FleetSettings.cpp" line="200" />
        <source>%1 (%2, every %n s)</source>
        <translation>
            <numerusform>%1 (%2, alle %n s)</numerusform>
            <numerusform>%1 (%2, alle %n s)</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/widgets/FleetSettings.cpp" line="218" />
        <source>Keychain</source>
        <translation>Schlüsselbund</translation>
    </message>
    <message>
        <location filename="../ui/widgets/FleetSettings.cpp" line="219" />
        <source>The token or password was not stored: %1</source>
        <translation>Token oder Passwort wurde nicht gespeichert: %1</translation>
    </message>
</context>
<context>
    <name>certdash::FleetSource</name>
    <message>
        <location filename="../app/fleet/FleetSource.cpp" line="58" />
        <source>expected a Prometheus URL such as http://127.0.0.1:9090, got %1</source>
        <translation>Prometheus-URL wie http://127.0.0.1:9090 erwartet, %1 erhalten</translation>
    </message>
    <message>
        <location filename="../app/fleet/FleetSource.cpp" line="63" />
        <source>the Prometheus URL must not carry a user or password (use --user and the keychain), got %1</source>
        <translation>die Prometheus-URL darf weder Benutzer noch Passwort enthalten (verwenden Sie --user und den Schlüsselbund), %1 erhalten</translation>
    </message>
    <message>
        <location filename="../app/fleet/FleetSource.cpp" line="67" />
        <source>the Prometheus URL must not have a query or fragment, got %1</source>
        <translation>die Prometheus-URL darf weder Query noch Fragment enthalten, %1 erhalten</translation>
    </message>
</context>
<context>
    <name>certdash::FleetSourceDialog</name>
    <message>
        <location filename="../ui/widgets/FleetSettings.cpp" line="25" />
        <source>Prometheus</source>
        <translation>Prometheus</translation>
    </message>
    <message>
        <location filename="../ui/widgets/FleetSettings.cpp" line="28" />
        <source>http://prometheus.example:9090</source>
        <translation>http://prometheus.example:9090</translation>
    </message>
    <message>
        <location filename="../ui/widgets/FleetSettings.cpp" line="31" />
        <source>None</source>
        <translation>Keine</translation>
    </message>
    <message>
        <location filename="../ui/widgets/FleetSettings.cpp" line="32" />
        <source>Bearer token</source>
        <translation>Bearer-Token</translation>
    </message>
    <message>
        <location filename="../ui/widgets/FleetSettings.cpp" line="33" />
        <source>Basic (user and password)</source>
        <translation>Basic (Benutzer und Passwort)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/FleetSettings.cpp" line="41" />
        <source>the system's CAs</source>
        <translation>die CAs des Systems</translation>
    </message>
    <message>
        <location filename="../ui/widgets/FleetSettings.cpp" line="42" />
        <source>B&amp;rowse...</source>
        <translation>Durch&amp;suchen...</translation>
    </message>
    <message>
        <location filename="../ui/widgets/FleetSettings.cpp" line="45" />
        <source>CA of the Prometheus</source>
        <translation>CA des Prometheus</translation>
    </message>
    <message>
        <location filename="../ui/widgets/FleetSettings.cpp" line="46" />
        <source>PEM certificates (*.pem *.crt);;All files (*)</source>
        <translation>PEM-Zertifikate (*.pem *.crt);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/FleetSettings.cpp" line="56" />
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <location filename="../ui/widgets/FleetSettings.cpp" line="59" />
        <source>&amp;URL:</source>
        <translation>&amp;URL:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/FleetSettings.cpp" line="60" />
        <source>&amp;Authentication:</source>
        <translation>&amp;Authentifizierung:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/FleetSettings.cpp" line="61" />
        <source>U&amp;ser:</source>
        <translation>&amp;Benutzer:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/FleetSettings.cpp" line="62" />
        <source>&amp;Token or password:</source>
        <translation>&amp;Token oder Passwort:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/FleetSettings.cpp" line="63" />
        <source>&amp;CA file (https):</source>
        <translation>&amp;CA-Datei (https):</translation>
    </message>
    <message>
        <location filename="../ui/widgets/FleetSettings.cpp" line="66" />
        <source>&amp;Read every:</source>
        <translation>&amp;Lesen alle:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/FleetSettings.cpp" line="67" />
        <source>The token or password is kept in the system keychain only. Leave it empty to keep the one stored.</source>
        <translation>Token oder Passwort werden nur im Schlüsselbund des Systems gespeichert. Lassen Sie das Feld leer, um den gespeicherten Wert zu behalten.</translation>
    </message>
</context>
<context>
    <name>certdash::HistoryRepository</name>
    <message>
        <location filename="../app/storage/HistoryRepository.cpp" line="49" />
        <source>cannot record the result for %1: the target is not stored in the database</source>
        <translation>Ergebnis für %1 kann nicht gespeichert werden: Das Ziel ist nicht in der Datenbank gespeichert</translation>
    </message>
    <message>
        <location filename="../app/storage/HistoryRepository.cpp" line="58" />
        <source>cannot record the result for %1: a certificate has no DER encoding</source>
        <translation>Ergebnis für %1 kann nicht gespeichert werden: Ein Zertifikat hat keine DER-Kodierung</translation>
    </message>
</context>
<context>
    <name>certdash::HostName</name>
    <message>
        <location filename="../app/domain/HostName.cpp" line="218" />
        <source>label %1 is not valid punycode</source>
        <translation>Label %1 ist kein gültiger Punycode</translation>
    </message>
    <message>
        <location filename="../app/domain/HostName.cpp" line="223" />
        <source>label %1 is not the punycode form of a Unicode label</source>
        <translation>Label %1 ist nicht die Punycode-Form eines Unicode-Labels</translation>
    </message>
    <message>
        <location filename="../app/domain/HostName.cpp" line="233" />
        <source>label %1 starts with a combining mark</source>
        <translation>Label %1 beginnt mit einem kombinierenden Zeichen</translation>
    </message>
    <message>
        <location filename="../app/domain/HostName.cpp" line="240" />
        <source>label %1 has a zero-width joiner that does not follow a virama</source>
        <translation>Label %1 enthält einen Zero-Width-Joiner, der nicht auf ein Virama folgt</translation>
    </message>
    <message>
        <location filename="../app/domain/HostName.cpp" line="252" />
        <source>label %1 breaks the rule for right-to-left names (RFC 5893)</source>
        <translation>Label %1 verletzt die Regel für Rechts-nach-links-Namen (RFC 5893)</translation>
    </message>
</context>
<context>
    <name>certdash::Inventory</name>
    <message>
        <location filename="../app/inventory/TargetParser.cpp" line="49" />
        <source>a JSON array</source>
        <translation>JSON-Array</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetParser.cpp" line="51" />
        <source>kubectl JSON</source>
        <translation>kubectl-JSON</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetParser.cpp" line="53" />
        <source>CSV</source>
        <translation>CSV</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetParser.cpp" line="58" />
        <source>a line list</source>
        <translation>Zeilenliste</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetParser.cpp" line="62" />
        <source>larger than %1 MiB (the limit for a targets input); split it into smaller files</source>
        <translation>größer als %1 MiB (die Grenze für eine Zieleingabe); teilen Sie die Eingabe auf kleinere Dateien auf</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetParser.cpp" line="89" />
        <source>and 1 more problem</source>
        <translation>und 1 weiteres Problem</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetParser.cpp" line="90" />
        <source>and %1 more problems</source>
        <translation>und %1 weitere Probleme</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetParser.cpp" line="96" />
        <source>and %1 more notes</source>
        <translation>und %1 weitere Hinweise</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetParser.cpp" line="166" />
        <source>it starts with '{'</source>
        <translation>die Eingabe beginnt mit '{'</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetParser.cpp" line="177" />
        <source>it starts with %1</source>
        <translation>die Eingabe beginnt mit %1</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetParser.cpp" line="180" />
        <source>it starts with '[' but not with a JSON array of objects, so the '[' opens a bracketed IPv6 address</source>
        <translation>die Eingabe beginnt mit '[', aber nicht mit einem JSON-Array von Objekten, also leitet '[' eine IPv6-Adresse in eckigen Klammern ein</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetParser.cpp" line="195" />
        <source>its first line has a cell named 'host'</source>
        <translation>die erste Zeile enthält eine Zelle namens 'host'</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetParser.cpp" line="226" />
        <source>%1: read as %2 because %3</source>
        <translation>%1: als %2 gelesen, denn %3</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetParser.cpp" line="265" />
        <source>cannot read: %1</source>
        <translation>kann nicht gelesen werden: %1</translation>
    </message>
    <message>
        <location filename="../app/inventory/CsvFormat.cpp" line="76" />
        <source>column '%1' appears twice</source>
        <translation>Spalte '%1' kommt doppelt vor</translation>
    </message>
    <message>
        <location filename="../app/inventory/CsvFormat.cpp" line="82" />
        <source>unknown column(s) %1 (valid columns: %2)</source>
        <translation>unbekannte Spalte(n) %1 (gültige Spalten: %2)</translation>
    </message>
    <message>
        <location filename="../app/inventory/CsvFormat.cpp" line="87" />
        <source>missing 'host' column in the header (columns found: %1)</source>
        <translation>Spalte 'host' fehlt in der Kopfzeile (gefundene Spalten: %1)</translation>
    </message>
    <message>
        <location filename="../app/inventory/CsvFormat.cpp" line="118" />
        <source>%1 cells but the header names %2 columns</source>
        <translation>%1 Zellen, aber die Kopfzeile nennt %2 Spalten</translation>
    </message>
    <message>
        <location filename="../app/inventory/InputText.cpp" line="70" />
        <source>a boolean</source>
        <translation>ein Wahrheitswert</translation>
    </message>
    <message>
        <location filename="../app/inventory/InputText.cpp" line="72" />
        <source>a number</source>
        <translation>eine Zahl</translation>
    </message>
    <message>
        <location filename="../app/inventory/InputText.cpp" line="74" />
        <location filename="../app/inventory/JsonFormat.cpp" line="158" />
        <location filename="../app/inventory/KubectlFormat.cpp" line="214" />
        <location filename="../app/inventory/KubectlFormat.cpp" line="237" />
        <source>a string</source>
        <translation>eine Zeichenkette</translation>
    </message>
    <message>
        <location filename="../app/inventory/InputText.cpp" line="76" />
        <location filename="../app/inventory/KubectlFormat.cpp" line="197" />
        <source>an array</source>
        <translation>ein Array</translation>
    </message>
    <message>
        <location filename="../app/inventory/InputText.cpp" line="78" />
        <location filename="../app/inventory/JsonFormat.cpp" line="186" />
        <location filename="../app/inventory/KubectlFormat.cpp" line="186" />
        <location filename="../app/inventory/KubectlFormat.cpp" line="206" />
        <location filename="../app/inventory/KubectlFormat.cpp" line="228" />
        <source>an object</source>
        <translation>ein Objekt</translation>
    </message>
    <message>
        <location filename="../app/inventory/JsonFormat.cpp" line="187" />
        <source>nothing</source>
        <translation>nichts</translation>
    </message>
    <message>
        <location filename="../app/inventory/JsonFormat.cpp" line="120" />
        <source>'%1' must be true or false, not %2</source>
        <translation>'%1' muss true oder false sein, gefunden: %2</translation>
    </message>
    <message>
        <location filename="../app/inventory/JsonFormat.cpp" line="139" />
        <source>'%1' must hold strings, not %2</source>
        <translation>'%1' darf nur Zeichenketten enthalten, gefunden: %2</translation>
    </message>
    <message>
        <location filename="../app/inventory/JsonFormat.cpp" line="89" />
        <source>'%1' is too long: %2 (a value holds at most %3 characters)</source>
        <translation>'%1' ist zu lang: %2 (ein Wert fasst höchstens %3 Zeichen)</translation>
    </message>
    <message>
        <location filename="../app/inventory/JsonFormat.cpp" line="95" />
        <source>'%1' holds an unpaired UTF-16 surrogate (a \uD800-\uDFFF escape on its own): %2</source>
        <translation>'%1' enthält ein ungepaartes UTF-16-Surrogat (ein einzelnes Escape \uD800-\uDFFF): %2</translation>
    </message>
    <message>
        <location filename="../app/inventory/JsonFormat.cpp" line="102" />
        <source>'%1' holds a NUL character (a \u0000 escape): %2</source>
        <translation>'%1' enthält ein NUL-Zeichen (ein Escape \u0000): %2</translation>
    </message>
    <message>
        <location filename="../app/inventory/JsonFormat.cpp" line="160" />
        <source>a number or a string</source>
        <translation>eine Zahl oder eine Zeichenkette</translation>
    </message>
    <message>
        <location filename="../app/inventory/JsonFormat.cpp" line="162" />
        <source>a string or an array of strings</source>
        <translation>eine Zeichenkette oder ein Array von Zeichenketten</translation>
    </message>
    <message>
        <location filename="../app/inventory/JsonFormat.cpp" line="163" />
        <source>'%1' must be %2, not %3</source>
        <translation>'%1' muss %2 sein, gefunden: %3</translation>
    </message>
    <message>
        <location filename="../app/inventory/JsonFormat.cpp" line="178" />
        <source>invalid JSON: %1 (column %2)</source>
        <translation>ungültiges JSON: %1 (Spalte %2)</translation>
    </message>
    <message>
        <location filename="../app/inventory/JsonFormat.cpp" line="185" />
        <source>expected a JSON array of target objects, found %1</source>
        <translation>JSON-Array von Zielobjekten erwartet, gefunden: %1</translation>
    </message>
    <message>
        <location filename="../app/inventory/JsonFormat.cpp" line="197" />
        <source>item %1</source>
        <translation>Element %1</translation>
    </message>
    <message>
        <location filename="../app/inventory/JsonFormat.cpp" line="201" />
        <source>%1: expected an object with at least "host", found %2</source>
        <translation>%1: Objekt mit mindestens "host" erwartet, gefunden: %2</translation>
    </message>
    <message>
        <location filename="../app/inventory/JsonFormat.cpp" line="221" />
        <source>unknown key(s) %1 (valid keys: %2)</source>
        <translation>unbekannte(r) Schlüssel %1 (gültige Schlüssel: %2)</translation>
    </message>
    <message>
        <location filename="../app/inventory/LineFormat.cpp" line="59" />
        <source>unterminated quote: the " at column %1 is never closed</source>
        <translation>nicht geschlossenes Anführungszeichen: Das " in Spalte %1 wird nie geschlossen</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/inventory/LineFormat.cpp" line="83" />
        <source> and %n more</source>
        <translation>
            <numerusform> und %n weiterer</numerusform>
            <numerusform> und %n weitere</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/inventory/LineFormat.cpp" line="91" />
        <source>line too long: %1 (a line holds at most %2 characters)</source>
        <translation>Zeile zu lang: %1 (eine Zeile fasst höchstens %2 Zeichen)</translation>
    </message>
    <message>
        <location filename="../app/inventory/LineFormat.cpp" line="109" />
        <source>empty host: a line starts with host[:port], not %1=</source>
        <translation>leerer Host: Eine Zeile beginnt mit host[:port], nicht mit %1=</translation>
    </message>
    <message>
        <location filename="../app/inventory/LineFormat.cpp" line="153" />
        <source>unknown key %1: host and port go first, as host[:port]</source>
        <translation>unbekannter Schlüssel %1: Host und Port stehen am Anfang, als host[:port]</translation>
    </message>
    <message>
        <location filename="../app/inventory/LineFormat.cpp" line="157" />
        <source>unknown key %1 (valid keys: %2)</source>
        <translation>unbekannter Schlüssel %1 (gültige Schlüssel: %2)</translation>
    </message>
    <message>
        <location filename="../app/inventory/LineFormat.cpp" line="161" />
        <source>unexpected %1: expected key=value (valid keys: %2)</source>
        <translation>unerwartetes %1: erwartet wurde Schlüssel=Wert (gültige Schlüssel: %2)</translation>
    </message>
    <message>
        <location filename="../app/inventory/LineFormat.cpp" line="165" />
        <source>duplicate key %1</source>
        <translation>doppelter Schlüssel %1</translation>
    </message>
    <message>
        <location filename="../app/inventory/LineFormat.cpp" line="146" />
        <source>missing value for '%1' (write %1=VALUE)</source>
        <translation>fehlender Wert für '%1' (schreiben Sie %1=WERT)</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="47" />
        <source>bad address %1: missing ']'</source>
        <translation>ungültige Adresse %1: ']' fehlt</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="53" />
        <location filename="../app/inventory/TargetFields.cpp" line="100" />
        <location filename="../app/inventory/TargetFields.cpp" line="326" />
        <source>empty host</source>
        <translation>leerer Host</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="58" />
        <source>bad address %1: brackets hold an IPv6 address</source>
        <translation>ungültige Adresse %1: Eckige Klammern umschließen eine IPv6-Adresse</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="62" />
        <source>bad host %1: unexpected text after ']'</source>
        <translation>ungültiger Host %1: unerwarteter Text nach ']'</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="80" />
        <source>ambiguous address %1: write [%2]:%3 for port %3 of %2, or [%4] for the address itself</source>
        <translation>mehrdeutige Adresse %1: Schreiben Sie [%2]:%3 für Port %3 von %2 oder [%4] für die Adresse selbst</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="89" />
        <source>bad address %1: write an IPv6 address with a port as [ADDRESS]:PORT</source>
        <translation>ungültige Adresse %1: Schreiben Sie eine IPv6-Adresse mit Port als [ADRESSE]:PORT</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="108" />
        <source>bad address %1: not a valid IPv4 address</source>
        <translation>ungültige Adresse %1: keine gültige IPv4-Adresse</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="112" />
        <source>invalid host name %1: a wildcard cannot be connected to</source>
        <translation>ungültiger Hostname %1: Zu einer Wildcard kann keine Verbindung aufgebaut werden</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="117" />
        <source>invalid host name %1</source>
        <translation>ungültiger Hostname %1</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="121" />
        <source>invalid host name %1: %2</source>
        <translation>ungültiger Hostname %1: %2</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="131" />
        <source>bad port %1: not a number</source>
        <translation>ungültiger Port %1: keine Zahl</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="137" />
        <source>bad port %1: must be between 1 and 65535</source>
        <translation>ungültiger Port %1: muss zwischen 1 und 65535 liegen</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="148" />
        <source>bad number for %1: %2 (must be a positive whole number of days)</source>
        <translation>ungültige Zahl für %1: %2 (muss eine positive ganze Zahl von Tagen sein)</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="186" />
        <source>bad value for accept_self_signed: %1 (must be true or false)</source>
        <translation>ungültiger Wert für accept_self_signed: %1 (muss true oder false sein)</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="193" />
        <source>empty pin_issuer (give the issuer's name, e.g. pin_issuer="CN=Example CA, O=Example")</source>
        <translation>leerer pin_issuer (geben Sie den Namen des Ausstellers an, z. B. pin_issuer="CN=Example CA, O=Example")</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="196" />
        <source>pin_issuer %1 is too long (at most %2 characters)</source>
        <translation>pin_issuer %1 ist zu lang (höchstens %2 Zeichen)</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="206" />
        <source>bad pin_sha256 %1: a SHA-256 fingerprint is 32 bytes, 64 hex digits, with or without ':'</source>
        <translation>ungültiger pin_sha256 %1: Ein SHA-256-Fingerabdruck hat 32 Bytes bzw. 64 Hex-Ziffern, mit oder ohne ':'</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="220" />
        <source>empty %1 (give the file's absolute path)</source>
        <translation>%1 ist leer (geben Sie den absoluten Pfad der Datei an)</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="222" />
        <source>%1 %2 is too long (at most %3 characters)</source>
        <translation>%1 %2 ist zu lang (höchstens %3 Zeichen)</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="225" />
        <source>%1 %2 holds a control character</source>
        <translation>%1 %2 enthält ein Steuerzeichen</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="227" />
        <source>%1 %2 is not an absolute path (a scan may run from any folder, by cron or the window)</source>
        <translation>%1 %2 ist kein absoluter Pfad (ein Scan kann aus jedem Ordner heraus laufen, per cron oder aus dem Fenster)</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="236" />
        <source>client_key without client_cert (give the certificate too)</source>
        <translation>client_key ohne client_cert (geben Sie auch das Zertifikat an)</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="240" />
        <source>empty proxy (give a URL such as http://proxy:3128, or %1 for none)</source>
        <translation>proxy ist leer (geben Sie eine URL wie http://proxy:3128 an oder %1 für keinen Proxy)</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="336" />
        <source>unknown STARTTLS protocol %1 (valid: %2)</source>
        <translation>unbekanntes STARTTLS-Protokoll %1 (gültig: %2)</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="342" />
        <source>port given twice: in host (%1) and as port (%2)</source>
        <translation>Port doppelt angegeben: im Host (%1) und als port (%2)</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="358" />
        <source>bad value for no_sni: %1 (must be true or false)</source>
        <translation>ungültiger Wert für no_sni: %1 (muss true oder false sein)</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="366" />
        <source>bad value for enabled: %1 (must be true or false)</source>
        <translation>ungültiger Wert für enabled: %1 (muss true oder false sein)</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="373" />
        <source>empty sni (use no_sni to send no server name)</source>
        <translation>sni ist leer (verwenden Sie no_sni, um keinen Servernamen zu senden)</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="376" />
        <source>bad sni %1: a server name cannot be an IP address</source>
        <translation>ungültiges sni %1: Ein Servername kann keine IP-Adresse sein</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="378" />
        <source>invalid sni name %1</source>
        <translation>ungültiger sni-Name %1</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="380" />
        <source>invalid sni name %1: %2</source>
        <translation>ungültiger sni-Name %1: %2</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="382" />
        <source>sni and no_sni cannot be combined: sni=%1 sends a name, no_sni sends none</source>
        <translation>sni und no_sni können nicht kombiniert werden: sni=%1 sendet einen Namen, no_sni keinen</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="393" />
        <source>bad address: empty (give one or more IP addresses)</source>
        <translation>ungültige Adresse: leer (geben Sie eine oder mehrere IP-Adressen an)</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="398" />
        <source>bad address %1: not an IPv4 or IPv6 address</source>
        <translation>ungültige Adresse %1: keine IPv4- oder IPv6-Adresse</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="414" />
        <source>critical (%1 days) must not exceed warning (%2 days)</source>
        <translation>critical (%1 Tage) darf warning (%2 Tage) nicht überschreiten</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="432" />
        <source>bad value for check_revocation: %1 (must be yes or no)</source>
        <translation>ungültiger Wert für check_revocation: %1 (muss yes oder no sein)</translation>
    </message>
    <message>
        <location filename="../app/inventory/InventoryExport.cpp" line="116" />
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <location filename="../app/inventory/InventoryExport.cpp" line="116" />
        <source>STATE</source>
        <translation>STATUS</translation>
    </message>
    <message>
        <location filename="../app/inventory/InventoryExport.cpp" line="117" />
        <source>TARGET</source>
        <translation>ZIEL</translation>
    </message>
    <message>
        <location filename="../app/inventory/InventoryExport.cpp" line="117" />
        <source>ADDRESS</source>
        <translation>ADRESSE</translation>
    </message>
    <message>
        <location filename="../app/inventory/InventoryExport.cpp" line="118" />
        <source>SNI</source>
        <translation>SNI</translation>
    </message>
    <message>
        <location filename="../app/inventory/InventoryExport.cpp" line="118" />
        <source>STARTTLS</source>
        <translation>STARTTLS</translation>
    </message>
    <message>
        <location filename="../app/inventory/InventoryExport.cpp" line="119" />
        <source>TAGS</source>
        <translation>TAGS</translation>
    </message>
    <message>
        <location filename="../app/inventory/InventoryExport.cpp" line="119" />
        <source>OWNER</source>
        <translation>VERANTWORTLICH</translation>
    </message>
    <message>
        <location filename="../app/inventory/InventoryExport.cpp" line="120" />
        <source>W/C/R DAYS</source>
        <translation>W/K/R TAGE</translation>
    </message>
    <message>
        <location filename="../app/inventory/InventoryExport.cpp" line="126" />
        <source>(none)</source>
        <translation>(keine)</translation>
    </message>
    <message>
        <location filename="../app/inventory/InventoryExport.cpp" line="128" />
        <source>on</source>
        <translation>an</translation>
    </message>
    <message>
        <location filename="../app/inventory/InventoryExport.cpp" line="128" />
        <source>off</source>
        <translation>aus</translation>
    </message>
    <message>
        <location filename="../app/inventory/InventoryExport.cpp" line="131" />
        <source>(resolve)</source>
        <translation>(per DNS)</translation>
    </message>
    <message>
        <location filename="../app/inventory/InputText.cpp" line="82" />
        <source>missing</source>
        <translation>nicht vorhanden</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlFormat.cpp" line="24" />
        <source>%1 is %2, expected %3; skipped</source>
        <translation>%1 ist %2, erwartet wurde %3; übersprungen</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlFormat.cpp" line="63" />
        <source>invalid JSON: %1</source>
        <translation>ungültiges JSON: %1</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlFormat.cpp" line="71" />
        <source>not kubectl output: expected a List with "items" or one Ingress</source>
        <translation>keine kubectl-Ausgabe: erwartet wurde eine List mit "items" oder ein einzelnes Ingress-Objekt</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlFormat.cpp" line="75" />
        <source>"items" is %1, expected an array of Ingress objects; nothing to import</source>
        <translation>"items" ist %1, erwartet wurde ein Array von Ingress-Objekten; nichts zu importieren</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlFormat.cpp" line="88" />
        <source>an Ingress object</source>
        <translation>ein Ingress-Objekt</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlFormat.cpp" line="125" />
        <source>%1 names no Service port (name %2, port %3); the pods behind it are not probed</source>
        <translation>%1 nennt keinen Service-Port (Name %2, Port %3); die Pods dahinter werden nicht geprüft</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlFormat.cpp" line="161" />
        <source>%1: metadata.namespace and metadata.name must be Kubernetes names (lower-case letters, digits, '-' and '.')</source>
        <translation>%1: metadata.namespace und metadata.name müssen Kubernetes-Namen sein (Kleinbuchstaben, Ziffern, '-' und '.')</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlFormat.cpp" line="179" />
        <source>%1: a %2, not an Ingress, EndpointSlice, Service or Pod</source>
        <translation>%1: %2, weder Ingress noch EndpointSlice, Service oder Pod</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlFormat.cpp" line="316" />
        <source>nothing to import: no Ingress host that can be probed in %1 items (EndpointSlices need the `kubectl get ingress -A -o json` output beside them)</source>
        <translation>nichts zu importieren: kein prüfbarer Ingress-Host in %1 Elementen (EndpointSlices benötigen zusätzlich die Ausgabe von `kubectl get ingress -A -o json`)</translation>
    </message>
    <message>
        <source>%1: a %2, not an Ingress</source>
        <translation type="vanished">%1: %2, kein Ingress</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlFormat.cpp" line="278" />
        <source>%1: wildcard host %2 cannot be probed; add its real names</source>
        <translation>%1: Wildcard-Host %2 kann nicht geprüft werden; tragen Sie seine echten Namen ein</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlFormat.cpp" line="286" />
        <source>%1: host %2 is not a DNS name (an Ingress host has no port and is served on 443)</source>
        <translation>%1: Host %2 ist kein DNS-Name (ein Ingress-Host hat keinen Port und wird auf 443 bereitgestellt)</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlFormat.cpp" line="313" />
        <source>nothing to import: no Ingress host that can be probed in %1 items</source>
        <translation>nichts zu importieren: kein prüfbarer Ingress-Host in %1 Elementen</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/domain/Excerpt.cpp" line="82" />
        <source> (%n characters)</source>
        <translation>
            <numerusform> (%n Zeichen)</numerusform>
            <numerusform> (%n Zeichen)</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/inventory/InputText.cpp" line="93" />
        <source>UTF-32 text is not supported: save the file as UTF-8</source>
        <translation>UTF-32-Text wird nicht unterstützt: Speichern Sie die Datei als UTF-8</translation>
    </message>
    <message>
        <location filename="../app/inventory/InputText.cpp" line="102" />
        <source>the file starts with a UTF-16 byte order mark but is not valid UTF-16: save it as UTF-8</source>
        <translation>die Datei beginnt mit einer UTF-16-Bytereihenfolgemarke, ist aber kein gültiges UTF-16: Speichern Sie sie als UTF-8</translation>
    </message>
    <message>
        <location filename="../app/inventory/InputText.cpp" line="117" />
        <source>a NUL byte: this is not a text file (UTF-16 needs a byte order mark)</source>
        <translation>ein NUL-Byte: Dies ist keine Textdatei (UTF-16 braucht eine Bytereihenfolgemarke)</translation>
    </message>
    <message>
        <location filename="../app/inventory/InputText.cpp" line="125" />
        <source>not UTF-8: byte \x%1 at column %2; save the file as UTF-8 (or UTF-16 with a byte order mark), e.g. with iconv -f latin1 -t utf-8</source>
        <translation>kein UTF-8: Byte \x%1 in Spalte %2; speichern Sie die Datei als UTF-8 (oder als UTF-16 mit Bytereihenfolgemarke), z. B. mit iconv -f latin1 -t utf-8</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlEndpoints.cpp" line="51" />
        <source> and %1 more</source>
        <translation> und %1 weitere</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlEndpoints.cpp" line="69" />
        <source>appProtocol %1</source>
        <translation>appProtocol %1</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlEndpoints.cpp" line="73" />
        <source>port name %1</source>
        <translation>Portname %1</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlEndpoints.cpp" line="77" />
        <source>port %1</source>
        <translation>Port %1</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlEndpoints.cpp" line="89" />
        <source>the Ingress's backend annotation</source>
        <translation>die Backend-Annotation des Ingress</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlEndpoints.cpp" line="91" />
        <source>the Service's serversscheme annotation</source>
        <translation>die serversscheme-Annotation des Service</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlEndpoints.cpp" line="113" />
        <source>has no port named %1 (ports: %2)</source>
        <translation>hat keinen Port namens %1 (Ports: %2)</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlEndpoints.cpp" line="116" />
        <source>has several ports and none is %1 (ports: %2); the Service maps its port %1 to one of them: add `kubectl get services -A -o json` to the input to tell which</source>
        <translation>hat mehrere Ports, aber keinen mit der Nummer %1 (Ports: %2); der Service bildet seinen Port %1 auf einen davon ab: Fügen Sie `kubectl get services -A -o json` zur Eingabe hinzu, damit erkennbar ist, auf welchen</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlEndpoints.cpp" line="159" />
        <source>host %1 is not in spec.tls; the pods behind it are not probed</source>
        <translation>Host %1 steht nicht in spec.tls; die Pods dahinter werden nicht geprüft</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlEndpoints.cpp" line="175" />
        <source>host %1 -&gt; service %2 port %3</source>
        <translation>Host %1 -&gt; Service %2 Port %3</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlEndpoints.cpp" line="178" />
        <source>%1: the host is an address, not a name, so there is no SNI to probe its pods with; not probed</source>
        <translation>%1: Der Host ist eine Adresse, kein Name, daher gibt es keine SNI, mit der sich seine Pods prüfen ließen; nicht geprüft</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlEndpoints.cpp" line="186" />
        <source>%1: no EndpointSlice of this Service in the input (it has no selector, or its namespace was not exported); its pods are not probed</source>
        <translation>%1: kein EndpointSlice-Objekt dieses Service in der Eingabe (er hat keinen Selektor, oder sein Namespace wurde nicht exportiert); seine Pods werden nicht geprüft</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlEndpoints.cpp" line="214" />
        <source>%1: the Service has no port %2; its pods are not probed</source>
        <translation>%1: Der Service hat keinen Port %2; seine Pods werden nicht geprüft</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlEndpoints.cpp" line="230" />
        <source>%1: EndpointSlice %2</source>
        <translation>%1: EndpointSlice %2</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlEndpoints.cpp" line="234" />
        <source>%1: address type %2 cannot be pinned (IPv4 or IPv6 can); not probed</source>
        <translation>%1: Adresstyp %2 kann nicht als feste Adresse dienen (IPv4 oder IPv6 schon); nicht geprüft</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlEndpoints.cpp" line="249" />
        <source>%1: port protocol %2, not TCP; not probed</source>
        <translation>%1: Portprotokoll %2, nicht TCP; nicht geprüft</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlEndpoints.cpp" line="257" />
        <source>a port number (1 to 65535)</source>
        <translation>eine Portnummer (1 bis 65535)</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlEndpoints.cpp" line="262" />
        <source>%1: port %2 (%3) is not known to speak TLS (no appProtocol https, no port name with https or tls, not 443 or 8443, no backend-protocol HTTPS annotation); its pods are not probed</source>
        <translation>%1: Von Port %2 (%3) ist nicht bekannt, dass er TLS spricht (kein appProtocol https, kein Portname mit https oder tls, weder 443 noch 8443, keine Annotation backend-protocol HTTPS); die Pods dahinter werden nicht geprüft</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlEndpoints.cpp" line="287" />
        <source>%1.targetRef.name %2 is not a Kubernetes name</source>
        <translation>%1.targetRef.name %2 ist kein Kubernetes-Name</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlEndpoints.cpp" line="302" />
        <source>%1.addresses[%2] %3 is not an IP address</source>
        <translation>%1.addresses[%2] %3 ist keine IP-Adresse</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlEndpoints.cpp" line="330" />
        <source>%1: not ready, not probed (a pod gets no traffic until it is ready): %2</source>
        <translation>%1: nicht bereit, nicht geprüft (ein Pod erhält erst Datenverkehr, wenn er bereit ist): %2</translation>
    </message>
</context>
<context>
    <name>certdash::MainWindow</name>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="79" />
        <source>CertDash</source>
        <translation>CertDash</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="102" />
        <source>Filter by host, subject, issuer, SAN, owner or tag (Ctrl+F)</source>
        <translation>Nach Host, Subject, Aussteller, SAN, Verantwortlichem oder Tag filtern (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="107" />
        <source>All statuses</source>
        <translation>Alle Status</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="111" />
        <source>Needs attention</source>
        <translation>Handlungsbedarf</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="116" />
        <source>Not probed yet</source>
        <translation>Noch nicht geprüft</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="117" />
        <source>Not trusted</source>
        <translation>Nicht vertrauenswürdig</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="168" />
        <source>E&amp;ndpoints</source>
        <translation>E&amp;ndpunkte</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="169" />
        <source>E&amp;state</source>
        <translation>Über&amp;sicht</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="172" />
        <source>&amp;Changes</source>
        <translation>Änderungs&amp;verlauf</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="182" />
        <source>That target is no longer in the inventory.</source>
        <translation>Dieses Ziel ist nicht mehr im Bestand.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="194" />
        <source>%v of %m</source>
        <translation>%v von %m</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="197" />
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="220" />
        <source>Nothing was probed: %1</source>
        <translation>Nichts wurde geprüft: %1</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="224" />
        <source>Results were not saved: %1</source>
        <translation>Ergebnisse wurden nicht gespeichert: %1</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="251" />
        <source>Could not write %1: %2</source>
        <translation>%1 konnte nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="259" />
        <location filename="../ui/widgets/MainWindowEvidence.cpp" line="34" />
        <location filename="../ui/widgets/MainWindowEvidence.cpp" line="49" />
        <source>Export audit report</source>
        <translation>Prüfbericht exportieren</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="292" />
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="293" />
        <source>&amp;Import targets...</source>
        <translation>Ziele &amp;importieren...</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="295" />
        <source>Import targets</source>
        <translation>Ziele importieren</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="296" />
        <source>Target lists (*.txt *.csv *.json);;All files (*)</source>
        <translation>Ziellisten (*.txt *.csv *.json);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="301" />
        <source>&amp;Export report as CSV...</source>
        <translation>Bericht als CSV &amp;exportieren...</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="303" />
        <source>Export &amp;audit report...</source>
        <translation>Prüfberi&amp;cht exportieren...</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="305" />
        <source>Export in&amp;ventory...</source>
        <translation>Bes&amp;tand exportieren...</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="329" />
        <source>&amp;Probe all</source>
        <translation>Alle &amp;prüfen</translation>
    </message>
    <message>
        <source>Export &amp;inventory...</source>
        <translation type="vanished">Bes&amp;tand exportieren...</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="307" />
        <source>&amp;Settings...</source>
        <translation>Ein&amp;stellungen...</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="309" />
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="312" />
        <source>&amp;Targets</source>
        <translation>&amp;Ziele</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="313" />
        <source>&amp;Add...</source>
        <translation>Hinz&amp;ufügen...</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="315" />
        <source>&amp;Edit...</source>
        <translation>B&amp;earbeiten...</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="324" />
        <source>&amp;Remove</source>
        <translation>Entfe&amp;rnen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="327" />
        <source>Probe &amp;selected</source>
        <translation>Aus&amp;wahl prüfen</translation>
    </message>
    <message>
        <source>Probe &amp;all</source>
        <translation type="vanished">Alle &amp;prüfen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="350" />
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="351" />
        <source>&amp;Filter</source>
        <translation>&amp;Filtern</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="356" />
        <source>&amp;Reload from the database</source>
        <translation>Aus der Datenbank neu &amp;laden</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="357" />
        <source>&amp;Details pane</source>
        <translation>Details anzei&amp;gen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="363" />
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="364" />
        <source>&amp;About CertDash</source>
        <translation>Über &amp;CertDash</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="365" />
        <source>About CertDash</source>
        <translation>Über CertDash</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="366" />
        <source>&lt;b&gt;CertDash %1&lt;/b&gt;&lt;p&gt;Watches TLS certificates across your endpoints before they expire.&lt;/p&gt;&lt;p&gt;Database: %2&lt;/p&gt;</source>
        <translation>&lt;b&gt;CertDash %1&lt;/b&gt;&lt;p&gt;Überwacht die TLS-Zertifikate Ihrer Endpunkte, bevor sie ablaufen.&lt;/p&gt;&lt;p&gt;Datenbank: %2&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="371" />
        <source>Main</source>
        <translation>Hauptleiste</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="400" />
        <source>Proxy: %1</source>
        <translation>Proxy: %1</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="406" />
        <source>Trust anchors: %1</source>
        <translation>Vertrauensanker: %1</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="419" />
        <source>Loading...</source>
        <translation>Wird geladen...</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="465" />
        <source>Last probe: %1</source>
        <translation>Letzte Prüfung: %1</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="467" />
        <source>Never probed</source>
        <translation>Nie geprüft</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="493" />
        <source>All tags</source>
        <translation>Alle Tags</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="509" />
        <source>Welcome to CertDash</source>
        <translation>Willkommen bei CertDash</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="510" />
        <source>The inventory is empty.

Load a sample inventory of public test endpoints (badssl.com) that show each status (expired, wrong host, self-signed, untrusted root, incomplete chain, healthy)? Probing them needs an internet connection: offline, they all show as Unreachable.

You can add your own hosts with File &gt; Import targets, or drop a target file on the window.</source>
        <translation>Der Bestand ist leer.

Einen Beispielbestand öffentlicher Test-Endpunkte (badssl.com) laden, die jeden Status zeigen (abgelaufen, falscher Host, selbstsigniert, nicht vertrauenswürdiges Stammzertifikat, unvollständige Kette, fehlerfrei)? Für die Prüfung ist eine Internetverbindung nötig: Offline werden alle als „Nicht erreichbar“ angezeigt.

Eigene Hosts fügen Sie mit Datei &gt; Ziele importieren hinzu oder indem Sie eine Zieldatei auf das Fenster ziehen.</translation>
    </message>
    <message>
        <source>The inventory is empty.

Load a sample inventory of public test endpoints that show each status (expired, wrong host, self-signed, untrusted root, incomplete chain, healthy)?

You can add your own hosts with File &gt; Import targets, or drop a target file on the window.</source>
        <translation type="vanished">Der Bestand ist leer.

Einen Beispielbestand öffentlicher Test-Endpunkte laden, die jeden Status zeigen (abgelaufen, falscher Host, selbstsigniert, nicht vertrauenswürdiges Stammzertifikat, unvollständige Kette, fehlerfrei)?

Eigene Hosts fügen Sie mit Datei &gt; Ziele importieren hinzu oder indem Sie eine Zieldatei auf das Fenster ziehen.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="60" />
        <source>the sample inventory</source>
        <translation>Beispielbestand</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="65" />
        <source>Importing %1...</source>
        <translation>%1 wird importiert...</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="73" />
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="87" />
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="94" />
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="110" />
        <source>Import</source>
        <translation>Import</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="74" />
        <source>Cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="84" />
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="109" />
        <source>... and %1 more</source>
        <translation>... und %1 weitere</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="88" />
        <source>Nothing was imported; fix these entries first:

%1</source>
        <translation>Nichts wurde importiert; korrigieren Sie zuerst diese Einträge:

%1</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="94" />
        <source>Nothing was imported: %1</source>
        <translation>Nichts wurde importiert: %1</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="98" />
        <source>Imported %1: %2 added, %3 updated, %4 unchanged</source>
        <translation>%1 importiert: %2 hinzugefügt, %3 aktualisiert, %4 unverändert</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="111" />
        <source>Imported %1. Left out, with the reason:

%2</source>
        <translation>%1 importiert. Ausgelassen, mit Grund:

%2</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="157" />
        <source>Writing the report to %1...</source>
        <translation>Bericht wird nach %1 geschrieben...</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="195" />
        <source>Remove %1 and its history?</source>
        <translation>%1 und seinen Verlauf entfernen?</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="196" />
        <source>Remove %1 (%2) and its history?</source>
        <translation>%1 (%2) und seinen Verlauf entfernen?</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="203" />
        <source>and %n more</source>
        <translation>
            <numerusform>und %n weiteres</numerusform>
            <numerusform>und %n weitere</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="204" />
        <source>Remove these %n targets and their history?

%1</source>
        <translation>
            <numerusform>Dieses Ziel und seinen Verlauf entfernen?

%1</numerusform>
            <numerusform>Diese %n Ziele und ihren Verlauf entfernen?

%1</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="281" />
        <source>Added %1; a scan is running: it is probed with the next one.</source>
        <translation>%1 hinzugefügt; ein Scan läuft: Es wird mit dem nächsten geprüft.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="314" />
        <source>Trust anchors changed: the trust shown stays as judged against the previous anchors until each endpoint is probed again.</source>
        <translation>Vertrauensanker geändert: Das angezeigte Vertrauen beruht auf den bisherigen Ankern, bis jeder Endpunkt erneut geprüft wurde.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="317" />
        <source>Trust anchors changed</source>
        <translation>Vertrauensanker geändert</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="319" />
        <source>Probe every endpoint now to judge it against the new anchors?</source>
        <translation>Jetzt alle Endpunkte prüfen, um sie anhand der neuen Anker zu beurteilen?</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="324" />
        <source>&amp;Probe all now</source>
        <translation>&amp;Jetzt alle prüfen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="325" />
        <source>&amp;Later</source>
        <translation>Sp&amp;äter</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="647" />
        <source>Last full scan: %1</source>
        <translation>Letzter vollständiger Scan: %1</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="651" />
        <source>Probing cancelled; results so far were kept.</source>
        <translation>Prüfung abgebrochen; bisherige Ergebnisse wurden behalten.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="679" />
        <source>Needs attention: %1</source>
        <translation>Handlungsbedarf: %1</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="681" />
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="684" />
        <source>Not trusted: %1</source>
        <translation>Nicht vertrauenswürdig: %1</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="686" />
        <source>Not probed yet: %1</source>
        <translation>Noch nicht geprüft: %1</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="687" />
        <source>No targets: import a target list to begin.</source>
        <translation>Keine Ziele: Importieren Sie eine Zielliste, um zu beginnen.</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/widgets/MainWindow.cpp" line="745" />
        <source>%1: %n row(s) ✕</source>
        <translation>
            <numerusform>%1: %n Zeile ✕</numerusform>
            <numerusform>%1: %n Zeilen ✕</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="746" />
        <source>Rows chosen in a chart. Click to show every row again.</source>
        <translation>In einem Diagramm gewählte Zeilen. Klicken Sie, um wieder alle Zeilen anzuzeigen.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="163" />
        <source>Export report as CSV</source>
        <translation>Bericht als CSV exportieren</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="165" />
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="175" />
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="258" />
        <source>Export report</source>
        <translation>Bericht exportieren</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="247" />
        <source>Wrote the report to %1</source>
        <translation>Bericht nach %1 geschrieben</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="173" />
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="182" />
        <source>Export inventory</source>
        <translation>Bestand exportieren</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="208" />
        <source>Remove targets</source>
        <translation>Ziele entfernen</translation>
    </message>
    <message numerus="yes">
        <source>Remove %n target(s) and their history?</source>
        <translation type="vanished">
            <numerusform>%n Ziel und seinen Verlauf entfernen?</numerusform>
            <numerusform>%n Ziele und ihren Verlauf entfernen?</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="261" />
        <source>This endpoint is already in the inventory as %1.</source>
        <translation>Dieser Endpunkt ist bereits als %1 im Bestand.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="269" />
        <source>Target</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="298" />
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEvidence.cpp" line="42" />
        <source>&amp;Browse...</source>
        <translation>Speicher&amp;ort...</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEvidence.cpp" line="44" />
        <source>PDF documents (*.pdf)</source>
        <translation>PDF-Dokumente (*.pdf)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEvidence.cpp" line="45" />
        <source>HTML pages (*.html *.htm)</source>
        <translation>HTML-Seiten (*.html *.htm)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEvidence.cpp" line="62" />
        <source>E&amp;xport</source>
        <translation>E&amp;xportieren</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEvidence.cpp" line="66" />
        <source>&amp;File (.pdf or .html):</source>
        <translation>&amp;Datei (.pdf oder .html):</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEvidence.cpp" line="67" />
        <source>&amp;Changes since:</source>
        <translation>Änderungen seit Datu&amp;m:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEvidence.cpp" line="82" />
        <source>Writing the audit report to %1...</source>
        <translation>Prüfbericht wird nach %1 geschrieben...</translation>
    </message>
</context>
<context>
    <name>certdash::NotificationBanner</name>
    <message>
        <location filename="../ui/tray/NotificationBanner.cpp" line="26" />
        <source>Show</source>
        <translation>Anzeigen</translation>
    </message>
    <message>
        <location filename="../ui/tray/NotificationBanner.cpp" line="29" />
        <source>Dismiss</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <location filename="../ui/tray/NotificationBanner.cpp" line="52" />
        <source>Hide these notifications</source>
        <translation>Diese Benachrichtigungen ausblenden</translation>
    </message>
    <message>
        <location filename="../ui/tray/NotificationBanner.cpp" line="85" />
        <location filename="../ui/tray/NotificationBanner.cpp" line="106" />
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location filename="../ui/tray/NotificationBanner.cpp" line="119" />
        <source>All (%1)</source>
        <translation>Alle (%1)</translation>
    </message>
    <message>
        <location filename="../ui/tray/NotificationBanner.cpp" line="120" />
        <source>Every notification since the banner was last dismissed</source>
        <translation>Alle Benachrichtigungen seit dem letzten Schließen des Banners</translation>
    </message>
    <message numerus="yes">
        <source>... and %n more notification(s).</source>
        <translation type="vanished">
            <numerusform>... und %n weitere Benachrichtigung.</numerusform>
            <numerusform>... und %n weitere Benachrichtigungen.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>certdash::ProbeScheduler</name>
    <message>
        <location filename="../app/probing/ProbeScheduler.cpp" line="89" />
        <source>invalid host name</source>
        <translation>ungültiger Hostname</translation>
    </message>
    <message>
        <location filename="../app/probing/ProbeScheduler.cpp" line="128" />
        <source>DNS: %1 not found</source>
        <translation>DNS: %1 nicht gefunden</translation>
    </message>
    <message>
        <location filename="../app/probing/ProbeScheduler.cpp" line="129" />
        <source>DNS: %1</source>
        <translation>DNS: %1</translation>
    </message>
    <message>
        <location filename="../app/probing/ProbeScheduler.cpp" line="159" />
        <source>DNS: no answer for %1 within %2 s</source>
        <translation>DNS: keine Antwort für %1 innerhalb von %2 s</translation>
    </message>
</context>
<context>
    <name>certdash::Proxy</name>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="96" />
        <source>%1: %2 is not a usable proxy: %3</source>
        <translation>%1: %2 ist kein verwendbarer Proxy: %3</translation>
    </message>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="100" />
        <source>it is empty</source>
        <translation>der Wert ist leer</translation>
    </message>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="105" />
        <source>expected http://[user@]host:port, socks5://[user@]host:port or socks5h://[user@]host:port</source>
        <translation>erwartet wurde http://[user@]host:port, socks5://[user@]host:port oder socks5h://[user@]host:port</translation>
    </message>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="116" />
        <source>the scheme %1 is not supported (http, socks5 or socks5h)</source>
        <translation>das Schema %1 wird nicht unterstützt (http, socks5 oder socks5h)</translation>
    </message>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="119" />
        <source>a proxy URL has no path</source>
        <translation>eine Proxy-URL darf keinen Pfad enthalten</translation>
    </message>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="121" />
        <source>a proxy URL has no query or fragment</source>
        <translation>eine Proxy-URL darf weder Query noch Fragment enthalten</translation>
    </message>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="124" />
        <source>the host is not a valid name or address</source>
        <translation>der Host ist weder ein gültiger Name noch eine gültige Adresse</translation>
    </message>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="127" />
        <source>the port must be from 1 to 65535</source>
        <translation>der Port muss zwischen 1 und 65535 liegen</translation>
    </message>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="135" />
        <source>%1: %2: a password does not belong in a proxy URL (it would show in process lists and shell history); store it with `certdash secret set %3` or set %4 for a run without a keychain</source>
        <translation>%1: %2: Ein Passwort gehört nicht in eine Proxy-URL (es wäre in Prozesslisten und im Shell-Verlauf sichtbar); speichern Sie es mit `certdash secret set %3` oder setzen Sie %4 für einen Lauf ohne Schlüsselbund</translation>
    </message>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="272" />
        <source>the proxy of %1</source>
        <translation>der Proxy von %1</translation>
    </message>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="340" />
        <source>the proxy %1 (from %2) needs a password: %3</source>
        <translation>der Proxy %1 (Quelle: %2) braucht ein Passwort: %3</translation>
    </message>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="353" />
        <source>proxy %1 refused the connection</source>
        <translation>Proxy %1 hat die Verbindung abgelehnt</translation>
    </message>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="355" />
        <source>proxy %1 not found</source>
        <translation>Proxy %1 nicht gefunden</translation>
    </message>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="358" />
        <source>proxy %1 did not answer in time</source>
        <translation>Proxy %1 hat nicht rechtzeitig geantwortet</translation>
    </message>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="363" />
        <source>proxy %1 requires authentication: give the user in the URL (%2://USER@%3:%4) and store its password</source>
        <translation>Proxy %1 verlangt eine Authentifizierung: Geben Sie den Benutzer in der URL an (%2://BENUTZER@%3:%4) und speichern Sie sein Passwort</translation>
    </message>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="367" />
        <source>proxy %1 refused the user name or password (authentication failed)</source>
        <translation>Proxy %1 hat Benutzername oder Passwort abgelehnt (Authentifizierung fehlgeschlagen)</translation>
    </message>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="372" />
        <source>proxy %1 closed the connection before the tunnel to %2 was open</source>
        <translation>Proxy %1 hat die Verbindung geschlossen, bevor der Tunnel zu %2 offen war</translation>
    </message>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="380" />
        <source>proxy %1 did not open a tunnel to %2: %3</source>
        <translation>Proxy %1 hat keinen Tunnel zu %2 geöffnet: %3</translation>
    </message>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="382" />
        <source>proxy %1 did not open a tunnel to %2 (%3): check the password of %4 at this proxy (a proxy may answer a wrong one this way), and whether it allows this destination</source>
        <translation>Proxy %1 hat keinen Tunnel zu %2 geöffnet (%3): Überprüfen Sie das Passwort von %4 an diesem Proxy (manche Proxys antworten so auf ein falsches Passwort) und ob er dieses Ziel zulässt</translation>
    </message>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="391" />
        <source>cannot connect to %1 through proxy %2: %3</source>
        <translation>keine Verbindung zu %1 über Proxy %2 möglich: %3</translation>
    </message>
</context>
<context>
    <name>certdash::Renewal</name>
    <message>
        <location filename="../app/renewal/RenewalRequest.cpp" line="86" />
        <source>the certificate's public key cannot be read</source>
        <translation>der öffentliche Schlüssel des Zertifikats kann nicht gelesen werden</translation>
    </message>
    <message>
        <location filename="../app/renewal/RenewalRequest.cpp" line="100" />
        <source>the certificate's EC key has no named curve</source>
        <translation>der EC-Schlüssel des Zertifikats hat keine benannte Kurve</translation>
    </message>
    <message>
        <location filename="../app/renewal/RenewalRequest.cpp" line="114" />
        <source>the certificate's key type (%1) cannot be renewed like for like</source>
        <translation>der Schlüsseltyp des Zertifikats (%1) kann nicht gleichwertig erneuert werden</translation>
    </message>
    <message>
        <location filename="../app/renewal/RenewalRequest.cpp" line="123" />
        <source>no passphrase for the new key: it is never written unencrypted</source>
        <translation>keine Passphrase für den neuen Schlüssel: Er wird nie unverschlüsselt geschrieben</translation>
    </message>
    <message>
        <location filename="../app/renewal/RenewalRequest.cpp" line="133" />
        <source>cannot make a %1 key: %2</source>
        <translation>Schlüssel (%1) kann nicht erzeugt werden: %2</translation>
    </message>
    <message>
        <location filename="../app/renewal/RenewalRequest.cpp" line="155" />
        <source>cannot build the CSR: %1</source>
        <translation>CSR kann nicht erstellt werden: %1</translation>
    </message>
    <message>
        <location filename="../app/renewal/RenewalRequest.cpp" line="165" />
        <source>cannot write the key or the CSR: %1</source>
        <translation>Schlüssel oder CSR kann nicht geschrieben werden: %1</translation>
    </message>
    <message>
        <location filename="../app/renewal/RenewalFiles.cpp" line="30" />
        <source>%1 already exists; nothing was written</source>
        <translation>%1 existiert bereits; es wurde nichts geschrieben</translation>
    </message>
    <message>
        <location filename="../app/renewal/RenewalFiles.cpp" line="49" />
        <source>%1; no key was written (a key is only written encrypted, with its passphrase in the keychain)</source>
        <translation>%1; es wurde kein Schlüssel geschrieben (ein Schlüssel wird nur verschlüsselt geschrieben, mit seiner Passphrase im Schlüsselbund)</translation>
    </message>
    <message>
        <location filename="../app/renewal/RenewalFiles.cpp" line="57" />
        <source>cannot create %1</source>
        <translation>%1 kann nicht angelegt werden</translation>
    </message>
</context>
<context>
    <name>certdash::Reports</name>
    <message>
        <location filename="../app/cli/ScanReport.cpp" line="19" />
        <location filename="../app/reports/Report.cpp" line="56" />
        <source>cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <location filename="../app/reports/Spool.cpp" line="41" />
        <source>the report's temporary file %1: %2</source>
        <translation>temporäre Datei des Berichts %1: %2</translation>
    </message>
</context>
<context>
    <name>certdash::Revocation</name>
    <message>
        <location filename="../app/probing/QtTlsProber.cpp" line="308" />
        <location filename="../app/probing/RevocationCheck.cpp" line="60" />
        <source>stapled response not verifiable: %1</source>
        <translation>geheftete Antwort nicht verifizierbar: %1</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="40" />
        <source>the OCSP response is not readable</source>
        <translation>die OCSP-Antwort ist nicht lesbar</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="45" />
        <source>the OCSP responder answered "%1"</source>
        <translation>der OCSP-Responder hat "%1" geantwortet</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="51" />
        <source>the OCSP response is not a basic response</source>
        <translation>die OCSP-Antwort ist keine Basic-Antwort</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="73" />
        <source>the %1 has no readable thisUpdate</source>
        <translation>die %1 hat kein lesbares thisUpdate</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="75" />
        <source>the %1 is dated in the future (thisUpdate %2)</source>
        <translation>die %1 ist in die Zukunft datiert (thisUpdate %2)</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="78" />
        <source>the %1 is out of date (nextUpdate %2)</source>
        <translation>die %1 ist veraltet (nextUpdate %2)</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="88" />
        <source>unspecified</source>
        <translation>nicht angegeben</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="90" />
        <source>key compromise</source>
        <translation>Schlüssel kompromittiert</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="92" />
        <source>CA compromise</source>
        <translation>CA kompromittiert</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="94" />
        <source>affiliation changed</source>
        <translation>Zugehörigkeit geändert</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="96" />
        <source>superseded</source>
        <translation>ersetzt</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="98" />
        <source>cessation of operation</source>
        <translation>Betrieb eingestellt</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="100" />
        <source>certificate hold</source>
        <translation>Zertifikat vorübergehend ausgesetzt</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="102" />
        <source>remove from CRL</source>
        <translation>aus der Sperrliste (CRL) entfernt</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="104" />
        <source>privilege withdrawn</source>
        <translation>Berechtigung entzogen</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="106" />
        <source>AA compromise</source>
        <translation>AA kompromittiert</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="132" />
        <source>the OCSP response's signature does not verify against the issuer %1 (%2)</source>
        <translation>die Signatur der OCSP-Antwort lässt sich mit dem Aussteller %1 nicht verifizieren (%2)</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="135" />
        <source>no signer</source>
        <translation>kein Unterzeichner</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="146" />
        <source>the OCSP response is about another certificate (serial %1 not in it)</source>
        <translation>die OCSP-Antwort betrifft ein anderes Zertifikat (Seriennummer %1 nicht enthalten)</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="153" />
        <source>OCSP response</source>
        <translation>OCSP-Antwort</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="185" />
        <source>the CRL is not readable (neither DER nor PEM)</source>
        <translation>die Sperrliste (CRL) ist nicht lesbar (weder DER noch PEM)</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="218" />
        <source>the CRL is issued by %1, not by the certificate's issuer %2</source>
        <translation>die Sperrliste (CRL) wurde von %1 ausgestellt, nicht vom Aussteller des Zertifikats %2</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="225" />
        <source>the CRL's signature does not verify against the issuer %1</source>
        <translation>die Signatur der Sperrliste (CRL) lässt sich mit dem Aussteller %1 nicht verifizieren</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="231" />
        <source>CRL</source>
        <translation>Sperrliste (CRL)</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="271" />
        <source>the stapled OCSP response</source>
        <translation>die geheftete OCSP-Antwort</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="273" />
        <source>the CRL %1</source>
        <translation>die Sperrliste (CRL) %1</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="274" />
        <source>the OCSP responder %1</source>
        <translation>der OCSP-Responder %1</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="280" />
        <source>no reason given</source>
        <translation>kein Grund angegeben</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="282" />
        <source>an unknown date</source>
        <translation>Datum unbekannt</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="286" />
        <source>revoked: %1 says the certificate was revoked on %2 (%3)</source>
        <translation>widerrufen: Das Zertifikat wurde widerrufen (%2, %3), meldet %1</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="292" />
        <source>OCSP unknown: %1 does not know the certificate</source>
        <translation>OCSP unbekannt: Das Zertifikat ist nicht bekannt, meldet %1</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="297" />
        <source>revocation unchecked: %1</source>
        <translation>Widerruf nicht geprüft: %1</translation>
    </message>
    <message>
        <location filename="../app/probing/RevocationCache.cpp" line="32" />
        <source>no answer within %1 s</source>
        <translation>keine Antwort innerhalb von %1 s</translation>
    </message>
    <message>
        <location filename="../app/probing/RevocationCache.cpp" line="67" />
        <location filename="../app/probing/RevocationCache.cpp" line="84" />
        <source>the answer is larger than %1 KiB</source>
        <translation>die Antwort ist größer als %1 KiB</translation>
    </message>
    <message>
        <location filename="../app/probing/RevocationCache.cpp" line="80" />
        <source>HTTP status %1</source>
        <translation>HTTP-Status %1</translation>
    </message>
    <message>
        <location filename="../app/probing/RevocationCheck.cpp" line="54" />
        <source>the stapled OCSP response cannot be verified: the certificate's issuer is not known</source>
        <translation>die geheftete OCSP-Antwort kann nicht verifiziert werden: Der Aussteller des Zertifikats ist nicht bekannt</translation>
    </message>
    <message>
        <location filename="../app/probing/RevocationCheck.cpp" line="86" />
        <source>the certificate names no OCSP responder or CRL (over http)</source>
        <translation>das Zertifikat nennt keinen OCSP-Responder und keine Sperrliste (CRL) per http</translation>
    </message>
    <message>
        <location filename="../app/probing/RevocationCheck.cpp" line="93" />
        <source>the certificate's issuer is not known, so no answer about it can be verified</source>
        <translation>der Aussteller des Zertifikats ist nicht bekannt, daher lässt sich keine Antwort dazu verifizieren</translation>
    </message>
    <message>
        <location filename="../app/probing/RevocationCheck.cpp" line="99" />
        <source>no OCSP responder</source>
        <translation>kein OCSP-Responder</translation>
    </message>
    <message>
        <location filename="../app/probing/RevocationCheck.cpp" line="114" />
        <source>OCSP responder %1 unreachable: %2</source>
        <translation>OCSP-Responder %1 nicht erreichbar: %2</translation>
    </message>
    <message>
        <location filename="../app/probing/RevocationCheck.cpp" line="124" />
        <source>OCSP responder %1: %2</source>
        <translation>OCSP-Responder %1: %2</translation>
    </message>
    <message>
        <location filename="../app/probing/RevocationCheck.cpp" line="132" />
        <source>%1; no CRL</source>
        <translation>%1; keine Sperrliste (CRL)</translation>
    </message>
    <message>
        <location filename="../app/probing/RevocationCheck.cpp" line="144" />
        <source>%1; CRL %2 unreachable: %3</source>
        <translation>%1; Sperrliste (CRL) %2 nicht erreichbar: %3</translation>
    </message>
    <message>
        <location filename="../app/probing/RevocationCheck.cpp" line="149" />
        <source>%1; CRL %2: %3</source>
        <translation>%1; Sperrliste (CRL) %2: %3</translation>
    </message>
</context>
<context>
    <name>certdash::ScanRunText</name>
    <message>
        <location filename="../ui/widgets/ScanRunText.cpp" line="21" />
        <source>Last scheduled scan: %1</source>
        <translation>Letzter geplanter Scan: %1</translation>
    </message>
    <message>
        <location filename="../ui/widgets/ScanRunText.cpp" line="22" />
        <source>Last command-line scan: %1</source>
        <translation>Letzter Scan per Befehlszeile: %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/widgets/ScanRunText.cpp" line="23" />
        <source>%1, %n target(s)</source>
        <translation>
            <numerusform>%1, %n Ziel</numerusform>
            <numerusform>%1, %n Ziele</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/widgets/ScanRunText.cpp" line="25" />
        <source>all ok</source>
        <translation>alles OK</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/widgets/ScanRunText.cpp" line="26" />
        <source>%n need(s) attention</source>
        <translation>
            <numerusform>%n mit Handlungsbedarf</numerusform>
            <numerusform>%n mit Handlungsbedarf</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/widgets/ScanRunText.cpp" line="33" />
        <source>exit code 0: all ok</source>
        <translation>Exit-Code 0: alles OK</translation>
    </message>
    <message>
        <location filename="../ui/widgets/ScanRunText.cpp" line="36" />
        <source>exit code 1: the worst is a warning or an overdue rotation</source>
        <translation>Exit-Code 1: Das schlechteste Ergebnis ist eine Warnung oder eine überfällige Rotation</translation>
    </message>
    <message>
        <location filename="../ui/widgets/ScanRunText.cpp" line="39" />
        <source>exit code %1: something is critical, expired, not trusted or could not be probed</source>
        <translation>Exit-Code %1: Etwas ist kritisch, abgelaufen, nicht vertrauenswürdig oder konnte nicht geprüft werden</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/widgets/ScanRunText.cpp" line="44" />
        <source>certdash scan of this store (%1), from %2 to %3:
%n endpoint address(es) probed; %4</source>
        <translation>
            <numerusform>certdash scan dieser Datenbank (%1), von %2 bis %3:
%n Endpunktadresse geprüft; %4</numerusform>
            <numerusform>certdash scan dieser Datenbank (%1), von %2 bis %3:
%n Endpunktadressen geprüft; %4</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/widgets/ScanRunText.cpp" line="47" />
        <source>certdash-scan.timer</source>
        <translation>certdash-scan.timer</translation>
    </message>
    <message>
        <location filename="../ui/widgets/ScanRunText.cpp" line="48" />
        <source>command line</source>
        <translation>Befehlszeile</translation>
    </message>
</context>
<context>
    <name>certdash::SecretStore</name>
    <message numerus="yes">
        <location filename="../app/secrets/KeychainSecretStore.cpp" line="53" />
        <source>the keychain did not answer within %n second(s)</source>
        <translation>
            <numerusform>der Schlüsselbund hat nicht innerhalb von %n Sekunde geantwortet</numerusform>
            <numerusform>der Schlüsselbund hat nicht innerhalb von %n Sekunden geantwortet</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/secrets/KeychainSecretStore.cpp" line="63" />
        <source>error %1</source>
        <translation>Fehler %1</translation>
    </message>
    <message>
        <location filename="../app/secrets/KeychainSecretStore.cpp" line="65" />
        <source>the keychain is not usable: %1</source>
        <translation>der Schlüsselbund ist nicht verwendbar: %1</translation>
    </message>
    <message>
        <location filename="../app/secrets/KeychainSecretStore.cpp" line="81" />
        <location filename="../app/secrets/KeychainSecretStore.cpp" line="102" />
        <source>the keychain has no entry named "%1"</source>
        <translation>der Schlüsselbund hat keinen Eintrag namens "%1"</translation>
    </message>
    <message>
        <location filename="../app/secrets/KeychainSecretStore.cpp" line="92" />
        <source>: nothing was stored</source>
        <translation>: Es wurde nichts gespeichert</translation>
    </message>
    <message>
        <location filename="../app/secrets/SecretStore.cpp" line="19" />
        <location filename="../app/secrets/SecretStore.cpp" line="27" />
        <location filename="../app/secrets/SecretStore.cpp" line="53" />
        <source>no keychain is available to this program</source>
        <translation>für dieses Programm ist kein Schlüsselbund verfügbar</translation>
    </message>
    <message>
        <location filename="../app/secrets/SecretStore.cpp" line="23" />
        <source>no keychain is available to this program: nothing was stored</source>
        <translation>für dieses Programm ist kein Schlüsselbund verfügbar: Es wurde nichts gespeichert</translation>
    </message>
    <message>
        <location filename="../app/secrets/SecretStore.cpp" line="59" />
        <source>no secret named "%1" (%2): store it with `certdash secret set %1` (it reads the secret from standard input), or set %3 for a run without a keychain</source>
        <translation>kein Secret namens "%1" (%2): Speichern Sie es mit `certdash secret set %1` (liest das Secret von der Standardeingabe) oder setzen Sie %3 für einen Lauf ohne Schlüsselbund</translation>
    </message>
</context>
<context>
    <name>certdash::Settings</name>
    <message>
        <location filename="../app/storage/Settings.cpp" line="119" />
        <source>Warning threshold must be between 0 and 3650 days.</source>
        <translation>Der Schwellenwert „Warnung“ muss zwischen 0 und 3650 Tagen liegen.</translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="121" />
        <source>Critical threshold must be between 0 and 3650 days.</source>
        <translation>Der Schwellenwert „Kritisch“ muss zwischen 0 und 3650 Tagen liegen.</translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="123" />
        <source>The critical threshold (%1 days) must not exceed the warning threshold (%2 days).</source>
        <translation>Der Schwellenwert „Kritisch“ (%1 Tage) darf den Schwellenwert „Warnung“ (%2 Tage) nicht überschreiten.</translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="128" />
        <source>Rotation period must be between 1 and 3650 days, or empty.</source>
        <translation>Das Rotationsintervall muss zwischen 1 und 3650 Tagen liegen oder leer sein.</translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="130" />
        <source>Probe interval must be between 0 (off) and 10080 minutes (a week).</source>
        <translation>Das Prüfintervall muss zwischen 0 (aus) und 10080 Minuten (eine Woche) liegen.</translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="132" />
        <source>Concurrency must be between 1 and 10000.</source>
        <translation>Die Anzahl gleichzeitiger Prüfungen muss zwischen 1 und 10000 liegen.</translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="134" />
        <source>Timeout must be more than 0 and at most 3600 seconds.</source>
        <translation>Das Timeout muss größer als 0 und höchstens 3600 Sekunden sein.</translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="138" />
        <source>Trust anchor file %1 cannot be read.</source>
        <translation>Die Vertrauensanker-Datei %1 kann nicht gelesen werden.</translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="141" />
        <source>Without the system trust store, at least one trust anchor file is needed.</source>
        <translation>Ohne den Zertifikatsspeicher des Systems wird mindestens eine Vertrauensanker-Datei benötigt.</translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="144" />
        <source>History must keep every probe at least 1 day, and daily probes at least as long.</source>
        <translation>Der Verlauf muss jede Prüfung mindestens 1 Tag aufbewahren und tägliche Prüfungen mindestens ebenso lange.</translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="147" />
        <source>Probe failures must count after 1 to 100 failures in a row.</source>
        <translation>Ausfallalarme müssen nach 1 bis 100 aufeinanderfolgenden Fehlschlägen ausgelöst werden.</translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="149" />
        <source>The event log %1 is a directory; give a file name.</source>
        <translation>Das Ereignisprotokoll %1 ist ein Verzeichnis; geben Sie einen Dateinamen an.</translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="153" />
        <source>The %1 %2 is not an absolute path.</source>
        <translation>%1 %2 ist kein absoluter Pfad.</translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="155" />
        <source>The %1 %2 cannot be read.</source>
        <translation>%1 %2 kann nicht gelesen werden.</translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="158" />
        <source>There is no translation for the language %1.</source>
        <translation>Für die Sprache %1 gibt es keine Übersetzung.</translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="160" />
        <source>client certificate</source>
        <translation>Das Client-Zertifikat</translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="163" />
        <source>A client key needs its client certificate.</source>
        <translation>Ein Client-Schlüssel braucht sein Client-Zertifikat.</translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="164" />
        <source>client key</source>
        <translation>Der Client-Schlüssel</translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="182" />
        <source>The Prometheus URL "%1" is not an http:// or https:// URL with a host.</source>
        <translation>Die Prometheus-URL „%1“ ist keine http://- oder https://-URL mit Host.</translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="186" />
        <source>The Prometheus URL %1 holds a user or password; give them under Authentication instead (the password goes to the keychain).</source>
        <translation>Die Prometheus-URL %1 enthält einen Benutzer oder ein Passwort; geben Sie diese stattdessen unter „Authentifizierung“ an (das Passwort kommt in den Schlüsselbund).</translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="190" />
        <source>Unknown authentication "%1" for %2.</source>
        <translation>Unbekannte Authentifizierung „%1“ für %2.</translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="192" />
        <source>Basic authentication for %1 needs a user name.</source>
        <translation>Die Basic-Authentifizierung für %1 benötigt einen Benutzernamen.</translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="196" />
        <source>The CA file %1 for %2 cannot be read.</source>
        <translation>Die CA-Datei %1 für %2 kann nicht gelesen werden.</translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="199" />
        <source>The read interval of %1 must be between 10 seconds and a day.</source>
        <translation>Das Leseintervall für %1 muss zwischen 10 Sekunden und einem Tag liegen.</translation>
    </message>
</context>
<context>
    <name>certdash::SettingsDialog</name>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="39" />
        <source> days</source>
        <translation> Tage</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="63" />
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="65" />
        <source>Default thresholds</source>
        <translation>Standard-Schwellenwerte</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="70" />
        <source>none</source>
        <translation>keines</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="71" />
        <source>&amp;Warning below:</source>
        <translation>&amp;Warnung unter:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="72" />
        <source>&amp;Critical below:</source>
        <translation>&amp;Kritisch unter:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="73" />
        <source>Expected &amp;rotation period:</source>
        <translation>Erwartetes &amp;Rotationsintervall:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="74" />
        <source>Capped at 1/3 and 1/6 of each certificate's lifetime. Targets and tags can override these.</source>
        <translation>Begrenzt auf 1/3 bzw. 1/6 der Laufzeit jedes Zertifikats. Ziele und Tags können diese Werte überschreiben.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="80" />
        <source>Probing</source>
        <translation>Prüfung</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="85" />
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="86" />
        <source>off</source>
        <translation>aus</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="94" />
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="95" />
        <source>Re-probe &amp;every:</source>
        <translation>Erneut &amp;prüfen alle:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="96" />
        <source>Probes in &amp;flight:</source>
        <translation>&amp;Gleichzeitige Prüfungen:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="99" />
        <source>OpenSSL (fastest)</source>
        <translation>OpenSSL (am schnellsten)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="100" />
        <source>Qt (QSslSocket, cross-check)</source>
        <translation>Qt (QSslSocket, Gegenprüfung)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="101" />
        <source>The TLS client that does the handshakes. Both give the same results; OpenSSL is faster, Qt is an independent check of it.</source>
        <translation>Der TLS-Client, der die Handshakes ausführt. Beide liefern dieselben Ergebnisse; OpenSSL ist schneller, Qt ist eine unabhängige Gegenprüfung.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="103" />
        <source>&amp;Timeout per probe:</source>
        <translation>&amp;Timeout je Prüfung:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="104" />
        <source>T&amp;LS engine:</source>
        <translation>T&amp;LS-Engine:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="113" />
        <location filename="../ui/widgets/SettingsDialog.cpp" line="130" />
        <source>Trust anchors</source>
        <translation>Vertrauensanker</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="115" />
        <source>Trust the &amp;system certificate store</source>
        <translation>Dem Zertifikatsspeicher des &amp;Systems vertrauen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="120" />
        <source>&amp;Add PEM file...</source>
        <translation>PEM-Datei &amp;hinzufügen...</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="121" />
        <source>Re&amp;move</source>
        <translation>Entfer&amp;nen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="204" />
        <source>Client cert&amp;ificate:</source>
        <translation>Client-&amp;Zertifikat:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="130" />
        <source>PEM certificates (*.pem *.crt);;All files (*)</source>
        <translation>PEM-Zertifikate (*.pem *.crt);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="105" />
        <source>Check revocatio&amp;n online (OCSP, else CRL)</source>
        <translation>W&amp;iderruf online prüfen (OCSP, sonst Sperrliste)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="108" />
        <source>Ask each certificate's OCSP responder, else its CRL, whether it was revoked. A stapled OCSP response is read either way; without this, an unanswered check is never an alert.</source>
        <translation>Beim OCSP-Responder jedes Zertifikats, sonst anhand seiner Sperrliste (CRL), nachfragen, ob es widerrufen wurde. Eine geheftete OCSP-Antwort wird in jedem Fall ausgewertet; ohne diese Option löst eine unbeantwortete Prüfung nie einen Alarm aus.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="140" />
        <source>History</source>
        <translation>Verlauf</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="144" />
        <source>Keep every probe for:</source>
        <translation>Jede Prüfung aufbewahren für:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="145" />
        <source>Then one a day for:</source>
        <translation>Danach eine pro Tag für:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="147" />
        <source>Alerts</source>
        <translation>Alarme</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="154" />
        <source>no event log</source>
        <translation>kein Ereignisprotokoll</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="156" />
        <source>C&amp;hoose...</source>
        <translation>A&amp;uswählen...</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="161" />
        <source>&amp;Outage alerts after failures in a row:</source>
        <translation>Aus&amp;fallalarm nach Fehlschlägen in Folge:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="162" />
        <source>E&amp;vent log (JSON lines):</source>
        <translation>&amp;Ereignisprotokoll (JSON Lines):</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="166" />
        <source>Event log</source>
        <translation>Ereignisprotokoll</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="166" />
        <source>JSON lines (*.jsonl);;All files (*)</source>
        <translation>JSON Lines (*.jsonl);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="172" />
        <source>Connection (targets may set their own)</source>
        <translation>Verbindung (Ziele können eigene Werte festlegen)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="177" />
        <source>Browse...</source>
        <translation>Durchsuchen...</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="190" />
        <source>none; a PEM certificate or a PKCS#12 file</source>
        <translation>keines; ein PEM-Zertifikat oder eine PKCS#12-Datei</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="193" />
        <source>the PEM key, unless the certificate file holds it</source>
        <translation>der PEM-Schlüssel, sofern die Zertifikatsdatei ihn nicht enthält</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="196" />
        <source>the environment's (https_proxy); a URL; or direct</source>
        <translation>aus der Umgebung (https_proxy); eine URL; oder direct</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="197" />
        <source>Passphrase in keychain...</source>
        <translation>Passphrase im Schlüsselbund...</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="199" />
        <source>Password in keychain...</source>
        <translation>Passwort im Schlüsselbund...</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="205" />
        <source>Client certificate</source>
        <translation>Client-Zertifikat</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="206" />
        <source>Certificates (*.pem *.crt *.p12 *.pfx);;All files (*)</source>
        <translation>Zertifikate (*.pem *.crt *.p12 *.pfx);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="207" />
        <source>Client &amp;key:</source>
        <translation>&amp;Client-Schlüssel:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="208" />
        <source>Client key</source>
        <translation>Client-Schlüssel</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="209" />
        <source>Keys (*.pem *.key);;All files (*)</source>
        <translation>Schlüssel (*.pem *.key);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="211" />
        <source>Pro&amp;xy:</source>
        <translation>Pro&amp;xy:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="217" />
        <source>the passphrase of %1</source>
        <translation>die Passphrase für %1</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="223" />
        <source>Proxy password</source>
        <translation>Proxy-Passwort</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="224" />
        <source>Give the proxy as a URL with a user name first, such as http://alice@proxy.example:3128.</source>
        <translation>Geben Sie den Proxy zuerst als URL mit Benutzernamen an, z. B. http://alice@proxy.example:3128.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="228" />
        <source>the password of %1</source>
        <translation>das Passwort für %1</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="238" />
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="244" />
        <source>System default (%1)</source>
        <translation>Systemvorgabe (%1)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="247" />
        <source>Lan&amp;guage:</source>
        <translation>Spr&amp;ache:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="248" />
        <source>Takes effect when CertDash starts again.</source>
        <translation>Wird beim nächsten Start von CertDash wirksam.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="368" />
        <location filename="../ui/widgets/SettingsDialog.cpp" line="378" />
        <location filename="../ui/widgets/SettingsDialog.cpp" line="380" />
        <source>Keychain</source>
        <translation>Schlüsselbund</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="369" />
        <source>Enter %1. It is kept in the system keychain only, as "%2".</source>
        <translation>Geben Sie %1 ein. Der Wert wird ausschließlich im Schlüsselbund des Systems gespeichert, unter „%2“.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="378" />
        <source>Stored %1 in the keychain.</source>
        <translation>Im Schlüsselbund gespeichert: %1.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="381" />
        <source>Nothing was stored: %1</source>
        <translation>Es wurde nichts gespeichert: %1</translation>
    </message>
</context>
<context>
    <name>certdash::SnoozeMenu</name>
    <message>
        <location filename="../ui/widgets/SnoozeMenu.cpp" line="13" />
        <source>S&amp;nooze alerts</source>
        <translation>Alarme &amp;zurückstellen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SnoozeMenu.cpp" line="16" />
        <source>For 1 &amp;day</source>
        <translation>Für 1 &amp;Tag</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SnoozeMenu.cpp" line="17" />
        <source>For 1 &amp;week</source>
        <translation>Für 1 &amp;Woche</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SnoozeMenu.cpp" line="19" />
        <source>&amp;Until renewed (acknowledge)</source>
        <translation>&amp;Bis zur Erneuerung (quittieren)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SnoozeMenu.cpp" line="21" />
        <source>&amp;Resume alerts</source>
        <translation>Alarme &amp;fortsetzen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SnoozeMenu.cpp" line="83" />
        <source>Snooze alerts</source>
        <translation>Alarme zurückstellen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SnoozeMenu.cpp" line="84" />
        <source>The snooze could not be saved: %1</source>
        <translation>Die Zurückstellung konnte nicht gespeichert werden: %1</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SnoozeMenu.cpp" line="99" />
        <source>Alerts snoozed until a new certificate is served (acknowledged).</source>
        <translation>Alarme zurückgestellt, bis ein neues Zertifikat ausgeliefert wird (quittiert).</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SnoozeMenu.cpp" line="100" />
        <source>Alerts snoozed until %1.</source>
        <translation>Alarme zurückgestellt bis %1.</translation>
    </message>
</context>
<context>
    <name>certdash::StartTlsDialogue</name>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="98" />
        <source>waiting for the SMTP greeting</source>
        <translation>Warten auf die SMTP-Begrüßung</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="100" />
        <source>waiting for the EHLO reply</source>
        <translation>Warten auf die EHLO-Antwort</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="102" />
        <location filename="../app/probing/StartTls.cpp" line="177" />
        <source>waiting for the STARTTLS reply</source>
        <translation>Warten auf die STARTTLS-Antwort</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="117" />
        <source>SMTP server refused the session: %1</source>
        <translation>SMTP-Server hat die Sitzung abgelehnt: %1</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="122" />
        <source>SMTP server rejected EHLO: %1</source>
        <translation>SMTP-Server hat EHLO zurückgewiesen: %1</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="127" />
        <source>SMTP server does not offer STARTTLS</source>
        <translation>SMTP-Server bietet kein STARTTLS an</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="133" />
        <source>SMTP server refused STARTTLS: %1</source>
        <translation>SMTP-Server hat STARTTLS abgelehnt: %1</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="148" />
        <source>waiting for the AUTH TLS reply</source>
        <translation>Warten auf die AUTH-TLS-Antwort</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="148" />
        <source>waiting for the FTP greeting</source>
        <translation>Warten auf die FTP-Begrüßung</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="160" />
        <source>FTP server refused the session: %1</source>
        <translation>FTP-Server hat die Sitzung abgelehnt: %1</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="165" />
        <source>FTP server refused AUTH TLS: %1</source>
        <translation>FTP-Server hat AUTH TLS abgelehnt: %1</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="177" />
        <source>waiting for the IMAP greeting</source>
        <translation>Warten auf die IMAP-Begrüßung</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="187" />
        <source>IMAP server refused the session: %1</source>
        <translation>IMAP-Server hat die Sitzung abgelehnt: %1</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="195" />
        <source>IMAP server refused STARTTLS: %1</source>
        <translation>IMAP-Server hat STARTTLS abgelehnt: %1</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="208" />
        <source>waiting for the STLS reply</source>
        <translation>Warten auf die STLS-Antwort</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="208" />
        <source>waiting for the POP3 greeting</source>
        <translation>Warten auf die POP3-Begrüßung</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="219" />
        <source>POP3 server refused the session: %1</source>
        <translation>POP3-Server hat die Sitzung abgelehnt: %1</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="224" />
        <source>POP3 server refused STLS: %1</source>
        <translation>POP3-Server hat STLS abgelehnt: %1</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="252" />
        <source>waiting for the LDAP StartTLS response</source>
        <translation>Warten auf die LDAP-StartTLS-Antwort</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="260" />
        <source>LDAP server sent something that is not an LDAP message</source>
        <translation>LDAP-Server hat etwas gesendet, das keine LDAP-Nachricht ist</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="269" />
        <source>LDAP response has no message ID</source>
        <translation>LDAP-Antwort hat keine Nachrichten-ID</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="272" />
        <source>LDAP server did not answer the StartTLS request</source>
        <translation>LDAP-Server hat die StartTLS-Anfrage nicht beantwortet</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="276" />
        <source>LDAP response has no result code</source>
        <translation>LDAP-Antwort hat keinen Ergebniscode</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="281" />
        <source>LDAP server refused StartTLS (result code %1)</source>
        <translation>LDAP-Server hat StartTLS abgelehnt (Ergebniscode %1)</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="338" />
        <source>waiting for the XMPP &lt;proceed/&gt;</source>
        <translation>Warten auf XMPP-&lt;proceed/&gt;</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="339" />
        <source>waiting for the XMPP stream features</source>
        <translation>Warten auf die XMPP-Stream-Features</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="347" />
        <source>XMPP server closed the stream: %1</source>
        <translation>XMPP-Server hat den Stream geschlossen: %1</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="356" />
        <source>XMPP server does not offer STARTTLS</source>
        <translation>XMPP-Server bietet kein STARTTLS an</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="369" />
        <source>XMPP server refused STARTTLS</source>
        <translation>XMPP-Server hat STARTTLS abgelehnt</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="379" />
        <source>waiting for the PostgreSQL SSLRequest answer</source>
        <translation>Warten auf die Antwort auf den PostgreSQL-SSLRequest</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="392" />
        <source>PostgreSQL server does not accept TLS connections</source>
        <translation>PostgreSQL-Server akzeptiert keine TLS-Verbindungen</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="394" />
        <source>PostgreSQL server answered the SSLRequest with an error</source>
        <translation>PostgreSQL-Server hat den SSLRequest mit einem Fehler beantwortet</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="395" />
        <source>PostgreSQL server sent an unexpected answer to the SSLRequest</source>
        <translation>PostgreSQL-Server hat unerwartet auf den SSLRequest geantwortet</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="428" />
        <source>server sent data after the dialogue ended</source>
        <translation>Server hat nach Ende des Dialogs Daten gesendet</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="434" />
        <source>server sent more than %1 KiB without completing STARTTLS</source>
        <translation>Server hat mehr als %1 KiB gesendet, ohne STARTTLS abzuschließen</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="444" />
        <source>server sent unexpected data after agreeing to STARTTLS</source>
        <translation>Server hat nach der Zustimmung zu STARTTLS unerwartete Daten gesendet</translation>
    </message>
</context>
<context>
    <name>certdash::SystemResolver</name>
    <message>
        <location filename="../app/probing/HostResolver.cpp" line="177" />
        <source>cannot start a lookup: %1</source>
        <translation>Namensauflösung kann nicht gestartet werden: %1</translation>
    </message>
</context>
<context>
    <name>certdash::TargetEditDialog</name>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="42" />
        <source>Browse...</source>
        <translation>Durchsuchen...</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="59" />
        <source>Add target</source>
        <translation>Ziel hinzufügen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="60" />
        <source>optional label</source>
        <translation>optionale Bezeichnung</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="61" />
        <source>example.com, 192.0.2.7 or [2001:db8::1]</source>
        <translation>example.com, 192.0.2.7 oder [2001:db8::1]</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="62" />
        <source>default for the protocol</source>
        <translation>Standard des Protokolls</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="63" />
        <source>default: the host name</source>
        <translation>Standard: der Hostname</translation>
    </message>
    <message>
        <source>Send &amp;no server name (SNI)</source>
        <translation type="vanished">Keinen Server&amp;namen senden (SNI)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="66" />
        <source>default: resolve the host</source>
        <translation>Standard: Host auflösen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="69" />
        <source>none (implicit TLS)</source>
        <translation>keins (implizites TLS)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="72" />
        <source>comma separated</source>
        <translation>durch Kommas getrennt</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="78" />
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="79" />
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="80" />
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="102" />
        <source>inherit</source>
        <translation>geerbt</translation>
    </message>
    <message>
        <source>&amp;Probe this target</source>
        <translation type="vanished">&amp;Dieses Ziel prüfen</translation>
    </message>
    <message>
        <source>&amp;Enabled: probe this target in scans</source>
        <translation type="vanished">Aktiviert: dieses Ziel in Scans prü&amp;fen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="83" />
        <source>A disabled target stays in the inventory but is never probed.</source>
        <translation>Ein deaktiviertes Ziel bleibt im Bestand, wird aber nie geprüft.</translation>
    </message>
    <message>
        <source>Accept a self-signed or &amp;private-CA certificate (meant to be so)</source>
        <translation type="vanished">Selbstsigniertes bzw. privat&amp;es CA-Zertifikat akzeptieren (so gewollt)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="89" />
        <source>accept an untrusted chain from this issuer, e.g. CN=Example CA</source>
        <translation>nicht vertrauenswürdige Kette dieses Ausstellers akzeptieren, z. B. CN=Example CA</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="91" />
        <source>accept only this certificate: SHA-256, 64 hex digits</source>
        <translation>nur dieses Zertifikat akzeptieren: SHA-256, 64 Hex-Ziffern</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="93" />
        <source>inherit; a PEM certificate or a PKCS#12 file</source>
        <translation>geerbt; ein PEM-Zertifikat oder eine PKCS#12-Datei</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="95" />
        <source>the PEM key, unless the certificate file holds it</source>
        <translation>der PEM-Schlüssel, sofern nicht in der Zertifikatsdatei enthalten</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="97" />
        <source>inherit; http://host:port, socks5://host:port or direct</source>
        <translation>geerbt; http://host:port, socks5://host:port oder direct</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="98" />
        <source>No password here: CertDash asks the system keychain for it.</source>
        <translation>Kein Passwort hier eintragen: CertDash holt es aus dem Schlüsselbund des Systems.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="107" />
        <source>&amp;Host:</source>
        <translation>&amp;Host:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="108" />
        <source>&amp;Port:</source>
        <translation>&amp;Port:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="109" />
        <source>&amp;Name:</source>
        <translation>Na&amp;me:</translation>
    </message>
    <message>
        <source>S&amp;NI:</source>
        <translation type="vanished">SN&amp;I:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="112" />
        <source>Pinned &amp;addresses:</source>
        <translation>Feste &amp;Adressen:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="113" />
        <source>&amp;STARTTLS:</source>
        <translation>&amp;STARTTLS:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="114" />
        <source>&amp;Tags:</source>
        <translation>&amp;Tags:</translation>
    </message>
    <message>
        <source>&amp;Owner:</source>
        <translation type="vanished">&amp;Verantwortlich:</translation>
    </message>
    <message>
        <source>No&amp;tes:</source>
        <translation type="vanished">N&amp;otizen:</translation>
    </message>
    <message>
        <source>&amp;Warning below (days):</source>
        <translation type="vanished">&amp;Warnung unter (Tage):</translation>
    </message>
    <message>
        <source>&amp;Critical below (days):</source>
        <translation type="vanished">&amp;Kritisch unter (Tage):</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="119" />
        <source>&amp;Rotation period (days):</source>
        <translation>&amp;Rotationsintervall (Tage):</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="121" />
        <source>Trust:</source>
        <translation>Vertrauen:</translation>
    </message>
    <message>
        <source>Pinned &amp;issuer:</source>
        <translation type="vanished">Gepinnter A&amp;ussteller:</translation>
    </message>
    <message>
        <source>Pinned S&amp;HA-256:</source>
        <translation type="vanished">&amp;Gepinnter SHA-256:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="64" />
        <source>Send no server na&amp;me (SNI)</source>
        <translation>&amp;Keinen Servernamen senden (SNI)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="81" />
        <source>Ena&amp;bled: probe this target in scans</source>
        <translation>Akt&amp;iviert: dieses Ziel in Scans prüfen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="86" />
        <source>Accept a self-signed or pri&amp;vate-CA certificate (meant to be so)</source>
        <translation>S&amp;elbstsigniertes bzw. privates CA-Zertifikat akzeptieren (so gewollt)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="103" />
        <source>check online</source>
        <translation>online prüfen</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="104" />
        <source>never ask (offline network)</source>
        <translation>nie nachfragen (Offline-Netz)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="110" />
        <source>SN&amp;I:</source>
        <translation>S&amp;NI:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="115" />
        <source>O&amp;wner:</source>
        <translation>&amp;Verantwortlich:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="116" />
        <source>Not&amp;es:</source>
        <translation>N&amp;otizen:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="117" />
        <source>Warnin&amp;g below (days):</source>
        <translation>&amp;Warnung unter (Tage):</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="118" />
        <source>Critica&amp;l below (days):</source>
        <translation>Kritisch &amp;unter (Tage):</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="122" />
        <source>Pinned iss&amp;uer:</source>
        <translation>&amp;Gepinnter Aussteller:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="123" />
        <source>Pinned SHA-&amp;256:</source>
        <translation>Gepinnter SHA-&amp;256:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="124" />
        <source>Certificates (*.pem *.crt *.p12 *.pfx);;All files (*)</source>
        <translation>Zertifikate (*.pem *.crt *.p12 *.pfx);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="125" />
        <source>Client certi&amp;ficate:</source>
        <translation>Client&amp;zertifikat:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="126" />
        <source>Client certificate</source>
        <translation>Clientzertifikat</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="127" />
        <source>Client &amp;key:</source>
        <translation>&amp;Clientschlüssel:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="128" />
        <source>Client key</source>
        <translation>Clientschlüssel</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="129" />
        <source>Keys (*.pem *.key);;All files (*)</source>
        <translation>Schlüssel (*.pem *.key);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="130" />
        <source>Pro&amp;xy:</source>
        <translation>Pro&amp;xy:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="131" />
        <source>Revo&amp;cation:</source>
        <translation>Wi&amp;derruf:</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="191" />
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="192" />
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="194" />
        <source>inherited (%1)</source>
        <translation>geerbt (%1)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="195" />
        <source>inherited (none)</source>
        <translation>geerbt (keiner)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="206" />
        <source>Edit target</source>
        <translation>Ziel bearbeiten</translation>
    </message>
</context>
<context>
    <name>certdash::TargetRepository</name>
    <message>
        <location filename="../app/storage/TargetRepository.cpp" line="210" />
        <location filename="../app/storage/TargetRepository.cpp" line="343" />
        <location filename="../app/storage/TargetRepository.cpp" line="371" />
        <location filename="../app/storage/TargetRepository.cpp" line="403" />
        <source>no target with id %1</source>
        <translation>kein Ziel mit ID %1</translation>
    </message>
    <message>
        <location filename="../app/storage/TargetRepository.cpp" line="243" />
        <source>%1 is already in the inventory as %2 (id %3)</source>
        <translation>%1 ist bereits als %2 im Bestand (ID %3)</translation>
    </message>
    <message>
        <location filename="../app/storage/TargetRepository.cpp" line="302" />
        <location filename="../app/storage/TargetRepository.cpp" line="338" />
        <location filename="../app/storage/TargetRepository.cpp" line="522" />
        <location filename="../app/storage/TargetRepository.cpp" line="587" />
        <source>cannot store %1: %2</source>
        <translation>%1 kann nicht gespeichert werden: %2</translation>
    </message>
    <message>
        <location filename="../app/storage/TargetRepository.cpp" line="606" />
        <source>threshold defaults need a tag</source>
        <translation>Schwellenwert-Standards benötigen einen Tag-Namen</translation>
    </message>
    <message>
        <location filename="../app/storage/TargetRepository.cpp" line="611" />
        <source>threshold defaults for tag %1: days cannot be negative (%2)</source>
        <translation>Schwellenwert-Standards für Tag %1: Tage dürfen nicht negativ sein (%2)</translation>
    </message>
    <message>
        <location filename="../app/storage/TargetRepository.cpp" line="645" />
        <source>tag %1 has no threshold defaults</source>
        <translation>Tag %1 hat keine Schwellenwert-Standards</translation>
    </message>
</context>
<context>
    <name>certdash::TlsClientSession</name>
    <message>
        <location filename="../app/probing/TlsClientSession.cpp" line="141" />
        <source>certificate message larger than %1 MiB, the most CertDash reads</source>
        <translation>Certificate-Nachricht größer als %1 MiB, mehr liest CertDash nicht</translation>
    </message>
    <message>
        <location filename="../app/probing/QtTlsProber.cpp" line="369" />
        <location filename="../app/probing/TlsClientSession.cpp" line="144" />
        <source>the server ended the handshake</source>
        <translation>der Server hat den Handshake beendet</translation>
    </message>
</context>
<context>
    <name>certdash::TlsProber</name>
    <message>
        <location filename="../app/probing/Prober.cpp" line="51" />
        <source>connection refused</source>
        <translation>Verbindung abgelehnt</translation>
    </message>
    <message>
        <location filename="../app/probing/Prober.cpp" line="54" />
        <source>host not found</source>
        <translation>Host nicht gefunden</translation>
    </message>
    <message>
        <location filename="../app/probing/Prober.cpp" line="57" />
        <source>timed out %1</source>
        <translation>Zeitüberschreitung %1</translation>
    </message>
    <message>
        <location filename="../app/probing/Prober.cpp" line="61" />
        <location filename="../app/probing/QtTlsProber.cpp" line="183" />
        <location filename="../app/probing/TlsProber.cpp" line="108" />
        <source>server closed the connection %1</source>
        <translation>der Server hat die Verbindung %1 geschlossen</translation>
    </message>
    <message>
        <location filename="../app/probing/Prober.cpp" line="68" />
        <source>cannot connect: %1</source>
        <translation>Verbindung nicht möglich: %1</translation>
    </message>
    <message>
        <location filename="../app/probing/TlsProber.cpp" line="156" />
        <source>the server sent more than %1 MiB %2 without completing it</source>
        <translation>der Server hat %2 mehr als %1 MiB gesendet, ohne zum Abschluss zu kommen</translation>
    </message>
    <message>
        <location filename="../app/probing/QtTlsProber.cpp" line="231" />
        <location filename="../app/probing/TlsProber.cpp" line="219" />
        <source>STARTTLS failed: %1</source>
        <translation>STARTTLS fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location filename="../app/probing/QtTlsProber.cpp" line="255" />
        <source>undecodable certificate at position %1: %2</source>
        <translation>nicht dekodierbares Zertifikat an Position %1: %2</translation>
    </message>
    <message>
        <location filename="../app/probing/QtTlsProber.cpp" line="275" />
        <location filename="../app/probing/TlsProber.cpp" line="251" />
        <source>server presented no certificate</source>
        <translation>der Server hat kein Zertifikat vorgelegt</translation>
    </message>
    <message>
        <location filename="../app/probing/TlsProber.cpp" line="310" />
        <source>client certificate rejected: the server refused %1 (%2) and ended the handshake (alert: %3)</source>
        <translation>Client-Zertifikat abgelehnt: Der Server hat %1 (%2) abgelehnt und den Handshake beendet (Alert: %3)</translation>
    </message>
    <message>
        <location filename="../app/probing/TlsProber.cpp" line="321" />
        <source>client certificate required: the server asks for a client certificate and none was sent (%1 does not suit it)</source>
        <translation>Client-Zertifikat erforderlich: Der Server verlangt ein Client-Zertifikat, es wurde aber keines gesendet (%1 passt nicht dazu)</translation>
    </message>
    <message>
        <location filename="../app/probing/TlsProber.cpp" line="324" />
        <source>client certificate required: the server asks for a client certificate and none was sent</source>
        <translation>Client-Zertifikat erforderlich: Der Server verlangt ein Client-Zertifikat, es wurde aber keines gesendet</translation>
    </message>
    <message>
        <location filename="../app/probing/TlsProber.cpp" line="327" />
        <source>; it ended the handshake (alert: %1)</source>
        <translation>; er hat den Handshake beendet (Alert: %1)</translation>
    </message>
    <message>
        <location filename="../app/probing/Prober.cpp" line="71" />
        <location filename="../app/probing/QtTlsProber.cpp" line="373" />
        <location filename="../app/probing/TlsProber.cpp" line="199" />
        <source>TLS handshake failed: %1</source>
        <translation>TLS-Handshake fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location filename="../app/probing/QtTlsProber.cpp" line="394" />
        <location filename="../app/probing/TlsProber.cpp" line="351" />
        <source>no answer within %1 s %2</source>
        <translation>keine Antwort innerhalb von %1 s %2</translation>
    </message>
    <message>
        <location filename="../app/probing/QtTlsProber.cpp" line="402" />
        <location filename="../app/probing/TlsProber.cpp" line="361" />
        <source>while connecting</source>
        <translation>während des Verbindungsaufbaus</translation>
    </message>
    <message>
        <location filename="../app/probing/QtTlsProber.cpp" line="405" />
        <location filename="../app/probing/TlsProber.cpp" line="363" />
        <source>during STARTTLS (%1)</source>
        <translation>während STARTTLS (%1)</translation>
    </message>
    <message>
        <location filename="../app/probing/QtTlsProber.cpp" line="407" />
        <location filename="../app/probing/TlsProber.cpp" line="364" />
        <source>during STARTTLS</source>
        <translation>während STARTTLS</translation>
    </message>
    <message>
        <location filename="../app/probing/QtTlsProber.cpp" line="409" />
        <location filename="../app/probing/TlsProber.cpp" line="366" />
        <source>during the TLS handshake</source>
        <translation>während des TLS-Handshakes</translation>
    </message>
</context>
<context>
    <name>certdash::TrayIntegration</name>
    <message>
        <location filename="../ui/tray/TrayIntegration.cpp" line="67" />
        <source>Alert state not loaded; crossings may be announced again: %1</source>
        <translation>Alarmstatus nicht geladen; Schwellenüberschreitungen werden eventuell erneut gemeldet: %1</translation>
    </message>
    <message>
        <location filename="../ui/tray/TrayIntegration.cpp" line="241" />
        <source>CertDash keeps running</source>
        <translation>CertDash läuft weiter</translation>
    </message>
    <message>
        <location filename="../ui/tray/TrayIntegration.cpp" line="242" />
        <source>CertDash keeps watching your certificates from the system tray and tells you when one crosses a threshold.

Open the dashboard again from the tray icon; quit from its menu or with File &gt; Quit.</source>
        <translation>CertDash überwacht Ihre Zertifikate weiterhin aus dem Infobereich und benachrichtigt Sie, wenn eines einen Schwellenwert überschreitet.

Öffnen Sie das Dashboard wieder über das Symbol im Infobereich; beenden Sie CertDash über dessen Menü oder mit Datei &gt; Beenden.</translation>
    </message>
</context>
<context>
    <name>certdash::TrayNotifier</name>
    <message>
        <location filename="../ui/tray/TrayNotifier.cpp" line="65" />
        <source>&amp;Open dashboard</source>
        <translation>&amp;Dashboard öffnen</translation>
    </message>
    <message>
        <location filename="../ui/tray/TrayNotifier.cpp" line="66" />
        <source>&amp;Probe all now</source>
        <translation>Jetzt alle &amp;prüfen</translation>
    </message>
    <message>
        <location filename="../ui/tray/TrayNotifier.cpp" line="67" />
        <source>P&amp;ause notifications</source>
        <translation>Benachrichtigungen p&amp;ausieren</translation>
    </message>
    <message>
        <location filename="../ui/tray/TrayNotifier.cpp" line="68" />
        <source>For 1 &amp;hour</source>
        <translation>Für 1 &amp;Stunde</translation>
    </message>
    <message>
        <location filename="../ui/tray/TrayNotifier.cpp" line="70" />
        <source>Until &amp;tomorrow</source>
        <translation>Bis &amp;morgen</translation>
    </message>
    <message>
        <location filename="../ui/tray/TrayNotifier.cpp" line="72" />
        <source>&amp;Resume notifications</source>
        <translation>Benachrichtigungen &amp;fortsetzen</translation>
    </message>
    <message>
        <location filename="../ui/tray/TrayNotifier.cpp" line="74" />
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location filename="../ui/tray/TrayNotifier.cpp" line="116" />
        <source>CertDash</source>
        <translation>CertDash</translation>
    </message>
    <message>
        <location filename="../ui/tray/TrayNotifier.cpp" line="122" />
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location filename="../ui/tray/TrayNotifier.cpp" line="125" />
        <source>Needs attention: %1</source>
        <translation>Handlungsbedarf: %1</translation>
    </message>
    <message>
        <location filename="../ui/tray/TrayNotifier.cpp" line="128" />
        <source>Not trusted: %1</source>
        <translation>Nicht vertrauenswürdig: %1</translation>
    </message>
    <message>
        <location filename="../ui/tray/TrayNotifier.cpp" line="130" />
        <source>Not probed yet: %1</source>
        <translation>Noch nicht geprüft: %1</translation>
    </message>
    <message>
        <location filename="../ui/tray/TrayNotifier.cpp" line="132" />
        <source>No targets</source>
        <translation>Keine Ziele</translation>
    </message>
    <message>
        <location filename="../ui/tray/TrayNotifier.cpp" line="134" />
        <source>Notifications paused until %1</source>
        <translation>Benachrichtigungen pausiert bis %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/tray/TrayNotifier.cpp" line="210" />
        <source>%n certificate alerts</source>
        <translation>
            <numerusform>%n Zertifikatsalarm</numerusform>
            <numerusform>%n Zertifikatsalarme</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/tray/TrayNotifier.cpp" line="213" />
        <location filename="../ui/tray/TrayNotifier.cpp" line="214" />
        <source>Outage: %n down</source>
        <translation>
            <numerusform>%n Ausfall</numerusform>
            <numerusform>%n Ausfälle</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/tray/TrayNotifier.cpp" line="214" />
        <source>%1; %2</source>
        <translation>%1; %2</translation>
    </message>
</context>
<context>
    <name>certdash::Trust</name>
    <message>
        <location filename="../app/domain/Trust.cpp" line="106" />
        <source>hostname mismatch</source>
        <translation>Namenskonflikt</translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="108" />
        <source>untrusted root</source>
        <translation>nicht vertrauenswürdiges Stammzertifikat</translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="110" />
        <source>incomplete chain</source>
        <translation>unvollständige Kette</translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="112" />
        <source>self-signed</source>
        <translation>selbstsigniert</translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="114" />
        <source>expired certificate in the chain</source>
        <translation>abgelaufenes Zertifikat in der Kette</translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="116" />
        <source>certificate in the chain not valid yet</source>
        <translation>noch nicht gültiges Zertifikat in der Kette</translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="118" />
        <source>unreadable certificate</source>
        <translation>nicht lesbares Zertifikat</translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="120" />
        <source>pinned certificate changed</source>
        <translation>gepinntes Zertifikat geändert</translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="122" />
        <source>unreadable validity date</source>
        <translation>nicht lesbares Gültigkeitsdatum</translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="124" />
        <source>host named only in the Common Name</source>
        <translation>Host nur im Common Name genannt</translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="126" />
        <source>chain out of order</source>
        <translation>Kette in falscher Reihenfolge</translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="128" />
        <source>weak key</source>
        <translation>schwacher Schlüssel</translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="130" />
        <source>weak signature</source>
        <translation>schwache Signatur</translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="132" />
        <source>extra certificate</source>
        <translation>zusätzliches Zertifikat</translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="134" />
        <source>client certificate required</source>
        <translation>Client-Zertifikat erforderlich</translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="136" />
        <source>client certificate rejected</source>
        <translation>Client-Zertifikat abgelehnt</translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="138" />
        <source>revoked</source>
        <translation>widerrufen</translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="140" />
        <source>unknown to the OCSP responder</source>
        <translation>dem OCSP-Responder unbekannt</translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="142" />
        <source>revocation not checked</source>
        <translation>Widerruf nicht geprüft</translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="146" />
        <source>verification failed</source>
        <translation>Verifizierung fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="168" />
        <source>Trusted</source>
        <translation>Vertrauenswürdig</translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="170" />
        <source>Accepted</source>
        <translation>Akzeptiert</translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="172" />
        <source>Weak</source>
        <translation>Schwach</translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="174" />
        <source>Not trusted</source>
        <translation>Nicht vertrauenswürdig</translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="300" />
        <source>the target</source>
        <translation>das Ziel</translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="301" />
        <source>tag %1</source>
        <translation>Tag %1</translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="305" />
        <source>pin mismatch: the certificate's SHA-256 is %1, %2 pins %3</source>
        <translation>Pin-Abweichung: Der SHA-256-Fingerabdruck des Zertifikats ist %1, %2 pinnt aber %3</translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="310" />
        <source>pin mismatch: the certificate is issued by %1, %2 pins %3</source>
        <translation>Pin-Abweichung: Das Zertifikat wurde von %1 ausgestellt, %2 pinnt aber %3</translation>
    </message>
</context>
<context>
    <name>certdash::TrustStore</name>
    <message>
        <location filename="../app/probing/TrustStore.cpp" line="40" />
        <source>damaged PEM certificate (%1)</source>
        <translation>beschädigtes PEM-Zertifikat (%1)</translation>
    </message>
    <message>
        <location filename="../app/probing/TrustStore.cpp" line="50" />
        <source>no certificate found</source>
        <translation>kein Zertifikat gefunden</translation>
    </message>
    <message>
        <location filename="../app/probing/TrustStore.cpp" line="134" />
        <source>no system CA certificates found in %1 or %2</source>
        <translation>keine CA-Zertifikate des Systems in %1 oder %2 gefunden</translation>
    </message>
    <message>
        <location filename="../app/probing/TrustStore.cpp" line="157" />
        <source>cannot create a certificate store (%1)</source>
        <translation>Zertifikatsspeicher kann nicht angelegt werden (%1)</translation>
    </message>
    <message>
        <location filename="../app/probing/TrustStore.cpp" line="165" />
        <source>%1: cannot read CA file: %2</source>
        <translation>%1: CA-Datei kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location filename="../app/probing/TrustStore.cpp" line="169" />
        <source>%1: not a usable CA file: %2</source>
        <translation>%1: keine verwendbare CA-Datei: %2</translation>
    </message>
    <message>
        <location filename="../app/probing/TrustStore.cpp" line="172" />
        <source>%1: cannot add certificate (%2)</source>
        <translation>%1: Zertifikat kann nicht hinzugefügt werden (%2)</translation>
    </message>
    <message>
        <location filename="../app/probing/TrustStore.cpp" line="201" />
        <source>anchor %1: %2</source>
        <translation>Vertrauensanker %1: %2</translation>
    </message>
</context>
<context>
    <name>certdash::X509</name>
    <message>
        <location filename="../app/probing/X509.cpp" line="43" />
        <source>empty certificate data</source>
        <translation>leere Zertifikatsdaten</translation>
    </message>
    <message>
        <location filename="../app/probing/X509.cpp" line="49" />
        <source>not a DER-encoded X.509 certificate (%1)</source>
        <translation>kein DER-kodiertes X.509-Zertifikat (%1)</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/probing/X509.cpp" line="54" />
        <source>%n unexpected byte(s) after the DER certificate</source>
        <translation>
            <numerusform>%n unerwartetes Byte nach dem DER-Zertifikat</numerusform>
            <numerusform>%n unerwartete Bytes nach dem DER-Zertifikat</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>certdash::cli</name>
    <message>
        <source>Usage: certdash [COMMAND] [OPTIONS]

Without a command, CertDash opens the dashboard window.

Commands (each has --help):
  scan      probe targets (a file, or the stored inventory) and report them
  report    the latest stored result of every target address
  import    add targets to the stored inventory
  export    write the stored inventory (CSV or JSON)
  targets   list the stored inventory
  secret    store, check or delete a secret in the OS keychain
  csr       a new key and CSR to renew a target's stored certificate

Options:
  --database FILE  the CertDash database (GUI and every command; default:
                   %1)
  -h, --help       show this help
  -v, --version    show the version
</source>
        <translation type="vanished">Aufruf: certdash [BEFEHL] [OPTIONEN]

Ohne Befehl öffnet CertDash das Dashboard-Fenster.

Befehle (jeder mit --help):
  scan      Ziele prüfen (Datei oder gespeicherter Bestand) und berichten
  report    das letzte gespeicherte Ergebnis jeder Zieladresse
  import    Ziele zum gespeicherten Bestand hinzufügen
  export    den gespeicherten Bestand ausgeben (CSV oder JSON)
  targets   den gespeicherten Bestand auflisten
  secret    Secret im Schlüsselbund des Systems speichern, prüfen, löschen
  csr       Schlüssel und CSR zum Erneuern des gespeicherten Zertifikats

Optionen:
  --database DATEI  die CertDash-Datenbank (GUI und alle Befehle;
                    Standard: %1)
  -h, --help        diese Hilfe anzeigen
  -v, --version     die Version anzeigen
</translation>
    </message>
    <message>
        <source>Usage: certdash [COMMAND] [OPTIONS]

Without a command, CertDash opens the dashboard window.

Commands (each has --help):
  scan      probe targets (a file, or the stored inventory) and report them
  report    the latest stored result of every target address
  import    add targets to the stored inventory
  export    write the stored inventory (CSV or JSON)
  targets   list the stored inventory
  secret    store, check or delete a secret in the OS keychain
  csr       a new key and CSR to renew a target's stored certificate
  fleet     Prometheus + blackbox_exporter configuration from the inventory

Options:
  --database FILE  the CertDash database (GUI and every command; default:
                   %1)
  -h, --help       show this help
  -v, --version    show the version
</source>
        <translation type="vanished">Aufruf: certdash [BEFEHL] [OPTIONEN]

Ohne Befehl öffnet CertDash das Dashboard-Fenster.

Befehle (jeder mit --help):
  scan      Ziele prüfen (Datei oder gespeicherter Bestand) und berichten
  report    das letzte gespeicherte Ergebnis jeder Zieladresse
  import    Ziele zum gespeicherten Bestand hinzufügen
  export    den gespeicherten Bestand ausgeben (CSV oder JSON)
  targets   den gespeicherten Bestand auflisten
  secret    Secret im Schlüsselbund des Systems speichern, prüfen, löschen
  csr       Schlüssel und CSR zum Erneuern des gespeicherten Zertifikats
  fleet     Konfiguration für Prometheus + blackbox_exporter aus dem Bestand

Optionen:
  --database DATEI  die CertDash-Datenbank (GUI und alle Befehle;
                    Standard: %1)
  -h, --help        diese Hilfe anzeigen
  -v, --version     die Version anzeigen
</translation>
    </message>
    <message>
        <location filename="../app/cli/CommandLine.cpp" line="32" />
        <source>Usage: certdash [COMMAND] [OPTIONS]

Without a command, CertDash opens the dashboard window.

Commands (each has --help):
  scan      probe targets (a file, or the stored inventory) and report them
  report    the latest stored result of every target address, or the evidence
            report (HTML or PDF)
  diff      what changed in the store between two points in time
  import    add targets to the stored inventory
  export    write the stored inventory (CSV or JSON)
  targets   list the stored inventory
  secret    store, check or delete a secret in the OS keychain
  csr       a new key and CSR to renew a target's stored certificate
  fleet     Prometheus + blackbox_exporter: configure the fleet, read its results

Options:
  --database FILE  the CertDash database (GUI and every command; default:
                   %1)
  -h, --help       show this help
  -v, --version    show the version
</source>
        <translation>Aufruf: certdash [BEFEHL] [OPTIONEN]

Ohne Befehl öffnet CertDash das Dashboard-Fenster.

Befehle (jeder mit --help):
  scan      Ziele prüfen (eine Datei oder den gespeicherten Bestand) und melden
  report    das letzte gespeicherte Ergebnis jeder Zieladresse oder den
            Prüfbericht (HTML oder PDF)
  diff      was sich in der Datenbank zwischen zwei Zeitpunkten geändert hat
  import    Ziele zum gespeicherten Bestand hinzufügen
  export    den gespeicherten Bestand ausgeben (CSV oder JSON)
  targets   den gespeicherten Bestand auflisten
  secret    ein Geheimnis im Schlüsselbund des Betriebssystems speichern,
            prüfen oder löschen
  csr       ein neuer Schlüssel und ein CSR, um das gespeicherte Zertifikat
            eines Ziels zu erneuern
  fleet     Prometheus + blackbox_exporter: die Flotte konfigurieren, ihre
            Ergebnisse lesen

Optionen:
  --database DATEI  die CertDash-Datenbank (GUI und jeder Befehl; Standard:
                    %1)
  -h, --help        diese Hilfe anzeigen
  -v, --version     die Version anzeigen
</translation>
    </message>
    <message>
        <location filename="../app/cli/CommandLine.cpp" line="143" />
        <source>certdash: unknown command '%1'</source>
        <translation>certdash: unbekannter Befehl '%1'</translation>
    </message>
    <message>
        <location filename="../app/cli/CommandStreams.cpp" line="39" />
        <source>The CertDash database to use (default: %1).</source>
        <translation>Die zu verwendende CertDash-Datenbank (Standard: %1).</translation>
    </message>
    <message>
        <location filename="../app/cli/CommandStreams.cpp" line="40" />
        <source>FILE</source>
        <translation>DATEI</translation>
    </message>
</context>
<context>
    <name>certdash::cli::Csr</name>
    <message>
        <location filename="../app/cli/CsrCommand.cpp" line="42" />
        <source>Prepare a renewal for the latest stored certificate of a target: DIR/key.pem, a new private key of the same type (RSA at least 2048 bits, EC on the same curve), encrypted with a random passphrase that goes into the OS keychain (`certdash secret check client-key:DIR/key.pem`), and DIR/csr.pem, a CSR with the same subject and DNS/IP names signed with SHA-256. Exit codes: 0 written, 2 no usable keychain (nothing written), 3 usage or input error.</source>
        <translation>Bereitet eine Erneuerung für das zuletzt gespeicherte Zertifikat eines Ziels vor: VERZEICHNIS/key.pem, ein neuer privater Schlüssel desselben Typs (RSA mit mindestens 2048 Bit, EC auf derselben Kurve), verschlüsselt mit einer zufälligen Passphrase, die in den Schlüsselbund des Betriebssystems kommt (`certdash secret check client-key:VERZEICHNIS/key.pem`), und VERZEICHNIS/csr.pem, ein CSR mit demselben Inhaber und denselben DNS-/IP-Namen, signiert mit SHA-256. Exit-Codes: 0 geschrieben, 2 kein verwendbarer Schlüsselbund (nichts geschrieben), 3 Aufruf- oder Eingabefehler.</translation>
    </message>
    <message>
        <location filename="../app/cli/CsrCommand.cpp" line="50" />
        <source>Show this help.</source>
        <translation>Diese Hilfe anzeigen.</translation>
    </message>
    <message>
        <location filename="../app/cli/CsrCommand.cpp" line="52" />
        <source>The stored target: host[:port] or its name.</source>
        <translation>Das gespeicherte Ziel: host[:port] oder sein Name.</translation>
    </message>
    <message>
        <location filename="../app/cli/CsrCommand.cpp" line="53" />
        <source>ENDPOINT</source>
        <translation>ENDPUNKT</translation>
    </message>
    <message>
        <location filename="../app/cli/CsrCommand.cpp" line="55" />
        <source>The directory for key.pem and csr.pem.</source>
        <translation>Das Verzeichnis für key.pem und csr.pem.</translation>
    </message>
    <message>
        <location filename="../app/cli/CsrCommand.cpp" line="56" />
        <source>DIR</source>
        <translation>VERZEICHNIS</translation>
    </message>
    <message>
        <location filename="../app/cli/CsrCommand.cpp" line="61" />
        <source>Try 'certdash csr --help'.
</source>
        <translation>Weitere Informationen mit 'certdash csr --help'.
</translation>
    </message>
    <message>
        <location filename="../app/cli/CsrCommand.cpp" line="69" />
        <source>certdash csr: --target ENDPOINT and --output DIR are required
</source>
        <translation>certdash csr: --target ENDPUNKT und --output VERZEICHNIS sind erforderlich
</translation>
    </message>
    <message>
        <location filename="../app/cli/CsrCommand.cpp" line="109" />
        <source>certdash csr: %1 (choose another --output)
</source>
        <translation>certdash csr: %1 (wählen Sie ein anderes --output)
</translation>
    </message>
    <message>
        <location filename="../app/cli/CsrCommand.cpp" line="83" />
        <source>certdash csr: no stored target "%1" in %2 (see 'certdash targets')
</source>
        <translation>certdash csr: kein gespeichertes Ziel "%1" in %2 (siehe 'certdash targets')
</translation>
    </message>
    <message>
        <location filename="../app/cli/CsrCommand.cpp" line="97" />
        <source>certdash csr: no certificate of %1 is stored yet: run 'certdash scan' first%2
</source>
        <translation>certdash csr: Von %1 ist noch kein Zertifikat gespeichert: Führen Sie zuerst 'certdash scan' aus%2
</translation>
    </message>
    <message>
        <location filename="../app/cli/CsrCommand.cpp" line="122" />
        <source>certdash csr: %1 (%2 key, like %3's certificate); the key's passphrase is in the keychain as "%4"; %5
</source>
        <translation>certdash csr: %1 (Schlüssel %2, wie beim Zertifikat von %3); die Passphrase des Schlüssels liegt im Schlüsselbund unter "%4"; %5
</translation>
    </message>
</context>
<context>
    <name>certdash::cli::Diff</name>
    <message>
        <location filename="../app/cli/DiffCommand.cpp" line="55" />
        <source>%1 is neither a duration (7d, 12h, 30m, 2w) nor an ISO 8601 date (2026-03-01, 2026-03-01T08:00, 2026-03-01T08:00Z)</source>
        <translation>%1 ist weder eine Dauer (7d, 12h, 30m, 2w) noch ein ISO-8601-Datum (2026-03-01, 2026-03-01T08:00, 2026-03-01T08:00Z)</translation>
    </message>
    <message>
        <location filename="../app/cli/DiffCommand.cpp" line="110" />
        <source>List what changed in the store between two points in time: certificates rotated, rotations overdue, findings new or resolved, failures and recoveries, addresses that appeared, disappeared or serve a different certificate than their siblings, targets added or removed. One row per change, at the time it was first seen, oldest first. Exit code 0 (changes or none), 3 for usage or store errors.</source>
        <translation>Auflisten, was sich in der Datenbank zwischen zwei Zeitpunkten geändert hat: rotierte Zertifikate, überfällige Rotationen, neue oder behobene Befunde, Ausfälle und Wiederherstellungen, Adressen, die aufgetaucht oder verschwunden sind oder ein anderes Zertifikat ausliefern als ihre Geschwisteradressen, hinzugefügte oder entfernte Ziele. Eine Zeile pro Änderung, zu dem Zeitpunkt, an dem sie zuerst gesehen wurde, älteste zuerst. Exit-Code 0 (Änderungen oder keine), 3 bei Aufruf- oder Datenbankfehlern.</translation>
    </message>
    <message>
        <location filename="../app/cli/DiffCommand.cpp" line="117" />
        <source>From WHEN: a duration back from now (7d, 12h, 30m, 2w) or an ISO 8601 date or date-time (local time unless it ends in Z or an offset).</source>
        <translation>Ab WHEN: eine Dauer von jetzt an rückwärts (7d, 12h, 30m, 2w) oder ein ISO-8601-Datum bzw. Datum mit Uhrzeit (Ortszeit, sofern es nicht auf Z oder einen Offset endet).</translation>
    </message>
    <message>
        <location filename="../app/cli/DiffCommand.cpp" line="120" />
        <location filename="../app/cli/DiffCommand.cpp" line="123" />
        <source>WHEN</source>
        <translation>WHEN</translation>
    </message>
    <message>
        <location filename="../app/cli/DiffCommand.cpp" line="122" />
        <source>Up to WHEN, excluded (default: now).</source>
        <translation>Bis WHEN, ausschließlich (Standard: jetzt).</translation>
    </message>
    <message>
        <location filename="../app/cli/DiffCommand.cpp" line="125" />
        <source>csv (default) or json.</source>
        <translation>csv (Standard) oder json.</translation>
    </message>
    <message>
        <location filename="../app/cli/DiffCommand.cpp" line="125" />
        <source>FORMAT</source>
        <translation>FORMAT</translation>
    </message>
    <message>
        <location filename="../app/cli/DiffCommand.cpp" line="128" />
        <source>Write to FILE (atomically) instead of standard output.</source>
        <translation>In FILE schreiben (atomar) statt auf die Standardausgabe.</translation>
    </message>
    <message>
        <location filename="../app/cli/DiffCommand.cpp" line="130" />
        <source>FILE</source>
        <translation>FILE</translation>
    </message>
    <message>
        <location filename="../app/cli/DiffCommand.cpp" line="132" />
        <source>Show this help.</source>
        <translation>Diese Hilfe anzeigen.</translation>
    </message>
    <message>
        <location filename="../app/cli/DiffCommand.cpp" line="146" />
        <source>unexpected argument %1</source>
        <translation>unerwartetes Argument %1</translation>
    </message>
    <message>
        <location filename="../app/cli/DiffCommand.cpp" line="150" />
        <source>--format: unknown format %1 (expected csv or json)</source>
        <translation>--format: unbekanntes Format %1 (erwartet: csv oder json)</translation>
    </message>
    <message>
        <location filename="../app/cli/DiffCommand.cpp" line="153" />
        <source>--since is required (a duration such as 7d, or a date)</source>
        <translation>--since ist erforderlich (eine Dauer wie 7d oder ein Datum)</translation>
    </message>
    <message>
        <location filename="../app/cli/DiffCommand.cpp" line="167" />
        <source>--since (%1) must be before --until (%2)</source>
        <translation>--since (%1) muss vor --until (%2) liegen</translation>
    </message>
</context>
<context>
    <name>certdash::cli::Fleet</name>
    <message>
        <location filename="../app/cli/FleetCommand.cpp" line="31" />
        <source>Try 'certdash fleet config --help'.
</source>
        <translation>Siehe 'certdash fleet config --help'.
</translation>
    </message>
    <message>
        <source>Usage: certdash fleet config --output DIR [OPTIONS]

Subcommands:
  config   write blackbox_exporter and Prometheus configuration from the inventory

See 'certdash fleet config --help'.
</source>
        <translation type="vanished">Aufruf: certdash fleet config --output DIR [OPTIONEN]

Unterbefehle:
  config   Konfiguration für blackbox_exporter und Prometheus aus dem Bestand schreiben

Siehe 'certdash fleet config --help'.
</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetCommand.cpp" line="36" />
        <source>Usage: certdash fleet config|read [OPTIONS]

Subcommands:
  config   write blackbox_exporter and Prometheus configuration from the inventory
  read     read the fleet's results from Prometheus, as 'certdash scan' reports

Options:
  -h, --help  Show this help.

See 'certdash fleet config --help' and 'certdash fleet read --help'.
</source>
        <translation>Aufruf: certdash fleet config|read [OPTIONEN]

Unterbefehle:
  config   Konfiguration für blackbox_exporter und Prometheus aus dem Bestand
           schreiben
  read     die Ergebnisse der Flotte aus Prometheus lesen, ausgegeben wie bei
           'certdash scan'

Optionen:
  -h, --help  Diese Hilfe anzeigen.

Siehe 'certdash fleet config --help' und 'certdash fleet read --help'.
</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetCommand.cpp" line="66" />
        <source>certdash fleet: unknown subcommand '%1'
</source>
        <translation>certdash fleet: unbekannter Unterbefehl '%1'
</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetCommand.cpp" line="73" />
        <source>Write a Prometheus + blackbox_exporter fleet configuration from the inventory: DIR/blackbox.yml (modules), DIR/targets.json (file-based discovery, one entry per target address), DIR/prometheus.yml (scrapes the exporters) and DIR/README.txt. Targets blackbox_exporter cannot probe the way CertDash does are listed on standard error and in README.txt.</source>
        <translation>Eine Flottenkonfiguration für Prometheus + blackbox_exporter aus dem Bestand schreiben: DIR/blackbox.yml (Module), DIR/targets.json (dateibasierte Service Discovery, ein Eintrag pro Zieladresse), DIR/prometheus.yml (fragt die Exporter ab) und DIR/README.txt. Ziele, die blackbox_exporter nicht so prüfen kann wie CertDash, werden auf der Standardfehlerausgabe und in README.txt aufgeführt.</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetCommand.cpp" line="80" />
        <source>Show this help.</source>
        <translation>Diese Hilfe anzeigen.</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetCommand.cpp" line="82" />
        <source>The directory to write (created if missing; the files are replaced).</source>
        <translation>Das zu schreibende Verzeichnis (wird bei Bedarf angelegt; die Dateien werden ersetzt).</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetCommand.cpp" line="84" />
        <source>DIR</source>
        <translation>DIR</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetCommand.cpp" line="87" />
        <source>Read the targets from FILE (any format 'certdash import' reads) instead of the stored inventory.</source>
        <translation>Die Ziele aus FILE lesen (jedes Format, das 'certdash import' liest) statt aus dem gespeicherten Bestand.</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetCommand.cpp" line="89" />
        <source>FILE</source>
        <translation>FILE</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetCommand.cpp" line="92" />
        <source>A blackbox_exporter to scrape (repeatable; default 127.0.0.1:9115).</source>
        <translation>Ein abzufragender blackbox_exporter (mehrfach angebbar; Standard 127.0.0.1:9115).</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetCommand.cpp" line="94" />
        <source>HOST:PORT</source>
        <translation>HOST:PORT</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetCommand.cpp" line="97" />
        <source>Prometheus scrape interval (e.g. 30s, 1m, 5m; default 1m).</source>
        <translation>Scrape-Intervall von Prometheus (z. B. 30s, 1m, 5m; Standard 1m).</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetCommand.cpp" line="98" />
        <source>DURATION</source>
        <translation>DURATION</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetCommand.cpp" line="101" />
        <source>Probe timeout of every module, in seconds (default: the probe timeout in the window's Settings, 10 unless changed).</source>
        <translation>Prüfungs-Timeout jedes Moduls in Sekunden (Standard: das Timeout je Prüfung in den Einstellungen des Fensters, 10, sofern nicht geändert).</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetCommand.cpp" line="103" />
        <source>SECONDS</source>
        <translation>SECONDS</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetCommand.cpp" line="113" />
        <source>unexpected argument '%1'</source>
        <translation>unerwartetes Argument '%1'</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetCommand.cpp" line="116" />
        <source>--output DIR is required</source>
        <translation>--output DIR ist erforderlich</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetCommand.cpp" line="119" />
        <source>--targets and --database exclude each other</source>
        <translation>--targets und --database schließen einander aus</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetCommand.cpp" line="132" />
        <source>--interval: expected a duration of at least 1s (e.g. 30s, 1m), got '%1'</source>
        <translation>--interval: Dauer von mindestens 1s erwartet (z. B. 30s, 1m), '%1' erhalten</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetCommand.cpp" line="143" />
        <source>--timeout: expected seconds between 0.1 and 600, got '%1'</source>
        <translation>--timeout: Sekunden zwischen 0.1 und 600 erwartet, '%1' erhalten</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetCommand.cpp" line="155" />
        <source>certdash fleet config: problems in %1; nothing was written.
</source>
        <translation>certdash fleet config: Probleme in %1; nichts wurde geschrieben.
</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetCommand.cpp" line="187" />
        <source>certdash fleet config: cannot create the directory %1
</source>
        <translation>certdash fleet config: Das Verzeichnis %1 kann nicht angelegt werden
</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetCommand.cpp" line="203" />
        <source>certdash fleet config: wrote %1: %2 target addresses, %3 modules, %4 listed in README.txt
</source>
        <translation>certdash fleet config: %1 geschrieben: Zieladressen: %2, Module: %3, in README.txt aufgeführt: %4
</translation>
    </message>
</context>
<context>
    <name>certdash::cli::FleetRead</name>
    <message>
        <location filename="../app/cli/FleetReadCommand.cpp" line="29" />
        <source>Try 'certdash fleet read --help'.
</source>
        <translation>Siehe 'certdash fleet read --help'.
</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetReadCommand.cpp" line="67" />
        <source>Read the fleet's latest results from Prometheus (the blackbox_exporter probes that 'certdash fleet config' set up) and print them as 'certdash scan' does: same columns, statuses, thresholds and exit codes (0 ok, 1 warning, 2 critical, expired or a failed probe). Columns blackbox_exporter does not export stay empty (see the README). Exit 3: bad usage, or Prometheus could not be read within --timeout or has no fleet series.
The bearer token, or with --user the Basic password, is read from the keychain entry fleet:URL ('certdash secret set fleet:URL'), else from the environment variable %1.</source>
        <translation>Die neuesten Ergebnisse der Flotte aus Prometheus lesen (die Prüfungen von blackbox_exporter, die 'certdash fleet config' eingerichtet hat) und so ausgeben wie 'certdash scan': gleiche Spalten, Status, Schwellenwerte und Exit-Codes (0 ok, 1 warning, 2 critical, expired oder eine fehlgeschlagene Prüfung). Spalten, die blackbox_exporter nicht exportiert, bleiben leer (siehe README). Exit-Code 3: fehlerhafter Aufruf, oder Prometheus konnte nicht innerhalb von --timeout gelesen werden oder enthält keine Serien der Flotte.
Das Bearer-Token bzw. mit --user das Basic-Passwort wird aus dem Schlüsselbund-Eintrag fleet:URL gelesen ('certdash secret set fleet:URL'), sonst aus der Umgebungsvariable %1.</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetReadCommand.cpp" line="78" />
        <source>Show this help.</source>
        <translation>Diese Hilfe anzeigen.</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetReadCommand.cpp" line="81" />
        <source>The Prometheus that scrapes the fleet (e.g. http://127.0.0.1:9090).</source>
        <translation>Der Prometheus-Server, der die Flotte abfragt (z. B. http://127.0.0.1:9090).</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetReadCommand.cpp" line="82" />
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetReadCommand.cpp" line="84" />
        <source>Report format: csv, json or prometheus (default csv).</source>
        <translation>Berichtsformat: csv, json oder prometheus (Standard csv).</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetReadCommand.cpp" line="86" />
        <source>FORMAT</source>
        <translation>FORMAT</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetReadCommand.cpp" line="88" />
        <source>Write the report to FILE (atomically) instead of standard output.</source>
        <translation>Den Bericht in FILE schreiben (atomar) statt auf die Standardausgabe.</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetReadCommand.cpp" line="90" />
        <location filename="../app/cli/FleetReadCommand.cpp" line="94" />
        <source>FILE</source>
        <translation>FILE</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetReadCommand.cpp" line="92" />
        <source>The CA (PEM) of an https Prometheus on a private CA (default: the system CAs).</source>
        <translation>Die CA (PEM) eines https-Prometheus mit privater CA (Standard: die CAs des Systems).</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetReadCommand.cpp" line="96" />
        <source>Basic authentication as USER (the password from the keychain or the environment).</source>
        <translation>Basic-Authentifizierung als USER (das Passwort aus dem Schlüsselbund oder der Umgebung).</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetReadCommand.cpp" line="98" />
        <source>USER</source>
        <translation>USER</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetReadCommand.cpp" line="101" />
        <source>Give up when Prometheus has not answered within SECONDS (default 10).</source>
        <translation>Abbrechen, wenn Prometheus nicht innerhalb von SECONDS geantwortet hat (Standard 10).</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetReadCommand.cpp" line="102" />
        <source>SECONDS</source>
        <translation>SECONDS</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetReadCommand.cpp" line="112" />
        <source>unexpected argument %1</source>
        <translation>unerwartetes Argument %1</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetReadCommand.cpp" line="115" />
        <source>--prometheus URL is required</source>
        <translation>--prometheus URL ist erforderlich</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetReadCommand.cpp" line="121" />
        <source>--format: expected %1, got %2</source>
        <translation>--format: %1 erwartet, %2 erhalten</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetReadCommand.cpp" line="127" />
        <source>--timeout: expected seconds between 0 and 3600, got %1</source>
        <translation>--timeout: Sekunden zwischen 0 und 3600 erwartet, %1 erhalten</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetReadCommand.cpp" line="182" />
        <source>certdash fleet read: %1 has no series of CertDash's fleet (probe_success with the labels target and host that 'certdash fleet config' writes)
</source>
        <translation>certdash fleet read: %1 enthält keine Serien der CertDash-Flotte (probe_success mit den Labels target und host, die 'certdash fleet config' schreibt)
</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetReadCommand.cpp" line="197" />
        <source>certdash fleet read: %1 (from %2, oldest sample %3 s old)
</source>
        <translation>certdash fleet read: %1 (von %2, ältester Messwert %3 s alt)
</translation>
    </message>
</context>
<context>
    <name>certdash::cli::Inventory</name>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="23" />
        <source>Show this help.</source>
        <translation>Diese Hilfe anzeigen.</translation>
    </message>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="35" />
        <source>Try 'certdash %1 --help'.
</source>
        <translation>Siehe 'certdash %1 --help'.
</translation>
    </message>
    <message>
        <source>Add targets to the stored inventory: a line-format, CSV, JSON or `kubectl get ingress -A -o json` file, or - for standard input. Endpoints already stored are updated with what the file gives. The import is one transaction: by default a file with any rejected entry imports nothing.</source>
        <translation type="vanished">Ziele zum gespeicherten Bestand hinzufügen: eine Datei im Zeilenformat, CSV, JSON oder aus `kubectl get ingress -A -o json`, oder - für die Standardeingabe. Bereits gespeicherte Endpunkte werden mit den Angaben der Datei aktualisiert. Der Import ist eine einzige Transaktion: Standardmäßig importiert eine Datei mit auch nur einem abgelehnten Eintrag nichts.</translation>
    </message>
    <message>
        <source>The targets file.</source>
        <translation type="vanished">Die Zieldatei.</translation>
    </message>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="67" />
        <source>Import the valid entries even when others are rejected.</source>
        <translation>Die gültigen Einträge auch dann importieren, wenn andere abgelehnt werden.</translation>
    </message>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="70" />
        <source>auto (default), %1.</source>
        <translation>auto (Standard), %1.</translation>
    </message>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="71" />
        <location filename="../app/cli/InventoryCommands.cpp" line="134" />
        <source>FORMAT</source>
        <translation>FORMAT</translation>
    </message>
    <message>
        <source>certdash import: expected exactly one FILE
</source>
        <translation type="vanished">certdash import: genau ein Argument FILE erwartet
</translation>
    </message>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="52" />
        <source>Add targets to the stored inventory: a line-format, CSV, JSON or `kubectl get ingress -A -o json` file, or - for standard input. With EndpointSlices as well (`kubectl get ingress,services,endpointslices,pods -A -o json`, or those outputs as separate files), every ready pod behind an ingress TLS host is a target of its own. Endpoints already stored are updated with what the files give. The import is one transaction: by default an input with any rejected entry imports nothing.</source>
        <translation>Ziele zum gespeicherten Bestand hinzufügen: eine Datei im Zeilenformat, CSV, JSON oder aus `kubectl get ingress -A -o json`, oder - für die Standardeingabe. Mit EndpointSlices dazu (`kubectl get ingress,services,endpointslices,pods -A -o json` oder diese Ausgaben als getrennte Dateien) wird jeder bereite Pod hinter einem TLS-Host eines Ingress zu einem eigenen Ziel. Bereits gespeicherte Endpunkte werden mit den Angaben der Dateien aktualisiert. Der Import ist eine einzige Transaktion: Standardmäßig importiert eine Eingabe mit auch nur einem abgelehnten Eintrag nichts.</translation>
    </message>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="62" />
        <source>The targets files (kubectl outputs among them are read as one cluster).</source>
        <translation>Die Zieldateien (kubectl-Ausgaben darunter werden als ein Cluster gelesen).</translation>
    </message>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="78" />
        <source>certdash import: expected at least one FILE
</source>
        <translation>certdash import: mindestens ein Argument FILE erwartet
</translation>
    </message>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="83" />
        <source>certdash import: --input-format: unknown format '%1'
</source>
        <translation>certdash import: --input-format: unbekanntes Format '%1'
</translation>
    </message>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="93" />
        <source>certdash import: --input-format chooses the format.
</source>
        <translation>certdash import: --input-format wählt das Format.
</translation>
    </message>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="95" />
        <source>certdash import: problems in %1; nothing was imported (--skip-invalid imports the valid entries).
</source>
        <translation>certdash import: Probleme in %1; nichts wurde importiert (--skip-invalid importiert die gültigen Einträge).
</translation>
    </message>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="101" />
        <source>certdash import: nothing in %1 can be imported.
</source>
        <translation>certdash import: Aus %1 kann nichts importiert werden.
</translation>
    </message>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="113" />
        <source>certdash import: nothing was imported: %1
</source>
        <translation>certdash import: Nichts wurde importiert: %1
</translation>
    </message>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="116" />
        <source>certdash import: %1: %2 added, %3 updated, %4 unchanged, %5 duplicates merged, %6 rejected
</source>
        <translation>certdash import: %1: %2 hinzugefügt, %3 aktualisiert, %4 unverändert, %5 Duplikate zusammengeführt, %6 abgelehnt
</translation>
    </message>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="131" />
        <source>Write the stored inventory; 'certdash import' reads it back.</source>
        <translation>Den gespeicherten Bestand ausgeben; 'certdash import' liest ihn wieder ein.</translation>
    </message>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="133" />
        <source>csv (default) or json.</source>
        <translation>csv (Standard) oder json.</translation>
    </message>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="136" />
        <source>Write to FILE (atomically) instead of standard output.</source>
        <translation>In FILE schreiben (atomar) statt auf die Standardausgabe.</translation>
    </message>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="138" />
        <source>FILE</source>
        <translation>FILE</translation>
    </message>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="147" />
        <source>certdash export: --format: expected csv or json, got '%1'
</source>
        <translation>certdash export: --format: csv oder json erwartet, '%1' erhalten
</translation>
    </message>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="168" />
        <source>List the stored inventory.</source>
        <translation>Den gespeicherten Bestand auflisten.</translation>
    </message>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="185" />
        <source>certdash targets: the inventory in %1 is empty; add targets with 'certdash import FILE'.
</source>
        <translation>certdash targets: Der Bestand in %1 ist leer; fügen Sie Ziele mit 'certdash import FILE' hinzu.
</translation>
    </message>
</context>
<context>
    <name>certdash::cli::Report</name>
    <message>
        <location filename="../app/cli/ReportCommand.cpp" line="66" />
        <source>Report the latest stored result of every target address (as 'certdash scan' would print it), without probing. Exit codes as for scan.</source>
        <translation>Das letzte gespeicherte Ergebnis jeder Zieladresse melden (so, wie 'certdash scan' es ausgeben würde), ohne zu prüfen. Exit-Codes wie bei scan.</translation>
    </message>
    <message>
        <location filename="../app/cli/ReportCommand.cpp" line="69" />
        <source>Report the latest stored result of every target address (as 'certdash scan' would print it), without probing; or, with --format html or pdf, the evidence report. Exit codes as for scan.</source>
        <translation>Das letzte gespeicherte Ergebnis jeder Zieladresse melden (so, wie 'certdash scan' es ausgeben würde), ohne zu prüfen; oder, mit --format html oder pdf, den Prüfbericht. Exit-Codes wie bei scan.</translation>
    </message>
    <message>
        <location filename="../app/cli/ReportCommand.cpp" line="81" />
        <source>csv (default), json or prometheus.</source>
        <translation>csv (Standard), json oder prometheus.</translation>
    </message>
    <message>
        <location filename="../app/cli/ReportCommand.cpp" line="82" />
        <source>csv (default), json, prometheus, or a document: %1.</source>
        <translation>csv (Standard), json, prometheus oder ein Dokument: %1.</translation>
    </message>
    <message>
        <location filename="../app/cli/ReportCommand.cpp" line="85" />
        <source>FORMAT</source>
        <translation>FORMAT</translation>
    </message>
    <message>
        <location filename="../app/cli/ReportCommand.cpp" line="88" />
        <source>Documents only: list the changes first seen since DATE (2026-11-30, local time unless an offset is given) or DURATION before now (7d, 36h, 2w; default 7d).</source>
        <translation>Nur Dokumente: die Änderungen auflisten, die seit DATE (2026-11-30, Ortszeit, sofern kein Offset angegeben ist) oder seit DURATION vor jetzt (7d, 36h, 2w; Standard 7d) zuerst gesehen wurden.</translation>
    </message>
    <message>
        <location filename="../app/cli/ReportCommand.cpp" line="91" />
        <source>DATE|DURATION</source>
        <translation>DATE|DURATION</translation>
    </message>
    <message>
        <location filename="../app/cli/ReportCommand.cpp" line="93" />
        <source>Write to FILE (atomically) instead of standard output.</source>
        <translation>In FILE schreiben (atomar) statt auf die Standardausgabe.</translation>
    </message>
    <message>
        <location filename="../app/cli/ReportCommand.cpp" line="95" />
        <source>FILE</source>
        <translation>FILE</translation>
    </message>
    <message>
        <location filename="../app/cli/ReportCommand.cpp" line="97" />
        <source>Show this help.</source>
        <translation>Diese Hilfe anzeigen.</translation>
    </message>
    <message>
        <location filename="../app/cli/ReportCommand.cpp" line="117" />
        <source>certdash report: --format: unknown format '%1' (expected one of: %2)
</source>
        <translation>certdash report: --format: unbekanntes Format '%1' (erwartet: %2)
</translation>
    </message>
    <message>
        <location filename="../app/cli/ReportCommand.cpp" line="126" />
        <source>certdash report: --since applies to the documents (%1) only
</source>
        <translation>certdash report: --since gilt nur für die Dokumente (%1)
</translation>
    </message>
    <message>
        <location filename="../app/cli/ReportCommand.cpp" line="45" />
        <location filename="../app/cli/ReportCommand.cpp" line="146" />
        <source>certdash report: %1 has no probe results yet; run 'certdash scan' first.
</source>
        <translation>certdash report: %1 enthält noch keine Prüfergebnisse; führen Sie zuerst 'certdash scan' aus.
</translation>
    </message>
    <message>
        <location filename="../app/cli/DocumentFormat.cpp" line="85" />
        <source>--since: %1 is neither a date (2026-11-30), a date and time (2026-11-30T08:00) nor a duration (7d, 36h, 2w, 90m)</source>
        <translation>--since: %1 ist weder ein Datum (2026-11-30) noch Datum und Uhrzeit (2026-11-30T08:00) noch eine Dauer (7d, 36h, 2w, 90m)</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceFormats.cpp" line="19" />
        <source>the evidence report as a PDF (A4)</source>
        <translation>der Prüfbericht als PDF (A4)</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceFormats.cpp" line="20" />
        <source>the evidence report as one self-contained HTML file</source>
        <translation>der Prüfbericht als eine eigenständige HTML-Datei</translation>
    </message>
</context>
<context>
    <name>certdash::cli::Scan</name>
    <message>
        <location filename="../app/cli/ScanCommand.cpp" line="74" />
        <source> %1 probes/s</source>
        <translation> %1 Prüfungen/s</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanCommand.cpp" line="76" />
        <source>, about %1 s left</source>
        <translation>, noch etwa %1 s</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanCommand.cpp" line="103" />
        <source>endpoints %1: %2</source>
        <translation>Endpunkte %1: %2</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanCommand.cpp" line="220" />
        <source>certdash scan: alerts: %1
</source>
        <translation>certdash scan: Alarme: %1
</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanCommand.cpp" line="231" />
        <source>--notify: no desktop notification service is available; crossings are only logged</source>
        <translation>--notify: Kein Desktop-Benachrichtigungsdienst verfügbar; Schwellenwertüberschreitungen werden nur protokolliert</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanCommand.cpp" line="265" />
        <source>certdash scan: %1
Try 'certdash scan --help'.
</source>
        <translation>certdash scan: %1
Siehe 'certdash scan --help'.
</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanCommand.cpp" line="282" />
        <source>certdash scan: problems in the targets: %1; nothing was probed.
</source>
        <translation>certdash scan: Probleme in den Zielen: %1; nichts wurde geprüft.
</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanCommand.cpp" line="289" />
        <source>certdash scan: %1 lists no targets; nothing was probed.
</source>
        <translation>certdash scan: %1 enthält keine Ziele; nichts wurde geprüft.
</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanCommand.cpp" line="303" />
        <source>certdash scan: the inventory in %1 has no enabled targets; add some with 'certdash import FILE' or give --targets FILE.
</source>
        <translation>certdash scan: Der Bestand in %1 enthält keine aktivierten Ziele; fügen Sie welche mit 'certdash import FILE' hinzu oder geben Sie --targets FILE an.
</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanCommand.cpp" line="323" />
        <location filename="../app/cli/ScanCommand.cpp" line="331" />
        <location filename="../app/cli/ScanCommand.cpp" line="337" />
        <location filename="../app/cli/ScanCommand.cpp" line="354" />
        <source>certdash scan: %1
</source>
        <translation>certdash scan: %1
</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanCommand.cpp" line="346" />
        <source>certdash scan: client certificate: %1
</source>
        <translation>certdash scan: Clientzertifikat: %1
</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanCommand.cpp" line="384" />
        <source>certdash scan: the results were not recorded: %1
</source>
        <translation>certdash scan: Die Ergebnisse wurden nicht gespeichert: %1
</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanCommand.cpp" line="403" />
        <source>certdash scan: the run was not recorded: %1
</source>
        <translation>certdash scan: Der Lauf wurde nicht gespeichert: %1
</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanCommand.cpp" line="406" />
        <source>certdash scan: pruning old history failed: %1
</source>
        <translation>certdash scan: Bereinigen des alten Verlaufs fehlgeschlagen: %1
</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanCommand.cpp" line="415" />
        <source>certdash scan: %1 in %2 s
</source>
        <translation>certdash scan: %1 in %2 s
</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="25" />
        <source>Targets to probe: a line-format, CSV, JSON or kubectl file, or - for standard input. Without it, the stored inventory is probed and the results are recorded.</source>
        <translation>Zu prüfende Ziele: eine Datei im Zeilenformat, CSV, JSON oder von kubectl, oder - für die Standardeingabe. Ohne diese Option wird der gespeicherte Bestand geprüft und die Ergebnisse werden gespeichert.</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="28" />
        <location filename="../app/cli/ScanOptions.cpp" line="39" />
        <location filename="../app/cli/ScanOptions.cpp" line="79" />
        <location filename="../app/cli/ScanOptions.cpp" line="83" />
        <location filename="../app/cli/ScanOptions.cpp" line="101" />
        <source>FILE</source>
        <translation>FILE</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="30" />
        <source>Format of the targets file: auto (default), lines, csv, json.</source>
        <translation>Format der Zieldatei: auto (Standard), lines, csv, json.</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="32" />
        <location filename="../app/cli/ScanOptions.cpp" line="34" />
        <source>FORMAT</source>
        <translation>FORMAT</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="34" />
        <source>Report format: csv (default), json, prometheus.</source>
        <translation>Berichtsformat: csv (Standard), json, prometheus.</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="37" />
        <source>Write the report to FILE (atomically) instead of standard output.</source>
        <translation>Den Bericht in FILE schreiben (atomar) statt auf die Standardausgabe.</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="41" />
        <source>Probes in flight at once (default 32).</source>
        <translation>Gleichzeitig laufende Prüfungen (Standard 32).</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="41" />
        <source>N</source>
        <translation>N</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="44" />
        <source>Seconds one probe may take in all: connect, STARTTLS and handshake (default 10).</source>
        <translation>Sekunden, die eine Prüfung insgesamt dauern darf: Verbindungsaufbau, STARTTLS und Handshake (Standard 10).</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="46" />
        <source>SECONDS</source>
        <translation>SECONDS</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="48" />
        <source>TLS client doing the handshakes: openssl (default, fastest) or qt (QSslSocket, the cross-check).</source>
        <translation>TLS-Client für die Handshakes: openssl (Standard, am schnellsten) oder qt (QSslSocket, zur Gegenprüfung).</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="50" />
        <source>ENGINE</source>
        <translation>ENGINE</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="53" />
        <source>Also ask each certificate's OCSP responder (else its CRL) whether it was revoked; one CRL download serves every certificate of a CA. The stapled OCSP response is read either way.</source>
        <translation>Zusätzlich beim OCSP-Responder jedes Zertifikats, sonst anhand seiner Sperrliste (CRL), nachfragen, ob es widerrufen wurde; ein Download der Sperrliste gilt für alle Zertifikate einer CA. Die geheftete OCSP-Antwort wird in jedem Fall ausgewertet.</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="57" />
        <source>Warn when fewer days are left (default 30; at most a third of the certificate's lifetime).</source>
        <translation>Warnen, wenn weniger Tage verbleiben (Standard 30; höchstens ein Drittel der Laufzeit des Zertifikats).</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="59" />
        <location filename="../app/cli/ScanOptions.cpp" line="63" />
        <location filename="../app/cli/ScanOptions.cpp" line="67" />
        <location filename="../app/cli/ScanOptions.cpp" line="89" />
        <location filename="../app/cli/ScanOptions.cpp" line="93" />
        <source>DAYS</source>
        <translation>DAYS</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="61" />
        <source>Critical when fewer days are left (default 7; at most a sixth of the certificate's lifetime).</source>
        <translation>Kritisch, wenn weniger Tage verbleiben (Standard 7; höchstens ein Sechstel der Laufzeit des Zertifikats).</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="65" />
        <source>Expected rotation period: rotation_overdue when days left &lt; lifetime - DAYS. Targets' rotation= overrides it.</source>
        <translation>Erwartetes Rotationsintervall: rotation_overdue, wenn verbleibende Tage &lt; Laufzeit - DAYS. rotation= eines Ziels überschreibt diesen Wert.</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="69" />
        <source>Also trust the CA certificates in this PEM file (repeatable).</source>
        <translation>Zusätzlich den CA-Zertifikaten in dieser PEM-Datei vertrauen (mehrfach angebbar).</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="70" />
        <source>PEM</source>
        <translation>PEM</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="72" />
        <source>Trust only --ca-file anchors, not the system store.</source>
        <translation>Nur den Ankern aus --ca-file vertrauen, nicht dem Zertifikatsspeicher des Systems.</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="75" />
        <source>Present this client certificate to servers that ask for one (mutual TLS): PEM (with --client-key, or the key in the same file) or PKCS#12. An encrypted key's passphrase comes from the keychain or CERTDASH_CLIENT_KEY_PASSPHRASE, never from the command line.</source>
        <translation>Dieses Clientzertifikat Servern präsentieren, die eines verlangen (Mutual TLS): PEM (mit --client-key oder dem Schlüssel in derselben Datei) oder PKCS#12. Die Passphrase eines verschlüsselten Schlüssels kommt aus dem Schlüsselbund oder aus CERTDASH_CLIENT_KEY_PASSPHRASE, nie von der Befehlszeile.</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="81" />
        <source>The private key of --client-cert (PEM, may be encrypted).</source>
        <translation>Der private Schlüssel zu --client-cert (PEM, darf verschlüsselt sein).</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="85" />
        <source>No progress and no summary on standard error.</source>
        <translation>Kein Fortschritt und keine Zusammenfassung auf der Standardfehlerausgabe.</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="87" />
        <source>History: keep every probe this many days (default 30).</source>
        <translation>Verlauf: jede Prüfung so viele Tage aufbewahren (Standard 30).</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="91" />
        <source>History: then keep one probe a day per target address up to this age (default 730).</source>
        <translation>Verlauf: danach eine Prüfung pro Tag und Zieladresse bis zu diesem Alter aufbewahren (Standard 730).</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="95" />
        <source>Also show new threshold crossings as desktop notifications (stored inventory only).</source>
        <translation>Neue Schwellenwertüberschreitungen zusätzlich als Desktop-Benachrichtigungen anzeigen (nur gespeicherter Bestand).</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="98" />
        <source>Append threshold crossings as JSON lines to FILE (default: the event log in Settings; "" for none; stored inventory only).</source>
        <translation>Schwellenwertüberschreitungen als JSON-Zeilen an FILE anhängen (Standard: das Ereignisprotokoll aus den Einstellungen; "" für keines; nur gespeicherter Bestand).</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="103" />
        <source>Probe through this proxy: http://[USER@]HOST:PORT (HTTP CONNECT), socks5://[USER@]HOST:PORT, or socks5h:// (the proxy resolves names); none for no proxy. No password here: `certdash secret set proxy:URL` or CERTDASH_PROXY_PASSWORD. Default: https_proxy, all_proxy and no_proxy from the environment.</source>
        <translation>Über diesen Proxy prüfen: http://[USER@]HOST:PORT (HTTP CONNECT), socks5://[USER@]HOST:PORT oder socks5h:// (der Proxy löst die Namen auf); none für keinen Proxy. Kein Passwort hier angeben, sondern `certdash secret set proxy:URL` oder CERTDASH_PROXY_PASSWORD verwenden. Standard: https_proxy, all_proxy und no_proxy aus der Umgebung.</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="109" />
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="111" />
        <source>Connect directly, whatever the environment says.</source>
        <translation>Direkt verbinden, unabhängig von der Umgebung.</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="114" />
        <source>Show this help.</source>
        <translation>Diese Hilfe anzeigen.</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="119" />
        <source>Probe TLS endpoints and report their certificates.

Exit codes: 0 all ok; 1 worst is warning or rotation_overdue; 2 worst is critical, expired or not_yet_valid, or a probe failed; 3 usage or input error.</source>
        <translation>TLS-Endpunkte prüfen und ihre Zertifikate melden.

Exit-Codes: 0 alles ok; 1 schlechtester Status ist warning oder rotation_overdue; 2 schlechtester Status ist critical, expired oder not_yet_valid, oder eine Prüfung ist fehlgeschlagen; 3 Aufruf- oder Eingabefehler.</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="147" />
        <source>Usage: certdash scan [--targets FILE | --database FILE] [options]</source>
        <translation>Aufruf: certdash scan [--targets FILE | --database FILE] [Optionen]</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="173" />
        <source>--targets needs a file name (use - for standard input)</source>
        <translation>--targets benötigt einen Dateinamen (- für die Standardeingabe)</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="177" />
        <source>give either --targets FILE (no database) or --database FILE (its stored inventory), not both</source>
        <translation>geben Sie entweder --targets FILE (ohne Datenbank) oder --database FILE (deren gespeicherten Bestand) an, nicht beides</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="216" />
        <source>--engine: expected openssl or qt, got %1</source>
        <translation>--engine: openssl oder qt erwartet, %1 erhalten</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="262" />
        <source>--client-cert needs a file name</source>
        <translation>--client-cert benötigt einen Dateinamen</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="266" />
        <source>--client-key needs --client-cert (the certificate that goes with the key)</source>
        <translation>--client-key benötigt --client-cert (das Zertifikat zu diesem Schlüssel)</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="276" />
        <source>--notify and --event-log track the stored inventory; they cannot be used with --targets</source>
        <translation>--notify und --event-log beziehen sich auf den gespeicherten Bestand; sie können nicht mit --targets verwendet werden</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="292" />
        <source>give either --proxy URL or --no-proxy, not both</source>
        <translation>geben Sie entweder --proxy URL oder --no-proxy an, nicht beides</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="165" />
        <source>unexpected argument '%1'</source>
        <translation>unerwartetes Argument '%1'</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="184" />
        <source>--input-format: unknown format '%1' (expected one of: %2)</source>
        <translation>--input-format: unbekanntes Format '%1' (erwartet: %2)</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="191" />
        <source>--format: unknown format '%1' (expected one of: %2)</source>
        <translation>--format: unbekanntes Format '%1' (erwartet: %2)</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="200" />
        <source>--concurrency: expected a whole number from 1 to 10000, got '%1'</source>
        <translation>--concurrency: ganze Zahl von 1 bis 10000 erwartet, '%1' erhalten</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="207" />
        <source>--timeout: expected seconds between 0 and 3600, got '%1'</source>
        <translation>--timeout: Sekunden zwischen 0 und 3600 erwartet, '%1' erhalten</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="227" />
        <source>--%1: expected a whole number of days, got '%2'</source>
        <translation>--%1: ganze Zahl von Tagen erwartet, '%2' erhalten</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="235" />
        <source>--critical (%1 days) must not exceed --warning (%2 days)</source>
        <translation>--critical (%1 Tage) darf --warning (%2 Tage) nicht überschreiten</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="250" />
        <source>--keep-daily-days must not be shorter than --keep-all-days</source>
        <translation>--keep-daily-days darf nicht kürzer sein als --keep-all-days</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="256" />
        <source>--no-system-ca needs at least one --ca-file</source>
        <translation>--no-system-ca benötigt mindestens ein --ca-file</translation>
    </message>
</context>
<context>
    <name>certdash::cli::Secret</name>
    <message>
        <location filename="../app/cli/SecretCommands.cpp" line="63" />
        <source>The keychain is the desktop session's Secret Service (gnome-keyring, KWallet) on its D-Bus session bus. Without one, headless runs may set %1 or %2 instead.
</source>
        <translation>Der Schlüsselbund ist der Secret Service der Desktop-Sitzung (gnome-keyring, KWallet) auf deren D-Bus-Sitzungsbus. Ohne ihn können Läufe ohne Desktop-Sitzung (headless) stattdessen %1 oder %2 setzen.
</translation>
    </message>
    <message>
        <source>Usage: certdash secret set|delete|check NAME

Key passphrases, PKCS#12 passwords and proxy passwords live only in the OS keychain
(service "CertDash"). NAME is what the secret unlocks:
  client-key:PATH                 the key or PKCS#12 file (made absolute)
  proxy:SCHEME://USER@HOST:PORT   the proxy (no password in it)

  set NAME     store the secret read from standard input (one line; not echoed)
  delete NAME  remove the entry
  check NAME   say whether the entry exists (never prints the secret)

Exit codes: 0 done (check: the entry exists), 1 no such entry, 2 no usable keychain
(nothing was stored), 3 usage or input error.
</source>
        <translation type="vanished">Aufruf: certdash secret set|delete|check NAME

Schlüssel-Passphrasen, PKCS#12-Passwörter und Proxy-Passwörter liegen nur im
Schlüsselbund des Betriebssystems (Dienst "CertDash"). NAME ist das, was das
Geheimnis entsperrt:
  client-key:PATH                 die Schlüssel- oder PKCS#12-Datei (absoluter Pfad)
  proxy:SCHEME://USER@HOST:PORT   der Proxy (ohne Passwort darin)

  set NAME     das von der Standardeingabe gelesene Geheimnis speichern
               (eine Zeile; keine Anzeige der Eingabe)
  delete NAME  den Eintrag entfernen
  check NAME   angeben, ob der Eintrag existiert (gibt das Geheimnis nie aus)

Exit-Codes: 0 erledigt (check: der Eintrag existiert), 1 kein solcher Eintrag,
2 kein nutzbarer Schlüsselbund (nichts wurde gespeichert), 3 Aufruf- oder
Eingabefehler.
</translation>
    </message>
    <message>
        <location filename="../app/cli/SecretCommands.cpp" line="99" />
        <source>the proxy URL in NAME must not contain a password (give it on standard input)</source>
        <translation>die Proxy-URL in NAME darf kein Passwort enthalten (geben Sie es über die Standardeingabe ein)</translation>
    </message>
    <message>
        <source>NAME "%1" is neither client-key:PATH nor proxy:SCHEME://USER@HOST:PORT</source>
        <translation type="vanished">NAME "%1" ist weder client-key:PATH noch proxy:SCHEME://USER@HOST:PORT</translation>
    </message>
    <message>
        <location filename="../app/cli/SecretCommands.cpp" line="71" />
        <source>Usage: certdash secret set|delete|check NAME

Key passphrases, PKCS#12 passwords and proxy passwords live only in the OS keychain
(service "CertDash"). NAME is what the secret unlocks:
  client-key:PATH                 the key or PKCS#12 file (made absolute)
  proxy:SCHEME://USER@HOST:PORT   the proxy (no password in it)
  fleet:URL                       a Prometheus 'certdash fleet read' reads: its bearer
                                  token, or with USER@ in URL its Basic password

  set NAME     store the secret read from standard input (one line; not echoed)
  delete NAME  remove the entry
  check NAME   say whether the entry exists (never prints the secret)

Exit codes: 0 done (check: the entry exists), 1 no such entry, 2 no usable keychain
(nothing was stored), 3 usage or input error.
</source>
        <translation>Aufruf: certdash secret set|delete|check NAME

Passphrasen von Schlüsseln, PKCS#12-Passwörter und Proxy-Passwörter liegen nur im
Schlüsselbund des Betriebssystems (Dienst "CertDash"). NAME gibt an, was das
Geheimnis entsperrt:
  client-key:PATH                 die Schlüssel- oder PKCS#12-Datei (absolut)
  proxy:SCHEME://USER@HOST:PORT   der Proxy (ohne Passwort darin)
  fleet:URL                       ein Prometheus-Server, den 'certdash fleet read'
                                  liest: sein Bearer-Token oder, mit USER@ in der
                                  URL, sein Basic-Passwort

  set NAME     das Geheimnis von der Standardeingabe speichern (eine Zeile;
               wird nicht angezeigt)
  delete NAME  den Eintrag entfernen
  check NAME   angeben, ob der Eintrag existiert (gibt das Geheimnis nie aus)

Exit-Codes: 0 erledigt (check: der Eintrag existiert), 1 kein solcher Eintrag,
2 kein verwendbarer Schlüsselbund (nichts wurde gespeichert), 3 Aufruf- oder
Eingabefehler.
</translation>
    </message>
    <message>
        <location filename="../app/cli/SecretCommands.cpp" line="110" />
        <source>the Prometheus URL in NAME must not contain a password (give it on standard input)</source>
        <translation>die Prometheus-URL in NAME darf kein Passwort enthalten (geben Sie es über die Standardeingabe ein)</translation>
    </message>
    <message>
        <location filename="../app/cli/SecretCommands.cpp" line="125" />
        <source>NAME "%1" is neither client-key:PATH, proxy:SCHEME://USER@HOST:PORT nor fleet:URL</source>
        <translation>NAME "%1" ist weder client-key:PATH noch proxy:SCHEME://USER@HOST:PORT noch fleet:URL</translation>
    </message>
    <message>
        <location filename="../app/cli/SecretCommands.cpp" line="133" />
        <source>standard input holds more than %1 bytes: a secret is one line</source>
        <translation>die Standardeingabe enthält mehr als %1 Bytes: Ein Geheimnis ist eine Zeile</translation>
    </message>
    <message>
        <location filename="../app/cli/SecretCommands.cpp" line="142" />
        <source>standard input holds more than one line: a secret is one line</source>
        <translation>die Standardeingabe enthält mehr als eine Zeile: Ein Geheimnis ist eine Zeile</translation>
    </message>
    <message>
        <location filename="../app/cli/SecretCommands.cpp" line="151" />
        <source>the secret read from standard input is empty: nothing was stored</source>
        <translation>das von der Standardeingabe gelesene Geheimnis ist leer: Nichts wurde gespeichert</translation>
    </message>
    <message>
        <location filename="../app/cli/SecretCommands.cpp" line="169" />
        <source>unknown action '%1'
</source>
        <translation>unbekannte Aktion '%1'
</translation>
    </message>
    <message>
        <location filename="../app/cli/SecretCommands.cpp" line="170" />
        <source>Try 'certdash secret --help'.
</source>
        <translation>Siehe 'certdash secret --help'.
</translation>
    </message>
    <message>
        <location filename="../app/cli/SecretCommands.cpp" line="174" />
        <source>%1 takes exactly one NAME (the secret itself is read from standard input)
</source>
        <translation>%1 erwartet genau einen NAME (das Geheimnis selbst wird von der Standardeingabe gelesen)
</translation>
    </message>
    <message>
        <location filename="../app/cli/SecretCommands.cpp" line="191" />
        <source>the keychain has an entry named "%1"
</source>
        <translation>der Schlüsselbund enthält einen Eintrag namens "%1"
</translation>
    </message>
    <message>
        <location filename="../app/cli/SecretCommands.cpp" line="195" />
        <source>the keychain has no entry named "%1"
</source>
        <translation>der Schlüsselbund enthält keinen Eintrag namens "%1"
</translation>
    </message>
    <message>
        <location filename="../app/cli/SecretCommands.cpp" line="219" />
        <source>deleted "%1"
</source>
        <translation>"%1" gelöscht
</translation>
    </message>
    <message>
        <location filename="../app/cli/SecretCommands.cpp" line="228" />
        <source>Secret for %1 (not shown): </source>
        <translation>Geheimnis für %1 (wird nicht angezeigt): </translation>
    </message>
    <message>
        <location filename="../app/cli/SecretCommands.cpp" line="244" />
        <source>stored "%1" in the keychain
</source>
        <translation>"%1" im Schlüsselbund gespeichert
</translation>
    </message>
</context>
<context>
    <name>certdash::fleet</name>
    <message>
        <location filename="../app/fleet/FleetConfig.cpp" line="91" />
        <source>disabled in the inventory: not written</source>
        <translation>im Bestand deaktiviert: nicht geschrieben</translation>
    </message>
    <message>
        <location filename="../app/fleet/FleetConfig.cpp" line="95" />
        <source>STARTTLS %1: blackbox_exporter's tcp prober cannot hold this dialogue (it matches whole lines; %1 is binary or unterminated): not written</source>
        <translation>STARTTLS %1: Der tcp-Prober von blackbox_exporter kann diesen Dialog nicht führen (er vergleicht ganze Zeilen; %1 ist binär oder ohne Zeilenende): nicht geschrieben</translation>
    </message>
    <message>
        <location filename="../app/fleet/FleetConfig.cpp" line="102" />
        <source>no_sni: blackbox_exporter sends the host name as SNI when it probes a name (pin addresses to probe without SNI): not written</source>
        <translation>no_sni: blackbox_exporter sendet den Hostnamen als SNI, wenn er einen Namen prüft (tragen Sie feste Adressen ein, um ohne SNI zu prüfen): nicht geschrieben</translation>
    </message>
    <message>
        <location filename="../app/fleet/FleetConfig.cpp" line="108" />
        <source>client certificate: probed without it (blackbox_exporter would need tls_config cert_file/key_file on its own host)</source>
        <translation>Clientzertifikat: ohne Zertifikat geprüft (blackbox_exporter bräuchte tls_config cert_file/key_file auf seinem eigenen Host)</translation>
    </message>
    <message>
        <location filename="../app/fleet/FleetConfig.cpp" line="113" />
        <source>proxy: probed directly by the exporter, not through the proxy</source>
        <translation>Proxy: vom Exporter direkt geprüft, nicht über den Proxy</translation>
    </message>
    <message>
        <location filename="../app/fleet/FleetConfig.cpp" line="115" />
        <source>accept_self_signed: private CA or self-signed; blackbox_exporter reads the certificate without verifying it (insecure_skip_verify), trust is CertDash's to judge</source>
        <translation>accept_self_signed: private CA oder selbstsigniert; blackbox_exporter liest das Zertifikat, ohne es zu verifizieren (insecure_skip_verify), das Vertrauen beurteilt CertDash</translation>
    </message>
    <message>
        <location filename="../app/fleet/FleetConfig.cpp" line="120" />
        <source>pin_issuer/pin_sha256: blackbox_exporter does not check pins; it reads the certificate without verifying it (insecure_skip_verify)</source>
        <translation>pin_issuer/pin_sha256: blackbox_exporter wertet keine Pins aus; er liest das Zertifikat, ohne es zu verifizieren (insecure_skip_verify)</translation>
    </message>
    <message>
        <location filename="../app/fleet/FleetConfig.cpp" line="182" />
        <source>expected HOST:PORT (e.g. 127.0.0.1:9115), got '%1'</source>
        <translation>HOST:PORT erwartet (z. B. 127.0.0.1:9115), '%1' erhalten</translation>
    </message>
    <message>
        <location filename="../app/fleet/FleetConfig.cpp" line="282" />
        <source>Written by `certdash fleet config`.

Run the exporter(s) with blackbox.yml and Prometheus with prometheus.yml (it reads
targets.json from this directory):
  prometheus-blackbox-exporter --config.file=blackbox.yml
  prometheus --config.file=prometheus.yml

%1 target addresses, %2 blackbox modules, scraped every %3.

How blackbox_exporter probes differently from CertDash:
- Every module reads the certificate without verifying it (insecure_skip_verify: true),
  so expired, private-CA and mismatched certificates are still read: CertDash judges
  trust, blackbox only reads. probe_success means a TLS handshake was completed.
- A target named by host name is probed at one of its addresses (IPv6 first);
  CertDash probes every address. Pin addresses to have each probed.
- Every exporter probes every target, from where it runs.
</source>
        <translation>Geschrieben von `certdash fleet config`.

Starten Sie den/die Exporter mit blackbox.yml und Prometheus mit prometheus.yml
(Prometheus liest targets.json aus diesem Verzeichnis):
  prometheus-blackbox-exporter --config.file=blackbox.yml
  prometheus --config.file=prometheus.yml

Zieladressen: %1, blackbox-Module: %2, Scrape-Intervall: %3.

Was blackbox_exporter anders prüft als CertDash:
- Jedes Modul liest das Zertifikat, ohne es zu verifizieren (insecure_skip_verify: true),
  daher werden auch abgelaufene Zertifikate, solche von privaten CAs und solche mit
  Namenskonflikt gelesen: CertDash beurteilt das Vertrauen, blackbox liest nur.
  probe_success bedeutet, dass ein TLS-Handshake abgeschlossen wurde.
- Ein per Hostname angegebenes Ziel wird an einer seiner Adressen geprüft (IPv6 zuerst);
  CertDash prüft jede Adresse. Tragen Sie feste Adressen ein, damit jede geprüft wird.
- Jeder Exporter prüft jedes Ziel, und zwar von dort aus, wo er läuft.
</translation>
    </message>
    <message>
        <location filename="../app/fleet/FleetConfig.cpp" line="301" />
        <source>
Every target is probed the same way.
</source>
        <translation>
Jedes Ziel wird auf dieselbe Weise geprüft.
</translation>
    </message>
    <message>
        <location filename="../app/fleet/FleetConfig.cpp" line="303" />
        <source>
Targets probed differently or not written:
</source>
        <translation>
Ziele, die anders geprüft oder nicht geschrieben werden:
</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../ui/main.cpp" line="33" />
        <source>moved the store from %1 to %2</source>
        <translation>Datenbank von %1 nach %2 verschoben</translation>
    </message>
    <message>
        <location filename="../ui/main.cpp" line="36" />
        <source>the store in %1 is open in another process: it is used there and moved at a later start</source>
        <translation>die Datenbank in %1 ist in einem anderen Prozess geöffnet: sie wird dort weiter verwendet und bei einem späteren Start verschoben</translation>
    </message>
    <message>
        <location filename="../ui/main.cpp" line="40" />
        <source>the store stays in %1: %2</source>
        <translation>die Datenbank bleibt in %1: %2</translation>
    </message>
    <message>
        <location filename="../ui/main.cpp" line="80" />
        <source>The database to use.</source>
        <translation>Die zu verwendende Datenbank.</translation>
    </message>
    <message>
        <location filename="../ui/main.cpp" line="90" />
        <source>CertDash</source>
        <translation>CertDash</translation>
    </message>
    <message>
        <location filename="../ui/main.cpp" line="91" />
        <source>Cannot open the database.

%1</source>
        <translation>Die Datenbank kann nicht geöffnet werden.

%1</translation>
    </message>
</context>
</TS>
