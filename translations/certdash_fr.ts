<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>ChangeKind</name>
    <message>
        <location filename="../app/storage/ChangeFeed.cpp" line="328" />
        <source>Certificate rotated</source>
        <translation>Rotation du certificat</translation>
    </message>
    <message>
        <location filename="../app/storage/ChangeFeed.cpp" line="330" />
        <source>Rotation overdue</source>
        <translation>Rotation en retard</translation>
    </message>
    <message>
        <location filename="../app/storage/ChangeFeed.cpp" line="332" />
        <source>New finding</source>
        <translation>Nouveau constat</translation>
    </message>
    <message>
        <location filename="../app/storage/ChangeFeed.cpp" line="334" />
        <source>Finding resolved</source>
        <translation>Constat résolu</translation>
    </message>
    <message>
        <location filename="../app/storage/ChangeFeed.cpp" line="336" />
        <source>Probe failing</source>
        <translation>Sondage en échec</translation>
    </message>
    <message>
        <location filename="../app/storage/ChangeFeed.cpp" line="338" />
        <source>Recovered</source>
        <translation>Rétabli</translation>
    </message>
    <message>
        <location filename="../app/storage/ChangeFeed.cpp" line="340" />
        <source>Address appeared</source>
        <translation>Adresse apparue</translation>
    </message>
    <message>
        <location filename="../app/storage/ChangeFeed.cpp" line="342" />
        <source>Address disappeared</source>
        <translation>Adresse disparue</translation>
    </message>
    <message>
        <location filename="../app/storage/ChangeFeed.cpp" line="344" />
        <source>Address serves a different certificate</source>
        <translation>L'adresse présente un autre certificat</translation>
    </message>
    <message>
        <location filename="../app/storage/ChangeFeed.cpp" line="346" />
        <source>Target added</source>
        <translation>Cible ajoutée</translation>
    </message>
    <message>
        <location filename="../app/storage/ChangeFeed.cpp" line="348" />
        <source>Target removed</source>
        <translation>Cible supprimée</translation>
    </message>
    <message>
        <location filename="../app/storage/ChangeFeed.cpp" line="539" />
        <source>%1 still served, %2 days left</source>
        <translation>%1 toujours présenté, %2 jours restants</translation>
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
        <translation>Rotation en retard</translation>
    </message>
    <message>
        <location filename="../app/domain/Status.cpp" line="54" />
        <source>Warning</source>
        <translation>Avertissement</translation>
    </message>
    <message>
        <location filename="../app/domain/Status.cpp" line="56" />
        <source>Critical</source>
        <translation>Critique</translation>
    </message>
    <message>
        <location filename="../app/domain/Status.cpp" line="58" />
        <source>Not yet valid</source>
        <translation>Pas encore valide</translation>
    </message>
    <message>
        <location filename="../app/domain/Status.cpp" line="60" />
        <source>Expired</source>
        <translation>Expiré</translation>
    </message>
    <message>
        <location filename="../app/domain/Status.cpp" line="62" />
        <source>Unreachable</source>
        <translation>Injoignable</translation>
    </message>
    <message>
        <location filename="../app/domain/Status.cpp" line="64" />
        <source>Timed out</source>
        <translation>Délai dépassé</translation>
    </message>
    <message>
        <location filename="../app/domain/Status.cpp" line="66" />
        <source>Handshake failed</source>
        <translation>Échec de négociation</translation>
    </message>
</context>
<context>
    <name>certdash::AlertService</name>
    <message>
        <location filename="../app/alerts/AlertService.cpp" line="70" />
        <source>The alert state was not saved; crossings may be announced again: %1</source>
        <translation>L'état des alertes n'a pas été enregistré ; des franchissements de seuil pourraient être signalés de nouveau : %1</translation>
    </message>
    <message>
        <location filename="../app/alerts/AlertService.cpp" line="74" />
        <source>A finished snooze was not cleared: %1</source>
        <translation>Un report arrivé à échéance n'a pas été levé : %1</translation>
    </message>
    <message>
        <location filename="../app/alerts/AlertService.cpp" line="80" />
        <source>The event log was not written: %1</source>
        <translation>Le journal des événements n'a pas été écrit : %1</translation>
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
        <translation>Rotation en retard</translation>
    </message>
    <message>
        <location filename="../app/alerts/AlertLevel.cpp" line="50" />
        <source>Warning</source>
        <translation>Avertissement</translation>
    </message>
    <message>
        <location filename="../app/alerts/AlertLevel.cpp" line="52" />
        <source>Critical</source>
        <translation>Critique</translation>
    </message>
    <message>
        <location filename="../app/alerts/AlertLevel.cpp" line="54" />
        <source>Expired</source>
        <translation>Expiré</translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="31" />
        <source>Expires %1.</source>
        <translation>Expire le %1.</translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="37" />
        <source>Limited by the intermediate certificate “%1”.</source>
        <translation>Limité par le certificat intermédiaire « %1 ».</translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="40" />
        <source>Limited by the root certificate “%1”.</source>
        <translation>Limité par le certificat racine « %1 ».</translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="42" />
        <source>Limited by the server's own (leaf) certificate.</source>
        <translation>Limité par le certificat du serveur lui-même (certificat feuille).</translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="51" />
        <source>address %1</source>
        <translation>adresse %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="86" />
        <source>%n not resolved (DNS)</source>
        <translation>
            <numerusform>%n non résolu (DNS)</numerusform>
            <numerusform>%n non résolus (DNS)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="88" />
        <source>%n unreachable</source>
        <translation>
            <numerusform>%n injoignable</numerusform>
            <numerusform>%n injoignables</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="90" />
        <source>%n timed out</source>
        <translation>
            <numerusform>%n délai dépassé</numerusform>
            <numerusform>%n délais dépassés</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="92" />
        <source>%n TLS handshake failed</source>
        <translation>
            <numerusform>%n échec de négociation TLS</numerusform>
            <numerusform>%n échecs de négociation TLS</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="120" />
        <source>%n not trusted</source>
        <translation>
            <numerusform>%n non approuvé</numerusform>
            <numerusform>%n non approuvés</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="124" />
        <source>%n expired</source>
        <translation>
            <numerusform>%n expiré</numerusform>
            <numerusform>%n expirés</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="127" />
        <source>%n critical</source>
        <translation>
            <numerusform>%n critique</numerusform>
            <numerusform>%n critiques</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="130" />
        <source>%n warning</source>
        <translation>
            <numerusform>%n en avertissement</numerusform>
            <numerusform>%n en avertissement</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="133" />
        <source>%n rotation overdue</source>
        <translation>
            <numerusform>%n rotation en retard</numerusform>
            <numerusform>%n rotations en retard</numerusform>
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
            <numerusform>%n faiblement sécurisé</numerusform>
            <numerusform>%n faiblement sécurisés</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="143" />
        <source>%n renewed</source>
        <translation>
            <numerusform>%n renouvelé</numerusform>
            <numerusform>%n renouvelés</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="145" />
        <source>%n trusted again</source>
        <translation>
            <numerusform>%n de nouveau approuvé</numerusform>
            <numerusform>%n de nouveau approuvés</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="155" />
        <source>accepted as self-signed or private</source>
        <translation>accepté comme auto-signé ou privé</translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="158" />
        <source>accepted: the pinned issuer matches</source>
        <translation>accepté : l'émetteur épinglé correspond</translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="161" />
        <source>accepted: the pinned fingerprint matches</source>
        <translation>accepté : l'empreinte épinglée correspond</translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="166" />
        <source>Now %1.</source>
        <translation>Désormais %1.</translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="167" />
        <source>Now %1 (tag %2).</source>
        <translation>Désormais %1 (étiquette %2).</translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="174" />
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="186" />
        <source>Not trusted: %1</source>
        <translation>Non approuvé : %1</translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="187" />
        <source>%1: certificate not trusted: %2.</source>
        <translation>%1 : certificat non approuvé : %2.</translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="192" />
        <source>Weakly secured: %1</source>
        <translation>Faiblement sécurisé : %1</translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="193" />
        <source>%1: %2.</source>
        <translation>%1 : %2.</translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="197" />
        <source>Trusted again: %1</source>
        <translation>De nouveau approuvé : %1</translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="198" />
        <source>%1: the certificate is trusted again.</source>
        <translation>%1 : le certificat est de nouveau approuvé.</translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="201" />
        <source>Still weak: %1.</source>
        <translation>Toujours faible : %1.</translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="221" />
        <source>Renewed: %1</source>
        <translation>Renouvelé : %1</translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="222" />
        <location filename="../app/alerts/Notification.cpp" line="250" />
        <source>%1: %2</source>
        <translation>%1 : %2</translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="226" />
        <source>%1 since %2.</source>
        <translation>%1 depuis le %2.</translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="231" />
        <source>A new certificate is served; now %1.</source>
        <translation>Un nouveau certificat est présenté ; niveau actuel : %1.</translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="233" />
        <source>The certificate is not valid yet.</source>
        <translation>Le certificat n'est pas encore valide.</translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="249" />
        <source>Not resolved (DNS): %1</source>
        <translation>Non résolu (DNS) : %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="267" />
        <source>%n certificate(s) renewed</source>
        <translation>
            <numerusform>%n certificat renouvelé</numerusform>
            <numerusform>%n certificats renouvelés</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="269" />
        <location filename="../app/alerts/Notification.cpp" line="276" />
        <source>%n certificate(s) crossed thresholds</source>
        <translation>
            <numerusform>%n certificat a franchi un seuil</numerusform>
            <numerusform>%n certificats ont franchi des seuils</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="273" />
        <source>Outage: %n down</source>
        <translation>
            <numerusform>Panne : %n hôte hors service</numerusform>
            <numerusform>Panne : %n hôtes hors service</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/alerts/Notification.cpp" line="276" />
        <source>%1; %2</source>
        <translation>%1 ; %2</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/alerts/Notification.cpp" line="294" />
        <source>and %n more</source>
        <translation>
            <numerusform>et %n autre</numerusform>
            <numerusform>et %n autres</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/domain/ExpiryWords.cpp" line="42" />
        <source>expired less than an hour ago</source>
        <translation>expiré depuis moins d'une heure</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/domain/ExpiryWords.cpp" line="44" />
        <source>expired %n hour(s) ago</source>
        <translation>
            <numerusform>expiré depuis %n heure</numerusform>
            <numerusform>expiré depuis %n heures</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/domain/ExpiryWords.cpp" line="46" />
        <source>expired %n day(s) ago</source>
        <translation>
            <numerusform>expiré depuis %n jour</numerusform>
            <numerusform>expiré depuis %n jours</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/domain/ExpiryWords.cpp" line="51" />
        <source>expires in less than an hour</source>
        <translation>expire dans moins d'une heure</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/domain/ExpiryWords.cpp" line="53" />
        <source>expires in %n hour(s)</source>
        <translation>
            <numerusform>expire dans %n heure</numerusform>
            <numerusform>expire dans %n heures</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/domain/ExpiryWords.cpp" line="55" />
        <source>expires in %n day(s)</source>
        <translation>
            <numerusform>expire dans %n jour</numerusform>
            <numerusform>expire dans %n jours</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/domain/ExpiryWords.cpp" line="62" />
        <source>Expired less than an hour ago, on %1.</source>
        <translation>Expiré depuis moins d'une heure, le %1.</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/domain/ExpiryWords.cpp" line="64" />
        <source>Expired %n hour(s) ago, on %1.</source>
        <translation>
            <numerusform>Expiré depuis %n heure, le %1.</numerusform>
            <numerusform>Expiré depuis %n heures, le %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/domain/ExpiryWords.cpp" line="66" />
        <source>Expired %n day(s) ago, on %1.</source>
        <translation>
            <numerusform>Expiré depuis %n jour, le %1.</numerusform>
            <numerusform>Expiré depuis %n jours, le %1.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/domain/ExpiryWords.cpp" line="71" />
        <source>Expires in less than an hour, on %1.</source>
        <translation>Expire dans moins d'une heure, le %1.</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/domain/ExpiryWords.cpp" line="73" />
        <source>Expires in %n hour(s), on %1.</source>
        <translation>
            <numerusform>Expire dans %n heure, le %1.</numerusform>
            <numerusform>Expire dans %n heures, le %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/domain/ExpiryWords.cpp" line="75" />
        <source>%n day(s) left, expires %1.</source>
        <translation>
            <numerusform>%n jour restant, expire le %1.</numerusform>
            <numerusform>%n jours restants, expire le %1.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>certdash::ChainVerifier</name>
    <message>
        <location filename="../app/domain/ExpiryPolicy.cpp" line="39" />
        <source>unreadable %1 in %2: %3</source>
        <translation>%1 illisible dans %2 : %3</translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="96" />
        <source>weak key: %1 has a %2-bit %3 key</source>
        <translation>clé faible : %1 a une clé %3 de %2 bits</translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="113" />
        <source>weak signature: %1 is signed with %2</source>
        <translation>signature faible : %1 est signé avec %2</translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="131" />
        <source>no subjectAltName: %1 matched only through the deprecated Common Name fallback</source>
        <translation>pas de subjectAltName : %1 ne correspond que via le repli obsolète sur le Common Name</translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="166" />
        <source>chain out of order: %1 is sent before %2, the certificate it issued</source>
        <translation>chaîne dans le désordre : %1 est envoyé avant %2, le certificat qu'il a émis</translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="179" />
        <location filename="../app/probing/ChainVerifier.cpp" line="308" />
        <location filename="../app/probing/ChainVerifier.cpp" line="328" />
        <source>verification failed: %1</source>
        <translation>échec de la vérification : %1</translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="184" />
        <source>expired: %1 expired %2</source>
        <translation>expiré : %1 a expiré le %2</translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="188" />
        <source>not yet valid: %1 valid from %2</source>
        <translation>pas encore valide : %1 est valide à partir du %2</translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="199" />
        <source>self-signed certificate: %1 is not a trusted anchor</source>
        <translation>certificat auto-signé : %1 n'est pas une ancre de confiance</translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="204" />
        <source>untrusted root: %1 is not a trusted anchor</source>
        <translation>racine non approuvée : %1 n'est pas une ancre de confiance</translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="213" />
        <source>incomplete chain: issuer of %1 (%2) was not sent</source>
        <translation>chaîne incomplète : l'émetteur de %1 (%2) n'a pas été envoyé</translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="216" />
        <source>untrusted root: issuer of %1 (%2) is not a trusted anchor</source>
        <translation>racine non approuvée : l'émetteur de %1 (%2) n'est pas une ancre de confiance</translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="222" />
        <source>hostname mismatch: certificate is not valid for %1</source>
        <translation>nom d'hôte non concordant : le certificat n'est pas valide pour %1</translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="240" />
        <source>%1: %2</source>
        <translation>%1 : %2</translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="293" />
        <source>no certificate presented</source>
        <translation>aucun certificat présenté</translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="322" />
        <source>hostname mismatch: %1 is not a valid host name or address</source>
        <translation>nom d'hôte non concordant : %1 n'est ni un nom d'hôte ni une adresse valide</translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="416" />
        <source> (expired %1)</source>
        <translation> (expiré le %1)</translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="418" />
        <source> (not valid before %1)</source>
        <translation> (non valide avant le %1)</translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="422" />
        <source> issued by %1</source>
        <translation> émis par %1</translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="425" />
        <source>extra certificate not on the verified path: %1%2%3</source>
        <translation>certificat superflu, hors du chemin vérifié : %1%2%3</translation>
    </message>
    <message>
        <location filename="../app/probing/ChainVerifier.cpp" line="448" />
        <location filename="../app/probing/ChainVerifier.cpp" line="480" />
        <location filename="../app/probing/ChainVerifier.cpp" line="502" />
        <source>unreadable certificate #%1 sent by the server: %2</source>
        <translation>certificat illisible (n° %1) envoyé par le serveur : %2</translation>
    </message>
</context>
<context>
    <name>certdash::ChangesModel</name>
    <message>
        <location filename="../ui/models/ChangesModel.cpp" line="51" />
        <source>%1%2%3, expires %4</source>
        <translation>%1%2%3, expire le %4</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/models/ChangesModel.cpp" line="56" />
        <source>%1 still served, %n day(s) left</source>
        <translation>
            <numerusform>%1 toujours présenté, %n jour restant</numerusform>
            <numerusform>%1 toujours présenté, %n jours restants</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/models/ChangesModel.cpp" line="64" />
        <source>%1: %2</source>
        <translation>%1 : %2</translation>
    </message>
    <message>
        <location filename="../ui/models/ChangesModel.cpp" line="69" />
        <source>siblings serve %1, this address %2</source>
        <translation>les autres adresses présentent %1, celle-ci %2</translation>
    </message>
    <message>
        <location filename="../ui/models/ChangesModel.cpp" line="90" />
        <source>Before: %1
After: %2</source>
        <translation>Avant : %1
Après : %2</translation>
    </message>
    <message>
        <location filename="../ui/models/ChangesModel.cpp" line="116" />
        <source>First seen</source>
        <translation>Première détection</translation>
    </message>
    <message>
        <location filename="../ui/models/ChangesModel.cpp" line="118" />
        <source>Change</source>
        <translation>Changement</translation>
    </message>
    <message>
        <location filename="../ui/models/ChangesModel.cpp" line="120" />
        <source>Target</source>
        <translation>Cible</translation>
    </message>
    <message>
        <location filename="../ui/models/ChangesModel.cpp" line="122" />
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <location filename="../ui/models/ChangesModel.cpp" line="124" />
        <source>Before → after</source>
        <translation>Avant → après</translation>
    </message>
</context>
<context>
    <name>certdash::ChangesView</name>
    <message>
        <location filename="../ui/widgets/ChangesView.cpp" line="24" />
        <source>Last 24 hours</source>
        <translation>Dernières 24 heures</translation>
    </message>
    <message>
        <location filename="../ui/widgets/ChangesView.cpp" line="25" />
        <source>Last 7 days</source>
        <translation>7 derniers jours</translation>
    </message>
    <message>
        <location filename="../ui/widgets/ChangesView.cpp" line="26" />
        <source>Last 30 days</source>
        <translation>30 derniers jours</translation>
    </message>
    <message>
        <location filename="../ui/widgets/ChangesView.cpp" line="27" />
        <source>Since a date</source>
        <translation>Depuis une date</translation>
    </message>
    <message>
        <location filename="../ui/widgets/ChangesView.cpp" line="35" />
        <source>S&amp;ince:</source>
        <translation>Depu&amp;is :</translation>
    </message>
    <message>
        <location filename="../ui/widgets/ChangesView.cpp" line="102" />
        <source>Reading…</source>
        <translation>Lecture…</translation>
    </message>
    <message>
        <location filename="../ui/widgets/ChangesView.cpp" line="108" />
        <source>Could not read the changes: %1</source>
        <translation>Impossible de lire les changements : %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/widgets/ChangesView.cpp" line="113" />
        <source>%n change(s) since %1</source>
        <translation>
            <numerusform>%n changement depuis le %1</numerusform>
            <numerusform>%n changements depuis le %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>certdash::ClientIdentity</name>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="79" />
        <source>%1: cannot read: %2</source>
        <translation>%1 : lecture impossible : %2</translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="84" />
        <source>%1: larger than %2 KiB; not a client certificate or key file</source>
        <translation>%1 : plus de %2 Kio ; ce n'est pas un fichier de certificat client ni de clé</translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="90" />
        <source>%1: the file is empty</source>
        <translation>%1 : le fichier est vide</translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="141" />
        <source>%1: the key is encrypted and no passphrase is available: %2</source>
        <translation>%1 : la clé est chiffrée et aucune phrase secrète n'est disponible : %2</translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="156" />
        <source>%1: unsupported key format: a PEM private key (-----BEGIN PRIVATE KEY-----) was expected</source>
        <translation>%1 : format de clé non pris en charge : une clé privée PEM (-----BEGIN PRIVATE KEY-----) était attendue</translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="164" />
        <source>%1: no private key in it, only a certificate</source>
        <translation>%1 : aucune clé privée, seulement un certificat</translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="165" />
        <source>%1: no private key in it (-----BEGIN PRIVATE KEY----- expected)</source>
        <translation>%1 : aucune clé privée (-----BEGIN PRIVATE KEY----- attendu)</translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="174" />
        <source>%1: the private key cannot be read (%2)</source>
        <translation>%1 : impossible de lire la clé privée (%2)</translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="184" />
        <source>%1: wrong passphrase: it does not decrypt the private key</source>
        <translation>%1 : phrase secrète incorrecte : elle ne déchiffre pas la clé privée</translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="199" />
        <source>%1: a DER certificate without its key; give it in PEM with --client-key, or as a PKCS#12 file</source>
        <translation>%1 : certificat DER sans sa clé ; fournissez-le en PEM avec --client-key, ou sous forme de fichier PKCS#12</translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="205" />
        <source>%1: not a certificate: unsupported format (expected PEM or PKCS#12)</source>
        <translation>%1 : pas un certificat : format non pris en charge (PEM ou PKCS#12 attendu)</translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="223" />
        <source>%1: wrong password: it does not open the PKCS#12 file</source>
        <translation>%1 : mot de passe incorrect : il n'ouvre pas le fichier PKCS#12</translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="232" />
        <source>%1: the PKCS#12 file cannot be read (%2); one made with legacy algorithms (RC2, 40-bit) can be re-exported with `openssl pkcs12`</source>
        <translation>%1 : impossible de lire le fichier PKCS#12 (%2) ; un fichier créé avec d'anciens algorithmes (RC2, 40 bits) peut être réexporté avec `openssl pkcs12`</translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="242" />
        <source>%1: the PKCS#12 file holds no certificate for its key</source>
        <translation>%1 : le fichier PKCS#12 ne contient aucun certificat pour sa clé</translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="246" />
        <source>%1: the PKCS#12 file holds no private key</source>
        <translation>%1 : le fichier PKCS#12 ne contient aucune clé privée</translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="265" />
        <source>no client certificate file given</source>
        <translation>aucun fichier de certificat client indiqué</translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="281" />
        <source>%1 is a PKCS#12 file, which holds its own key: give it as --client-cert alone, without --client-key</source>
        <translation>%1 est un fichier PKCS#12, qui contient sa propre clé : passez-le avec --client-cert seul, sans --client-key</translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="295" />
        <source>%1: not a certificate: it holds only a private key (give it with --client-key, and the certificate with --client-cert)</source>
        <translation>%1 : pas un certificat : il ne contient qu'une clé privée (passez-la avec --client-key, et le certificat avec --client-cert)</translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="299" />
        <source>%1: not a certificate: no -----BEGIN CERTIFICATE----- block in it</source>
        <translation>%1 : pas un certificat : aucun bloc -----BEGIN CERTIFICATE-----</translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="313" />
        <source>%1: holds a certificate but no private key: give the key with --client-key</source>
        <translation>%1 : contient un certificat mais aucune clé privée : passez la clé avec --client-key</translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="325" />
        <source>%1: the private key does not match the certificate (%2)</source>
        <translation>%1 : la clé privée ne correspond pas au certificat (%2)</translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="327" />
        <source>the key in %1 does not match the certificate in %2 (%3)</source>
        <translation>la clé de %1 ne correspond pas au certificat de %2 (%3)</translation>
    </message>
    <message>
        <location filename="../app/probing/ClientIdentity.cpp" line="399" />
        <source>the client certificate of %1: %2</source>
        <translation>le certificat client de %1 : %2</translation>
    </message>
</context>
<context>
    <name>certdash::Connection</name>
    <message>
        <location filename="../app/domain/Connection.cpp" line="37" />
        <source>proxy %1 is not a URL (write http://host:port, socks5://host:port, or %2 for none)</source>
        <translation>le proxy %1 n'est pas une URL (écrivez http://host:port, socks5://host:port, ou %2 pour aucun)</translation>
    </message>
    <message>
        <location filename="../app/domain/Connection.cpp" line="43" />
        <source>proxy %1: the scheme must be http, socks5 or socks5h</source>
        <translation>proxy %1 : le schéma doit être http, socks5 ou socks5h</translation>
    </message>
    <message>
        <location filename="../app/domain/Connection.cpp" line="46" />
        <source>proxy %1 carries a password: passwords are never stored with targets; keep it in the keychain (certdash secret set) instead</source>
        <translation>le proxy %1 contient un mot de passe : les mots de passe ne sont jamais enregistrés avec les cibles ; conservez-le plutôt dans le trousseau (certdash secret set)</translation>
    </message>
    <message>
        <location filename="../app/domain/Connection.cpp" line="50" />
        <source>proxy %1 has no host</source>
        <translation>le proxy %1 n'a pas d'hôte</translation>
    </message>
    <message>
        <location filename="../app/domain/Connection.cpp" line="52" />
        <source>proxy %1 has no port</source>
        <translation>le proxy %1 n'a pas de port</translation>
    </message>
    <message>
        <location filename="../app/domain/Connection.cpp" line="54" />
        <source>proxy %1: a proxy URL has no path</source>
        <translation>proxy %1 : une URL de proxy ne comporte pas de chemin</translation>
    </message>
    <message>
        <location filename="../app/domain/Connection.cpp" line="56" />
        <source>proxy %1: a proxy URL has no query or fragment</source>
        <translation>proxy %1 : une URL de proxy ne comporte ni requête ni fragment</translation>
    </message>
</context>
<context>
    <name>certdash::Csv</name>
    <message>
        <location filename="../app/inventory/CsvReader.cpp" line="51" />
        <source>record too long: %1 characters (a record holds at most %2)</source>
        <translation>enregistrement trop long : %1 caractères (%2 au maximum par enregistrement)</translation>
    </message>
    <message>
        <location filename="../app/inventory/CsvReader.cpp" line="128" />
        <source>unterminated quoted cell (the quote opened on line %1 is never closed)</source>
        <translation>cellule entre guillemets non terminée (le guillemet ouvert à la ligne %1 n'est jamais fermé)</translation>
    </message>
    <message>
        <location filename="../app/inventory/CsvReader.cpp" line="163" />
        <source>text after a closing quote on line %1: %2 (write a quote inside a quoted cell as "")</source>
        <translation>texte après un guillemet fermant à la ligne %1 : %2 (dans une cellule entre guillemets, écrivez un guillemet sous la forme "")</translation>
    </message>
</context>
<context>
    <name>certdash::Database</name>
    <message>
        <location filename="../app/storage/Database.cpp" line="65" />
        <source>%1 is locked by another CertDash process (gave up after %2 s); try again when it has finished</source>
        <translation>%1 est verrouillé par un autre processus CertDash (abandon après %2 s) ; réessayez lorsqu'il aura terminé</translation>
    </message>
    <message>
        <location filename="../app/storage/Database.cpp" line="120" />
        <source>%1 is a directory, not a CertDash database</source>
        <translation>%1 est un dossier, pas une base de données CertDash</translation>
    </message>
    <message>
        <location filename="../app/storage/Database.cpp" line="122" />
        <source>cannot create the folder for %1</source>
        <translation>impossible de créer le dossier de %1</translation>
    </message>
    <message>
        <location filename="../app/storage/Database.cpp" line="132" />
        <source>cannot open %1: %2</source>
        <translation>impossible d'ouvrir %1 : %2</translation>
    </message>
    <message>
        <location filename="../app/storage/Database.cpp" line="139" />
        <source>%1 is not a CertDash database (not an SQLite file); it was left untouched</source>
        <translation>%1 n'est pas une base de données CertDash (pas un fichier SQLite) ; il n'a pas été modifié</translation>
    </message>
    <message>
        <location filename="../app/storage/Database.cpp" line="142" />
        <source>%1 cannot be read as a database: %2</source>
        <translation>%1 ne peut pas être lu comme base de données : %2</translation>
    </message>
    <message>
        <location filename="../app/storage/Database.cpp" line="148" />
        <source>%1 cannot be read as a database</source>
        <translation>%1 ne peut pas être lu comme base de données</translation>
    </message>
    <message>
        <location filename="../app/storage/Database.cpp" line="153" />
        <source>%1 is an SQLite database of another application, not CertDash; it was left untouched</source>
        <translation>%1 est une base de données SQLite d'une autre application, pas de CertDash ; elle n'a pas été modifiée</translation>
    </message>
    <message>
        <location filename="../app/storage/Database.cpp" line="157" />
        <source>%1 was written by a newer CertDash (schema version %2; this version knows up to %3); it was left untouched</source>
        <translation>%1 a été écrit par une version plus récente de CertDash (version de schéma %2 ; cette version gère jusqu'à la %3) ; il n'a pas été modifié</translation>
    </message>
    <message>
        <location filename="../app/storage/Database.cpp" line="188" />
        <source>cannot prepare %1: %2</source>
        <translation>impossible de préparer %1 : %2</translation>
    </message>
    <message>
        <location filename="../app/storage/DataDirectory.cpp" line="57" />
        <source>cannot create %1</source>
        <translation>impossible de créer %1</translation>
    </message>
    <message>
        <location filename="../app/storage/DataDirectory.cpp" line="70" />
        <source>cannot move %1 to %2</source>
        <translation>impossible de déplacer %1 vers %2</translation>
    </message>
</context>
<context>
    <name>certdash::DesktopNotifier</name>
    <message>
        <location filename="../app/alerts/DesktopNotifier.cpp" line="80" />
        <source>Open</source>
        <translation>Ouvrir</translation>
    </message>
</context>
<context>
    <name>certdash::DetailsPane</name>
    <message numerus="yes">
        <location filename="../ui/widgets/DetailsPane.cpp" line="54" />
        <source>%1 (of a %n-day lifetime)</source>
        <translation>
            <numerusform>%1 (sur une durée de vie de %n jour)</numerusform>
            <numerusform>%1 (sur une durée de vie de %n jours)</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="98" />
        <location filename="../ui/widgets/DetailsPane.cpp" line="153" />
        <source>Certificate</source>
        <translation>Certificat</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="98" />
        <source>Expires</source>
        <translation>Expiration</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="98" />
        <location filename="../ui/widgets/DetailsPane.cpp" line="126" />
        <source>Days left</source>
        <translation>Jours restants</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="126" />
        <source>Probed</source>
        <translation>Sondé le</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="126" />
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="126" />
        <source>Status</source>
        <translation>État</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="139" />
        <source>&amp;Copy PEM</source>
        <translation>Co&amp;pier le PEM</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="140" />
        <source>Sa&amp;ve PEM...</source>
        <translation>&amp;Enregistrer le PEM...</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="141" />
        <source>Renewal &amp;request...</source>
        <translation>Demande de &amp;renouvellement...</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="143" />
        <source>A new private key like this certificate's (never weaker) and a CSR with its subject and names, signed with SHA-256. The key is written encrypted; its passphrase goes into the system keychain.</source>
        <translation>Une nouvelle clé privée comme celle de ce certificat (jamais plus faible) et une CSR avec son sujet et ses noms, signée en SHA-256. La clé est écrite chiffrée ; sa phrase secrète va dans le trousseau du système.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="154" />
        <source>Expiry timeline</source>
        <translation>Chronologie d'expiration</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="155" />
        <source>OpenSSL text</source>
        <translation>Texte OpenSSL</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="156" />
        <source>Trust</source>
        <translation>Confiance</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="157" />
        <source>History</source>
        <translation>Historique</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="188" />
        <location filename="../ui/widgets/DetailsPane.cpp" line="193" />
        <source>Save PEM</source>
        <translation>Enregistrer le PEM</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="190" />
        <source>PEM certificates (*.pem *.crt)</source>
        <translation>Certificats PEM (*.pem *.crt)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="197" />
        <source>Folder for key.pem and csr.pem</source>
        <translation>Dossier pour key.pem et csr.pem</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="202" />
        <location filename="../ui/widgets/DetailsPane.cpp" line="205" />
        <source>Renewal request</source>
        <translation>Demande de renouvellement</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="206" />
        <source>Wrote %1 (a new %2 key, encrypted) and %3. The key's passphrase is in the keychain as "%4" (certdash secret check reads it).</source>
        <translation>%1 (nouvelle clé %2, chiffrée) et %3 ont été écrits. La phrase secrète de la clé est dans le trousseau sous le nom "%4" (lisible avec certdash secret check).</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="220" />
        <source>No certificate is selected.</source>
        <translation>Aucun certificat n'est sélectionné.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="230" />
        <source>Select an endpoint to see its certificates.</source>
        <translation>Sélectionnez un point de terminaison pour voir ses certificats.</translation>
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
        <translation>(aucun)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="309" />
        <source>&lt;br&gt;%1</source>
        <translation>&lt;br&gt;%1</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="318" />
        <source>%1 serves %2 (expires %3)</source>
        <translation>%1 sert %2 (expire le %3)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="324" />
        <source>⚠ Backend divergence: the addresses of this target serve different certificates. %1</source>
        <translation>⚠ Divergence entre serveurs : les adresses de cette cible servent des certificats différents. %1</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="339" />
        <source>Leaf</source>
        <translation>Feuille</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="340" />
        <source>Root</source>
        <translation>Racine</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="340" />
        <source>Intermediate</source>
        <translation>Intermédiaire</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="342" />
        <source>%1: %2</source>
        <translation>%1 : %2</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="354" />
        <source>Limiting: the earliest expiry on the path clients use decides this endpoint's status</source>
        <translation>Certificat limitant : l'expiration la plus proche sur le chemin utilisé par les clients détermine l'état de ce point de terminaison</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="372" />
        <source>root</source>
        <translation>racine</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="373" />
        <source>intermediate</source>
        <translation>intermédiaire</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="375" />
        <source>⏳ Limiting certificate: the %1 %2 expires %3, before the leaf (%4). The endpoint breaks when it expires, whatever the leaf says; renewing the leaf alone does not help.</source>
        <translation>⏳ Certificat limitant : le certificat %1 %2 expire le %3, avant le certificat feuille (%4). Le point de terminaison cessera de fonctionner à son expiration, quoi qu'indique la feuille ; renouveler la feuille seule ne suffit pas.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="395" />
        <source>&lt;p&gt;The chain verifies to a trust anchor and names this host.&lt;/p&gt;</source>
        <translation>&lt;p&gt;La chaîne est validée jusqu'à une ancre de confiance et nomme cet hôte.&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="425" />
        <source>Subject</source>
        <translation>Sujet</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="426" />
        <source>Issuer</source>
        <translation>Émetteur</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="427" />
        <source>Valid from</source>
        <translation>Début de validité</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="428" />
        <source>Valid until</source>
        <translation>Fin de validité</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/widgets/DetailsPane.cpp" line="434" />
        <source>, ... and %n more</source>
        <translation>
            <numerusform>, ... et %n autre</numerusform>
            <numerusform>, ... et %n autres</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="435" />
        <source>Names (SAN)</source>
        <translation>Noms (SAN)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="436" />
        <source>Key</source>
        <translation>Clé</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="436" />
        <source>%1 %2 bits</source>
        <translation>%1 %2 bits</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="437" />
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="438" />
        <source>Signature</source>
        <translation>Signature</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="439" />
        <source>Serial</source>
        <translation>Numéro de série</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="440" />
        <source>SHA-256</source>
        <translation>SHA-256</translation>
    </message>
    <message>
        <location filename="../ui/widgets/DetailsPane.cpp" line="441" />
        <source>Key usage</source>
        <translation>Usage de la clé</translation>
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
        <translation>SCT intégrés</translation>
    </message>
</context>
<context>
    <name>certdash::EndpointTableModel</name>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="461" />
        <source>%1 (stale)</source>
        <translation>%1 (obsolète)</translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="470" />
        <source>Not probed yet</source>
        <translation>Pas encore sondé</translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="475" />
        <source>%1 · not trusted: %2</source>
        <translation>%1 · non approuvé : %2</translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="478" />
        <source>%1 · weak: %2</source>
        <translation>%1 · faible : %2</translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="481" />
        <source>%1 · accepted</source>
        <translation>%1 · accepté</translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="489" />
        <source>(resolve)</source>
        <translation>(résolution DNS)</translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="493" />
        <source>(none)</source>
        <translation>(aucun)</translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="504" />
        <source>earliest in the chain</source>
        <translation>échéance la plus proche de la chaîne</translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="506" />
        <source>leaf</source>
        <translation>feuille</translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="508" />
        <source>root: %1</source>
        <translation>racine : %1</translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="509" />
        <source>intermediate: %1</source>
        <translation>intermédiaire : %1</translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="518" />
        <source>trusted</source>
        <translation>approuvé</translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="525" />
        <source>%1 via %2</source>
        <translation>%1 via %2</translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="543" />
        <source>%1 (snoozed)</source>
        <translation>%1 (reporté)</translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="609" />
        <source>Status</source>
        <translation>État</translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="611" />
        <source>Target</source>
        <translation>Cible</translation>
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
        <translation>Jours restants</translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="619" />
        <source>Expires</source>
        <translation>Expiration</translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="621" />
        <source>Limiting certificate</source>
        <translation>Certificat limitant</translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="623" />
        <source>Issuer</source>
        <translation>Émetteur</translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="625" />
        <source>Key</source>
        <translation>Clé</translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="627" />
        <source>Trust</source>
        <translation>Confiance</translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="629" />
        <source>Owner</source>
        <translation>Responsable</translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="631" />
        <source>Tags</source>
        <translation>Étiquettes</translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="633" />
        <source>Last probed</source>
        <translation>Dernier sondage</translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModel.cpp" line="635" />
        <source>Source</source>
        <translation>Source</translation>
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
            <numerusform>%n jour</numerusform>
            <numerusform>%n jours</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModelFleet.cpp" line="36" />
        <source>Fleet row from %1, read %2 ago (its newest probe sample).</source>
        <translation>Ligne de flotte provenant de %1, lue il y a %2 (son échantillon de sondage le plus récent).</translation>
    </message>
    <message>
        <location filename="../ui/models/EndpointTableModelFleet.cpp" line="41" />
        <source>Stale: older than a few read intervals; the fleet has not probed it since, or the Prometheus could not be read.</source>
        <translation>Obsolète : plus ancienne que quelques intervalles de lecture ; la flotte ne l'a pas sondée depuis, ou le Prometheus n'a pas pu être lu.</translation>
    </message>
</context>
<context>
    <name>certdash::EstateCharts</name>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="65" />
        <source>Target addresses</source>
        <translation>Adresses cibles</translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="67" />
        <source>Certificate lifetime (days)</source>
        <translation>Durée de vie du certificat (jours)</translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="68" />
        <source>Days left</source>
        <translation>Jours restants</translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="84" />
        <source>Expiry &amp;calendar</source>
        <translation>Ca&amp;lendrier d'expiration</translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="85" />
        <source>&amp;Rotation health</source>
        <translation>Santé des &amp;rotations</translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="86" />
        <source>E&amp;xport chart as PNG...</source>
        <translation>E&amp;xporter le graphique en PNG...</translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="109" />
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="120" />
        <source>Target addresses by the week their certificate expires</source>
        <translation>Adresses cibles par semaine d'expiration de leur certificat</translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="160" />
        <source>Expiring after these 26 weeks: %1.</source>
        <translation>Expirant après ces 26 semaines : %1.</translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="162" />
        <source>Without a certificate (the last probe failed): %1.</source>
        <translation>Sans certificat (échec du dernier sondage) : %1.</translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="164" />
        <source>Click a bar to list those rows in the table.</source>
        <translation>Cliquez sur une barre pour afficher ces lignes dans le tableau.</translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="172" />
        <source>Rotation health: days left against certificate lifetime</source>
        <translation>Santé des rotations : jours restants selon la durée de vie du certificat</translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="184" />
        <source>Healthy band (default)</source>
        <translation>Zone saine (par défaut)</translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="184" />
        <source>Healthy band</source>
        <translation>Zone saine</translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="196" />
        <source>Warning threshold</source>
        <translation>Seuil d'avertissement</translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="197" />
        <source>Critical threshold</source>
        <translation>Seuil critique</translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="213" />
        <location filename="../ui/charts/EstateCharts.cpp" line="347" />
        <source>Under the band: rotation failed</source>
        <translation>Sous la zone : rotation manquée</translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="213" />
        <location filename="../ui/charts/EstateCharts.cpp" line="347" />
        <source>In the band</source>
        <translation>Dans la zone</translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="249" />
        <source>Under the band (renewal was due and did not happen): %1.</source>
        <translation>Sous la zone (renouvellement dû mais non effectué) : %1.</translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="250" />
        <source>No rotation period is set: the band assumes renewal at 2/3 of the lifetime.</source>
        <translation>Aucune période de rotation n'est définie : la zone suppose un renouvellement aux 2/3 de la durée de vie.</translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="252" />
        <source>The band follows the rotation period in Settings; targets with their own period are judged by it.</source>
        <translation>La zone suit la période de rotation des Paramètres ; les cibles ayant leur propre période sont jugées selon celle-ci.</translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="254" />
        <source>Hover a point to name its targets; click it to select them.</source>
        <translation>Survolez un point pour nommer ses cibles ; cliquez dessus pour les sélectionner.</translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="269" />
        <source>already expired</source>
        <translation>déjà expiré</translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="270" />
        <source>week of %1</source>
        <translation>semaine du %1</translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="271" />
        <source>d MMM yyyy</source>
        <comment>week in a description</comment>
        <translation>d MMM yyyy</translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="275" />
        <source>Expired</source>
        <translation>Expiré</translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="277" />
        <source>d MMM</source>
        <comment>week label: day and short month</comment>
        <translation>d MMM</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/charts/EstateCharts.cpp" line="327" />
        <source>%1, %2: %n target address(es)</source>
        <translation>
            <numerusform>%1, %2 : %n adresse cible</numerusform>
            <numerusform>%1, %2 : %n adresses cibles</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/charts/EstateCharts.cpp" line="340" />
        <source>and %n more</source>
        <translation>
            <numerusform>et %n autre</numerusform>
            <numerusform>et %n autres</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="344" />
        <source>%1-day certificate, expired (days left %2)</source>
        <translation>Certificat de %1 jours, expiré (jours restants : %2)</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/charts/EstateCharts.cpp" line="345" />
        <source>%1-day certificate, %n day(s) left</source>
        <translation>
            <numerusform>Certificat de %1 jours, %n jour restant</numerusform>
            <numerusform>Certificat de %1 jours, %n jours restants</numerusform>
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
        <translation>Certificats de %1 jours, expirés (jours restants : %2)</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/charts/EstateCharts.cpp" line="382" />
        <source>%1-day certificates with %n day(s) left</source>
        <translation>
            <numerusform>Certificats de %1 jours avec %n jour restant</numerusform>
            <numerusform>Certificats de %1 jours avec %n jours restants</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="399" />
        <source>Cannot write %1.</source>
        <translation>Impossible d'écrire %1.</translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="428" />
        <source>Export chart as PNG</source>
        <translation>Exporter le graphique en PNG</translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="429" />
        <source>PNG images (*.png)</source>
        <translation>Images PNG (*.png)</translation>
    </message>
    <message>
        <location filename="../ui/charts/EstateCharts.cpp" line="432" />
        <source>Export chart</source>
        <translation>Exporter le graphique</translation>
    </message>
</context>
<context>
    <name>certdash::EventLog</name>
    <message>
        <location filename="../app/alerts/EventLog.cpp" line="100" />
        <source>%1: the directory cannot be created.</source>
        <translation>%1 : impossible de créer le dossier.</translation>
    </message>
    <message>
        <location filename="../app/alerts/EventLog.cpp" line="108" />
        <location filename="../app/alerts/EventLog.cpp" line="113" />
        <source>%1: %2</source>
        <translation>%1 : %2</translation>
    </message>
</context>
<context>
    <name>certdash::EvidenceReport</name>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="30" />
        <source>unknown</source>
        <translation>inconnue</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="87" />
        <source>Summary</source>
        <translation>Résumé</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="92" />
        <location filename="../ui/report/EvidenceDocument.cpp" line="160" />
        <source>Status</source>
        <translation>État</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="93" />
        <location filename="../ui/report/EvidenceDocument.cpp" line="102" />
        <source>Target addresses</source>
        <translation>Adresses cibles</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="101" />
        <source>Trust</source>
        <translation>Confiance</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="109" />
        <source>Needs attention: %1 of %2 target addresses.</source>
        <translation>À traiter : %1 adresses cibles sur %2.</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="133" />
        <source>Expiry calendar</source>
        <translation>Calendrier d'expiration</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="136" />
        <source>Rotation health</source>
        <translation>Santé des rotations</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="145" />
        <source>Endpoints that need attention (%1)</source>
        <translation>Points de terminaison à traiter (%1)</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="150" />
        <source>None: every probed target address is ok and trusted.</source>
        <translation>Aucun : toutes les adresses cibles sondées sont OK et approuvées.</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="155" />
        <source>As the window's "Needs attention" shows them: any status but ok, or a certificate clients refuse. The limiting certificate is the one on the path clients use that expires first.</source>
        <translation>Tels que les affiche la vue « À traiter » de la fenêtre : tout état autre que OK, ou un certificat que les clients refusent. Le certificat limitant est celui du chemin utilisé par les clients qui expire le premier.</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="160" />
        <location filename="../ui/report/EvidenceDocument.cpp" line="222" />
        <source>Endpoint</source>
        <translation>Point de terminaison</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="161" />
        <source>Limiting certificate</source>
        <translation>Certificat limitant</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="161" />
        <source>Expires</source>
        <translation>Expiration</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="162" />
        <source>Days left</source>
        <translation>Jours restants</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="162" />
        <source>Findings</source>
        <translation>Constats</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="184" />
        <source>role: %1</source>
        <translation>rôle : %1</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="212" />
        <source>Changes since %1 (%2)</source>
        <translation>Changements depuis le %1 (%2)</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="217" />
        <source>Nothing changed in this period.</source>
        <translation>Aucun changement sur cette période.</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="221" />
        <source>First seen</source>
        <translation>Première détection</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="221" />
        <source>Change</source>
        <translation>Changement</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="222" />
        <source>Before</source>
        <translation>Avant</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="223" />
        <source>After</source>
        <translation>Après</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="223" />
        <source>Detail</source>
        <translation>Détail</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="245" />
        <location filename="../ui/report/EvidenceDocument.cpp" line="251" />
        <location filename="../ui/report/EvidencePdf.cpp" line="178" />
        <source>CertDash evidence report</source>
        <translation>Rapport d'audit CertDash</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="258" />
        <source>Generated</source>
        <translation>Généré le</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="259" />
        <source>Store</source>
        <translation>Base de données</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="260" />
        <source>Scope</source>
        <translation>Périmètre</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="261" />
        <source>every stored target: %1 targets, %2 target addresses with a result</source>
        <translation>toutes les cibles enregistrées : %1 cibles, %2 adresses cibles avec un résultat</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="264" />
        <source>Changes since</source>
        <translation>Changements depuis le</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceDocument.cpp" line="284" />
        <source>Written by CertDash %1 from the latest stored probe results.</source>
        <translation>Écrit par CertDash %1 à partir des derniers résultats de sondage enregistrés.</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceReport.cpp" line="105" />
        <source>No certificate read</source>
        <translation>Aucun certificat lu</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceReport.cpp" line="131" />
        <source>No certificate was read: %1.</source>
        <translation>Aucun certificat n'a été lu : %1.</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceReport.cpp" line="137" />
        <source>%1: the certificate %2.</source>
        <translation>%1 : le certificat %2.</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceReport.cpp" line="139" />
        <source>%1: the %2 certificate %3 %4, before the leaf does.</source>
        <translation>%1 : le certificat %2 %3 %4, avant le certificat feuille.</translation>
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
        <translation>Jours restants</translation>
    </message>
    <message>
        <location filename="../ui/charts/ExpiryTimelineChart.cpp" line="74" />
        <source>Select an endpoint to see its expiry timeline.</source>
        <translation>Sélectionnez un point de terminaison pour voir la chronologie de son expiration.</translation>
    </message>
    <message>
        <location filename="../ui/charts/ExpiryTimelineChart.cpp" line="84" />
        <source>No probe of this address is recorded yet.</source>
        <translation>Aucun sondage de cette adresse n'est encore enregistré.</translation>
    </message>
    <message>
        <location filename="../ui/charts/ExpiryTimelineChart.cpp" line="88" />
        <source>No certificate was read from this address.</source>
        <translation>Aucun certificat n'a été lu à cette adresse.</translation>
    </message>
    <message>
        <location filename="../ui/charts/ExpiryTimelineChart.cpp" line="127" />
        <source>Rotation band (default)</source>
        <translation>Plage de rotation (par défaut)</translation>
    </message>
    <message>
        <location filename="../ui/charts/ExpiryTimelineChart.cpp" line="128" />
        <source>Rotation band (every %1 days)</source>
        <translation>Plage de rotation (tous les %1 jours)</translation>
    </message>
    <message>
        <location filename="../ui/charts/ExpiryTimelineChart.cpp" line="136" />
        <source>Validity of this certificate</source>
        <translation>Validité de ce certificat</translation>
    </message>
    <message>
        <location filename="../ui/charts/ExpiryTimelineChart.cpp" line="140" />
        <source>Warning (%1 days)</source>
        <translation>Avertissement (%1 jours)</translation>
    </message>
    <message>
        <location filename="../ui/charts/ExpiryTimelineChart.cpp" line="142" />
        <source>Critical (%1 days)</source>
        <translation>Critique (%1 jours)</translation>
    </message>
    <message>
        <location filename="../ui/charts/ExpiryTimelineChart.cpp" line="149" />
        <source>Projection if not renewed</source>
        <translation>Projection sans renouvellement</translation>
    </message>
    <message>
        <location filename="../ui/charts/ExpiryTimelineChart.cpp" line="157" />
        <source>Now</source>
        <translation>Maintenant</translation>
    </message>
    <message>
        <location filename="../ui/charts/ExpiryTimelineChart.cpp" line="173" />
        <source>Days left (probes)</source>
        <translation>Jours restants (sondages)</translation>
    </message>
    <message>
        <location filename="../ui/charts/ExpiryTimelineChart.cpp" line="178" />
        <location filename="../ui/charts/ExpiryTimelineChart.cpp" line="296" />
        <source>Certificate replaced</source>
        <translation>Certificat remplacé</translation>
    </message>
    <message>
        <location filename="../ui/charts/ExpiryTimelineChart.cpp" line="183" />
        <source>Probe failed</source>
        <translation>Échec du sondage</translation>
    </message>
    <message>
        <location filename="../ui/charts/ExpiryTimelineChart.cpp" line="288" />
        <source>%1
Probe failed: %2
%3</source>
        <translation>%1
Échec du sondage : %2
%3</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/charts/ExpiryTimelineChart.cpp" line="292" />
        <source>%n day(s) left</source>
        <translation>
            <numerusform>%n jour restant</numerusform>
            <numerusform>%n jours restants</numerusform>
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
        <translation>Un certificat du chemin de certification utilisé par les clients a expiré : ils refusent la connexion. Renouvelez-le et rechargez le service.</translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="28" />
        <source>A certificate is not valid yet: clients refuse it until its start date. Check the issuing system's clock, or wait.</source>
        <translation>Un certificat n'est pas encore valide : les clients le refusent jusqu'à sa date de début de validité. Vérifiez l'horloge du système émetteur, ou patientez.</translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="32" />
        <source>The server presents a self-signed certificate that no trust anchor vouches for: only clients that pin it will connect.</source>
        <translation>Le serveur présente un certificat auto-signé qu'aucune ancre de confiance ne garantit : seuls les clients qui l'épinglent se connecteront.</translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="36" />
        <source>The chain ends at a CA that is not among the trust anchors. For a private CA, add its root in Settings (or --ca-file).</source>
        <translation>La chaîne aboutit à une AC qui ne figure pas parmi les ancres de confiance. Pour une AC privée, ajoutez sa racine dans les Paramètres (ou avec --ca-file).</translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="40" />
        <source>The server does not send the intermediate certificate. Browsers that cached it work; other clients fail. Serve the full chain.</source>
        <translation>Le serveur n'envoie pas le certificat intermédiaire. Les navigateurs qui l'ont en cache fonctionnent ; les autres clients échouent. Envoyez la chaîne complète.</translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="44" />
        <source>The certificate does not name this host (or IP): clients refuse it. Reissue it with the right SAN, or check the SNI.</source>
        <translation>Le certificat ne mentionne pas cet hôte (ou cette IP) : les clients le refusent. Réémettez-le avec le bon SAN, ou vérifiez le SNI.</translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="48" />
        <source>The key is too short for current clients (RSA under 2048 bits): many refuse it. Reissue with a stronger key.</source>
        <translation>La clé est trop courte pour les clients actuels (RSA de moins de 2048 bits) : beaucoup la refusent. Réémettez le certificat avec une clé plus robuste.</translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="52" />
        <source>The certificate is signed with SHA-1 or MD5, which clients no longer accept. Reissue it.</source>
        <translation>Le certificat est signé avec SHA-1 ou MD5, que les clients n'acceptent plus. Réémettez-le.</translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="56" />
        <source>The server sends a certificate clients do not need (often a stale cross-sign). Most clients ignore it; old ones may build a path through it and fail. Remove it from the served chain.</source>
        <translation>Le serveur envoie un certificat dont les clients n'ont pas besoin (souvent une signature croisée périmée). La plupart des clients l'ignorent ; les anciens peuvent construire un chemin qui passe par lui et échouer. Retirez-le de la chaîne envoyée.</translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="61" />
        <source>A validity date of the certificate cannot be read (malformed or impossible, such as year 0000). Clients reject such a certificate, so its status is judged as the worst: reissue it.</source>
        <translation>Une date de validité du certificat est illisible (mal formée ou impossible, comme l'année 0000). Les clients rejettent un tel certificat, son état est donc jugé le plus grave : réémettez-le.</translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="66" />
        <source>The certificate names the host only in its Common Name. Browsers have ignored the Common Name since 2017 and refuse it: reissue it with the name in subjectAltName.</source>
        <translation>Le certificat ne mentionne l'hôte que dans son Common Name. Les navigateurs ignorent le Common Name depuis 2017 et refusent ce certificat : réémettez-le avec le nom dans subjectAltName.</translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="71" />
        <source>The server sends its intermediates out of order. Current browsers sort them; old Java and many embedded clients fail. Serve the leaf, then each issuer in turn.</source>
        <translation>Le serveur envoie ses intermédiaires dans le désordre. Les navigateurs actuels les trient ; les anciennes versions de Java et de nombreux clients embarqués échouent. Envoyez le certificat feuille, puis chaque émetteur dans l'ordre.</translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="76" />
        <source>The server asks for a client certificate (mutual TLS) and none was sent. Its own certificate was still read. To complete the handshake, give CertDash a client certificate the server trusts (--client-cert).</source>
        <translation>Le serveur demande un certificat client (TLS mutuel) et aucun n'a été envoyé. Son propre certificat a tout de même été lu. Pour mener la négociation à terme, fournissez à CertDash un certificat client auquel le serveur fait confiance (--client-cert).</translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="81" />
        <source>The server refused the client certificate CertDash presented (not issued by a CA it trusts, expired, or revoked). Its own certificate was still read. Check the client certificate and the server's client CA.</source>
        <translation>Le serveur a refusé le certificat client présenté par CertDash (non émis par une AC en laquelle il a confiance, expiré ou révoqué). Son propre certificat a tout de même été lu. Vérifiez le certificat client et l'AC client du serveur.</translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="86" />
        <source>The CA has revoked this certificate (said by a signed OCSP response or its CRL): clients that check revocation refuse it, and a revoked certificate still in service is an incident. Replace it now and find out why it was revoked.</source>
        <translation>L'AC a révoqué ce certificat, d'après une réponse OCSP signée ou sa liste de révocation (CRL) : les clients qui vérifient la révocation le refusent, et un certificat révoqué encore en service constitue un incident. Remplacez-le immédiatement et cherchez pourquoi il a été révoqué.</translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="92" />
        <source>The OCSP responder answered that it does not know this certificate. The certificate may come from another CA than it claims, or the responder is out of step with its CA. Ask the CA; clients that require an answer refuse it.</source>
        <translation>Le répondeur OCSP a répondu qu'il ne connaît pas ce certificat. Le certificat provient peut-être d'une autre AC que celle qu'il indique, ou le répondeur est désynchronisé par rapport à son AC. Renseignez-vous auprès de l'AC ; les clients qui exigent une réponse refusent ce certificat.</translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="98" />
        <source>Whether the certificate was revoked could not be learnt: it names no OCSP responder or CRL, they could not be reached in time, or the answer could not be verified. This only informs, unless online revocation checks were asked for this target: then it counts as weak.</source>
        <translation>Impossible de savoir si le certificat a été révoqué : il n'indique ni répondeur OCSP ni liste de révocation (CRL), ceux-ci n'ont pas pu être joints à temps, ou la réponse n'a pas pu être vérifiée. Ceci est purement informatif, sauf si des vérifications de révocation en ligne ont été demandées pour cette cible : le certificat est alors jugé faible.</translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="127" />
        <source>Trusted: clients accept this certificate; the %1 should still be cleaned up.</source>
        <translation>Approuvé : les clients acceptent ce certificat ; à corriger malgré tout : %1.</translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="130" />
        <source>Trusted: clients accept this certificate.</source>
        <translation>Approuvé : les clients acceptent ce certificat.</translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="133" />
        <source>Not trusted: clients refuse this certificate (%1). This alerts and makes the scan exit with 2.</source>
        <translation>Non approuvé : les clients refusent ce certificat (%1). Cela déclenche une alerte et la commande scan se termine avec le code 2.</translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="138" />
        <source>Weak: clients accept it today, but %1 should be fixed. The scan exits with 1.</source>
        <translation>Faible : les clients l'acceptent aujourd'hui, mais il faut corriger ceci : %1. La commande scan se termine avec le code 1.</translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="148" />
        <source>accept_self_signed: a self-signed or private-CA endpoint, meant to be so</source>
        <translation>accept_self_signed : point de terminaison auto-signé ou d'AC privée, voulu ainsi</translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="152" />
        <source>pin_issuer: the certificate's issuer is the pinned one</source>
        <translation>pin_issuer : l'émetteur du certificat est celui qui est épinglé</translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="155" />
        <source>pin_sha256: the certificate is the pinned one</source>
        <translation>pin_sha256 : le certificat est celui qui est épinglé</translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="161" />
        <source>the target's own setting</source>
        <translation>le réglage propre à la cible</translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="162" />
        <source>the policy of tag %1</source>
        <translation>la politique de l'étiquette %1</translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="163" />
        <source>Accepted (%1) by %2: clients without it would refuse this certificate (%3); CertDash counts it as trusted.</source>
        <translation>Accepté (%1) par %2 : sans cela, les clients refuseraient ce certificat (%3) ; CertDash le considère comme approuvé.</translation>
    </message>
    <message>
        <location filename="../app/domain/FindingExplanation.cpp" line="168" />
        <source>If the pinned value changes, it alerts.</source>
        <translation>Si la valeur épinglée change, une alerte est émise.</translation>
    </message>
</context>
<context>
    <name>certdash::FleetFeed</name>
    <message>
        <location filename="../ui/widgets/FleetFeed.cpp" line="114" />
        <source>Fleet %1: no %2 in the keychain (%3); reading without it.</source>
        <translation>Flotte %1 : aucun %2 dans le trousseau (%3) ; lecture sans celui-ci.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/FleetFeed.cpp" line="116" />
        <source>token</source>
        <translation>jeton</translation>
    </message>
    <message>
        <location filename="../ui/widgets/FleetFeed.cpp" line="116" />
        <source>password</source>
        <translation>mot de passe</translation>
    </message>
    <message>
        <location filename="../ui/widgets/FleetFeed.cpp" line="117" />
        <source>no keychain</source>
        <translation>pas de trousseau</translation>
    </message>
    <message>
        <location filename="../ui/widgets/FleetFeed.cpp" line="243" />
        <source>Fleet %1 is read again.</source>
        <translation>La flotte %1 est de nouveau lue.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/FleetFeed.cpp" line="277" />
        <source>Fleet %1 could not be read: %2 The rows read before stay, with their age.</source>
        <translation>La flotte %1 n'a pas pu être lue : %2 Les lignes lues auparavant restent affichées, avec leur âge.</translation>
    </message>
</context>
<context>
    <name>certdash::FleetReader</name>
    <message>
        <location filename="../app/fleet/FleetReader.cpp" line="49" />
        <source>cannot read a PEM certificate from the CA file %1</source>
        <translation>impossible de lire un certificat PEM dans le fichier d'AC %1</translation>
    </message>
    <message>
        <location filename="../app/fleet/FleetReader.cpp" line="127" />
        <source>%1: no answer within %2 s (Prometheus down or too slow; see --timeout)</source>
        <translation>%1 : aucune réponse en %2 s (Prometheus hors service ou trop lent ; voir --timeout)</translation>
    </message>
    <message>
        <location filename="../app/fleet/FleetReader.cpp" line="157" />
        <location filename="../app/fleet/FleetReader.cpp" line="196" />
        <source>%1: the answer is larger than %2 MB</source>
        <translation>%1 : la réponse dépasse %2 Mo</translation>
    </message>
    <message>
        <location filename="../app/fleet/FleetReader.cpp" line="186" />
        <source>%1: HTTP %2 %3: %4</source>
        <translation>%1 : HTTP %2 %3 : %4</translation>
    </message>
    <message>
        <location filename="../app/fleet/FleetReader.cpp" line="255" />
        <source>%1: no fleet series for %2 (read the latest results first)</source>
        <translation>%1 : aucune série de flotte pour %2 (lisez d'abord les derniers résultats)</translation>
    </message>
    <message>
        <location filename="../app/fleet/FleetReader.cpp" line="292" />
        <source>%1: read cancelled</source>
        <translation>%1 : lecture annulée</translation>
    </message>
</context>
<context>
    <name>certdash::FleetRows</name>
    <message>
        <location filename="../app/fleet/FleetRows.cpp" line="97" />
        <source>%1: the answer is not Prometheus JSON (%2 at byte %3): %4</source>
        <translation>%1 : la réponse n'est pas du JSON Prometheus (%2 à l'octet %3) : %4</translation>
    </message>
    <message>
        <location filename="../app/fleet/FleetRows.cpp" line="100" />
        <source>not an object</source>
        <translation>pas un objet</translation>
    </message>
    <message>
        <location filename="../app/fleet/FleetRows.cpp" line="108" />
        <source>%1: Prometheus answered with an error (%2): %3</source>
        <translation>%1 : Prometheus a répondu par une erreur (%2) : %3</translation>
    </message>
    <message>
        <location filename="../app/fleet/FleetRows.cpp" line="117" />
        <source>%1: expected a Prometheus %2 answer, got %3</source>
        <translation>%1 : réponse Prometheus de type %2 attendue, reçu : %3</translation>
    </message>
    <message>
        <location filename="../app/fleet/FleetRows.cpp" line="250" />
        <source>%1: a series without a readable value: %2</source>
        <translation>%1 : une série sans valeur lisible : %2</translation>
    </message>
    <message>
        <location filename="../app/fleet/FleetRows.cpp" line="504" />
        <source>blackbox_exporter read no certificate expiry</source>
        <translation>blackbox_exporter n'a lu aucune date d'expiration de certificat</translation>
    </message>
    <message>
        <location filename="../app/fleet/FleetRows.cpp" line="505" />
        <source>probe failed at the exporter %1 (blackbox_exporter exports no reason; its log has it)</source>
        <translation>échec du sondage sur l'exporteur %1 (blackbox_exporter n'exporte pas la raison ; elle figure dans son journal)</translation>
    </message>
    <message>
        <location filename="../app/fleet/FleetRows.cpp" line="533" />
        <source>blackbox_exporter read the certificate but reported the probe as failed</source>
        <translation>blackbox_exporter a lu le certificat mais a signalé l'échec du sondage</translation>
    </message>
    <message>
        <location filename="../app/fleet/FleetRows.cpp" line="610" />
        <source>probe failed at the exporter</source>
        <translation>échec du sondage sur l'exporteur</translation>
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
        <translation>&amp;Ajouter un Prometheus...</translation>
    </message>
    <message>
        <location filename="../ui/widgets/FleetSettings.cpp" line="136" />
        <source>E&amp;dit...</source>
        <translation>M&amp;odifier...</translation>
    </message>
    <message>
        <location filename="../ui/widgets/FleetSettings.cpp" line="138" />
        <source>Remove</source>
        <translation>Retirer</translation>
    </message>
    <message>
        <location filename="../ui/widgets/FleetSettings.cpp" line="145" />
        <source>Results of a Prometheus scraping blackbox_exporter (see certdash fleet config) join the table as fleet rows.</source>
        <translation>Les résultats d'un Prometheus qui collecte blackbox_exporter (voir certdash fleet config) s'ajoutent au tableau sous forme de lignes de flotte.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/FleetSettings.cpp" line="195" />
        <source>bearer token</source>
        <translation>jeton Bearer</translation>
    </message>
    <message>
        <location filename="../ui/widgets/FleetSettings.cpp" line="197" />
        <source>Basic as %1</source>
        <translation>Basic en tant que %1</translation>
    </message>
    <message>
        <location filename="../ui/widgets/FleetSettings.cpp" line="199" />
        <source>no authentication</source>
        <translation>sans authentification</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/widgets/FleetSettings.cpp" line="200" />
        <source>%1 (%2, every %n s)</source>
        <translation>
            <numerusform>%1 (%2, toutes les %n s)</numerusform>
            <numerusform>%1 (%2, toutes les %n s)</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/widgets/FleetSettings.cpp" line="218" />
        <source>Keychain</source>
        <translation>Trousseau</translation>
    </message>
    <message>
        <location filename="../ui/widgets/FleetSettings.cpp" line="219" />
        <source>The token or password was not stored: %1</source>
        <translation>Le jeton ou le mot de passe n'a pas été enregistré : %1</translation>
    </message>
</context>
<context>
    <name>certdash::FleetSource</name>
    <message>
        <location filename="../app/fleet/FleetSource.cpp" line="58" />
        <source>expected a Prometheus URL such as http://127.0.0.1:9090, got %1</source>
        <translation>URL de Prometheus attendue, par exemple http://127.0.0.1:9090, reçu : %1</translation>
    </message>
    <message>
        <location filename="../app/fleet/FleetSource.cpp" line="63" />
        <source>the Prometheus URL must not carry a user or password (use --user and the keychain), got %1</source>
        <translation>l'URL de Prometheus ne doit contenir ni utilisateur ni mot de passe (utilisez --user et le trousseau), reçu : %1</translation>
    </message>
    <message>
        <location filename="../app/fleet/FleetSource.cpp" line="67" />
        <source>the Prometheus URL must not have a query or fragment, got %1</source>
        <translation>l'URL de Prometheus ne doit comporter ni requête ni fragment, reçu : %1</translation>
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
        <translation>Aucune</translation>
    </message>
    <message>
        <location filename="../ui/widgets/FleetSettings.cpp" line="32" />
        <source>Bearer token</source>
        <translation>Jeton Bearer</translation>
    </message>
    <message>
        <location filename="../ui/widgets/FleetSettings.cpp" line="33" />
        <source>Basic (user and password)</source>
        <translation>Basic (utilisateur et mot de passe)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/FleetSettings.cpp" line="41" />
        <source>the system's CAs</source>
        <translation>les AC du système</translation>
    </message>
    <message>
        <location filename="../ui/widgets/FleetSettings.cpp" line="42" />
        <source>B&amp;rowse...</source>
        <translation>&amp;Parcourir...</translation>
    </message>
    <message>
        <location filename="../ui/widgets/FleetSettings.cpp" line="45" />
        <source>CA of the Prometheus</source>
        <translation>AC du Prometheus</translation>
    </message>
    <message>
        <location filename="../ui/widgets/FleetSettings.cpp" line="46" />
        <source>PEM certificates (*.pem *.crt);;All files (*)</source>
        <translation>Certificats PEM (*.pem *.crt);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/FleetSettings.cpp" line="56" />
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <location filename="../ui/widgets/FleetSettings.cpp" line="59" />
        <source>&amp;URL:</source>
        <translation>&amp;URL :</translation>
    </message>
    <message>
        <location filename="../ui/widgets/FleetSettings.cpp" line="60" />
        <source>&amp;Authentication:</source>
        <translation>&amp;Authentification :</translation>
    </message>
    <message>
        <location filename="../ui/widgets/FleetSettings.cpp" line="61" />
        <source>U&amp;ser:</source>
        <translation>Utili&amp;sateur :</translation>
    </message>
    <message>
        <location filename="../ui/widgets/FleetSettings.cpp" line="62" />
        <source>&amp;Token or password:</source>
        <translation>&amp;Jeton ou mot de passe :</translation>
    </message>
    <message>
        <location filename="../ui/widgets/FleetSettings.cpp" line="63" />
        <source>&amp;CA file (https):</source>
        <translation>&amp;Fichier d'AC (https) :</translation>
    </message>
    <message>
        <location filename="../ui/widgets/FleetSettings.cpp" line="66" />
        <source>&amp;Read every:</source>
        <translation>&amp;Intervalle de lecture :</translation>
    </message>
    <message>
        <location filename="../ui/widgets/FleetSettings.cpp" line="67" />
        <source>The token or password is kept in the system keychain only. Leave it empty to keep the one stored.</source>
        <translation>Le jeton ou le mot de passe est conservé uniquement dans le trousseau du système. Laissez ce champ vide pour conserver celui qui est enregistré.</translation>
    </message>
</context>
<context>
    <name>certdash::HistoryRepository</name>
    <message>
        <location filename="../app/storage/HistoryRepository.cpp" line="49" />
        <source>cannot record the result for %1: the target is not stored in the database</source>
        <translation>impossible d'enregistrer le résultat de %1 : la cible n'est pas dans la base de données</translation>
    </message>
    <message>
        <location filename="../app/storage/HistoryRepository.cpp" line="58" />
        <source>cannot record the result for %1: a certificate has no DER encoding</source>
        <translation>impossible d'enregistrer le résultat de %1 : un certificat n'a pas d'encodage DER</translation>
    </message>
</context>
<context>
    <name>certdash::HostName</name>
    <message>
        <location filename="../app/domain/HostName.cpp" line="218" />
        <source>label %1 is not valid punycode</source>
        <translation>le label %1 n'est pas du punycode valide</translation>
    </message>
    <message>
        <location filename="../app/domain/HostName.cpp" line="223" />
        <source>label %1 is not the punycode form of a Unicode label</source>
        <translation>le label %1 n'est pas la forme punycode d'un label Unicode</translation>
    </message>
    <message>
        <location filename="../app/domain/HostName.cpp" line="233" />
        <source>label %1 starts with a combining mark</source>
        <translation>le label %1 commence par un caractère combinant</translation>
    </message>
    <message>
        <location filename="../app/domain/HostName.cpp" line="240" />
        <source>label %1 has a zero-width joiner that does not follow a virama</source>
        <translation>le label %1 contient un liant sans chasse (ZWJ) qui ne suit pas un virama</translation>
    </message>
    <message>
        <location filename="../app/domain/HostName.cpp" line="252" />
        <source>label %1 breaks the rule for right-to-left names (RFC 5893)</source>
        <translation>le label %1 enfreint la règle des noms de droite à gauche (RFC 5893)</translation>
    </message>
</context>
<context>
    <name>certdash::Inventory</name>
    <message>
        <location filename="../app/inventory/CsvFormat.cpp" line="76" />
        <source>column '%1' appears twice</source>
        <translation>la colonne '%1' apparaît deux fois</translation>
    </message>
    <message>
        <location filename="../app/inventory/CsvFormat.cpp" line="82" />
        <source>unknown column(s) %1 (valid columns: %2)</source>
        <translation>colonne(s) inconnue(s) %1 (colonnes valides : %2)</translation>
    </message>
    <message>
        <location filename="../app/inventory/CsvFormat.cpp" line="87" />
        <source>missing 'host' column in the header (columns found: %1)</source>
        <translation>colonne 'host' absente de l'en-tête (colonnes trouvées : %1)</translation>
    </message>
    <message>
        <location filename="../app/inventory/CsvFormat.cpp" line="118" />
        <source>%1 cells but the header names %2 columns</source>
        <translation>%1 cellules, mais l'en-tête nomme %2 colonnes</translation>
    </message>
    <message>
        <location filename="../app/inventory/InputText.cpp" line="70" />
        <source>a boolean</source>
        <translation>un booléen</translation>
    </message>
    <message>
        <location filename="../app/inventory/InputText.cpp" line="72" />
        <source>a number</source>
        <translation>un nombre</translation>
    </message>
    <message>
        <location filename="../app/inventory/InputText.cpp" line="74" />
        <location filename="../app/inventory/JsonFormat.cpp" line="158" />
        <location filename="../app/inventory/KubectlFormat.cpp" line="214" />
        <location filename="../app/inventory/KubectlFormat.cpp" line="237" />
        <source>a string</source>
        <translation>une chaîne</translation>
    </message>
    <message>
        <location filename="../app/inventory/InputText.cpp" line="76" />
        <location filename="../app/inventory/KubectlFormat.cpp" line="197" />
        <source>an array</source>
        <translation>un tableau</translation>
    </message>
    <message>
        <location filename="../app/inventory/InputText.cpp" line="78" />
        <location filename="../app/inventory/JsonFormat.cpp" line="186" />
        <location filename="../app/inventory/KubectlFormat.cpp" line="186" />
        <location filename="../app/inventory/KubectlFormat.cpp" line="206" />
        <location filename="../app/inventory/KubectlFormat.cpp" line="228" />
        <source>an object</source>
        <translation>un objet</translation>
    </message>
    <message>
        <location filename="../app/inventory/InputText.cpp" line="82" />
        <source>missing</source>
        <translation>absent</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/domain/Excerpt.cpp" line="82" />
        <source> (%n characters)</source>
        <translation>
            <numerusform> (%n caractère)</numerusform>
            <numerusform> (%n caractères)</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/inventory/InputText.cpp" line="93" />
        <source>UTF-32 text is not supported: save the file as UTF-8</source>
        <translation>texte UTF-32 non pris en charge : enregistrez le fichier en UTF-8</translation>
    </message>
    <message>
        <location filename="../app/inventory/InputText.cpp" line="102" />
        <source>the file starts with a UTF-16 byte order mark but is not valid UTF-16: save it as UTF-8</source>
        <translation>le fichier commence par une marque d'ordre des octets UTF-16 mais n'est pas de l'UTF-16 valide : enregistrez-le en UTF-8</translation>
    </message>
    <message>
        <location filename="../app/inventory/InputText.cpp" line="117" />
        <source>a NUL byte: this is not a text file (UTF-16 needs a byte order mark)</source>
        <translation>un octet NUL : ce n'est pas un fichier texte (l'UTF-16 nécessite une marque d'ordre des octets)</translation>
    </message>
    <message>
        <location filename="../app/inventory/InputText.cpp" line="125" />
        <source>not UTF-8: byte \x%1 at column %2; save the file as UTF-8 (or UTF-16 with a byte order mark), e.g. with iconv -f latin1 -t utf-8</source>
        <translation>pas de l'UTF-8 : octet \x%1 à la colonne %2 ; enregistrez le fichier en UTF-8 (ou en UTF-16 avec une marque d'ordre des octets), p. ex. avec iconv -f latin1 -t utf-8</translation>
    </message>
    <message>
        <location filename="../app/inventory/InventoryExport.cpp" line="116" />
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <location filename="../app/inventory/InventoryExport.cpp" line="116" />
        <source>STATE</source>
        <translation>ÉTAT</translation>
    </message>
    <message>
        <location filename="../app/inventory/InventoryExport.cpp" line="117" />
        <source>TARGET</source>
        <translation>CIBLE</translation>
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
        <translation>ÉTIQUETTES</translation>
    </message>
    <message>
        <location filename="../app/inventory/InventoryExport.cpp" line="119" />
        <source>OWNER</source>
        <translation>RESPONSABLE</translation>
    </message>
    <message>
        <location filename="../app/inventory/InventoryExport.cpp" line="120" />
        <source>W/C/R DAYS</source>
        <translation>JOURS A/C/R</translation>
    </message>
    <message>
        <location filename="../app/inventory/InventoryExport.cpp" line="126" />
        <source>(none)</source>
        <translation>(aucun)</translation>
    </message>
    <message>
        <location filename="../app/inventory/InventoryExport.cpp" line="128" />
        <source>on</source>
        <translation>actif</translation>
    </message>
    <message>
        <location filename="../app/inventory/InventoryExport.cpp" line="128" />
        <source>off</source>
        <translation>inactif</translation>
    </message>
    <message>
        <location filename="../app/inventory/InventoryExport.cpp" line="131" />
        <source>(resolve)</source>
        <translation>(résolution DNS)</translation>
    </message>
    <message>
        <location filename="../app/inventory/JsonFormat.cpp" line="89" />
        <source>'%1' is too long: %2 (a value holds at most %3 characters)</source>
        <translation>'%1' est trop long : %2 (une valeur contient au plus %3 caractères)</translation>
    </message>
    <message>
        <location filename="../app/inventory/JsonFormat.cpp" line="95" />
        <source>'%1' holds an unpaired UTF-16 surrogate (a \uD800-\uDFFF escape on its own): %2</source>
        <translation>'%1' contient un demi-codet UTF-16 isolé (un échappement \uD800-\uDFFF seul) : %2</translation>
    </message>
    <message>
        <location filename="../app/inventory/JsonFormat.cpp" line="102" />
        <source>'%1' holds a NUL character (a \u0000 escape): %2</source>
        <translation>'%1' contient un caractère NUL (un échappement \u0000) : %2</translation>
    </message>
    <message>
        <location filename="../app/inventory/JsonFormat.cpp" line="120" />
        <source>'%1' must be true or false, not %2</source>
        <translation>'%1' doit valoir true ou false, et non %2</translation>
    </message>
    <message>
        <location filename="../app/inventory/JsonFormat.cpp" line="139" />
        <source>'%1' must hold strings, not %2</source>
        <translation>'%1' doit contenir des chaînes, et non %2</translation>
    </message>
    <message>
        <location filename="../app/inventory/JsonFormat.cpp" line="160" />
        <source>a number or a string</source>
        <translation>un nombre ou une chaîne</translation>
    </message>
    <message>
        <location filename="../app/inventory/JsonFormat.cpp" line="162" />
        <source>a string or an array of strings</source>
        <translation>une chaîne ou un tableau de chaînes</translation>
    </message>
    <message>
        <location filename="../app/inventory/JsonFormat.cpp" line="163" />
        <source>'%1' must be %2, not %3</source>
        <translation>'%1' doit être %2, et non %3</translation>
    </message>
    <message>
        <location filename="../app/inventory/JsonFormat.cpp" line="178" />
        <source>invalid JSON: %1 (column %2)</source>
        <translation>JSON non valide : %1 (colonne %2)</translation>
    </message>
    <message>
        <location filename="../app/inventory/JsonFormat.cpp" line="185" />
        <source>expected a JSON array of target objects, found %1</source>
        <translation>tableau JSON d'objets cibles attendu, trouvé : %1</translation>
    </message>
    <message>
        <location filename="../app/inventory/JsonFormat.cpp" line="187" />
        <source>nothing</source>
        <translation>rien</translation>
    </message>
    <message>
        <location filename="../app/inventory/JsonFormat.cpp" line="197" />
        <source>item %1</source>
        <translation>élément %1</translation>
    </message>
    <message>
        <location filename="../app/inventory/JsonFormat.cpp" line="201" />
        <source>%1: expected an object with at least "host", found %2</source>
        <translation>%1 : objet avec au moins "host" attendu, trouvé : %2</translation>
    </message>
    <message>
        <location filename="../app/inventory/JsonFormat.cpp" line="221" />
        <source>unknown key(s) %1 (valid keys: %2)</source>
        <translation>clé(s) inconnue(s) %1 (clés valides : %2)</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlFormat.cpp" line="24" />
        <source>%1 is %2, expected %3; skipped</source>
        <translation>%1 est %2 (attendu : %3) ; ignoré</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlFormat.cpp" line="63" />
        <source>invalid JSON: %1</source>
        <translation>JSON non valide : %1</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlFormat.cpp" line="71" />
        <source>not kubectl output: expected a List with "items" or one Ingress</source>
        <translation>ce n'est pas une sortie de kubectl : une List avec "items" ou un seul Ingress est attendu</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlFormat.cpp" line="75" />
        <source>"items" is %1, expected an array of Ingress objects; nothing to import</source>
        <translation>"items" est %1 (attendu : un tableau d'objets Ingress) ; rien à importer</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlFormat.cpp" line="88" />
        <source>an Ingress object</source>
        <translation>un objet Ingress</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlFormat.cpp" line="125" />
        <source>%1 names no Service port (name %2, port %3); the pods behind it are not probed</source>
        <translation>%1 ne désigne aucun port de Service (nom %2, port %3) ; les pods situés derrière ne sont pas sondés</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlFormat.cpp" line="161" />
        <source>%1: metadata.namespace and metadata.name must be Kubernetes names (lower-case letters, digits, '-' and '.')</source>
        <translation>%1 : metadata.namespace et metadata.name doivent être des noms Kubernetes (lettres minuscules, chiffres, '-' et '.')</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlFormat.cpp" line="179" />
        <source>%1: a %2, not an Ingress, EndpointSlice, Service or Pod</source>
        <translation>%1 : un %2, et non un Ingress, un EndpointSlice, un Service ou un Pod</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlFormat.cpp" line="316" />
        <source>nothing to import: no Ingress host that can be probed in %1 items (EndpointSlices need the `kubectl get ingress -A -o json` output beside them)</source>
        <translation>rien à importer : aucun hôte d'Ingress pouvant être sondé parmi %1 éléments (les EndpointSlices doivent être accompagnés de la sortie de `kubectl get ingress -A -o json`)</translation>
    </message>
    <message>
        <source>%1: a %2, not an Ingress</source>
        <translation type="vanished">%1 : un %2, et non un Ingress</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlFormat.cpp" line="278" />
        <source>%1: wildcard host %2 cannot be probed; add its real names</source>
        <translation>%1 : l'hôte générique %2 ne peut pas être sondé ; ajoutez ses vrais noms</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlFormat.cpp" line="286" />
        <source>%1: host %2 is not a DNS name (an Ingress host has no port and is served on 443)</source>
        <translation>%1 : l'hôte %2 n'est pas un nom DNS (un hôte d'Ingress n'a pas de port et est servi sur le port 443)</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlFormat.cpp" line="313" />
        <source>nothing to import: no Ingress host that can be probed in %1 items</source>
        <translation>rien à importer : aucun hôte d'Ingress pouvant être sondé parmi %1 éléments</translation>
    </message>
    <message>
        <location filename="../app/inventory/LineFormat.cpp" line="59" />
        <source>unterminated quote: the " at column %1 is never closed</source>
        <translation>guillemet non fermé : le " de la colonne %1 n'est jamais fermé</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/inventory/LineFormat.cpp" line="83" />
        <source> and %n more</source>
        <translation>
            <numerusform> et %n autre</numerusform>
            <numerusform> et %n autres</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/inventory/LineFormat.cpp" line="91" />
        <source>line too long: %1 (a line holds at most %2 characters)</source>
        <translation>ligne trop longue : %1 (une ligne contient au plus %2 caractères)</translation>
    </message>
    <message>
        <location filename="../app/inventory/LineFormat.cpp" line="109" />
        <source>empty host: a line starts with host[:port], not %1=</source>
        <translation>hôte vide : une ligne commence par host[:port], et non par %1=</translation>
    </message>
    <message>
        <location filename="../app/inventory/LineFormat.cpp" line="146" />
        <source>missing value for '%1' (write %1=VALUE)</source>
        <translation>valeur manquante pour '%1' (écrivez %1=VALEUR)</translation>
    </message>
    <message>
        <location filename="../app/inventory/LineFormat.cpp" line="153" />
        <source>unknown key %1: host and port go first, as host[:port]</source>
        <translation>clé inconnue %1 : l'hôte et le port viennent en premier, sous la forme host[:port]</translation>
    </message>
    <message>
        <location filename="../app/inventory/LineFormat.cpp" line="157" />
        <source>unknown key %1 (valid keys: %2)</source>
        <translation>clé inconnue %1 (clés valides : %2)</translation>
    </message>
    <message>
        <location filename="../app/inventory/LineFormat.cpp" line="161" />
        <source>unexpected %1: expected key=value (valid keys: %2)</source>
        <translation>%1 inattendu : clé=valeur attendu (clés valides : %2)</translation>
    </message>
    <message>
        <location filename="../app/inventory/LineFormat.cpp" line="165" />
        <source>duplicate key %1</source>
        <translation>clé en double %1</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="47" />
        <source>bad address %1: missing ']'</source>
        <translation>adresse incorrecte %1 : ']' manquant</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="53" />
        <location filename="../app/inventory/TargetFields.cpp" line="100" />
        <location filename="../app/inventory/TargetFields.cpp" line="326" />
        <source>empty host</source>
        <translation>hôte vide</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="58" />
        <source>bad address %1: brackets hold an IPv6 address</source>
        <translation>adresse incorrecte %1 : les crochets contiennent une adresse IPv6</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="62" />
        <source>bad host %1: unexpected text after ']'</source>
        <translation>hôte incorrect %1 : texte inattendu après ']'</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="80" />
        <source>ambiguous address %1: write [%2]:%3 for port %3 of %2, or [%4] for the address itself</source>
        <translation>adresse ambiguë %1 : écrivez [%2]:%3 pour le port %3 de %2, ou [%4] pour l'adresse elle-même</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="89" />
        <source>bad address %1: write an IPv6 address with a port as [ADDRESS]:PORT</source>
        <translation>adresse incorrecte %1 : écrivez une adresse IPv6 avec un port sous la forme [ADRESSE]:PORT</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="108" />
        <source>bad address %1: not a valid IPv4 address</source>
        <translation>adresse incorrecte %1 : ce n'est pas une adresse IPv4 valide</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="112" />
        <source>invalid host name %1: a wildcard cannot be connected to</source>
        <translation>nom d'hôte non valide %1 : impossible de se connecter à un nom générique</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="117" />
        <source>invalid host name %1</source>
        <translation>nom d'hôte non valide %1</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="121" />
        <source>invalid host name %1: %2</source>
        <translation>nom d'hôte non valide %1 : %2</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="131" />
        <source>bad port %1: not a number</source>
        <translation>port incorrect %1 : ce n'est pas un nombre</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="137" />
        <source>bad port %1: must be between 1 and 65535</source>
        <translation>port incorrect %1 : il doit être compris entre 1 et 65535</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="148" />
        <source>bad number for %1: %2 (must be a positive whole number of days)</source>
        <translation>nombre incorrect pour %1 : %2 (un nombre entier positif de jours est attendu)</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="186" />
        <source>bad value for accept_self_signed: %1 (must be true or false)</source>
        <translation>valeur incorrecte pour accept_self_signed : %1 (true ou false attendu)</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="193" />
        <source>empty pin_issuer (give the issuer's name, e.g. pin_issuer="CN=Example CA, O=Example")</source>
        <translation>pin_issuer vide (indiquez le nom de l'émetteur, p. ex. pin_issuer="CN=Example CA, O=Example")</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="196" />
        <source>pin_issuer %1 is too long (at most %2 characters)</source>
        <translation>pin_issuer %1 est trop long (%2 caractères au maximum)</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="206" />
        <source>bad pin_sha256 %1: a SHA-256 fingerprint is 32 bytes, 64 hex digits, with or without ':'</source>
        <translation>pin_sha256 incorrect %1 : une empreinte SHA-256 fait 32 octets, soit 64 chiffres hexadécimaux, avec ou sans ':'</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="220" />
        <source>empty %1 (give the file's absolute path)</source>
        <translation>%1 vide (indiquez le chemin absolu du fichier)</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="222" />
        <source>%1 %2 is too long (at most %3 characters)</source>
        <translation>%1 %2 est trop long (%3 caractères au maximum)</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="225" />
        <source>%1 %2 holds a control character</source>
        <translation>%1 %2 contient un caractère de contrôle</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="227" />
        <source>%1 %2 is not an absolute path (a scan may run from any folder, by cron or the window)</source>
        <translation>%1 %2 n'est pas un chemin absolu (une analyse peut s'exécuter depuis n'importe quel dossier, via cron ou la fenêtre)</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="236" />
        <source>client_key without client_cert (give the certificate too)</source>
        <translation>client_key sans client_cert (indiquez aussi le certificat)</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="240" />
        <source>empty proxy (give a URL such as http://proxy:3128, or %1 for none)</source>
        <translation>proxy vide (indiquez une URL comme http://proxy:3128, ou %1 pour aucun)</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="336" />
        <source>unknown STARTTLS protocol %1 (valid: %2)</source>
        <translation>protocole STARTTLS inconnu %1 (valeurs valides : %2)</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="342" />
        <source>port given twice: in host (%1) and as port (%2)</source>
        <translation>port indiqué deux fois : dans host (%1) et dans port (%2)</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="358" />
        <source>bad value for no_sni: %1 (must be true or false)</source>
        <translation>valeur incorrecte pour no_sni : %1 (true ou false attendu)</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="366" />
        <source>bad value for enabled: %1 (must be true or false)</source>
        <translation>valeur incorrecte pour enabled : %1 (true ou false attendu)</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="373" />
        <source>empty sni (use no_sni to send no server name)</source>
        <translation>sni vide (utilisez no_sni pour n'envoyer aucun nom de serveur)</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="376" />
        <source>bad sni %1: a server name cannot be an IP address</source>
        <translation>sni incorrect %1 : un nom de serveur ne peut pas être une adresse IP</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="378" />
        <source>invalid sni name %1</source>
        <translation>nom sni non valide %1</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="380" />
        <source>invalid sni name %1: %2</source>
        <translation>nom sni non valide %1 : %2</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="382" />
        <source>sni and no_sni cannot be combined: sni=%1 sends a name, no_sni sends none</source>
        <translation>sni et no_sni ne peuvent pas être combinés : sni=%1 envoie un nom, no_sni n'en envoie aucun</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="393" />
        <source>bad address: empty (give one or more IP addresses)</source>
        <translation>adresse incorrecte : vide (indiquez une ou plusieurs adresses IP)</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="398" />
        <source>bad address %1: not an IPv4 or IPv6 address</source>
        <translation>adresse incorrecte %1 : ni une adresse IPv4 ni une adresse IPv6</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="414" />
        <source>critical (%1 days) must not exceed warning (%2 days)</source>
        <translation>critical (%1 jours) ne doit pas dépasser warning (%2 jours)</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetFields.cpp" line="432" />
        <source>bad value for check_revocation: %1 (must be yes or no)</source>
        <translation>valeur incorrecte pour check_revocation : %1 (yes ou no attendu)</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetParser.cpp" line="49" />
        <source>a JSON array</source>
        <translation>un tableau JSON</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetParser.cpp" line="51" />
        <source>kubectl JSON</source>
        <translation>du JSON kubectl</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetParser.cpp" line="53" />
        <source>CSV</source>
        <translation>du CSV</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetParser.cpp" line="58" />
        <source>a line list</source>
        <translation>une liste de lignes</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetParser.cpp" line="62" />
        <source>larger than %1 MiB (the limit for a targets input); split it into smaller files</source>
        <translation>taille supérieure à %1 Mio (la limite pour une entrée de cibles) ; scindez-la en fichiers plus petits</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetParser.cpp" line="89" />
        <source>and 1 more problem</source>
        <translation>et 1 autre problème</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetParser.cpp" line="90" />
        <source>and %1 more problems</source>
        <translation>et %1 autres problèmes</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetParser.cpp" line="96" />
        <source>and %1 more notes</source>
        <translation>et %1 autres remarques</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetParser.cpp" line="166" />
        <source>it starts with '{'</source>
        <translation>il commence par '{'</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetParser.cpp" line="177" />
        <source>it starts with %1</source>
        <translation>il commence par %1</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetParser.cpp" line="180" />
        <source>it starts with '[' but not with a JSON array of objects, so the '[' opens a bracketed IPv6 address</source>
        <translation>il commence par '[' mais pas par un tableau JSON d'objets, donc le '[' ouvre une adresse IPv6 entre crochets</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetParser.cpp" line="195" />
        <source>its first line has a cell named 'host'</source>
        <translation>sa première ligne contient une cellule nommée 'host'</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetParser.cpp" line="226" />
        <source>%1: read as %2 because %3</source>
        <translation>%1 : interprété comme %2, car %3</translation>
    </message>
    <message>
        <location filename="../app/inventory/TargetParser.cpp" line="265" />
        <source>cannot read: %1</source>
        <translation>lecture impossible : %1</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlEndpoints.cpp" line="51" />
        <source> and %1 more</source>
        <translation> et %1 autres</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlEndpoints.cpp" line="69" />
        <source>appProtocol %1</source>
        <translation>appProtocol %1</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlEndpoints.cpp" line="73" />
        <source>port name %1</source>
        <translation>nom de port %1</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlEndpoints.cpp" line="77" />
        <source>port %1</source>
        <translation>port %1</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlEndpoints.cpp" line="89" />
        <source>the Ingress's backend annotation</source>
        <translation>l'annotation de serveur (backend) de l'Ingress</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlEndpoints.cpp" line="91" />
        <source>the Service's serversscheme annotation</source>
        <translation>l'annotation serversscheme du Service</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlEndpoints.cpp" line="113" />
        <source>has no port named %1 (ports: %2)</source>
        <translation>n'a aucun port nommé %1 (ports : %2)</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlEndpoints.cpp" line="116" />
        <source>has several ports and none is %1 (ports: %2); the Service maps its port %1 to one of them: add `kubectl get services -A -o json` to the input to tell which</source>
        <translation>a plusieurs ports et aucun n'est %1 (ports : %2) ; le Service associe son port %1 à l'un d'eux : ajoutez `kubectl get services -A -o json` à l'entrée pour savoir lequel</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlEndpoints.cpp" line="159" />
        <source>host %1 is not in spec.tls; the pods behind it are not probed</source>
        <translation>l'hôte %1 n'est pas dans spec.tls ; les pods situés derrière ne sont pas sondés</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlEndpoints.cpp" line="175" />
        <source>host %1 -&gt; service %2 port %3</source>
        <translation>hôte %1 -&gt; service %2 port %3</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlEndpoints.cpp" line="178" />
        <source>%1: the host is an address, not a name, so there is no SNI to probe its pods with; not probed</source>
        <translation>%1 : l'hôte est une adresse et non un nom, il n'y a donc pas de SNI avec lequel sonder ses pods ; non sondé</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlEndpoints.cpp" line="186" />
        <source>%1: no EndpointSlice of this Service in the input (it has no selector, or its namespace was not exported); its pods are not probed</source>
        <translation>%1 : aucun EndpointSlice de ce Service dans l'entrée (le Service n'a pas de sélecteur, ou son espace de noms n'a pas été exporté) ; ses pods ne sont pas sondés</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlEndpoints.cpp" line="214" />
        <source>%1: the Service has no port %2; its pods are not probed</source>
        <translation>%1 : le Service n'a pas de port %2 ; ses pods ne sont pas sondés</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlEndpoints.cpp" line="230" />
        <source>%1: EndpointSlice %2</source>
        <translation>%1 : EndpointSlice %2</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlEndpoints.cpp" line="234" />
        <source>%1: address type %2 cannot be pinned (IPv4 or IPv6 can); not probed</source>
        <translation>%1 : le type d'adresse %2 ne peut pas être épinglé (IPv4 ou IPv6 le peuvent) ; non sondé</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlEndpoints.cpp" line="249" />
        <source>%1: port protocol %2, not TCP; not probed</source>
        <translation>%1 : protocole de port %2, et non TCP ; non sondé</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlEndpoints.cpp" line="257" />
        <source>a port number (1 to 65535)</source>
        <translation>un numéro de port (de 1 à 65535)</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlEndpoints.cpp" line="262" />
        <source>%1: port %2 (%3) is not known to speak TLS (no appProtocol https, no port name with https or tls, not 443 or 8443, no backend-protocol HTTPS annotation); its pods are not probed</source>
        <translation>%1 : rien n'indique que le port %2 (%3) utilise TLS (pas d'appProtocol https, pas de nom de port contenant https ou tls, ni 443 ni 8443, pas d'annotation backend-protocol HTTPS) ; ses pods ne sont pas sondés</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlEndpoints.cpp" line="287" />
        <source>%1.targetRef.name %2 is not a Kubernetes name</source>
        <translation>%1.targetRef.name %2 n'est pas un nom Kubernetes</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlEndpoints.cpp" line="302" />
        <source>%1.addresses[%2] %3 is not an IP address</source>
        <translation>%1.addresses[%2] %3 n'est pas une adresse IP</translation>
    </message>
    <message>
        <location filename="../app/inventory/KubectlEndpoints.cpp" line="330" />
        <source>%1: not ready, not probed (a pod gets no traffic until it is ready): %2</source>
        <translation>%1 : pods non prêts, non sondés (un pod ne reçoit aucun trafic tant qu'il n'est pas prêt) : %2</translation>
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
        <translation>Filtrer par hôte, sujet, émetteur, SAN, responsable ou étiquette (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="107" />
        <source>All statuses</source>
        <translation>Tous les états</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="111" />
        <source>Needs attention</source>
        <translation>À traiter</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="116" />
        <source>Not probed yet</source>
        <translation>Pas encore sondé</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="117" />
        <source>Not trusted</source>
        <translation>Non approuvé</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="168" />
        <source>E&amp;ndpoints</source>
        <translation>&amp;Hôtes</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="169" />
        <source>E&amp;state</source>
        <translation>&amp;Parc</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="172" />
        <source>&amp;Changes</source>
        <translation>Chan&amp;gements</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="182" />
        <source>That target is no longer in the inventory.</source>
        <translation>Cette cible ne figure plus dans l'inventaire.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="194" />
        <source>%v of %m</source>
        <translation>%v sur %m</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="197" />
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="220" />
        <source>Nothing was probed: %1</source>
        <translation>Aucun sondage effectué : %1</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="224" />
        <source>Results were not saved: %1</source>
        <translation>Les résultats n'ont pas été enregistrés : %1</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="247" />
        <source>Wrote the report to %1</source>
        <translation>Rapport écrit dans %1</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="258" />
        <source>Export report</source>
        <translation>Exporter le rapport</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="251" />
        <source>Could not write %1: %2</source>
        <translation>Impossible d'écrire %1 : %2</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="259" />
        <location filename="../ui/widgets/MainWindowEvidence.cpp" line="34" />
        <location filename="../ui/widgets/MainWindowEvidence.cpp" line="49" />
        <source>Export audit report</source>
        <translation>Exporter le rapport d'audit</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="292" />
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="293" />
        <source>&amp;Import targets...</source>
        <translation>&amp;Importer des cibles...</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="295" />
        <source>Import targets</source>
        <translation>Importer des cibles</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="296" />
        <source>Target lists (*.txt *.csv *.json);;All files (*)</source>
        <translation>Listes de cibles (*.txt *.csv *.json);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="301" />
        <source>&amp;Export report as CSV...</source>
        <translation>&amp;Exporter le rapport en CSV...</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="303" />
        <source>Export &amp;audit report...</source>
        <translation>Exp&amp;orter le rapport d'audit...</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="305" />
        <source>Export in&amp;ventory...</source>
        <translation>Exporter l'in&amp;ventaire...</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="329" />
        <source>&amp;Probe all</source>
        <translation>Sonder &amp;tout</translation>
    </message>
    <message>
        <source>Export &amp;inventory...</source>
        <translation type="vanished">Exporter l'in&amp;ventaire...</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="307" />
        <source>&amp;Settings...</source>
        <translation>&amp;Paramètres...</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="309" />
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="312" />
        <source>&amp;Targets</source>
        <translation>&amp;Cibles</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="313" />
        <source>&amp;Add...</source>
        <translation>A&amp;jouter...</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="315" />
        <source>&amp;Edit...</source>
        <translation>&amp;Modifier...</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="324" />
        <source>&amp;Remove</source>
        <translation>Supp&amp;rimer</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="327" />
        <source>Probe &amp;selected</source>
        <translation>Sonder la &amp;sélection</translation>
    </message>
    <message>
        <source>Probe &amp;all</source>
        <translation type="vanished">Sonder &amp;tout</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="350" />
        <source>&amp;View</source>
        <translation>&amp;Affichage</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="351" />
        <source>&amp;Filter</source>
        <translation>&amp;Filtrer</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="356" />
        <source>&amp;Reload from the database</source>
        <translation>&amp;Recharger depuis la base de données</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="357" />
        <source>&amp;Details pane</source>
        <translation>Pan&amp;neau des détails</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="363" />
        <source>&amp;Help</source>
        <translation>Ai&amp;de</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="364" />
        <source>&amp;About CertDash</source>
        <translation>À pr&amp;opos de CertDash</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="365" />
        <source>About CertDash</source>
        <translation>À propos de CertDash</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="366" />
        <source>&lt;b&gt;CertDash %1&lt;/b&gt;&lt;p&gt;Watches TLS certificates across your endpoints before they expire.&lt;/p&gt;&lt;p&gt;Database: %2&lt;/p&gt;</source>
        <translation>&lt;b&gt;CertDash %1&lt;/b&gt;&lt;p&gt;Surveille les certificats TLS de vos points de terminaison pour anticiper leur expiration.&lt;/p&gt;&lt;p&gt;Base de données : %2&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="371" />
        <source>Main</source>
        <translation>Principale</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="400" />
        <source>Proxy: %1</source>
        <translation>Proxy : %1</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="406" />
        <source>Trust anchors: %1</source>
        <translation>Ancres de confiance : %1</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="419" />
        <source>Loading...</source>
        <translation>Chargement...</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="465" />
        <source>Last probe: %1</source>
        <translation>Dernier sondage : %1</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="467" />
        <source>Never probed</source>
        <translation>Jamais sondé</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="493" />
        <source>All tags</source>
        <translation>Toutes les étiquettes</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="509" />
        <source>Welcome to CertDash</source>
        <translation>Bienvenue dans CertDash</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="510" />
        <source>The inventory is empty.

Load a sample inventory of public test endpoints (badssl.com) that show each status (expired, wrong host, self-signed, untrusted root, incomplete chain, healthy)? Probing them needs an internet connection: offline, they all show as Unreachable.

You can add your own hosts with File &gt; Import targets, or drop a target file on the window.</source>
        <translation>L'inventaire est vide.

Charger un inventaire d'exemple de points de terminaison de test publics (badssl.com) qui présentent chaque état (expiré, nom d'hôte non concordant, auto-signé, racine non approuvée, chaîne incomplète, sain) ? Leur sondage nécessite une connexion Internet : hors ligne, ils apparaissent tous comme « Injoignable ».

Vous pouvez ajouter vos propres hôtes avec Fichier &gt; Importer des cibles, ou en déposant un fichier de cibles sur la fenêtre.</translation>
    </message>
    <message>
        <source>The inventory is empty.

Load a sample inventory of public test endpoints that show each status (expired, wrong host, self-signed, untrusted root, incomplete chain, healthy)?

You can add your own hosts with File &gt; Import targets, or drop a target file on the window.</source>
        <translation type="vanished">L'inventaire est vide.

Charger un inventaire d'exemple de points de terminaison de test publics qui illustrent chaque état (expiré, mauvais hôte, auto-signé, racine non approuvée, chaîne incomplète, sain) ?

Vous pouvez ajouter vos propres hôtes avec Fichier &gt; Importer des cibles, ou en déposant un fichier de cibles sur la fenêtre.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="647" />
        <source>Last full scan: %1</source>
        <translation>Dernière analyse complète : %1</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="651" />
        <source>Probing cancelled; results so far were kept.</source>
        <translation>Sondage annulé ; les résultats déjà obtenus ont été conservés.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="679" />
        <source>Needs attention: %1</source>
        <translation>À traiter : %1</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="681" />
        <source>%1: %2</source>
        <translation>%1 : %2</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="684" />
        <source>Not trusted: %1</source>
        <translation>Non approuvé : %1</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="686" />
        <source>Not probed yet: %1</source>
        <translation>Pas encore sondé : %1</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="687" />
        <source>No targets: import a target list to begin.</source>
        <translation>Aucune cible : importez une liste de cibles pour commencer.</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/widgets/MainWindow.cpp" line="745" />
        <source>%1: %n row(s) ✕</source>
        <translation>
            <numerusform>%1 : %n ligne ✕</numerusform>
            <numerusform>%1 : %n lignes ✕</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindow.cpp" line="746" />
        <source>Rows chosen in a chart. Click to show every row again.</source>
        <translation>Lignes choisies dans un graphique. Cliquez pour réafficher toutes les lignes.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="60" />
        <source>the sample inventory</source>
        <translation>l'inventaire d'exemple</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="65" />
        <source>Importing %1...</source>
        <translation>Importation de %1...</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="73" />
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="87" />
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="94" />
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="110" />
        <source>Import</source>
        <translation>Importation</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="74" />
        <source>Cannot read %1: %2</source>
        <translation>Impossible de lire %1 : %2</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="84" />
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="109" />
        <source>... and %1 more</source>
        <translation>... et %1 de plus</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="88" />
        <source>Nothing was imported; fix these entries first:

%1</source>
        <translation>Rien n'a été importé ; corrigez d'abord ces entrées :

%1</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="94" />
        <source>Nothing was imported: %1</source>
        <translation>Rien n'a été importé : %1</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="98" />
        <source>Imported %1: %2 added, %3 updated, %4 unchanged</source>
        <translation>%1 importé — ajoutées : %2, mises à jour : %3, inchangées : %4</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="111" />
        <source>Imported %1. Left out, with the reason:

%2</source>
        <translation>%1 importé. Laissés de côté, avec la raison :

%2</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="157" />
        <source>Writing the report to %1...</source>
        <translation>Écriture du rapport dans %1...</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="163" />
        <source>Export report as CSV</source>
        <translation>Exporter le rapport en CSV</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="165" />
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="175" />
        <source>CSV files (*.csv)</source>
        <translation>Fichiers CSV (*.csv)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="173" />
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="182" />
        <source>Export inventory</source>
        <translation>Exporter l'inventaire</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="195" />
        <source>Remove %1 and its history?</source>
        <translation>Supprimer %1 et son historique ?</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="196" />
        <source>Remove %1 (%2) and its history?</source>
        <translation>Supprimer %1 (%2) et son historique ?</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="203" />
        <source>and %n more</source>
        <translation>
            <numerusform>et %n autre</numerusform>
            <numerusform>et %n autres</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="204" />
        <source>Remove these %n targets and their history?

%1</source>
        <translation>
            <numerusform>Supprimer cette cible et son historique ?

%1</numerusform>
            <numerusform>Supprimer ces %n cibles et leur historique ?

%1</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="208" />
        <source>Remove targets</source>
        <translation>Supprimer des cibles</translation>
    </message>
    <message numerus="yes">
        <source>Remove %n target(s) and their history?</source>
        <translation type="vanished">
            <numerusform>Supprimer %n cible et son historique ?</numerusform>
            <numerusform>Supprimer %n cibles et leur historique ?</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="261" />
        <source>This endpoint is already in the inventory as %1.</source>
        <translation>Ce point de terminaison figure déjà dans l'inventaire sous le nom %1.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="269" />
        <source>Target</source>
        <translation>Cible</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="281" />
        <source>Added %1; a scan is running: it is probed with the next one.</source>
        <translation>%1 ajouté ; une analyse est en cours : la cible sera sondée lors de la prochaine.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="298" />
        <source>Settings</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="314" />
        <source>Trust anchors changed: the trust shown stays as judged against the previous anchors until each endpoint is probed again.</source>
        <translation>Ancres de confiance modifiées : la confiance affichée reste évaluée selon les anciennes ancres jusqu'au prochain sondage de chaque point de terminaison.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="317" />
        <source>Trust anchors changed</source>
        <translation>Ancres de confiance modifiées</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="319" />
        <source>Probe every endpoint now to judge it against the new anchors?</source>
        <translation>Sonder maintenant tous les points de terminaison pour les évaluer selon les nouvelles ancres ?</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="324" />
        <source>&amp;Probe all now</source>
        <translation>Sonder to&amp;ut maintenant</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEditing.cpp" line="325" />
        <source>&amp;Later</source>
        <translation>P&amp;lus tard</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEvidence.cpp" line="42" />
        <source>&amp;Browse...</source>
        <translation>S&amp;électionner...</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEvidence.cpp" line="44" />
        <source>PDF documents (*.pdf)</source>
        <translation>Documents PDF (*.pdf)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEvidence.cpp" line="45" />
        <source>HTML pages (*.html *.htm)</source>
        <translation>Pages HTML (*.html *.htm)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEvidence.cpp" line="62" />
        <source>E&amp;xport</source>
        <translation>E&amp;xporter</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEvidence.cpp" line="66" />
        <source>&amp;File (.pdf or .html):</source>
        <translation>&amp;Fichier (.pdf ou .html) :</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEvidence.cpp" line="67" />
        <source>&amp;Changes since:</source>
        <translation>Chan&amp;gements depuis le :</translation>
    </message>
    <message>
        <location filename="../ui/widgets/MainWindowEvidence.cpp" line="82" />
        <source>Writing the audit report to %1...</source>
        <translation>Écriture du rapport d'audit dans %1...</translation>
    </message>
</context>
<context>
    <name>certdash::NotificationBanner</name>
    <message>
        <location filename="../ui/tray/NotificationBanner.cpp" line="26" />
        <source>Show</source>
        <translation>Afficher</translation>
    </message>
    <message>
        <location filename="../ui/tray/NotificationBanner.cpp" line="29" />
        <source>Dismiss</source>
        <translation>Ignorer</translation>
    </message>
    <message>
        <location filename="../ui/tray/NotificationBanner.cpp" line="52" />
        <source>Hide these notifications</source>
        <translation>Masquer ces notifications</translation>
    </message>
    <message>
        <location filename="../ui/tray/NotificationBanner.cpp" line="85" />
        <location filename="../ui/tray/NotificationBanner.cpp" line="106" />
        <source>%1: %2</source>
        <translation>%1 : %2</translation>
    </message>
    <message>
        <location filename="../ui/tray/NotificationBanner.cpp" line="119" />
        <source>All (%1)</source>
        <translation>Toutes (%1)</translation>
    </message>
    <message>
        <location filename="../ui/tray/NotificationBanner.cpp" line="120" />
        <source>Every notification since the banner was last dismissed</source>
        <translation>Toutes les notifications depuis la dernière fermeture du bandeau</translation>
    </message>
    <message numerus="yes">
        <source>... and %n more notification(s).</source>
        <translation type="vanished">
            <numerusform>... et %n autre notification.</numerusform>
            <numerusform>... et %n autres notifications.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>certdash::ProbeScheduler</name>
    <message>
        <location filename="../app/probing/ProbeScheduler.cpp" line="89" />
        <source>invalid host name</source>
        <translation>nom d'hôte non valide</translation>
    </message>
    <message>
        <location filename="../app/probing/ProbeScheduler.cpp" line="128" />
        <source>DNS: %1 not found</source>
        <translation>DNS : %1 introuvable</translation>
    </message>
    <message>
        <location filename="../app/probing/ProbeScheduler.cpp" line="129" />
        <source>DNS: %1</source>
        <translation>DNS : %1</translation>
    </message>
    <message>
        <location filename="../app/probing/ProbeScheduler.cpp" line="159" />
        <source>DNS: no answer for %1 within %2 s</source>
        <translation>DNS : aucune réponse pour %1 en %2 s</translation>
    </message>
</context>
<context>
    <name>certdash::Proxy</name>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="96" />
        <source>%1: %2 is not a usable proxy: %3</source>
        <translation>%1 : %2 n'est pas un proxy utilisable : %3</translation>
    </message>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="100" />
        <source>it is empty</source>
        <translation>il est vide</translation>
    </message>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="105" />
        <source>expected http://[user@]host:port, socks5://[user@]host:port or socks5h://[user@]host:port</source>
        <translation>attendu : http://[user@]host:port, socks5://[user@]host:port ou socks5h://[user@]host:port</translation>
    </message>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="116" />
        <source>the scheme %1 is not supported (http, socks5 or socks5h)</source>
        <translation>le schéma %1 n'est pas pris en charge (http, socks5 ou socks5h)</translation>
    </message>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="119" />
        <source>a proxy URL has no path</source>
        <translation>une URL de proxy ne comporte pas de chemin</translation>
    </message>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="121" />
        <source>a proxy URL has no query or fragment</source>
        <translation>une URL de proxy ne comporte ni requête ni fragment</translation>
    </message>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="124" />
        <source>the host is not a valid name or address</source>
        <translation>l'hôte n'est ni un nom ni une adresse valide</translation>
    </message>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="127" />
        <source>the port must be from 1 to 65535</source>
        <translation>le port doit être compris entre 1 et 65535</translation>
    </message>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="135" />
        <source>%1: %2: a password does not belong in a proxy URL (it would show in process lists and shell history); store it with `certdash secret set %3` or set %4 for a run without a keychain</source>
        <translation>%1 : %2 : un mot de passe n'a pas sa place dans une URL de proxy (il apparaîtrait dans la liste des processus et l'historique du shell) ; enregistrez-le avec `certdash secret set %3` ou définissez %4 pour une exécution sans trousseau</translation>
    </message>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="272" />
        <source>the proxy of %1</source>
        <translation>le proxy de %1</translation>
    </message>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="340" />
        <source>the proxy %1 (from %2) needs a password: %3</source>
        <translation>le proxy %1 (issu de %2) nécessite un mot de passe : %3</translation>
    </message>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="353" />
        <source>proxy %1 refused the connection</source>
        <translation>le proxy %1 a refusé la connexion</translation>
    </message>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="355" />
        <source>proxy %1 not found</source>
        <translation>proxy %1 introuvable</translation>
    </message>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="358" />
        <source>proxy %1 did not answer in time</source>
        <translation>le proxy %1 n'a pas répondu à temps</translation>
    </message>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="363" />
        <source>proxy %1 requires authentication: give the user in the URL (%2://USER@%3:%4) and store its password</source>
        <translation>le proxy %1 exige une authentification : indiquez l'utilisateur dans l'URL (%2://UTILISATEUR@%3:%4) et enregistrez son mot de passe</translation>
    </message>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="367" />
        <source>proxy %1 refused the user name or password (authentication failed)</source>
        <translation>le proxy %1 a refusé le nom d'utilisateur ou le mot de passe (échec de l'authentification)</translation>
    </message>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="372" />
        <source>proxy %1 closed the connection before the tunnel to %2 was open</source>
        <translation>le proxy %1 a fermé la connexion avant l'ouverture du tunnel vers %2</translation>
    </message>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="380" />
        <source>proxy %1 did not open a tunnel to %2: %3</source>
        <translation>le proxy %1 n'a pas ouvert de tunnel vers %2 : %3</translation>
    </message>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="382" />
        <source>proxy %1 did not open a tunnel to %2 (%3): check the password of %4 at this proxy (a proxy may answer a wrong one this way), and whether it allows this destination</source>
        <translation>le proxy %1 n'a pas ouvert de tunnel vers %2 (%3) : vérifiez le mot de passe de %4 sur ce proxy (un proxy peut répondre ainsi à un mot de passe erroné), et s'il autorise cette destination</translation>
    </message>
    <message>
        <location filename="../app/probing/ProxySettings.cpp" line="391" />
        <source>cannot connect to %1 through proxy %2: %3</source>
        <translation>impossible de se connecter à %1 via le proxy %2 : %3</translation>
    </message>
</context>
<context>
    <name>certdash::Renewal</name>
    <message>
        <location filename="../app/renewal/RenewalFiles.cpp" line="30" />
        <source>%1 already exists; nothing was written</source>
        <translation>%1 existe déjà ; rien n'a été écrit</translation>
    </message>
    <message>
        <location filename="../app/renewal/RenewalFiles.cpp" line="49" />
        <source>%1; no key was written (a key is only written encrypted, with its passphrase in the keychain)</source>
        <translation>%1 ; aucune clé n'a été écrite (une clé n'est écrite que chiffrée, avec sa phrase secrète dans le trousseau)</translation>
    </message>
    <message>
        <location filename="../app/renewal/RenewalFiles.cpp" line="57" />
        <source>cannot create %1</source>
        <translation>impossible de créer %1</translation>
    </message>
    <message>
        <location filename="../app/renewal/RenewalRequest.cpp" line="86" />
        <source>the certificate's public key cannot be read</source>
        <translation>la clé publique du certificat est illisible</translation>
    </message>
    <message>
        <location filename="../app/renewal/RenewalRequest.cpp" line="100" />
        <source>the certificate's EC key has no named curve</source>
        <translation>la clé EC du certificat n'a pas de courbe nommée</translation>
    </message>
    <message>
        <location filename="../app/renewal/RenewalRequest.cpp" line="114" />
        <source>the certificate's key type (%1) cannot be renewed like for like</source>
        <translation>le type de clé du certificat (%1) ne peut pas être renouvelé à l'identique</translation>
    </message>
    <message>
        <location filename="../app/renewal/RenewalRequest.cpp" line="123" />
        <source>no passphrase for the new key: it is never written unencrypted</source>
        <translation>aucune phrase secrète pour la nouvelle clé : elle n'est jamais écrite en clair</translation>
    </message>
    <message>
        <location filename="../app/renewal/RenewalRequest.cpp" line="133" />
        <source>cannot make a %1 key: %2</source>
        <translation>impossible de générer une clé %1 : %2</translation>
    </message>
    <message>
        <location filename="../app/renewal/RenewalRequest.cpp" line="155" />
        <source>cannot build the CSR: %1</source>
        <translation>impossible de construire la CSR : %1</translation>
    </message>
    <message>
        <location filename="../app/renewal/RenewalRequest.cpp" line="165" />
        <source>cannot write the key or the CSR: %1</source>
        <translation>impossible d'écrire la clé ou la CSR : %1</translation>
    </message>
</context>
<context>
    <name>certdash::Reports</name>
    <message>
        <location filename="../app/cli/ScanReport.cpp" line="19" />
        <location filename="../app/reports/Report.cpp" line="56" />
        <source>cannot write %1: %2</source>
        <translation>impossible d'écrire %1 : %2</translation>
    </message>
    <message>
        <location filename="../app/reports/Spool.cpp" line="41" />
        <source>the report's temporary file %1: %2</source>
        <translation>le fichier temporaire du rapport %1 : %2</translation>
    </message>
</context>
<context>
    <name>certdash::Revocation</name>
    <message>
        <location filename="../app/probing/QtTlsProber.cpp" line="308" />
        <location filename="../app/probing/RevocationCheck.cpp" line="60" />
        <source>stapled response not verifiable: %1</source>
        <translation>réponse agrafée non vérifiable : %1</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="40" />
        <source>the OCSP response is not readable</source>
        <translation>la réponse OCSP est illisible</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="45" />
        <source>the OCSP responder answered "%1"</source>
        <translation>le répondeur OCSP a répondu "%1"</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="51" />
        <source>the OCSP response is not a basic response</source>
        <translation>la réponse OCSP n'est pas une réponse de base (basic)</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="73" />
        <source>the %1 has no readable thisUpdate</source>
        <translation>la %1 n'a pas de champ thisUpdate lisible</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="75" />
        <source>the %1 is dated in the future (thisUpdate %2)</source>
        <translation>la %1 est datée dans le futur (thisUpdate %2)</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="78" />
        <source>the %1 is out of date (nextUpdate %2)</source>
        <translation>la %1 est périmée (nextUpdate %2)</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="88" />
        <source>unspecified</source>
        <translation>motif non spécifié</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="90" />
        <source>key compromise</source>
        <translation>compromission de la clé</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="92" />
        <source>CA compromise</source>
        <translation>compromission de l'AC</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="94" />
        <source>affiliation changed</source>
        <translation>changement d'affiliation</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="96" />
        <source>superseded</source>
        <translation>certificat remplacé</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="98" />
        <source>cessation of operation</source>
        <translation>cessation d'activité</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="100" />
        <source>certificate hold</source>
        <translation>certificat suspendu</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="102" />
        <source>remove from CRL</source>
        <translation>retrait de la liste de révocation (CRL)</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="104" />
        <source>privilege withdrawn</source>
        <translation>privilège retiré</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="106" />
        <source>AA compromise</source>
        <translation>compromission de l'AA</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="132" />
        <source>the OCSP response's signature does not verify against the issuer %1 (%2)</source>
        <translation>la vérification de la signature de la réponse OCSP avec l'émetteur %1 a échoué (%2)</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="135" />
        <source>no signer</source>
        <translation>aucun signataire</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="146" />
        <source>the OCSP response is about another certificate (serial %1 not in it)</source>
        <translation>la réponse OCSP concerne un autre certificat (numéro de série %1 absent)</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="153" />
        <source>OCSP response</source>
        <translation>réponse OCSP</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="185" />
        <source>the CRL is not readable (neither DER nor PEM)</source>
        <translation>la liste de révocation (CRL) est illisible (ni DER ni PEM)</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="218" />
        <source>the CRL is issued by %1, not by the certificate's issuer %2</source>
        <translation>la liste de révocation (CRL) est émise par %1, et non par l'émetteur du certificat %2</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="225" />
        <source>the CRL's signature does not verify against the issuer %1</source>
        <translation>la vérification de la signature de la liste de révocation (CRL) avec l'émetteur %1 a échoué</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="231" />
        <source>CRL</source>
        <translation>liste de révocation (CRL)</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="271" />
        <source>the stapled OCSP response</source>
        <translation>la réponse OCSP agrafée</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="273" />
        <source>the CRL %1</source>
        <translation>la liste de révocation (CRL) %1</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="274" />
        <source>the OCSP responder %1</source>
        <translation>le répondeur OCSP %1</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="280" />
        <source>no reason given</source>
        <translation>motif non indiqué</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="282" />
        <source>an unknown date</source>
        <translation>date inconnue</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="286" />
        <source>revoked: %1 says the certificate was revoked on %2 (%3)</source>
        <translation>révoqué : selon %1, le certificat a été révoqué (%2, %3)</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="292" />
        <source>OCSP unknown: %1 does not know the certificate</source>
        <translation>statut OCSP inconnu : %1 ne connaît pas le certificat</translation>
    </message>
    <message>
        <location filename="../app/probing/Revocation.cpp" line="297" />
        <source>revocation unchecked: %1</source>
        <translation>révocation non vérifiée : %1</translation>
    </message>
    <message>
        <location filename="../app/probing/RevocationCache.cpp" line="32" />
        <source>no answer within %1 s</source>
        <translation>aucune réponse dans un délai de %1 s</translation>
    </message>
    <message>
        <location filename="../app/probing/RevocationCache.cpp" line="67" />
        <location filename="../app/probing/RevocationCache.cpp" line="84" />
        <source>the answer is larger than %1 KiB</source>
        <translation>la réponse dépasse %1 Kio</translation>
    </message>
    <message>
        <location filename="../app/probing/RevocationCache.cpp" line="80" />
        <source>HTTP status %1</source>
        <translation>statut HTTP %1</translation>
    </message>
    <message>
        <location filename="../app/probing/RevocationCheck.cpp" line="54" />
        <source>the stapled OCSP response cannot be verified: the certificate's issuer is not known</source>
        <translation>la réponse OCSP agrafée ne peut pas être vérifiée : l'émetteur du certificat est inconnu</translation>
    </message>
    <message>
        <location filename="../app/probing/RevocationCheck.cpp" line="86" />
        <source>the certificate names no OCSP responder or CRL (over http)</source>
        <translation>le certificat n'indique ni répondeur OCSP ni liste de révocation (CRL) accessible en http</translation>
    </message>
    <message>
        <location filename="../app/probing/RevocationCheck.cpp" line="93" />
        <source>the certificate's issuer is not known, so no answer about it can be verified</source>
        <translation>l'émetteur du certificat est inconnu, donc aucune réponse le concernant ne peut être vérifiée</translation>
    </message>
    <message>
        <location filename="../app/probing/RevocationCheck.cpp" line="99" />
        <source>no OCSP responder</source>
        <translation>aucun répondeur OCSP</translation>
    </message>
    <message>
        <location filename="../app/probing/RevocationCheck.cpp" line="114" />
        <source>OCSP responder %1 unreachable: %2</source>
        <translation>répondeur OCSP %1 injoignable : %2</translation>
    </message>
    <message>
        <location filename="../app/probing/RevocationCheck.cpp" line="124" />
        <source>OCSP responder %1: %2</source>
        <translation>répondeur OCSP %1 : %2</translation>
    </message>
    <message>
        <location filename="../app/probing/RevocationCheck.cpp" line="132" />
        <source>%1; no CRL</source>
        <translation>%1 ; aucune liste de révocation (CRL)</translation>
    </message>
    <message>
        <location filename="../app/probing/RevocationCheck.cpp" line="144" />
        <source>%1; CRL %2 unreachable: %3</source>
        <translation>%1 ; liste de révocation (CRL) %2 injoignable : %3</translation>
    </message>
    <message>
        <location filename="../app/probing/RevocationCheck.cpp" line="149" />
        <source>%1; CRL %2: %3</source>
        <translation>%1 ; liste de révocation (CRL) %2 : %3</translation>
    </message>
</context>
<context>
    <name>certdash::ScanRunText</name>
    <message>
        <location filename="../ui/widgets/ScanRunText.cpp" line="21" />
        <source>Last scheduled scan: %1</source>
        <translation>Dernière analyse planifiée : %1</translation>
    </message>
    <message>
        <location filename="../ui/widgets/ScanRunText.cpp" line="22" />
        <source>Last command-line scan: %1</source>
        <translation>Dernière analyse en ligne de commande : %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/widgets/ScanRunText.cpp" line="23" />
        <source>%1, %n target(s)</source>
        <translation>
            <numerusform>%1, %n cible</numerusform>
            <numerusform>%1, %n cibles</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/widgets/ScanRunText.cpp" line="25" />
        <source>all ok</source>
        <translation>tout est OK</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/widgets/ScanRunText.cpp" line="26" />
        <source>%n need(s) attention</source>
        <translation>
            <numerusform>%n à traiter</numerusform>
            <numerusform>%n à traiter</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/widgets/ScanRunText.cpp" line="33" />
        <source>exit code 0: all ok</source>
        <translation>code de sortie 0 : tout est OK</translation>
    </message>
    <message>
        <location filename="../ui/widgets/ScanRunText.cpp" line="36" />
        <source>exit code 1: the worst is a warning or an overdue rotation</source>
        <translation>code de sortie 1 : le pire état est un avertissement ou une rotation en retard</translation>
    </message>
    <message>
        <location filename="../ui/widgets/ScanRunText.cpp" line="39" />
        <source>exit code %1: something is critical, expired, not trusted or could not be probed</source>
        <translation>code de sortie %1 : un élément est critique, expiré, non approuvé ou n'a pas pu être sondé</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/widgets/ScanRunText.cpp" line="44" />
        <source>certdash scan of this store (%1), from %2 to %3:
%n endpoint address(es) probed; %4</source>
        <translation>
            <numerusform>certdash scan sur cette base de données (%1), du %2 au %3 :
%n adresse d'hôte sondée ; %4</numerusform>
            <numerusform>certdash scan sur cette base de données (%1), du %2 au %3 :
%n adresses d'hôtes sondées ; %4</numerusform>
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
        <translation>ligne de commande</translation>
    </message>
</context>
<context>
    <name>certdash::SecretStore</name>
    <message numerus="yes">
        <location filename="../app/secrets/KeychainSecretStore.cpp" line="53" />
        <source>the keychain did not answer within %n second(s)</source>
        <translation>
            <numerusform>le trousseau n'a pas répondu en %n seconde</numerusform>
            <numerusform>le trousseau n'a pas répondu en %n secondes</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/secrets/KeychainSecretStore.cpp" line="63" />
        <source>error %1</source>
        <translation>erreur %1</translation>
    </message>
    <message>
        <location filename="../app/secrets/KeychainSecretStore.cpp" line="65" />
        <source>the keychain is not usable: %1</source>
        <translation>le trousseau est inutilisable : %1</translation>
    </message>
    <message>
        <location filename="../app/secrets/KeychainSecretStore.cpp" line="81" />
        <location filename="../app/secrets/KeychainSecretStore.cpp" line="102" />
        <source>the keychain has no entry named "%1"</source>
        <translation>le trousseau n'a aucune entrée nommée "%1"</translation>
    </message>
    <message>
        <location filename="../app/secrets/KeychainSecretStore.cpp" line="92" />
        <source>: nothing was stored</source>
        <translation> : rien n'a été enregistré</translation>
    </message>
    <message>
        <location filename="../app/secrets/SecretStore.cpp" line="19" />
        <location filename="../app/secrets/SecretStore.cpp" line="27" />
        <location filename="../app/secrets/SecretStore.cpp" line="53" />
        <source>no keychain is available to this program</source>
        <translation>aucun trousseau n'est disponible pour ce programme</translation>
    </message>
    <message>
        <location filename="../app/secrets/SecretStore.cpp" line="23" />
        <source>no keychain is available to this program: nothing was stored</source>
        <translation>aucun trousseau n'est disponible pour ce programme : rien n'a été enregistré</translation>
    </message>
    <message>
        <location filename="../app/secrets/SecretStore.cpp" line="59" />
        <source>no secret named "%1" (%2): store it with `certdash secret set %1` (it reads the secret from standard input), or set %3 for a run without a keychain</source>
        <translation>aucun secret nommé "%1" (%2) : enregistrez-le avec `certdash secret set %1` (qui lit le secret sur l'entrée standard), ou définissez %3 pour une exécution sans trousseau</translation>
    </message>
</context>
<context>
    <name>certdash::Settings</name>
    <message>
        <location filename="../app/storage/Settings.cpp" line="119" />
        <source>Warning threshold must be between 0 and 3650 days.</source>
        <translation>Le seuil d'avertissement doit être compris entre 0 et 3650 jours.</translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="121" />
        <source>Critical threshold must be between 0 and 3650 days.</source>
        <translation>Le seuil critique doit être compris entre 0 et 3650 jours.</translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="123" />
        <source>The critical threshold (%1 days) must not exceed the warning threshold (%2 days).</source>
        <translation>Le seuil critique (%1 jours) ne doit pas dépasser le seuil d'avertissement (%2 jours).</translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="128" />
        <source>Rotation period must be between 1 and 3650 days, or empty.</source>
        <translation>La période de rotation doit être comprise entre 1 et 3650 jours, ou vide.</translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="130" />
        <source>Probe interval must be between 0 (off) and 10080 minutes (a week).</source>
        <translation>L'intervalle de sondage doit être compris entre 0 (désactivé) et 10080 minutes (une semaine).</translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="132" />
        <source>Concurrency must be between 1 and 10000.</source>
        <translation>Le nombre de sondages simultanés doit être compris entre 1 et 10000.</translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="134" />
        <source>Timeout must be more than 0 and at most 3600 seconds.</source>
        <translation>Le délai par sondage doit être supérieur à 0 et d'au plus 3600 secondes.</translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="138" />
        <source>Trust anchor file %1 cannot be read.</source>
        <translation>Le fichier d'ancres de confiance %1 est illisible.</translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="141" />
        <source>Without the system trust store, at least one trust anchor file is needed.</source>
        <translation>Sans le magasin de certificats système, au moins un fichier d'ancres de confiance est nécessaire.</translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="144" />
        <source>History must keep every probe at least 1 day, and daily probes at least as long.</source>
        <translation>L'historique doit conserver chaque sondage au moins 1 jour, et les sondages quotidiens au moins aussi longtemps.</translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="147" />
        <source>Probe failures must count after 1 to 100 failures in a row.</source>
        <translation>L'alerte de panne doit se déclencher après 1 à 100 échecs de sondage consécutifs.</translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="149" />
        <source>The event log %1 is a directory; give a file name.</source>
        <translation>Le journal d'événements %1 est un répertoire ; indiquez un nom de fichier.</translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="153" />
        <source>The %1 %2 is not an absolute path.</source>
        <translation>Le chemin %2 (%1) n'est pas absolu.</translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="155" />
        <source>The %1 %2 cannot be read.</source>
        <translation>Le fichier %2 (%1) est illisible.</translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="158" />
        <source>There is no translation for the language %1.</source>
        <translation>Aucune traduction n'existe pour la langue %1.</translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="160" />
        <source>client certificate</source>
        <translation>certificat client</translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="163" />
        <source>A client key needs its client certificate.</source>
        <translation>Une clé client nécessite son certificat client.</translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="164" />
        <source>client key</source>
        <translation>clé client</translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="182" />
        <source>The Prometheus URL "%1" is not an http:// or https:// URL with a host.</source>
        <translation>L'URL Prometheus "%1" n'est pas une URL http:// ou https:// comportant un hôte.</translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="186" />
        <source>The Prometheus URL %1 holds a user or password; give them under Authentication instead (the password goes to the keychain).</source>
        <translation>L'URL Prometheus %1 contient un nom d'utilisateur ou un mot de passe ; indiquez-les plutôt sous Authentification (le mot de passe est placé dans le trousseau).</translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="190" />
        <source>Unknown authentication "%1" for %2.</source>
        <translation>Authentification "%1" inconnue pour %2.</translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="192" />
        <source>Basic authentication for %1 needs a user name.</source>
        <translation>L'authentification Basic pour %1 nécessite un nom d'utilisateur.</translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="196" />
        <source>The CA file %1 for %2 cannot be read.</source>
        <translation>Le fichier d'AC %1 pour %2 est illisible.</translation>
    </message>
    <message>
        <location filename="../app/storage/Settings.cpp" line="199" />
        <source>The read interval of %1 must be between 10 seconds and a day.</source>
        <translation>L'intervalle de lecture de %1 doit être compris entre 10 secondes et un jour.</translation>
    </message>
</context>
<context>
    <name>certdash::SettingsDialog</name>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="39" />
        <source> days</source>
        <translation> jours</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="63" />
        <source>Settings</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="65" />
        <source>Default thresholds</source>
        <translation>Seuils par défaut</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="70" />
        <source>none</source>
        <translation>aucune</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="71" />
        <source>&amp;Warning below:</source>
        <translation>A&amp;vertissement sous :</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="72" />
        <source>&amp;Critical below:</source>
        <translation>Criti&amp;que sous :</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="73" />
        <source>Expected &amp;rotation period:</source>
        <translation>Période de &amp;rotation prévue :</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="74" />
        <source>Capped at 1/3 and 1/6 of each certificate's lifetime. Targets and tags can override these.</source>
        <translation>Plafonnés à 1/3 et 1/6 de la durée de vie de chaque certificat. Les cibles et les étiquettes peuvent les remplacer.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="80" />
        <source>Probing</source>
        <translation>Sondage</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="85" />
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="86" />
        <source>off</source>
        <translation>désactivé</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="94" />
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="95" />
        <source>Re-probe &amp;every:</source>
        <translation>&amp;Intervalle de sondage :</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="96" />
        <source>Probes in &amp;flight:</source>
        <translation>&amp;Sondages simultanés :</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="99" />
        <source>OpenSSL (fastest)</source>
        <translation>OpenSSL (le plus rapide)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="100" />
        <source>Qt (QSslSocket, cross-check)</source>
        <translation>Qt (QSslSocket, contre-vérification)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="101" />
        <source>The TLS client that does the handshakes. Both give the same results; OpenSSL is faster, Qt is an independent check of it.</source>
        <translation>Le client TLS qui effectue les négociations. Les deux donnent les mêmes résultats ; OpenSSL est plus rapide, Qt en est une vérification indépendante.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="103" />
        <source>&amp;Timeout per probe:</source>
        <translation>&amp;Délai par sondage :</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="104" />
        <source>T&amp;LS engine:</source>
        <translation>Moteur T&amp;LS :</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="113" />
        <location filename="../ui/widgets/SettingsDialog.cpp" line="130" />
        <source>Trust anchors</source>
        <translation>Ancres de confiance</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="115" />
        <source>Trust the &amp;system certificate store</source>
        <translation>Faire confiance au &amp;magasin de certificats système</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="120" />
        <source>&amp;Add PEM file...</source>
        <translation>A&amp;jouter un fichier PEM...</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="121" />
        <source>Re&amp;move</source>
        <translation>Re&amp;tirer</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="204" />
        <source>Client cert&amp;ificate:</source>
        <translation>Certi&amp;ficat client :</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="130" />
        <source>PEM certificates (*.pem *.crt);;All files (*)</source>
        <translation>Certificats PEM (*.pem *.crt);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="105" />
        <source>Check revocatio&amp;n online (OCSP, else CRL)</source>
        <translation>Vérifier la rév&amp;ocation en ligne (OCSP, sinon liste de révocation (CRL))</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="108" />
        <source>Ask each certificate's OCSP responder, else its CRL, whether it was revoked. A stapled OCSP response is read either way; without this, an unanswered check is never an alert.</source>
        <translation>Interroger le répondeur OCSP de chaque certificat, ou à défaut sa liste de révocation (CRL), pour savoir s'il a été révoqué. Une réponse OCSP agrafée est lue dans tous les cas ; sans cette option, une vérification restée sans réponse ne déclenche jamais d'alerte.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="140" />
        <source>History</source>
        <translation>Historique</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="144" />
        <source>Keep every probe for:</source>
        <translation>Conserver chaque sondage pendant :</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="145" />
        <source>Then one a day for:</source>
        <translation>Puis un par jour pendant :</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="147" />
        <source>Alerts</source>
        <translation>Alertes</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="154" />
        <source>no event log</source>
        <translation>aucun journal d'événements</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="156" />
        <source>C&amp;hoose...</source>
        <translation>C&amp;hoisir...</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="161" />
        <source>&amp;Outage alerts after failures in a row:</source>
        <translation>Échecs consécutifs avant alerte de &amp;panne :</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="162" />
        <source>E&amp;vent log (JSON lines):</source>
        <translation>Journal d'évé&amp;nements (lignes JSON) :</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="166" />
        <source>Event log</source>
        <translation>Journal d'événements</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="166" />
        <source>JSON lines (*.jsonl);;All files (*)</source>
        <translation>Lignes JSON (*.jsonl);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="172" />
        <source>Connection (targets may set their own)</source>
        <translation>Connexion (les cibles peuvent définir la leur)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="177" />
        <source>Browse...</source>
        <translation>Parcourir...</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="190" />
        <source>none; a PEM certificate or a PKCS#12 file</source>
        <translation>aucun ; un certificat PEM ou un fichier PKCS#12</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="193" />
        <source>the PEM key, unless the certificate file holds it</source>
        <translation>la clé PEM, sauf si le fichier du certificat la contient</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="196" />
        <source>the environment's (https_proxy); a URL; or direct</source>
        <translation>celui de l'environnement (https_proxy) ; une URL ; ou direct</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="197" />
        <source>Passphrase in keychain...</source>
        <translation>Phrase secrète dans le trousseau...</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="199" />
        <source>Password in keychain...</source>
        <translation>Mot de passe dans le trousseau...</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="205" />
        <source>Client certificate</source>
        <translation>Certificat client</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="206" />
        <source>Certificates (*.pem *.crt *.p12 *.pfx);;All files (*)</source>
        <translation>Certificats (*.pem *.crt *.p12 *.pfx);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="207" />
        <source>Client &amp;key:</source>
        <translation>&amp;Clé client :</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="208" />
        <source>Client key</source>
        <translation>Clé client</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="209" />
        <source>Keys (*.pem *.key);;All files (*)</source>
        <translation>Clés (*.pem *.key);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="211" />
        <source>Pro&amp;xy:</source>
        <translation>Pro&amp;xy :</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="217" />
        <source>the passphrase of %1</source>
        <translation>la phrase secrète de %1</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="223" />
        <source>Proxy password</source>
        <translation>Mot de passe du proxy</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="224" />
        <source>Give the proxy as a URL with a user name first, such as http://alice@proxy.example:3128.</source>
        <translation>Indiquez d'abord le proxy sous forme d'URL avec un nom d'utilisateur, par exemple http://alice@proxy.example:3128.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="228" />
        <source>the password of %1</source>
        <translation>le mot de passe de %1</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="238" />
        <source>Language</source>
        <translation>Langue</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="244" />
        <source>System default (%1)</source>
        <translation>Langue du système (%1)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="247" />
        <source>Lan&amp;guage:</source>
        <translation>Lan&amp;gue :</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="248" />
        <source>Takes effect when CertDash starts again.</source>
        <translation>Prend effet au prochain démarrage de CertDash.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="368" />
        <location filename="../ui/widgets/SettingsDialog.cpp" line="378" />
        <location filename="../ui/widgets/SettingsDialog.cpp" line="380" />
        <source>Keychain</source>
        <translation>Trousseau</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="369" />
        <source>Enter %1. It is kept in the system keychain only, as "%2".</source>
        <translation>Saisissez %1. Cette valeur est conservée uniquement dans le trousseau du système, sous le nom "%2".</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="378" />
        <source>Stored %1 in the keychain.</source>
        <translation>Enregistré dans le trousseau : %1.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SettingsDialog.cpp" line="381" />
        <source>Nothing was stored: %1</source>
        <translation>Rien n'a été enregistré : %1</translation>
    </message>
</context>
<context>
    <name>certdash::SnoozeMenu</name>
    <message>
        <location filename="../ui/widgets/SnoozeMenu.cpp" line="13" />
        <source>S&amp;nooze alerts</source>
        <translation>Reporter les &amp;alertes</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SnoozeMenu.cpp" line="16" />
        <source>For 1 &amp;day</source>
        <translation>Pendant 1 &amp;jour</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SnoozeMenu.cpp" line="17" />
        <source>For 1 &amp;week</source>
        <translation>Pendant 1 &amp;semaine</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SnoozeMenu.cpp" line="19" />
        <source>&amp;Until renewed (acknowledge)</source>
        <translation>Jusqu'au re&amp;nouvellement (acquitter)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SnoozeMenu.cpp" line="21" />
        <source>&amp;Resume alerts</source>
        <translation>&amp;Reprendre les alertes</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SnoozeMenu.cpp" line="83" />
        <source>Snooze alerts</source>
        <translation>Reporter les alertes</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SnoozeMenu.cpp" line="84" />
        <source>The snooze could not be saved: %1</source>
        <translation>Le report n'a pas pu être enregistré : %1</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SnoozeMenu.cpp" line="99" />
        <source>Alerts snoozed until a new certificate is served (acknowledged).</source>
        <translation>Alertes reportées jusqu'à la présentation d'un nouveau certificat (acquittées).</translation>
    </message>
    <message>
        <location filename="../ui/widgets/SnoozeMenu.cpp" line="100" />
        <source>Alerts snoozed until %1.</source>
        <translation>Alertes reportées jusqu'au %1.</translation>
    </message>
</context>
<context>
    <name>certdash::StartTlsDialogue</name>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="98" />
        <source>waiting for the SMTP greeting</source>
        <translation>en attente du message d'accueil SMTP</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="100" />
        <source>waiting for the EHLO reply</source>
        <translation>en attente de la réponse à EHLO</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="102" />
        <location filename="../app/probing/StartTls.cpp" line="177" />
        <source>waiting for the STARTTLS reply</source>
        <translation>en attente de la réponse à STARTTLS</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="117" />
        <source>SMTP server refused the session: %1</source>
        <translation>le serveur SMTP a refusé la session : %1</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="122" />
        <source>SMTP server rejected EHLO: %1</source>
        <translation>le serveur SMTP a rejeté EHLO : %1</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="127" />
        <source>SMTP server does not offer STARTTLS</source>
        <translation>le serveur SMTP ne propose pas STARTTLS</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="133" />
        <source>SMTP server refused STARTTLS: %1</source>
        <translation>le serveur SMTP a refusé STARTTLS : %1</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="148" />
        <source>waiting for the AUTH TLS reply</source>
        <translation>en attente de la réponse à AUTH TLS</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="148" />
        <source>waiting for the FTP greeting</source>
        <translation>en attente du message d'accueil FTP</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="160" />
        <source>FTP server refused the session: %1</source>
        <translation>le serveur FTP a refusé la session : %1</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="165" />
        <source>FTP server refused AUTH TLS: %1</source>
        <translation>le serveur FTP a refusé AUTH TLS : %1</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="177" />
        <source>waiting for the IMAP greeting</source>
        <translation>en attente du message d'accueil IMAP</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="187" />
        <source>IMAP server refused the session: %1</source>
        <translation>le serveur IMAP a refusé la session : %1</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="195" />
        <source>IMAP server refused STARTTLS: %1</source>
        <translation>le serveur IMAP a refusé STARTTLS : %1</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="208" />
        <source>waiting for the STLS reply</source>
        <translation>en attente de la réponse à STLS</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="208" />
        <source>waiting for the POP3 greeting</source>
        <translation>en attente du message d'accueil POP3</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="219" />
        <source>POP3 server refused the session: %1</source>
        <translation>le serveur POP3 a refusé la session : %1</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="224" />
        <source>POP3 server refused STLS: %1</source>
        <translation>le serveur POP3 a refusé STLS : %1</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="252" />
        <source>waiting for the LDAP StartTLS response</source>
        <translation>en attente de la réponse LDAP à StartTLS</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="260" />
        <source>LDAP server sent something that is not an LDAP message</source>
        <translation>le serveur LDAP a envoyé autre chose qu'un message LDAP</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="269" />
        <source>LDAP response has no message ID</source>
        <translation>la réponse LDAP n'a pas d'identifiant de message</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="272" />
        <source>LDAP server did not answer the StartTLS request</source>
        <translation>le serveur LDAP n'a pas répondu à la requête StartTLS</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="276" />
        <source>LDAP response has no result code</source>
        <translation>la réponse LDAP n'a pas de code de résultat</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="281" />
        <source>LDAP server refused StartTLS (result code %1)</source>
        <translation>le serveur LDAP a refusé StartTLS (code de résultat %1)</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="338" />
        <source>waiting for the XMPP &lt;proceed/&gt;</source>
        <translation>en attente du &lt;proceed/&gt; XMPP</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="339" />
        <source>waiting for the XMPP stream features</source>
        <translation>en attente des fonctionnalités de flux XMPP</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="347" />
        <source>XMPP server closed the stream: %1</source>
        <translation>le serveur XMPP a fermé le flux : %1</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="356" />
        <source>XMPP server does not offer STARTTLS</source>
        <translation>le serveur XMPP ne propose pas STARTTLS</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="369" />
        <source>XMPP server refused STARTTLS</source>
        <translation>le serveur XMPP a refusé STARTTLS</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="379" />
        <source>waiting for the PostgreSQL SSLRequest answer</source>
        <translation>en attente de la réponse PostgreSQL à SSLRequest</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="392" />
        <source>PostgreSQL server does not accept TLS connections</source>
        <translation>le serveur PostgreSQL n'accepte pas les connexions TLS</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="394" />
        <source>PostgreSQL server answered the SSLRequest with an error</source>
        <translation>le serveur PostgreSQL a répondu à SSLRequest par une erreur</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="395" />
        <source>PostgreSQL server sent an unexpected answer to the SSLRequest</source>
        <translation>le serveur PostgreSQL a envoyé une réponse inattendue à SSLRequest</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="428" />
        <source>server sent data after the dialogue ended</source>
        <translation>le serveur a envoyé des données après la fin du dialogue</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="434" />
        <source>server sent more than %1 KiB without completing STARTTLS</source>
        <translation>le serveur a envoyé plus de %1 Kio sans mener STARTTLS à terme</translation>
    </message>
    <message>
        <location filename="../app/probing/StartTls.cpp" line="444" />
        <source>server sent unexpected data after agreeing to STARTTLS</source>
        <translation>le serveur a envoyé des données inattendues après avoir accepté STARTTLS</translation>
    </message>
</context>
<context>
    <name>certdash::SystemResolver</name>
    <message>
        <location filename="../app/probing/HostResolver.cpp" line="177" />
        <source>cannot start a lookup: %1</source>
        <translation>impossible de lancer la résolution de nom : %1</translation>
    </message>
</context>
<context>
    <name>certdash::TargetEditDialog</name>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="42" />
        <source>Browse...</source>
        <translation>Parcourir...</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="59" />
        <source>Add target</source>
        <translation>Ajouter une cible</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="60" />
        <source>optional label</source>
        <translation>libellé facultatif</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="61" />
        <source>example.com, 192.0.2.7 or [2001:db8::1]</source>
        <translation>example.com, 192.0.2.7 ou [2001:db8::1]</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="62" />
        <source>default for the protocol</source>
        <translation>par défaut : celui du protocole</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="63" />
        <source>default: the host name</source>
        <translation>par défaut : le nom d'hôte</translation>
    </message>
    <message>
        <source>Send &amp;no server name (SNI)</source>
        <translation type="vanished">Ne pas envo&amp;yer de nom de serveur (SNI)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="66" />
        <source>default: resolve the host</source>
        <translation>par défaut : résolution de l'hôte</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="69" />
        <source>none (implicit TLS)</source>
        <translation>aucun (TLS implicite)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="72" />
        <source>comma separated</source>
        <translation>séparées par des virgules</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="78" />
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="79" />
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="80" />
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="102" />
        <source>inherit</source>
        <translation>hérité</translation>
    </message>
    <message>
        <source>&amp;Probe this target</source>
        <translation type="vanished">Son&amp;der cette cible</translation>
    </message>
    <message>
        <source>&amp;Enabled: probe this target in scans</source>
        <translation type="vanished">Activ&amp;ée : sonder cette cible lors des analyses</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="83" />
        <source>A disabled target stays in the inventory but is never probed.</source>
        <translation>Une cible désactivée reste dans l'inventaire mais n'est jamais sondée.</translation>
    </message>
    <message>
        <source>Accept a self-signed or &amp;private-CA certificate (meant to be so)</source>
        <translation type="vanished">Accepter un certificat a&amp;uto-signé ou d'AC privée (voulu)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="89" />
        <source>accept an untrusted chain from this issuer, e.g. CN=Example CA</source>
        <translation>accepter une chaîne non approuvée de cet émetteur, p. ex. CN=Example CA</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="91" />
        <source>accept only this certificate: SHA-256, 64 hex digits</source>
        <translation>n'accepter que ce certificat : SHA-256, 64 chiffres hexadécimaux</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="93" />
        <source>inherit; a PEM certificate or a PKCS#12 file</source>
        <translation>hérité ; un certificat PEM ou un fichier PKCS#12</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="95" />
        <source>the PEM key, unless the certificate file holds it</source>
        <translation>la clé PEM, sauf si le fichier du certificat la contient</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="97" />
        <source>inherit; http://host:port, socks5://host:port or direct</source>
        <translation>hérité ; http://host:port, socks5://host:port ou direct</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="98" />
        <source>No password here: CertDash asks the system keychain for it.</source>
        <translation>Pas de mot de passe ici : CertDash le demande au trousseau du système.</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="107" />
        <source>&amp;Host:</source>
        <translation>&amp;Hôte :</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="108" />
        <source>&amp;Port:</source>
        <translation>&amp;Port :</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="109" />
        <source>&amp;Name:</source>
        <translation>&amp;Nom :</translation>
    </message>
    <message>
        <source>S&amp;NI:</source>
        <translation type="vanished">SN&amp;I :</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="112" />
        <source>Pinned &amp;addresses:</source>
        <translation>&amp;Adresses épinglées :</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="113" />
        <source>&amp;STARTTLS:</source>
        <translation>&amp;STARTTLS :</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="114" />
        <source>&amp;Tags:</source>
        <translation>É&amp;tiquettes :</translation>
    </message>
    <message>
        <source>&amp;Owner:</source>
        <translation type="vanished">Resp&amp;onsable :</translation>
    </message>
    <message>
        <source>No&amp;tes:</source>
        <translation type="vanished">Not&amp;es :</translation>
    </message>
    <message>
        <source>&amp;Warning below (days):</source>
        <translation type="vanished">A&amp;vertissement sous (jours) :</translation>
    </message>
    <message>
        <source>&amp;Critical below (days):</source>
        <translation type="vanished">&amp;Critique sous (jours) :</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="119" />
        <source>&amp;Rotation period (days):</source>
        <translation>Période de &amp;rotation (jours) :</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="121" />
        <source>Trust:</source>
        <translation>Confiance :</translation>
    </message>
    <message>
        <source>Pinned &amp;issuer:</source>
        <translation type="vanished">É&amp;metteur épinglé :</translation>
    </message>
    <message>
        <source>Pinned S&amp;HA-256:</source>
        <translation type="vanished">SHA-256 épin&amp;glé :</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="64" />
        <source>Send no server na&amp;me (SNI)</source>
        <translation>N&amp;e pas envoyer de nom de serveur (SNI)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="81" />
        <source>Ena&amp;bled: probe this target in scans</source>
        <translation>Act&amp;ivée : sonder cette cible lors des analyses</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="86" />
        <source>Accept a self-signed or pri&amp;vate-CA certificate (meant to be so)</source>
        <translation>Accepter &amp;un certificat auto-signé ou d'AC privée (voulu)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="103" />
        <source>check online</source>
        <translation>vérifier en ligne</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="104" />
        <source>never ask (offline network)</source>
        <translation>ne jamais interroger (réseau hors ligne)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="110" />
        <source>SN&amp;I:</source>
        <translation>SNI (nom &amp;de serveur) :</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="115" />
        <source>O&amp;wner:</source>
        <translation>Responsa&amp;ble :</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="116" />
        <source>Not&amp;es:</source>
        <translation>N&amp;otes :</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="117" />
        <source>Warnin&amp;g below (days):</source>
        <translation>A&amp;vertissement sous (jours) :</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="118" />
        <source>Critica&amp;l below (days):</source>
        <translation>Criti&amp;que sous (jours) :</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="122" />
        <source>Pinned iss&amp;uer:</source>
        <translation>&amp;Émetteur épinglé :</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="123" />
        <source>Pinned SHA-&amp;256:</source>
        <translation>SHA-&amp;256 épinglé :</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="124" />
        <source>Certificates (*.pem *.crt *.p12 *.pfx);;All files (*)</source>
        <translation>Certificats (*.pem *.crt *.p12 *.pfx);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="125" />
        <source>Client certi&amp;ficate:</source>
        <translation>Certi&amp;ficat client :</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="126" />
        <source>Client certificate</source>
        <translation>Certificat client</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="127" />
        <source>Client &amp;key:</source>
        <translation>C&amp;lé client :</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="128" />
        <source>Client key</source>
        <translation>Clé client</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="129" />
        <source>Keys (*.pem *.key);;All files (*)</source>
        <translation>Clés (*.pem *.key);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="130" />
        <source>Pro&amp;xy:</source>
        <translation>Pro&amp;xy :</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="131" />
        <source>Revo&amp;cation:</source>
        <translation>Révo&amp;cation :</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="191" />
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="192" />
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="194" />
        <source>inherited (%1)</source>
        <translation>hérité (%1)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="195" />
        <source>inherited (none)</source>
        <translation>hérité (aucun)</translation>
    </message>
    <message>
        <location filename="../ui/widgets/TargetEditDialog.cpp" line="206" />
        <source>Edit target</source>
        <translation>Modifier la cible</translation>
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
        <translation>aucune cible d'identifiant %1</translation>
    </message>
    <message>
        <location filename="../app/storage/TargetRepository.cpp" line="243" />
        <source>%1 is already in the inventory as %2 (id %3)</source>
        <translation>%1 figure déjà dans l'inventaire sous le nom %2 (identifiant %3)</translation>
    </message>
    <message>
        <location filename="../app/storage/TargetRepository.cpp" line="302" />
        <location filename="../app/storage/TargetRepository.cpp" line="338" />
        <location filename="../app/storage/TargetRepository.cpp" line="522" />
        <location filename="../app/storage/TargetRepository.cpp" line="587" />
        <source>cannot store %1: %2</source>
        <translation>impossible d'enregistrer %1 : %2</translation>
    </message>
    <message>
        <location filename="../app/storage/TargetRepository.cpp" line="606" />
        <source>threshold defaults need a tag</source>
        <translation>les seuils par défaut nécessitent une étiquette</translation>
    </message>
    <message>
        <location filename="../app/storage/TargetRepository.cpp" line="611" />
        <source>threshold defaults for tag %1: days cannot be negative (%2)</source>
        <translation>seuils par défaut de l'étiquette %1 : le nombre de jours ne peut pas être négatif (%2)</translation>
    </message>
    <message>
        <location filename="../app/storage/TargetRepository.cpp" line="645" />
        <source>tag %1 has no threshold defaults</source>
        <translation>l'étiquette %1 n'a pas de seuils par défaut</translation>
    </message>
</context>
<context>
    <name>certdash::TlsClientSession</name>
    <message>
        <location filename="../app/probing/QtTlsProber.cpp" line="369" />
        <location filename="../app/probing/TlsClientSession.cpp" line="144" />
        <source>the server ended the handshake</source>
        <translation>le serveur a mis fin à la négociation</translation>
    </message>
    <message>
        <location filename="../app/probing/TlsClientSession.cpp" line="141" />
        <source>certificate message larger than %1 MiB, the most CertDash reads</source>
        <translation>message Certificate de plus de %1 Mio, le maximum que lit CertDash</translation>
    </message>
</context>
<context>
    <name>certdash::TlsProber</name>
    <message>
        <location filename="../app/probing/Prober.cpp" line="51" />
        <source>connection refused</source>
        <translation>connexion refusée</translation>
    </message>
    <message>
        <location filename="../app/probing/Prober.cpp" line="54" />
        <source>host not found</source>
        <translation>hôte introuvable</translation>
    </message>
    <message>
        <location filename="../app/probing/Prober.cpp" line="57" />
        <source>timed out %1</source>
        <translation>délai dépassé %1</translation>
    </message>
    <message>
        <location filename="../app/probing/Prober.cpp" line="61" />
        <location filename="../app/probing/QtTlsProber.cpp" line="183" />
        <location filename="../app/probing/TlsProber.cpp" line="108" />
        <source>server closed the connection %1</source>
        <translation>le serveur a fermé la connexion %1</translation>
    </message>
    <message>
        <location filename="../app/probing/Prober.cpp" line="68" />
        <source>cannot connect: %1</source>
        <translation>connexion impossible : %1</translation>
    </message>
    <message>
        <location filename="../app/probing/TlsProber.cpp" line="156" />
        <source>the server sent more than %1 MiB %2 without completing it</source>
        <translation>le serveur a envoyé plus de %1 Mio %2 sans aboutir</translation>
    </message>
    <message>
        <location filename="../app/probing/Prober.cpp" line="71" />
        <location filename="../app/probing/QtTlsProber.cpp" line="373" />
        <location filename="../app/probing/TlsProber.cpp" line="199" />
        <source>TLS handshake failed: %1</source>
        <translation>échec de la négociation TLS : %1</translation>
    </message>
    <message>
        <location filename="../app/probing/QtTlsProber.cpp" line="231" />
        <location filename="../app/probing/TlsProber.cpp" line="219" />
        <source>STARTTLS failed: %1</source>
        <translation>échec de STARTTLS : %1</translation>
    </message>
    <message>
        <location filename="../app/probing/QtTlsProber.cpp" line="255" />
        <source>undecodable certificate at position %1: %2</source>
        <translation>certificat impossible à décoder en position %1 : %2</translation>
    </message>
    <message>
        <location filename="../app/probing/QtTlsProber.cpp" line="275" />
        <location filename="../app/probing/TlsProber.cpp" line="251" />
        <source>server presented no certificate</source>
        <translation>le serveur n'a présenté aucun certificat</translation>
    </message>
    <message>
        <location filename="../app/probing/TlsProber.cpp" line="310" />
        <source>client certificate rejected: the server refused %1 (%2) and ended the handshake (alert: %3)</source>
        <translation>certificat client rejeté : le serveur a refusé %1 (%2) et mis fin à la négociation (alerte : %3)</translation>
    </message>
    <message>
        <location filename="../app/probing/TlsProber.cpp" line="321" />
        <source>client certificate required: the server asks for a client certificate and none was sent (%1 does not suit it)</source>
        <translation>certificat client requis : le serveur demande un certificat client et aucun n'a été envoyé (%1 ne lui convient pas)</translation>
    </message>
    <message>
        <location filename="../app/probing/TlsProber.cpp" line="324" />
        <source>client certificate required: the server asks for a client certificate and none was sent</source>
        <translation>certificat client requis : le serveur demande un certificat client et aucun n'a été envoyé</translation>
    </message>
    <message>
        <location filename="../app/probing/TlsProber.cpp" line="327" />
        <source>; it ended the handshake (alert: %1)</source>
        <translation> ; il a mis fin à la négociation (alerte : %1)</translation>
    </message>
    <message>
        <location filename="../app/probing/QtTlsProber.cpp" line="394" />
        <location filename="../app/probing/TlsProber.cpp" line="351" />
        <source>no answer within %1 s %2</source>
        <translation>aucune réponse en %1 s %2</translation>
    </message>
    <message>
        <location filename="../app/probing/QtTlsProber.cpp" line="402" />
        <location filename="../app/probing/TlsProber.cpp" line="361" />
        <source>while connecting</source>
        <translation>pendant la connexion</translation>
    </message>
    <message>
        <location filename="../app/probing/QtTlsProber.cpp" line="405" />
        <location filename="../app/probing/TlsProber.cpp" line="363" />
        <source>during STARTTLS (%1)</source>
        <translation>pendant STARTTLS (%1)</translation>
    </message>
    <message>
        <location filename="../app/probing/QtTlsProber.cpp" line="407" />
        <location filename="../app/probing/TlsProber.cpp" line="364" />
        <source>during STARTTLS</source>
        <translation>pendant STARTTLS</translation>
    </message>
    <message>
        <location filename="../app/probing/QtTlsProber.cpp" line="409" />
        <location filename="../app/probing/TlsProber.cpp" line="366" />
        <source>during the TLS handshake</source>
        <translation>pendant la négociation TLS</translation>
    </message>
</context>
<context>
    <name>certdash::TrayIntegration</name>
    <message>
        <location filename="../ui/tray/TrayIntegration.cpp" line="67" />
        <source>Alert state not loaded; crossings may be announced again: %1</source>
        <translation>État des alertes non chargé ; des franchissements de seuil pourraient être annoncés à nouveau : %1</translation>
    </message>
    <message>
        <location filename="../ui/tray/TrayIntegration.cpp" line="241" />
        <source>CertDash keeps running</source>
        <translation>CertDash continue de fonctionner</translation>
    </message>
    <message>
        <location filename="../ui/tray/TrayIntegration.cpp" line="242" />
        <source>CertDash keeps watching your certificates from the system tray and tells you when one crosses a threshold.

Open the dashboard again from the tray icon; quit from its menu or with File &gt; Quit.</source>
        <translation>CertDash continue de surveiller vos certificats depuis la zone de notification et vous prévient lorsque l'un d'eux franchit un seuil.

Rouvrez le tableau de bord depuis l'icône de la zone de notification ; quittez depuis son menu ou avec Fichier &gt; Quitter.</translation>
    </message>
</context>
<context>
    <name>certdash::TrayNotifier</name>
    <message>
        <location filename="../ui/tray/TrayNotifier.cpp" line="65" />
        <source>&amp;Open dashboard</source>
        <translation>&amp;Ouvrir le tableau de bord</translation>
    </message>
    <message>
        <location filename="../ui/tray/TrayNotifier.cpp" line="66" />
        <source>&amp;Probe all now</source>
        <translation>&amp;Sonder tout maintenant</translation>
    </message>
    <message>
        <location filename="../ui/tray/TrayNotifier.cpp" line="67" />
        <source>P&amp;ause notifications</source>
        <translation>Suspendre les &amp;notifications</translation>
    </message>
    <message>
        <location filename="../ui/tray/TrayNotifier.cpp" line="68" />
        <source>For 1 &amp;hour</source>
        <translation>Pendant 1 &amp;heure</translation>
    </message>
    <message>
        <location filename="../ui/tray/TrayNotifier.cpp" line="70" />
        <source>Until &amp;tomorrow</source>
        <translation>Jusqu'à &amp;demain</translation>
    </message>
    <message>
        <location filename="../ui/tray/TrayNotifier.cpp" line="72" />
        <source>&amp;Resume notifications</source>
        <translation>&amp;Reprendre les notifications</translation>
    </message>
    <message>
        <location filename="../ui/tray/TrayNotifier.cpp" line="74" />
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <location filename="../ui/tray/TrayNotifier.cpp" line="116" />
        <source>CertDash</source>
        <translation>CertDash</translation>
    </message>
    <message>
        <location filename="../ui/tray/TrayNotifier.cpp" line="122" />
        <source>%1: %2</source>
        <translation>%1 : %2</translation>
    </message>
    <message>
        <location filename="../ui/tray/TrayNotifier.cpp" line="125" />
        <source>Needs attention: %1</source>
        <translation>À traiter : %1</translation>
    </message>
    <message>
        <location filename="../ui/tray/TrayNotifier.cpp" line="128" />
        <source>Not trusted: %1</source>
        <translation>Non approuvé : %1</translation>
    </message>
    <message>
        <location filename="../ui/tray/TrayNotifier.cpp" line="130" />
        <source>Not probed yet: %1</source>
        <translation>Pas encore sondé : %1</translation>
    </message>
    <message>
        <location filename="../ui/tray/TrayNotifier.cpp" line="132" />
        <source>No targets</source>
        <translation>Aucune cible</translation>
    </message>
    <message>
        <location filename="../ui/tray/TrayNotifier.cpp" line="134" />
        <source>Notifications paused until %1</source>
        <translation>Notifications suspendues jusqu'au %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/tray/TrayNotifier.cpp" line="210" />
        <source>%n certificate alerts</source>
        <translation>
            <numerusform>%n alerte de certificat</numerusform>
            <numerusform>%n alertes de certificat</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/tray/TrayNotifier.cpp" line="213" />
        <location filename="../ui/tray/TrayNotifier.cpp" line="214" />
        <source>Outage: %n down</source>
        <translation>
            <numerusform>Panne : %n hôte hors service</numerusform>
            <numerusform>Panne : %n hôtes hors service</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/tray/TrayNotifier.cpp" line="214" />
        <source>%1; %2</source>
        <translation>%1 ; %2</translation>
    </message>
</context>
<context>
    <name>certdash::Trust</name>
    <message>
        <location filename="../app/domain/Trust.cpp" line="106" />
        <source>hostname mismatch</source>
        <translation>nom d'hôte non concordant</translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="108" />
        <source>untrusted root</source>
        <translation>racine non approuvée</translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="110" />
        <source>incomplete chain</source>
        <translation>chaîne incomplète</translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="112" />
        <source>self-signed</source>
        <translation>auto-signé</translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="114" />
        <source>expired certificate in the chain</source>
        <translation>certificat expiré dans la chaîne</translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="116" />
        <source>certificate in the chain not valid yet</source>
        <translation>certificat pas encore valide dans la chaîne</translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="118" />
        <source>unreadable certificate</source>
        <translation>certificat illisible</translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="120" />
        <source>pinned certificate changed</source>
        <translation>certificat épinglé modifié</translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="122" />
        <source>unreadable validity date</source>
        <translation>date de validité illisible</translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="124" />
        <source>host named only in the Common Name</source>
        <translation>hôte nommé uniquement dans le Common Name</translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="126" />
        <source>chain out of order</source>
        <translation>chaîne dans le désordre</translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="128" />
        <source>weak key</source>
        <translation>clé faible</translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="130" />
        <source>weak signature</source>
        <translation>signature faible</translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="132" />
        <source>extra certificate</source>
        <translation>certificat superflu</translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="134" />
        <source>client certificate required</source>
        <translation>certificat client requis</translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="136" />
        <source>client certificate rejected</source>
        <translation>certificat client rejeté</translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="138" />
        <source>revoked</source>
        <translation>révoqué</translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="140" />
        <source>unknown to the OCSP responder</source>
        <translation>inconnu du répondeur OCSP</translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="142" />
        <source>revocation not checked</source>
        <translation>révocation non vérifiée</translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="146" />
        <source>verification failed</source>
        <translation>échec de la vérification</translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="168" />
        <source>Trusted</source>
        <translation>Approuvé</translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="170" />
        <source>Accepted</source>
        <translation>Accepté</translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="172" />
        <source>Weak</source>
        <translation>Faible</translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="174" />
        <source>Not trusted</source>
        <translation>Non approuvé</translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="300" />
        <source>the target</source>
        <translation>la cible</translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="301" />
        <source>tag %1</source>
        <translation>l'étiquette %1</translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="305" />
        <source>pin mismatch: the certificate's SHA-256 is %1, %2 pins %3</source>
        <translation>épinglage non concordant : le SHA-256 du certificat est %1, %2 épingle %3</translation>
    </message>
    <message>
        <location filename="../app/domain/Trust.cpp" line="310" />
        <source>pin mismatch: the certificate is issued by %1, %2 pins %3</source>
        <translation>épinglage non concordant : le certificat est émis par %1, %2 épingle %3</translation>
    </message>
</context>
<context>
    <name>certdash::TrustStore</name>
    <message>
        <location filename="../app/probing/TrustStore.cpp" line="40" />
        <source>damaged PEM certificate (%1)</source>
        <translation>certificat PEM endommagé (%1)</translation>
    </message>
    <message>
        <location filename="../app/probing/TrustStore.cpp" line="50" />
        <source>no certificate found</source>
        <translation>aucun certificat trouvé</translation>
    </message>
    <message>
        <location filename="../app/probing/TrustStore.cpp" line="134" />
        <source>no system CA certificates found in %1 or %2</source>
        <translation>aucun certificat d'AC du système trouvé dans %1 ni dans %2</translation>
    </message>
    <message>
        <location filename="../app/probing/TrustStore.cpp" line="157" />
        <source>cannot create a certificate store (%1)</source>
        <translation>impossible de créer un magasin de certificats (%1)</translation>
    </message>
    <message>
        <location filename="../app/probing/TrustStore.cpp" line="165" />
        <source>%1: cannot read CA file: %2</source>
        <translation>%1 : impossible de lire le fichier d'AC : %2</translation>
    </message>
    <message>
        <location filename="../app/probing/TrustStore.cpp" line="169" />
        <source>%1: not a usable CA file: %2</source>
        <translation>%1 : fichier d'AC inutilisable : %2</translation>
    </message>
    <message>
        <location filename="../app/probing/TrustStore.cpp" line="172" />
        <source>%1: cannot add certificate (%2)</source>
        <translation>%1 : impossible d'ajouter le certificat (%2)</translation>
    </message>
    <message>
        <location filename="../app/probing/TrustStore.cpp" line="201" />
        <source>anchor %1: %2</source>
        <translation>ancre %1 : %2</translation>
    </message>
</context>
<context>
    <name>certdash::X509</name>
    <message>
        <location filename="../app/probing/X509.cpp" line="43" />
        <source>empty certificate data</source>
        <translation>données de certificat vides</translation>
    </message>
    <message>
        <location filename="../app/probing/X509.cpp" line="49" />
        <source>not a DER-encoded X.509 certificate (%1)</source>
        <translation>pas un certificat X.509 encodé en DER (%1)</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/probing/X509.cpp" line="54" />
        <source>%n unexpected byte(s) after the DER certificate</source>
        <translation>
            <numerusform>%n octet inattendu après le certificat DER</numerusform>
            <numerusform>%n octets inattendus après le certificat DER</numerusform>
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
        <translation type="vanished">Utilisation : certdash [COMMANDE] [OPTIONS]

Sans commande, CertDash ouvre la fenêtre du tableau de bord.

Commandes (chacune accepte --help) :
  scan      sonder des cibles (un fichier, ou l'inventaire enregistré)
            et produire un rapport
  report    le dernier résultat enregistré de chaque adresse cible
  import    ajouter des cibles à l'inventaire enregistré
  export    écrire l'inventaire enregistré (CSV ou JSON)
  targets   lister l'inventaire enregistré
  secret    enregistrer, vérifier ou supprimer un secret dans le
            trousseau du système
  csr       une nouvelle clé et une CSR pour renouveler le certificat
            enregistré d'une cible

Options :
  --database FICHIER  la base de données CertDash (interface graphique et
                      toutes les commandes ; par défaut :
                      %1)
  -h, --help          afficher cette aide
  -v, --version       afficher la version
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
        <translation type="vanished">Utilisation : certdash [COMMANDE] [OPTIONS]

Sans commande, CertDash ouvre la fenêtre du tableau de bord.

Commandes (chacune accepte --help) :
  scan      sonder des cibles (un fichier, ou l'inventaire enregistré)
            et produire un rapport
  report    le dernier résultat enregistré de chaque adresse cible
  import    ajouter des cibles à l'inventaire enregistré
  export    écrire l'inventaire enregistré (CSV ou JSON)
  targets   lister l'inventaire enregistré
  secret    enregistrer, vérifier ou supprimer un secret dans le
            trousseau du système
  csr       une nouvelle clé et une CSR pour renouveler le certificat
            enregistré d'une cible
  fleet     configuration Prometheus + blackbox_exporter à partir de
            l'inventaire

Options :
  --database FICHIER  la base de données CertDash (interface graphique et
                      toutes les commandes ; par défaut :
                      %1)
  -h, --help          afficher cette aide
  -v, --version       afficher la version
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
        <translation>Utilisation : certdash [COMMANDE] [OPTIONS]

Sans commande, CertDash ouvre la fenêtre du tableau de bord.

Commandes (chacune accepte --help) :
  scan      sonder des cibles (un fichier, ou l'inventaire enregistré)
            et produire un rapport
  report    le dernier résultat enregistré de chaque adresse cible, ou le
            rapport d'audit (HTML ou PDF)
  diff      ce qui a changé dans la base de données entre deux instants
  import    ajouter des cibles à l'inventaire enregistré
  export    écrire l'inventaire enregistré (CSV ou JSON)
  targets   lister l'inventaire enregistré
  secret    enregistrer, vérifier ou supprimer un secret dans le
            trousseau du système
  csr       une nouvelle clé et une CSR pour renouveler le certificat
            enregistré d'une cible
  fleet     Prometheus + blackbox_exporter : configurer la flotte, lire
            ses résultats

Options :
  --database FICHIER  la base de données CertDash (interface graphique et
                      toutes les commandes ; par défaut :
                      %1)
  -h, --help          afficher cette aide
  -v, --version       afficher la version
</translation>
    </message>
    <message>
        <location filename="../app/cli/CommandLine.cpp" line="143" />
        <source>certdash: unknown command '%1'</source>
        <translation>certdash: commande inconnue '%1'</translation>
    </message>
    <message>
        <location filename="../app/cli/CommandStreams.cpp" line="39" />
        <source>The CertDash database to use (default: %1).</source>
        <translation>La base de données CertDash à utiliser (par défaut : %1).</translation>
    </message>
    <message>
        <location filename="../app/cli/CommandStreams.cpp" line="40" />
        <source>FILE</source>
        <translation>FICHIER</translation>
    </message>
</context>
<context>
    <name>certdash::cli::Csr</name>
    <message>
        <location filename="../app/cli/CsrCommand.cpp" line="42" />
        <source>Prepare a renewal for the latest stored certificate of a target: DIR/key.pem, a new private key of the same type (RSA at least 2048 bits, EC on the same curve), encrypted with a random passphrase that goes into the OS keychain (`certdash secret check client-key:DIR/key.pem`), and DIR/csr.pem, a CSR with the same subject and DNS/IP names signed with SHA-256. Exit codes: 0 written, 2 no usable keychain (nothing written), 3 usage or input error.</source>
        <translation>Préparer un renouvellement pour le dernier certificat enregistré d'une cible : DOSSIER/key.pem, une nouvelle clé privée du même type (RSA d'au moins 2048 bits, EC sur la même courbe), chiffrée avec une phrase secrète aléatoire placée dans le trousseau du système (`certdash secret check client-key:DOSSIER/key.pem`), et DOSSIER/csr.pem, une CSR avec le même sujet et les mêmes noms DNS/IP, signée en SHA-256. Codes de sortie : 0 fichiers écrits, 2 aucun trousseau utilisable (rien n'est écrit), 3 erreur d'utilisation ou de saisie.</translation>
    </message>
    <message>
        <location filename="../app/cli/CsrCommand.cpp" line="50" />
        <source>Show this help.</source>
        <translation>Afficher cette aide.</translation>
    </message>
    <message>
        <location filename="../app/cli/CsrCommand.cpp" line="52" />
        <source>The stored target: host[:port] or its name.</source>
        <translation>La cible enregistrée : host[:port] ou son nom.</translation>
    </message>
    <message>
        <location filename="../app/cli/CsrCommand.cpp" line="53" />
        <source>ENDPOINT</source>
        <translation>CIBLE</translation>
    </message>
    <message>
        <location filename="../app/cli/CsrCommand.cpp" line="55" />
        <source>The directory for key.pem and csr.pem.</source>
        <translation>Le dossier pour key.pem et csr.pem.</translation>
    </message>
    <message>
        <location filename="../app/cli/CsrCommand.cpp" line="56" />
        <source>DIR</source>
        <translation>DOSSIER</translation>
    </message>
    <message>
        <location filename="../app/cli/CsrCommand.cpp" line="61" />
        <source>Try 'certdash csr --help'.
</source>
        <translation>Essayez 'certdash csr --help'.
</translation>
    </message>
    <message>
        <location filename="../app/cli/CsrCommand.cpp" line="69" />
        <source>certdash csr: --target ENDPOINT and --output DIR are required
</source>
        <translation>certdash csr: --target CIBLE et --output DOSSIER sont obligatoires
</translation>
    </message>
    <message>
        <location filename="../app/cli/CsrCommand.cpp" line="83" />
        <source>certdash csr: no stored target "%1" in %2 (see 'certdash targets')
</source>
        <translation>certdash csr: aucune cible enregistrée "%1" dans %2 (voir 'certdash targets')
</translation>
    </message>
    <message>
        <location filename="../app/cli/CsrCommand.cpp" line="97" />
        <source>certdash csr: no certificate of %1 is stored yet: run 'certdash scan' first%2
</source>
        <translation>certdash csr: aucun certificat de %1 n'est encore enregistré : lancez d'abord 'certdash scan'%2
</translation>
    </message>
    <message>
        <location filename="../app/cli/CsrCommand.cpp" line="109" />
        <source>certdash csr: %1 (choose another --output)
</source>
        <translation>certdash csr: %1 (choisissez un autre --output)
</translation>
    </message>
    <message>
        <location filename="../app/cli/CsrCommand.cpp" line="122" />
        <source>certdash csr: %1 (%2 key, like %3's certificate); the key's passphrase is in the keychain as "%4"; %5
</source>
        <translation>certdash csr: %1 (clé %2, comme le certificat de %3) ; la phrase secrète de la clé est dans le trousseau sous le nom "%4" ; %5
</translation>
    </message>
</context>
<context>
    <name>certdash::cli::Diff</name>
    <message>
        <location filename="../app/cli/DiffCommand.cpp" line="55" />
        <source>%1 is neither a duration (7d, 12h, 30m, 2w) nor an ISO 8601 date (2026-03-01, 2026-03-01T08:00, 2026-03-01T08:00Z)</source>
        <translation>%1 n'est ni une durée (7d, 12h, 30m, 2w) ni une date ISO 8601 (2026-03-01, 2026-03-01T08:00, 2026-03-01T08:00Z)</translation>
    </message>
    <message>
        <location filename="../app/cli/DiffCommand.cpp" line="110" />
        <source>List what changed in the store between two points in time: certificates rotated, rotations overdue, findings new or resolved, failures and recoveries, addresses that appeared, disappeared or serve a different certificate than their siblings, targets added or removed. One row per change, at the time it was first seen, oldest first. Exit code 0 (changes or none), 3 for usage or store errors.</source>
        <translation>Lister ce qui a changé dans la base de données entre deux instants : certificats renouvelés, rotations en retard, constats nouveaux ou résolus, échecs et rétablissements, adresses apparues, disparues ou servant un autre certificat que leurs voisines, cibles ajoutées ou supprimées. Une ligne par changement, à l'instant où il a été vu pour la première fois, du plus ancien au plus récent. Code de sortie 0 (changements ou non), 3 pour les erreurs d'utilisation ou de base de données.</translation>
    </message>
    <message>
        <location filename="../app/cli/DiffCommand.cpp" line="117" />
        <source>From WHEN: a duration back from now (7d, 12h, 30m, 2w) or an ISO 8601 date or date-time (local time unless it ends in Z or an offset).</source>
        <translation>À partir de WHEN : une durée comptée à rebours depuis maintenant (7d, 12h, 30m, 2w) ou une date ou date-heure ISO 8601 (heure locale, sauf si elle se termine par Z ou un décalage).</translation>
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
        <translation>Jusqu'à WHEN, exclu (par défaut : maintenant).</translation>
    </message>
    <message>
        <location filename="../app/cli/DiffCommand.cpp" line="125" />
        <source>csv (default) or json.</source>
        <translation>csv (par défaut) ou json.</translation>
    </message>
    <message>
        <location filename="../app/cli/DiffCommand.cpp" line="125" />
        <source>FORMAT</source>
        <translation>FORMAT</translation>
    </message>
    <message>
        <location filename="../app/cli/DiffCommand.cpp" line="128" />
        <source>Write to FILE (atomically) instead of standard output.</source>
        <translation>Écrire dans FILE (de façon atomique) au lieu de la sortie standard.</translation>
    </message>
    <message>
        <location filename="../app/cli/DiffCommand.cpp" line="130" />
        <source>FILE</source>
        <translation>FILE</translation>
    </message>
    <message>
        <location filename="../app/cli/DiffCommand.cpp" line="132" />
        <source>Show this help.</source>
        <translation>Afficher cette aide.</translation>
    </message>
    <message>
        <location filename="../app/cli/DiffCommand.cpp" line="146" />
        <source>unexpected argument %1</source>
        <translation>argument inattendu %1</translation>
    </message>
    <message>
        <location filename="../app/cli/DiffCommand.cpp" line="150" />
        <source>--format: unknown format %1 (expected csv or json)</source>
        <translation>--format : format inconnu %1 (csv ou json attendu)</translation>
    </message>
    <message>
        <location filename="../app/cli/DiffCommand.cpp" line="153" />
        <source>--since is required (a duration such as 7d, or a date)</source>
        <translation>--since est obligatoire (une durée comme 7d, ou une date)</translation>
    </message>
    <message>
        <location filename="../app/cli/DiffCommand.cpp" line="167" />
        <source>--since (%1) must be before --until (%2)</source>
        <translation>--since (%1) doit être antérieur à --until (%2)</translation>
    </message>
</context>
<context>
    <name>certdash::cli::Fleet</name>
    <message>
        <location filename="../app/cli/FleetCommand.cpp" line="31" />
        <source>Try 'certdash fleet config --help'.
</source>
        <translation>Essayez « certdash fleet config --help ».
</translation>
    </message>
    <message>
        <source>Usage: certdash fleet config --output DIR [OPTIONS]

Subcommands:
  config   write blackbox_exporter and Prometheus configuration from the inventory

See 'certdash fleet config --help'.
</source>
        <translation type="vanished">Utilisation : certdash fleet config --output DOSSIER [OPTIONS]

Sous-commandes :
  config   écrire la configuration blackbox_exporter et Prometheus
           à partir de l'inventaire

Voir « certdash fleet config --help ».
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
        <translation>Utilisation : certdash fleet config|read [OPTIONS]

Sous-commandes :
  config   écrire la configuration blackbox_exporter et Prometheus
           à partir de l'inventaire
  read     lire les résultats de la flotte depuis Prometheus, au format
           des rapports de « certdash scan »

Options :
  -h, --help  Afficher cette aide.

Voir « certdash fleet config --help » et « certdash fleet read --help ».
</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetCommand.cpp" line="66" />
        <source>certdash fleet: unknown subcommand '%1'
</source>
        <translation>certdash fleet : sous-commande inconnue « %1 »
</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetCommand.cpp" line="73" />
        <source>Write a Prometheus + blackbox_exporter fleet configuration from the inventory: DIR/blackbox.yml (modules), DIR/targets.json (file-based discovery, one entry per target address), DIR/prometheus.yml (scrapes the exporters) and DIR/README.txt. Targets blackbox_exporter cannot probe the way CertDash does are listed on standard error and in README.txt.</source>
        <translation>Écrire une configuration de flotte Prometheus + blackbox_exporter à partir de l'inventaire : DOSSIER/blackbox.yml (modules), DOSSIER/targets.json (découverte par fichier, une entrée par adresse cible), DOSSIER/prometheus.yml (collecte auprès des exporteurs) et DOSSIER/README.txt. Les cibles que blackbox_exporter ne peut pas sonder comme le fait CertDash sont listées sur la sortie d'erreur standard et dans README.txt.</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetCommand.cpp" line="80" />
        <source>Show this help.</source>
        <translation>Afficher cette aide.</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetCommand.cpp" line="82" />
        <source>The directory to write (created if missing; the files are replaced).</source>
        <translation>Le dossier de destination (créé s'il n'existe pas ; les fichiers sont remplacés).</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetCommand.cpp" line="84" />
        <source>DIR</source>
        <translation>DOSSIER</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetCommand.cpp" line="87" />
        <source>Read the targets from FILE (any format 'certdash import' reads) instead of the stored inventory.</source>
        <translation>Lire les cibles dans FILE (tout format que lit « certdash import ») au lieu de l'inventaire enregistré.</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetCommand.cpp" line="89" />
        <source>FILE</source>
        <translation>FILE</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetCommand.cpp" line="92" />
        <source>A blackbox_exporter to scrape (repeatable; default 127.0.0.1:9115).</source>
        <translation>Un blackbox_exporter à interroger (option répétable ; 127.0.0.1:9115 par défaut).</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetCommand.cpp" line="94" />
        <source>HOST:PORT</source>
        <translation>HOST:PORT</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetCommand.cpp" line="97" />
        <source>Prometheus scrape interval (e.g. 30s, 1m, 5m; default 1m).</source>
        <translation>Intervalle de collecte de Prometheus (p. ex. 30s, 1m, 5m ; 1m par défaut).</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetCommand.cpp" line="98" />
        <source>DURATION</source>
        <translation>DURATION</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetCommand.cpp" line="101" />
        <source>Probe timeout of every module, in seconds (default: the probe timeout in the window's Settings, 10 unless changed).</source>
        <translation>Délai de sondage de chaque module, en secondes (par défaut : le délai de sondage des Paramètres de la fenêtre, 10 sauf modification).</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetCommand.cpp" line="103" />
        <source>SECONDS</source>
        <translation>SECONDS</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetCommand.cpp" line="113" />
        <source>unexpected argument '%1'</source>
        <translation>argument inattendu « %1 »</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetCommand.cpp" line="116" />
        <source>--output DIR is required</source>
        <translation>--output DOSSIER est obligatoire</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetCommand.cpp" line="119" />
        <source>--targets and --database exclude each other</source>
        <translation>--targets et --database s'excluent mutuellement</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetCommand.cpp" line="132" />
        <source>--interval: expected a duration of at least 1s (e.g. 30s, 1m), got '%1'</source>
        <translation>--interval : durée d'au moins 1s attendue (p. ex. 30s, 1m), « %1 » reçu</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetCommand.cpp" line="143" />
        <source>--timeout: expected seconds between 0.1 and 600, got '%1'</source>
        <translation>--timeout : nombre de secondes entre 0.1 et 600 attendu, « %1 » reçu</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetCommand.cpp" line="155" />
        <source>certdash fleet config: problems in %1; nothing was written.
</source>
        <translation>certdash fleet config : problèmes dans %1 ; rien n'a été écrit.
</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetCommand.cpp" line="187" />
        <source>certdash fleet config: cannot create the directory %1
</source>
        <translation>certdash fleet config : impossible de créer le dossier %1
</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetCommand.cpp" line="203" />
        <source>certdash fleet config: wrote %1: %2 target addresses, %3 modules, %4 listed in README.txt
</source>
        <translation>certdash fleet config : fichiers écrits dans %1 — adresses cibles : %2, modules : %3, remarques dans README.txt : %4
</translation>
    </message>
</context>
<context>
    <name>certdash::cli::FleetRead</name>
    <message>
        <location filename="../app/cli/FleetReadCommand.cpp" line="29" />
        <source>Try 'certdash fleet read --help'.
</source>
        <translation>Essayez « certdash fleet read --help ».
</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetReadCommand.cpp" line="67" />
        <source>Read the fleet's latest results from Prometheus (the blackbox_exporter probes that 'certdash fleet config' set up) and print them as 'certdash scan' does: same columns, statuses, thresholds and exit codes (0 ok, 1 warning, 2 critical, expired or a failed probe). Columns blackbox_exporter does not export stay empty (see the README). Exit 3: bad usage, or Prometheus could not be read within --timeout or has no fleet series.
The bearer token, or with --user the Basic password, is read from the keychain entry fleet:URL ('certdash secret set fleet:URL'), else from the environment variable %1.</source>
        <translation>Lire les derniers résultats de la flotte depuis Prometheus (les sondages blackbox_exporter mis en place par « certdash fleet config ») et les afficher comme le fait « certdash scan » : mêmes colonnes, états, seuils et codes de sortie (0 ok, 1 warning, 2 critical, expired ou un sondage en échec). Les colonnes que blackbox_exporter n'exporte pas restent vides (voir le README). Code de sortie 3 : mauvaise utilisation, ou Prometheus n'a pas pu être lu dans le délai --timeout ou ne contient aucune série de la flotte.
Le jeton bearer, ou avec --user le mot de passe Basic, est lu dans l'entrée du trousseau fleet:URL (« certdash secret set fleet:URL »), sinon dans la variable d'environnement %1.</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetReadCommand.cpp" line="78" />
        <source>Show this help.</source>
        <translation>Afficher cette aide.</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetReadCommand.cpp" line="81" />
        <source>The Prometheus that scrapes the fleet (e.g. http://127.0.0.1:9090).</source>
        <translation>Le Prometheus qui collecte les métriques de la flotte (p. ex. http://127.0.0.1:9090).</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetReadCommand.cpp" line="82" />
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetReadCommand.cpp" line="84" />
        <source>Report format: csv, json or prometheus (default csv).</source>
        <translation>Format du rapport : csv, json ou prometheus (csv par défaut).</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetReadCommand.cpp" line="86" />
        <source>FORMAT</source>
        <translation>FORMAT</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetReadCommand.cpp" line="88" />
        <source>Write the report to FILE (atomically) instead of standard output.</source>
        <translation>Écrire le rapport dans FILE (de façon atomique) au lieu de la sortie standard.</translation>
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
        <translation>L'AC (PEM) d'un Prometheus en https dont le certificat provient d'une AC privée (par défaut : les AC du système).</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetReadCommand.cpp" line="96" />
        <source>Basic authentication as USER (the password from the keychain or the environment).</source>
        <translation>Authentification Basic en tant que USER (mot de passe issu du trousseau ou de l'environnement).</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetReadCommand.cpp" line="98" />
        <source>USER</source>
        <translation>USER</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetReadCommand.cpp" line="101" />
        <source>Give up when Prometheus has not answered within SECONDS (default 10).</source>
        <translation>Abandonner si Prometheus n'a pas répondu au bout de SECONDS secondes (10 par défaut).</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetReadCommand.cpp" line="102" />
        <source>SECONDS</source>
        <translation>SECONDS</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetReadCommand.cpp" line="112" />
        <source>unexpected argument %1</source>
        <translation>argument inattendu %1</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetReadCommand.cpp" line="115" />
        <source>--prometheus URL is required</source>
        <translation>--prometheus URL est obligatoire</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetReadCommand.cpp" line="121" />
        <source>--format: expected %1, got %2</source>
        <translation>--format : %1 attendu, %2 reçu</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetReadCommand.cpp" line="127" />
        <source>--timeout: expected seconds between 0 and 3600, got %1</source>
        <translation>--timeout : nombre de secondes entre 0 et 3600 attendu, %1 reçu</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetReadCommand.cpp" line="182" />
        <source>certdash fleet read: %1 has no series of CertDash's fleet (probe_success with the labels target and host that 'certdash fleet config' writes)
</source>
        <translation>certdash fleet read : %1 ne contient aucune série de la flotte CertDash (probe_success avec les labels target et host qu'écrit « certdash fleet config »)
</translation>
    </message>
    <message>
        <location filename="../app/cli/FleetReadCommand.cpp" line="197" />
        <source>certdash fleet read: %1 (from %2, oldest sample %3 s old)
</source>
        <translation>certdash fleet read : %1 (source : %2, âge de l'échantillon le plus ancien : %3 s)
</translation>
    </message>
</context>
<context>
    <name>certdash::cli::Inventory</name>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="23" />
        <source>Show this help.</source>
        <translation>Afficher cette aide.</translation>
    </message>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="35" />
        <source>Try 'certdash %1 --help'.
</source>
        <translation>Essayez « certdash %1 --help ».
</translation>
    </message>
    <message>
        <source>Add targets to the stored inventory: a line-format, CSV, JSON or `kubectl get ingress -A -o json` file, or - for standard input. Endpoints already stored are updated with what the file gives. The import is one transaction: by default a file with any rejected entry imports nothing.</source>
        <translation type="vanished">Ajouter des cibles à l'inventaire enregistré : fichier au format lignes, CSV, JSON ou `kubectl get ingress -A -o json`, ou - pour l'entrée standard. Les points de terminaison déjà enregistrés sont mis à jour avec les données du fichier. L'importation forme une seule transaction : par défaut, un fichier comportant une entrée rejetée n'importe rien.</translation>
    </message>
    <message>
        <source>The targets file.</source>
        <translation type="vanished">Le fichier de cibles.</translation>
    </message>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="67" />
        <source>Import the valid entries even when others are rejected.</source>
        <translation>Importer les entrées valides même si d'autres sont rejetées.</translation>
    </message>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="70" />
        <source>auto (default), %1.</source>
        <translation>auto (par défaut), %1.</translation>
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
        <translation type="vanished">certdash import : exactement un FILE attendu
</translation>
    </message>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="52" />
        <source>Add targets to the stored inventory: a line-format, CSV, JSON or `kubectl get ingress -A -o json` file, or - for standard input. With EndpointSlices as well (`kubectl get ingress,services,endpointslices,pods -A -o json`, or those outputs as separate files), every ready pod behind an ingress TLS host is a target of its own. Endpoints already stored are updated with what the files give. The import is one transaction: by default an input with any rejected entry imports nothing.</source>
        <translation>Ajouter des cibles à l'inventaire enregistré : fichier au format lignes, CSV, JSON ou `kubectl get ingress -A -o json`, ou - pour l'entrée standard. Avec les EndpointSlices en plus (`kubectl get ingress,services,endpointslices,pods -A -o json`, ou ces sorties dans des fichiers distincts), chaque pod prêt derrière un hôte TLS d'Ingress devient une cible à part entière. Les points de terminaison déjà enregistrés sont mis à jour avec les données des fichiers. L'importation forme une seule transaction : par défaut, si une entrée est rejetée, rien n'est importé.</translation>
    </message>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="62" />
        <source>The targets files (kubectl outputs among them are read as one cluster).</source>
        <translation>Les fichiers de cibles (les sorties de kubectl qui s'y trouvent sont lues comme un seul cluster).</translation>
    </message>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="78" />
        <source>certdash import: expected at least one FILE
</source>
        <translation>certdash import : au moins un FILE attendu
</translation>
    </message>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="83" />
        <source>certdash import: --input-format: unknown format '%1'
</source>
        <translation>certdash import : --input-format : format inconnu « %1 »
</translation>
    </message>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="93" />
        <source>certdash import: --input-format chooses the format.
</source>
        <translation>certdash import : --input-format permet de choisir le format.
</translation>
    </message>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="95" />
        <source>certdash import: problems in %1; nothing was imported (--skip-invalid imports the valid entries).
</source>
        <translation>certdash import : problèmes dans %1 ; rien n'a été importé (--skip-invalid importe les entrées valides).
</translation>
    </message>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="101" />
        <source>certdash import: nothing in %1 can be imported.
</source>
        <translation>certdash import : rien dans %1 ne peut être importé.
</translation>
    </message>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="113" />
        <source>certdash import: nothing was imported: %1
</source>
        <translation>certdash import : rien n'a été importé : %1
</translation>
    </message>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="116" />
        <source>certdash import: %1: %2 added, %3 updated, %4 unchanged, %5 duplicates merged, %6 rejected
</source>
        <translation>certdash import : %1 — ajoutées : %2, mises à jour : %3, inchangées : %4, doublons fusionnés : %5, rejetées : %6
</translation>
    </message>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="131" />
        <source>Write the stored inventory; 'certdash import' reads it back.</source>
        <translation>Écrire l'inventaire enregistré ; « certdash import » permet de le relire.</translation>
    </message>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="133" />
        <source>csv (default) or json.</source>
        <translation>csv (par défaut) ou json.</translation>
    </message>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="136" />
        <source>Write to FILE (atomically) instead of standard output.</source>
        <translation>Écrire dans FILE (de façon atomique) au lieu de la sortie standard.</translation>
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
        <translation>certdash export : --format : csv ou json attendu, « %1 » reçu
</translation>
    </message>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="168" />
        <source>List the stored inventory.</source>
        <translation>Lister l'inventaire enregistré.</translation>
    </message>
    <message>
        <location filename="../app/cli/InventoryCommands.cpp" line="185" />
        <source>certdash targets: the inventory in %1 is empty; add targets with 'certdash import FILE'.
</source>
        <translation>certdash targets : l'inventaire de %1 est vide ; ajoutez des cibles avec « certdash import FILE ».
</translation>
    </message>
</context>
<context>
    <name>certdash::cli::Report</name>
    <message>
        <location filename="../app/cli/ReportCommand.cpp" line="66" />
        <source>Report the latest stored result of every target address (as 'certdash scan' would print it), without probing. Exit codes as for scan.</source>
        <translation>Afficher le dernier résultat enregistré de chaque adresse cible (tel que « certdash scan » l'afficherait), sans sonder. Codes de sortie identiques à ceux de scan.</translation>
    </message>
    <message>
        <location filename="../app/cli/ReportCommand.cpp" line="69" />
        <source>Report the latest stored result of every target address (as 'certdash scan' would print it), without probing; or, with --format html or pdf, the evidence report. Exit codes as for scan.</source>
        <translation>Afficher le dernier résultat enregistré de chaque adresse cible (tel que « certdash scan » l'afficherait), sans sonder ; ou, avec --format html ou pdf, le rapport d'audit. Codes de sortie identiques à ceux de scan.</translation>
    </message>
    <message>
        <location filename="../app/cli/ReportCommand.cpp" line="81" />
        <source>csv (default), json or prometheus.</source>
        <translation>csv (par défaut), json ou prometheus.</translation>
    </message>
    <message>
        <location filename="../app/cli/ReportCommand.cpp" line="82" />
        <source>csv (default), json, prometheus, or a document: %1.</source>
        <translation>csv (par défaut), json, prometheus, ou un document : %1.</translation>
    </message>
    <message>
        <location filename="../app/cli/ReportCommand.cpp" line="85" />
        <source>FORMAT</source>
        <translation>FORMAT</translation>
    </message>
    <message>
        <location filename="../app/cli/ReportCommand.cpp" line="88" />
        <source>Documents only: list the changes first seen since DATE (2026-11-30, local time unless an offset is given) or DURATION before now (7d, 36h, 2w; default 7d).</source>
        <translation>Documents uniquement : lister les changements vus pour la première fois depuis DATE (2026-11-30, heure locale sauf si un décalage est indiqué) ou depuis DURATION avant maintenant (7d, 36h, 2w ; 7d par défaut).</translation>
    </message>
    <message>
        <location filename="../app/cli/ReportCommand.cpp" line="91" />
        <source>DATE|DURATION</source>
        <translation>DATE|DURATION</translation>
    </message>
    <message>
        <location filename="../app/cli/ReportCommand.cpp" line="93" />
        <source>Write to FILE (atomically) instead of standard output.</source>
        <translation>Écrire dans FILE (de façon atomique) au lieu de la sortie standard.</translation>
    </message>
    <message>
        <location filename="../app/cli/ReportCommand.cpp" line="95" />
        <source>FILE</source>
        <translation>FILE</translation>
    </message>
    <message>
        <location filename="../app/cli/ReportCommand.cpp" line="97" />
        <source>Show this help.</source>
        <translation>Afficher cette aide.</translation>
    </message>
    <message>
        <location filename="../app/cli/ReportCommand.cpp" line="117" />
        <source>certdash report: --format: unknown format '%1' (expected one of: %2)
</source>
        <translation>certdash report : --format : format inconnu « %1 » (valeurs possibles : %2)
</translation>
    </message>
    <message>
        <location filename="../app/cli/ReportCommand.cpp" line="126" />
        <source>certdash report: --since applies to the documents (%1) only
</source>
        <translation>certdash report : --since ne s'applique qu'aux documents (%1)
</translation>
    </message>
    <message>
        <location filename="../app/cli/ReportCommand.cpp" line="45" />
        <location filename="../app/cli/ReportCommand.cpp" line="146" />
        <source>certdash report: %1 has no probe results yet; run 'certdash scan' first.
</source>
        <translation>certdash report : %1 ne contient encore aucun résultat de sondage ; lancez d'abord « certdash scan ».
</translation>
    </message>
    <message>
        <location filename="../app/cli/DocumentFormat.cpp" line="85" />
        <source>--since: %1 is neither a date (2026-11-30), a date and time (2026-11-30T08:00) nor a duration (7d, 36h, 2w, 90m)</source>
        <translation>--since : %1 n'est ni une date (2026-11-30), ni une date et heure (2026-11-30T08:00), ni une durée (7d, 36h, 2w, 90m)</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceFormats.cpp" line="19" />
        <source>the evidence report as a PDF (A4)</source>
        <translation>le rapport d'audit en PDF (A4)</translation>
    </message>
    <message>
        <location filename="../ui/report/EvidenceFormats.cpp" line="20" />
        <source>the evidence report as one self-contained HTML file</source>
        <translation>le rapport d'audit en un seul fichier HTML autonome</translation>
    </message>
</context>
<context>
    <name>certdash::cli::Scan</name>
    <message>
        <location filename="../app/cli/ScanCommand.cpp" line="74" />
        <source> %1 probes/s</source>
        <translation> %1 sondages/s</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanCommand.cpp" line="76" />
        <source>, about %1 s left</source>
        <translation>, environ %1 s restantes</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanCommand.cpp" line="103" />
        <source>endpoints %1: %2</source>
        <translation>points de terminaison : %1 (%2)</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanCommand.cpp" line="220" />
        <source>certdash scan: alerts: %1
</source>
        <translation>certdash scan : alertes : %1
</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanCommand.cpp" line="231" />
        <source>--notify: no desktop notification service is available; crossings are only logged</source>
        <translation>--notify : aucun service de notification de bureau n'est disponible ; les franchissements de seuil sont seulement journalisés</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanCommand.cpp" line="265" />
        <source>certdash scan: %1
Try 'certdash scan --help'.
</source>
        <translation>certdash scan : %1
Essayez « certdash scan --help ».
</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanCommand.cpp" line="282" />
        <source>certdash scan: problems in the targets: %1; nothing was probed.
</source>
        <translation>certdash scan : problèmes dans les cibles : %1 ; aucun sondage effectué.
</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanCommand.cpp" line="289" />
        <source>certdash scan: %1 lists no targets; nothing was probed.
</source>
        <translation>certdash scan : %1 ne contient aucune cible ; aucun sondage effectué.
</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanCommand.cpp" line="303" />
        <source>certdash scan: the inventory in %1 has no enabled targets; add some with 'certdash import FILE' or give --targets FILE.
</source>
        <translation>certdash scan : l'inventaire de %1 ne contient aucune cible activée ; ajoutez-en avec « certdash import FILE » ou indiquez --targets FILE.
</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanCommand.cpp" line="323" />
        <location filename="../app/cli/ScanCommand.cpp" line="331" />
        <location filename="../app/cli/ScanCommand.cpp" line="337" />
        <location filename="../app/cli/ScanCommand.cpp" line="354" />
        <source>certdash scan: %1
</source>
        <translation>certdash scan : %1
</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanCommand.cpp" line="346" />
        <source>certdash scan: client certificate: %1
</source>
        <translation>certdash scan : certificat client : %1
</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanCommand.cpp" line="384" />
        <source>certdash scan: the results were not recorded: %1
</source>
        <translation>certdash scan : les résultats n'ont pas été enregistrés : %1
</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanCommand.cpp" line="403" />
        <source>certdash scan: the run was not recorded: %1
</source>
        <translation>certdash scan : l'exécution n'a pas été enregistrée : %1
</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanCommand.cpp" line="406" />
        <source>certdash scan: pruning old history failed: %1
</source>
        <translation>certdash scan : échec de la purge de l'ancien historique : %1
</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanCommand.cpp" line="415" />
        <source>certdash scan: %1 in %2 s
</source>
        <translation>certdash scan : %1 en %2 s
</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="25" />
        <source>Targets to probe: a line-format, CSV, JSON or kubectl file, or - for standard input. Without it, the stored inventory is probed and the results are recorded.</source>
        <translation>Cibles à sonder : fichier au format lignes, CSV, JSON ou kubectl, ou - pour l'entrée standard. Sans cette option, l'inventaire enregistré est sondé et les résultats sont enregistrés.</translation>
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
        <translation>Format du fichier de cibles : auto (par défaut), lines, csv, json.</translation>
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
        <translation>Format du rapport : csv (par défaut), json, prometheus.</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="37" />
        <source>Write the report to FILE (atomically) instead of standard output.</source>
        <translation>Écrire le rapport dans FILE (de façon atomique) au lieu de la sortie standard.</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="41" />
        <source>Probes in flight at once (default 32).</source>
        <translation>Nombre de sondages simultanés (32 par défaut).</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="41" />
        <source>N</source>
        <translation>N</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="44" />
        <source>Seconds one probe may take in all: connect, STARTTLS and handshake (default 10).</source>
        <translation>Durée maximale d'un sondage, en secondes, tout compris : connexion, STARTTLS et négociation (10 par défaut).</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="46" />
        <source>SECONDS</source>
        <translation>SECONDS</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="48" />
        <source>TLS client doing the handshakes: openssl (default, fastest) or qt (QSslSocket, the cross-check).</source>
        <translation>Client TLS qui effectue les négociations : openssl (par défaut, le plus rapide) ou qt (QSslSocket, pour contre-vérification).</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="50" />
        <source>ENGINE</source>
        <translation>ENGINE</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="53" />
        <source>Also ask each certificate's OCSP responder (else its CRL) whether it was revoked; one CRL download serves every certificate of a CA. The stapled OCSP response is read either way.</source>
        <translation>Interroger aussi le répondeur OCSP de chaque certificat, ou à défaut sa liste de révocation (CRL), pour savoir s'il a été révoqué ; un seul téléchargement de liste de révocation sert pour tous les certificats d'une AC. La réponse OCSP agrafée est lue dans tous les cas.</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="57" />
        <source>Warn when fewer days are left (default 30; at most a third of the certificate's lifetime).</source>
        <translation>Avertir sous ce nombre de jours restants (30 par défaut ; au plus un tiers de la durée de vie du certificat).</translation>
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
        <translation>Critique sous ce nombre de jours restants (7 par défaut ; au plus un sixième de la durée de vie du certificat).</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="65" />
        <source>Expected rotation period: rotation_overdue when days left &lt; lifetime - DAYS. Targets' rotation= overrides it.</source>
        <translation>Période de rotation attendue : rotation_overdue quand jours restants &lt; durée de vie - DAYS. Le paramètre rotation= d'une cible est prioritaire.</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="69" />
        <source>Also trust the CA certificates in this PEM file (repeatable).</source>
        <translation>Faire aussi confiance aux certificats d'AC de ce fichier PEM (option répétable).</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="70" />
        <source>PEM</source>
        <translation>PEM</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="72" />
        <source>Trust only --ca-file anchors, not the system store.</source>
        <translation>Ne faire confiance qu'aux ancres de --ca-file, pas au magasin de certificats du système.</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="75" />
        <source>Present this client certificate to servers that ask for one (mutual TLS): PEM (with --client-key, or the key in the same file) or PKCS#12. An encrypted key's passphrase comes from the keychain or CERTDASH_CLIENT_KEY_PASSPHRASE, never from the command line.</source>
        <translation>Présenter ce certificat client aux serveurs qui en demandent un (TLS mutuel) : PEM (avec --client-key, ou la clé dans le même fichier) ou PKCS#12. La phrase secrète d'une clé chiffrée provient du trousseau ou de CERTDASH_CLIENT_KEY_PASSPHRASE, jamais de la ligne de commande.</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="81" />
        <source>The private key of --client-cert (PEM, may be encrypted).</source>
        <translation>La clé privée de --client-cert (PEM, éventuellement chiffrée).</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="85" />
        <source>No progress and no summary on standard error.</source>
        <translation>Ni progression ni résumé sur la sortie d'erreur standard.</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="87" />
        <source>History: keep every probe this many days (default 30).</source>
        <translation>Historique : conserver chaque sondage pendant ce nombre de jours (30 par défaut).</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="91" />
        <source>History: then keep one probe a day per target address up to this age (default 730).</source>
        <translation>Historique : ensuite, conserver un sondage par jour et par adresse cible jusqu'à cet âge (730 par défaut).</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="95" />
        <source>Also show new threshold crossings as desktop notifications (stored inventory only).</source>
        <translation>Afficher aussi les nouveaux franchissements de seuil en notifications de bureau (inventaire enregistré uniquement).</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="98" />
        <source>Append threshold crossings as JSON lines to FILE (default: the event log in Settings; "" for none; stored inventory only).</source>
        <translation>Ajouter les franchissements de seuil en lignes JSON à FILE (par défaut : le journal des événements des Paramètres ; "" pour aucun ; inventaire enregistré uniquement).</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="103" />
        <source>Probe through this proxy: http://[USER@]HOST:PORT (HTTP CONNECT), socks5://[USER@]HOST:PORT, or socks5h:// (the proxy resolves names); none for no proxy. No password here: `certdash secret set proxy:URL` or CERTDASH_PROXY_PASSWORD. Default: https_proxy, all_proxy and no_proxy from the environment.</source>
        <translation>Sonder via ce proxy : http://[USER@]HOST:PORT (HTTP CONNECT), socks5://[USER@]HOST:PORT, ou socks5h:// (le proxy résout les noms) ; none pour aucun proxy. Pas de mot de passe ici : `certdash secret set proxy:URL` ou CERTDASH_PROXY_PASSWORD. Par défaut : https_proxy, all_proxy et no_proxy de l'environnement.</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="109" />
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="111" />
        <source>Connect directly, whatever the environment says.</source>
        <translation>Se connecter directement, quoi qu'indique l'environnement.</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="114" />
        <source>Show this help.</source>
        <translation>Afficher cette aide.</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="119" />
        <source>Probe TLS endpoints and report their certificates.

Exit codes: 0 all ok; 1 worst is warning or rotation_overdue; 2 worst is critical, expired or not_yet_valid, or a probe failed; 3 usage or input error.</source>
        <translation>Sonder des points de terminaison TLS et rendre compte de leurs certificats.

Codes de sortie : 0 tout est ok ; 1 le pire état est warning ou rotation_overdue ; 2 le pire état est critical, expired ou not_yet_valid, ou un sondage a échoué ; 3 erreur d'utilisation ou d'entrée.</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="147" />
        <source>Usage: certdash scan [--targets FILE | --database FILE] [options]</source>
        <translation>Utilisation : certdash scan [--targets FILE | --database FILE] [options]</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="165" />
        <source>unexpected argument '%1'</source>
        <translation>argument inattendu « %1 »</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="173" />
        <source>--targets needs a file name (use - for standard input)</source>
        <translation>--targets nécessite un nom de fichier (- pour l'entrée standard)</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="177" />
        <source>give either --targets FILE (no database) or --database FILE (its stored inventory), not both</source>
        <translation>indiquez soit --targets FILE (sans base de données), soit --database FILE (son inventaire enregistré), pas les deux</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="184" />
        <source>--input-format: unknown format '%1' (expected one of: %2)</source>
        <translation>--input-format : format inconnu « %1 » (valeurs possibles : %2)</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="191" />
        <source>--format: unknown format '%1' (expected one of: %2)</source>
        <translation>--format : format inconnu « %1 » (valeurs possibles : %2)</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="200" />
        <source>--concurrency: expected a whole number from 1 to 10000, got '%1'</source>
        <translation>--concurrency : nombre entier de 1 à 10000 attendu, « %1 » reçu</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="207" />
        <source>--timeout: expected seconds between 0 and 3600, got '%1'</source>
        <translation>--timeout : nombre de secondes entre 0 et 3600 attendu, « %1 » reçu</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="216" />
        <source>--engine: expected openssl or qt, got %1</source>
        <translation>--engine : openssl ou qt attendu, %1 reçu</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="227" />
        <source>--%1: expected a whole number of days, got '%2'</source>
        <translation>--%1 : nombre entier de jours attendu, « %2 » reçu</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="235" />
        <source>--critical (%1 days) must not exceed --warning (%2 days)</source>
        <translation>--critical (%1 jours) ne doit pas dépasser --warning (%2 jours)</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="250" />
        <source>--keep-daily-days must not be shorter than --keep-all-days</source>
        <translation>--keep-daily-days ne doit pas être inférieur à --keep-all-days</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="256" />
        <source>--no-system-ca needs at least one --ca-file</source>
        <translation>--no-system-ca nécessite au moins un --ca-file</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="262" />
        <source>--client-cert needs a file name</source>
        <translation>--client-cert nécessite un nom de fichier</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="266" />
        <source>--client-key needs --client-cert (the certificate that goes with the key)</source>
        <translation>--client-key nécessite --client-cert (le certificat qui va avec la clé)</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="276" />
        <source>--notify and --event-log track the stored inventory; they cannot be used with --targets</source>
        <translation>--notify et --event-log suivent l'inventaire enregistré ; ils ne peuvent pas être utilisés avec --targets</translation>
    </message>
    <message>
        <location filename="../app/cli/ScanOptions.cpp" line="292" />
        <source>give either --proxy URL or --no-proxy, not both</source>
        <translation>indiquez soit --proxy URL, soit --no-proxy, pas les deux</translation>
    </message>
</context>
<context>
    <name>certdash::cli::Secret</name>
    <message>
        <location filename="../app/cli/SecretCommands.cpp" line="63" />
        <source>The keychain is the desktop session's Secret Service (gnome-keyring, KWallet) on its D-Bus session bus. Without one, headless runs may set %1 or %2 instead.
</source>
        <translation>Le trousseau est le Secret Service de la session de bureau (gnome-keyring, KWallet), sur le bus de session D-Bus. Sans trousseau, les exécutions sans interface graphique peuvent définir %1 ou %2 à la place.
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
        <translation type="vanished">Utilisation : certdash secret set|delete|check NAME

Les phrases secrètes des clés, les mots de passe PKCS#12 et ceux des proxys ne sont
conservés que dans le trousseau du système (service "CertDash"). NAME désigne ce que
le secret déverrouille :
  client-key:PATH                 la clé ou le fichier PKCS#12 (chemin rendu absolu)
  proxy:SCHEME://USER@HOST:PORT   le proxy (sans mot de passe)

  set NAME     enregistrer le secret lu sur l'entrée standard (une ligne ; sans écho)
  delete NAME  supprimer l'entrée
  check NAME   indiquer si l'entrée existe (n'affiche jamais le secret)

Codes de sortie : 0 succès (check : l'entrée existe), 1 entrée inexistante, 2 aucun
trousseau utilisable (rien n'a été enregistré), 3 erreur d'utilisation ou d'entrée.
</translation>
    </message>
    <message>
        <location filename="../app/cli/SecretCommands.cpp" line="99" />
        <source>the proxy URL in NAME must not contain a password (give it on standard input)</source>
        <translation>l'URL du proxy dans NAME ne doit pas contenir de mot de passe (fournissez-le sur l'entrée standard)</translation>
    </message>
    <message>
        <source>NAME "%1" is neither client-key:PATH nor proxy:SCHEME://USER@HOST:PORT</source>
        <translation type="vanished">le NAME « %1 » n'est ni client-key:PATH ni proxy:SCHEME://USER@HOST:PORT</translation>
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
        <translation>Utilisation : certdash secret set|delete|check NAME

Les phrases secrètes des clés, les mots de passe PKCS#12 et ceux des proxys ne sont
conservés que dans le trousseau du système (service "CertDash"). NAME désigne ce que
le secret déverrouille :
  client-key:PATH                 la clé ou le fichier PKCS#12 (chemin rendu absolu)
  proxy:SCHEME://USER@HOST:PORT   le proxy (sans mot de passe)
  fleet:URL                       un Prometheus lu par « certdash fleet read » :
                                  son jeton bearer, ou, avec USER@ dans l'URL,
                                  son mot de passe Basic

  set NAME     enregistrer le secret lu sur l'entrée standard (une ligne ; sans écho)
  delete NAME  supprimer l'entrée
  check NAME   indiquer si l'entrée existe (n'affiche jamais le secret)

Codes de sortie : 0 succès (check : l'entrée existe), 1 entrée inexistante, 2 aucun
trousseau utilisable (rien n'a été enregistré), 3 erreur d'utilisation ou d'entrée.
</translation>
    </message>
    <message>
        <location filename="../app/cli/SecretCommands.cpp" line="110" />
        <source>the Prometheus URL in NAME must not contain a password (give it on standard input)</source>
        <translation>l'URL Prometheus dans NAME ne doit pas contenir de mot de passe (fournissez-le sur l'entrée standard)</translation>
    </message>
    <message>
        <location filename="../app/cli/SecretCommands.cpp" line="125" />
        <source>NAME "%1" is neither client-key:PATH, proxy:SCHEME://USER@HOST:PORT nor fleet:URL</source>
        <translation>le NAME « %1 » n'est ni client-key:PATH, ni proxy:SCHEME://USER@HOST:PORT, ni fleet:URL</translation>
    </message>
    <message>
        <location filename="../app/cli/SecretCommands.cpp" line="133" />
        <source>standard input holds more than %1 bytes: a secret is one line</source>
        <translation>l'entrée standard contient plus de %1 octets : un secret tient sur une seule ligne</translation>
    </message>
    <message>
        <location filename="../app/cli/SecretCommands.cpp" line="142" />
        <source>standard input holds more than one line: a secret is one line</source>
        <translation>l'entrée standard contient plus d'une ligne : un secret tient sur une seule ligne</translation>
    </message>
    <message>
        <location filename="../app/cli/SecretCommands.cpp" line="151" />
        <source>the secret read from standard input is empty: nothing was stored</source>
        <translation>le secret lu sur l'entrée standard est vide : rien n'a été enregistré</translation>
    </message>
    <message>
        <location filename="../app/cli/SecretCommands.cpp" line="169" />
        <source>unknown action '%1'
</source>
        <translation>action inconnue « %1 »
</translation>
    </message>
    <message>
        <location filename="../app/cli/SecretCommands.cpp" line="170" />
        <source>Try 'certdash secret --help'.
</source>
        <translation>Essayez « certdash secret --help ».
</translation>
    </message>
    <message>
        <location filename="../app/cli/SecretCommands.cpp" line="174" />
        <source>%1 takes exactly one NAME (the secret itself is read from standard input)
</source>
        <translation>%1 attend exactement un NAME (le secret lui-même est lu sur l'entrée standard)
</translation>
    </message>
    <message>
        <location filename="../app/cli/SecretCommands.cpp" line="191" />
        <source>the keychain has an entry named "%1"
</source>
        <translation>le trousseau contient une entrée nommée « %1 »
</translation>
    </message>
    <message>
        <location filename="../app/cli/SecretCommands.cpp" line="195" />
        <source>the keychain has no entry named "%1"
</source>
        <translation>le trousseau ne contient aucune entrée nommée « %1 »
</translation>
    </message>
    <message>
        <location filename="../app/cli/SecretCommands.cpp" line="219" />
        <source>deleted "%1"
</source>
        <translation>« %1 » supprimé
</translation>
    </message>
    <message>
        <location filename="../app/cli/SecretCommands.cpp" line="228" />
        <source>Secret for %1 (not shown): </source>
        <translation>Secret pour %1 (masqué) : </translation>
    </message>
    <message>
        <location filename="../app/cli/SecretCommands.cpp" line="244" />
        <source>stored "%1" in the keychain
</source>
        <translation>« %1 » enregistré dans le trousseau
</translation>
    </message>
</context>
<context>
    <name>certdash::fleet</name>
    <message>
        <location filename="../app/fleet/FleetConfig.cpp" line="91" />
        <source>disabled in the inventory: not written</source>
        <translation>désactivée dans l'inventaire : non écrite</translation>
    </message>
    <message>
        <location filename="../app/fleet/FleetConfig.cpp" line="95" />
        <source>STARTTLS %1: blackbox_exporter's tcp prober cannot hold this dialogue (it matches whole lines; %1 is binary or unterminated): not written</source>
        <translation>STARTTLS %1 : le prober tcp de blackbox_exporter ne peut pas mener ce dialogue (il compare des lignes entières ; %1 est binaire ou sans fin de ligne) : non écrite</translation>
    </message>
    <message>
        <location filename="../app/fleet/FleetConfig.cpp" line="102" />
        <source>no_sni: blackbox_exporter sends the host name as SNI when it probes a name (pin addresses to probe without SNI): not written</source>
        <translation>no_sni : blackbox_exporter envoie le nom d'hôte comme SNI lorsqu'il sonde un nom (épinglez des adresses pour sonder sans SNI) : non écrite</translation>
    </message>
    <message>
        <location filename="../app/fleet/FleetConfig.cpp" line="108" />
        <source>client certificate: probed without it (blackbox_exporter would need tls_config cert_file/key_file on its own host)</source>
        <translation>certificat client : sondée sans ce certificat (blackbox_exporter aurait besoin de tls_config cert_file/key_file sur son propre hôte)</translation>
    </message>
    <message>
        <location filename="../app/fleet/FleetConfig.cpp" line="113" />
        <source>proxy: probed directly by the exporter, not through the proxy</source>
        <translation>proxy : sondée directement par l'exporteur, sans passer par le proxy</translation>
    </message>
    <message>
        <location filename="../app/fleet/FleetConfig.cpp" line="115" />
        <source>accept_self_signed: private CA or self-signed; blackbox_exporter reads the certificate without verifying it (insecure_skip_verify), trust is CertDash's to judge</source>
        <translation>accept_self_signed : AC privée ou certificat autosigné ; blackbox_exporter lit le certificat sans le vérifier (insecure_skip_verify), c'est à CertDash de juger de la confiance</translation>
    </message>
    <message>
        <location filename="../app/fleet/FleetConfig.cpp" line="120" />
        <source>pin_issuer/pin_sha256: blackbox_exporter does not check pins; it reads the certificate without verifying it (insecure_skip_verify)</source>
        <translation>pin_issuer/pin_sha256 : blackbox_exporter ne vérifie pas les épinglages ; il lit le certificat sans le vérifier (insecure_skip_verify)</translation>
    </message>
    <message>
        <location filename="../app/fleet/FleetConfig.cpp" line="182" />
        <source>expected HOST:PORT (e.g. 127.0.0.1:9115), got '%1'</source>
        <translation>HOST:PORT attendu (p. ex. 127.0.0.1:9115), « %1 » reçu</translation>
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
        <translation>Écrit par `certdash fleet config`.

Lancez le ou les exporteurs avec blackbox.yml et Prometheus avec prometheus.yml (il lit
targets.json dans ce dossier) :
  prometheus-blackbox-exporter --config.file=blackbox.yml
  prometheus --config.file=prometheus.yml

Adresses cibles : %1, modules blackbox : %2, intervalle de collecte : %3.

En quoi les sondages de blackbox_exporter diffèrent de ceux de CertDash :
- Chaque module lit le certificat sans le vérifier (insecure_skip_verify: true),
  si bien que les certificats expirés, d'AC privée ou au nom non concordant sont tout de
  même lus : CertDash juge la confiance, blackbox se contente de lire. probe_success
  signifie qu'une négociation TLS a abouti.
- Une cible désignée par un nom d'hôte est sondée sur une seule de ses adresses (IPv6
  d'abord) ; CertDash sonde toutes les adresses. Épinglez des adresses pour que chacune
  soit sondée.
- Chaque exporteur sonde chaque cible, depuis l'endroit où il s'exécute.
</translation>
    </message>
    <message>
        <location filename="../app/fleet/FleetConfig.cpp" line="301" />
        <source>
Every target is probed the same way.
</source>
        <translation>
Toutes les cibles sont sondées de la même façon.
</translation>
    </message>
    <message>
        <location filename="../app/fleet/FleetConfig.cpp" line="303" />
        <source>
Targets probed differently or not written:
</source>
        <translation>
Cibles sondées différemment ou non écrites :
</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../ui/main.cpp" line="33" />
        <source>moved the store from %1 to %2</source>
        <translation>base de données déplacée de %1 vers %2</translation>
    </message>
    <message>
        <location filename="../ui/main.cpp" line="36" />
        <source>the store in %1 is open in another process: it is used there and moved at a later start</source>
        <translation>la base de données dans %1 est ouverte par un autre processus : elle est utilisée sur place et sera déplacée lors d'un prochain démarrage</translation>
    </message>
    <message>
        <location filename="../ui/main.cpp" line="40" />
        <source>the store stays in %1: %2</source>
        <translation>la base de données reste dans %1 : %2</translation>
    </message>
    <message>
        <location filename="../ui/main.cpp" line="80" />
        <source>The database to use.</source>
        <translation>La base de données à utiliser.</translation>
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
        <translation>Impossible d'ouvrir la base de données.

%1</translation>
    </message>
</context>
</TS>
