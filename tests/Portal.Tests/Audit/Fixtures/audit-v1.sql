PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
);
INSERT INTO schema_migrations VALUES(1,'0001_initial','2026-12-01T22:56:15.2649074Z');
CREATE TABLE uploads (
    id                  TEXT    PRIMARY KEY,        -- portal upload id: 32 lower-case hex digits
    received_at         TEXT    NOT NULL,           -- UTC, ISO 8601 round-trip format (sorts in time order)
    user_id             TEXT    NOT NULL,           -- OIDC 'sub'
    user_name           TEXT    NOT NULL,
    user_email          TEXT,
    user_issuer         TEXT    NOT NULL,           -- OIDC 'iss'
    client_ip           TEXT,
    user_agent          TEXT,
    tencent_app         TEXT    NOT NULL,
    tencent_region      TEXT    NOT NULL,
    package_kind        TEXT    NOT NULL,
    file_name           TEXT    NOT NULL,
    file_size           INTEGER NOT NULL,
    sha256              TEXT    NOT NULL,           -- of the bytes received
    row_count           INTEGER NOT NULL,
    valid_count         INTEGER NOT NULL,
    invalid_count       INTEGER NOT NULL,
    duplicate_count     INTEGER NOT NULL,
    original_sendable   INTEGER NOT NULL,           -- 1 when Tencent would accept the original as it is
    clean_file_name     TEXT,                       -- the clean package the validator wrote, if any
    clean_size          INTEGER,
    clean_sha256        TEXT,
    clean_account_count INTEGER,
    validation_summary  TEXT    NOT NULL,
    validation_ms       INTEGER NOT NULL
);
INSERT INTO uploads VALUES('1f4b2c0e8a3d4c559e610a7b3c9d2e01','2026-03-02T09:01:14.0000000Z','dev-mia','Mia Marketing','mia@example.com','https://login.example.com/tenant/v2.0','10.0.0.21','Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0','Campaigns','Guangzhou','Account','spring-campaign.txt',1300,'2ccf3d0d8f6325b8c611e53080c4d62ce8983aee84fd10c575533c4ebbf4e309',100,100,0,0,1,NULL,NULL,NULL,NULL,'100 accounts, no problems',4);
INSERT INTO uploads VALUES('2a5c3d1f9b4e4d668f721b8c4dae3f02','2026-03-02T09:03:05.0000000Z','dev-mia','Mia Marketing','mia@example.com','https://login.example.com/tenant/v2.0','10.0.0.21','Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0','Campaigns','Guangzhou','Account','bad-list.csv',48,'9e3db48328e33301ce1cc277f6077d07fec8cc4910ea6650c5727f1cdc9a9c32',4,0,4,0,0,NULL,NULL,NULL,NULL,'4 rows, none valid: 4 have more than one column',3);
INSERT INTO uploads VALUES('3b6d4e20ac5f4e7790832c9d5ebf4003','2026-03-02T09:04:19.0000000Z','dev-zhangwei','张伟',NULL,'https://login.example.com/tenant/v2.0','10.0.0.21','Mozilla/5.0 (Windows NT 10.0; Win64; x64) 中文','Campaigns','Guangzhou','Account','张伟.txt',2600,'d3897726ebebcdf92b561de7fbb3b7cbe7ff6acfdc9c9bf4e22eb8b9114bfe3d',200,200,0,0,1,NULL,NULL,NULL,NULL,'200 accounts, no problems',5);
INSERT INTO uploads VALUES('4c7e5f31bd604f88a1943dae6fc05104','2026-03-02T09:06:47.0000000Z','dev-olivia','Olivia Owner','olivia@example.com','https://login.example.com/tenant/v2.0',NULL,'Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0','Campaigns','Guangzhou','Account','summer.csv',9100,'dc37d09a7d6ff8eacce42378fe0b7513e91e9b4ea59b03d2a1f12be1adf6cf1d',700,700,0,0,1,NULL,NULL,NULL,NULL,'700 accounts, no problems',10);
INSERT INTO uploads VALUES('5d806042ce714099b2a54ebf70d16205','2026-03-02T09:08:38.0000000Z','dev-mia','Mia Marketing','mia@example.com','https://login.example.com/tenant/v2.0','10.0.0.21','Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0','Campaigns','Guangzhou','Account','retry-me.txt',650,'1b4778e3c27b062769d3d694d551da1172ae4b81a1e0eac93417f3f71fd1d0a6',50,50,0,0,1,NULL,NULL,NULL,NULL,'50 accounts, no problems',3);
INSERT INTO uploads VALUES('6e917153df8240aa83b65fc081e27306','2026-03-02T09:12:20.0000000Z','dev-mia','Mia Marketing','mia@example.com','https://login.example.com/tenant/v2.0','10.0.0.21','Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0','Campaigns','Guangzhou','Account','mixed.csv',5210,'26fedfe8f1b070cd153d7f88c72611da34472c0fc9b1481ae583c57ecebe4aa6',400,380,12,8,0,'mixed.clean.txt',4940,'c1ea2a0f5b7d4e8a9f0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f',372,'400 rows: 380 valid, 12 invalid, 8 duplicates; the clean package holds 372 accounts',7);
INSERT INTO uploads VALUES('7fa08264e09341bb94c760d192f38407','2026-03-02T09:14:48.0000000Z','dev-olivia','Olivia Owner','olivia@example.com','https://login.example.com/tenant/v2.0','10.0.0.21','Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0','Campaigns (iOS)','HongKong','Token','tokens.txt',3700,'a43ae7c1528c66f9bf8df50e391e2e5f2326e9577283e5e2554f578404b2bd73',100,100,0,0,1,NULL,NULL,NULL,NULL,'100 accounts, no problems',4);
INSERT INTO uploads VALUES('80b19375f1a442cca5d871e2a4050508','2026-03-02T09:15:25.0000000Z','dev-mia','Mia Marketing','mia@example.com','https://login.example.com/tenant/v2.0','10.0.0.21',NULL,'Campaigns','Guangzhou','Account','archive.zip',1024,'46ba5493f88280e8a38e17bf25c50740024e197d3b2a0e1898af2fb75d0840b5',64,64,0,0,1,NULL,NULL,NULL,NULL,'64 accounts, no problems',3);
INSERT INTO uploads VALUES('91c2a48602b543ddb6e982f3b5161609','2026-03-02T09:16:02.0000000Z','dev-zhangwei','张伟',NULL,'https://login.example.com/tenant/v2.0','2001:db8::7','Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0','Campaigns','Guangzhou','Account','名单 😀 (final).csv',777,'4447c4ddf9c1dacd1c77e69e7052d54489cac5cb991f6d6583153949c2e3016a',33,33,0,0,1,NULL,NULL,NULL,NULL,'33 accounts, no problems',3);
CREATE TABLE audit_events (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    occurred_at TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    actor_id    TEXT    NOT NULL,
    actor_name  TEXT    NOT NULL,
    upload_id   TEXT    REFERENCES uploads (id),
    data        TEXT    NOT NULL,                   -- canonical JSON of the event's details
    chain       TEXT    NOT NULL                    -- hex HMAC-SHA256(key, previous chain || this event)
);
INSERT INTO audit_events VALUES(1,'2026-03-02T09:00:37.0000000Z','signed-in','dev-mia','Mia Marketing',NULL,'{"roles":["Uploader"],"clientIp":"10.0.0.21"}','07930053c0cb02bd968f1a0da1e215c0944e10f0bb0d7a5503d07958a0b0924b');
INSERT INTO audit_events VALUES(2,'2026-03-02T09:01:14.0000000Z','received','dev-mia','Mia Marketing','1f4b2c0e8a3d4c559e610a7b3c9d2e01','{"fingerprint":"847e566c65bcd81ed96aa9a907b360a4b9daa5b672237175f9a76687de0e0ef1"}','567bfe4b505edbc0807edd0fe43674a4032461a9ff03d875d529e969092550a5');
INSERT INTO audit_events VALUES(3,'2026-03-02T09:01:14.0000000Z','validated','dev-mia','Mia Marketing','1f4b2c0e8a3d4c559e610a7b3c9d2e01','{"summary":"100 accounts, no problems","validationMs":4}','08b16fe6922c0146cd8b4c5b4fe2e2b12f8239e977eb65123340118165de9070');
INSERT INTO audit_events VALUES(4,'2026-03-02T09:01:51.0000000Z','confirmed','dev-mia','Mia Marketing','1f4b2c0e8a3d4c559e610a7b3c9d2e01','{"variant":"original","sha256":"2ccf3d0d8f6325b8c611e53080c4d62ce8983aee84fd10c575533c4ebbf4e309","size":1300,"accounts":100}','bed27da5293748e9c4db1712e9c30164a001479c6f0627bcada65bd6c94261d4');
INSERT INTO audit_events VALUES(5,'2026-03-02T09:01:51.0000000Z','sending','dev-mia','Mia Marketing','1f4b2c0e8a3d4c559e610a7b3c9d2e01','{"attempt":1}','71703155c7ac8842d102b037f495c088425878c32f6b9968daf76cc138b139c7');
INSERT INTO audit_events VALUES(6,'2026-03-02T09:02:28.0000000Z','sent','dev-mia','Mia Marketing','1f4b2c0e8a3d4c559e610a7b3c9d2e01','{"tencentUploadId":3100001,"retCode":0,"errMsg":"","httpStatus":200,"message":null,"durationMs":812,"mayHaveArrived":false}','1e89afe0043529ebe43819235c48b17e2e7bee99cd1fbfeff2e504f9fc994f39');
INSERT INTO audit_events VALUES(7,'2026-03-02T09:03:05.0000000Z','received','dev-mia','Mia Marketing','2a5c3d1f9b4e4d668f721b8c4dae3f02','{"fingerprint":"8d864312a231204d55c906819019845dee6923811e1efa01cb890a7b53e29d28"}','597612321b66086893772a435b927791820164fd72d62c5c5d52efc3a7c02d08');
INSERT INTO audit_events VALUES(8,'2026-03-02T09:03:05.0000000Z','rejected','dev-mia','Mia Marketing','2a5c3d1f9b4e4d668f721b8c4dae3f02','{"summary":"4 rows, none valid: 4 have more than one column","validationMs":3}','4e8f49d08cdbb42d237bc56f225727309a9f804f1d293184c220e049ee35c28e');
INSERT INTO audit_events VALUES(9,'2026-03-02T09:03:42.0000000Z','problem-report-downloaded','dev-mia','Mia Marketing','2a5c3d1f9b4e4d668f721b8c4dae3f02','{}','2b06d9e35a7cd0b95811c87c10977544c36b6250b0e4eaf0d5d6df3a71b1da24');
INSERT INTO audit_events VALUES(10,'2026-03-02T09:04:19.0000000Z','received','dev-zhangwei','张伟','3b6d4e20ac5f4e7790832c9d5ebf4003','{"fingerprint":"b5de09956438fb3ef4ce706ac54f60b94bee377dd120fc752282d613794b0d11"}','939308238f3341ec93da07e6fca01eff4083353d4ce51edb10fbfb9f05792059');
INSERT INTO audit_events VALUES(11,'2026-03-02T09:04:19.0000000Z','validated','dev-zhangwei','张伟','3b6d4e20ac5f4e7790832c9d5ebf4003','{"summary":"200 accounts, no problems","validationMs":5}','6d537a78d8e608d3d2382cde2ae27f7190e969f6627114615f47b3ad34fb6c75');
INSERT INTO audit_events VALUES(12,'2026-03-02T09:04:56.0000000Z','confirmed','dev-zhangwei','张伟','3b6d4e20ac5f4e7790832c9d5ebf4003','{"variant":"original","sha256":"d3897726ebebcdf92b561de7fbb3b7cbe7ff6acfdc9c9bf4e22eb8b9114bfe3d","size":2600,"accounts":200}','2020e95079e67f2eb942156a08e4f144a30875a11bcc5b701564b14c284cabf6');
INSERT INTO audit_events VALUES(13,'2026-03-02T09:04:56.0000000Z','sending','dev-zhangwei','张伟','3b6d4e20ac5f4e7790832c9d5ebf4003','{"attempt":1}','d4ec1434fcfec439dfdf0c26186dd6a15fe249d105dc19870dd1b9681b8b764b');
INSERT INTO audit_events VALUES(14,'2026-03-02T09:05:33.0000000Z','failed','dev-zhangwei','张伟','3b6d4e20ac5f4e7790832c9d5ebf4003','{"tencentUploadId":null,"retCode":1008011,"errMsg":"upload file error","httpStatus":200,"message":"Tencent Push could not take the file (retCode 1008011: upload file error). Check that it is a UTF-8 .txt or a one-column .csv (or a .zip holding exactly one of them and no folders) with one entry per line and under 100 MB, then upload it again.","durationMs":430,"mayHaveArrived":false}','5b0a648968b23539e20c28ecf0ad318b282bc73c6a3e0358ae0287fe5d5f5e82');
INSERT INTO audit_events VALUES(15,'2026-03-02T09:06:10.0000000Z','signed-in','dev-olivia','Olivia Owner',NULL,'{"roles":["Auditor","Uploader"],"clientIp":null}','c0f69af831cc3c173df40c12041adf544d65ca03794a0b32786b89c91d5390bc');
INSERT INTO audit_events VALUES(16,'2026-03-02T09:06:47.0000000Z','received','dev-olivia','Olivia Owner','4c7e5f31bd604f88a1943dae6fc05104','{"fingerprint":"d2fb331505ac856ff7e9fa4bf8e3478e120af6354c402ad3a870847171eadc9b"}','bf89cd46efb9dc72dbaf37fdb4bafc17ac93a72bd32f55c241bec825071cc056');
INSERT INTO audit_events VALUES(17,'2026-03-02T09:06:47.0000000Z','validated','dev-olivia','Olivia Owner','4c7e5f31bd604f88a1943dae6fc05104','{"summary":"700 accounts, no problems","validationMs":10}','ed469576adb24a3ee2548db8fa4c66dbfc5dfc0cb4c34a0b0911687b6431c28e');
INSERT INTO audit_events VALUES(18,'2026-03-02T09:07:24.0000000Z','confirmed','dev-olivia','Olivia Owner','4c7e5f31bd604f88a1943dae6fc05104','{"variant":"original","sha256":"dc37d09a7d6ff8eacce42378fe0b7513e91e9b4ea59b03d2a1f12be1adf6cf1d","size":9100,"accounts":700}','9a685b58292673846dacf1d2fa9354a71aaf8b394341e57e111198f96cf1f5bb');
INSERT INTO audit_events VALUES(19,'2026-03-02T09:07:24.0000000Z','sending','dev-olivia','Olivia Owner','4c7e5f31bd604f88a1943dae6fc05104','{"attempt":1}','5cb39606fe16e692544c7c8506a9979033f1660226228151b10fafad8611e32a');
INSERT INTO audit_events VALUES(20,'2026-03-02T09:08:01.0000000Z','interrupted','system','Portal','4c7e5f31bd604f88a1943dae6fc05104','{"tencentUploadId":null,"retCode":null,"errMsg":null,"httpStatus":null,"message":"Interrupted: the portal stopped while sending. The package may or may not have arrived at Tencent.","durationMs":0,"mayHaveArrived":true}','487ee10c49a2ef856019c9de7f366c8bd40e5cf090902e0e1be90ed55382c4e0');
INSERT INTO audit_events VALUES(21,'2026-03-02T09:08:38.0000000Z','received','dev-mia','Mia Marketing','5d806042ce714099b2a54ebf70d16205','{"fingerprint":"ba09f537841bd55c817d406454560a8175e0090eb762d95ddf7f10cf31ca69fa"}','fea4343241d909d66b3bd2414b561538f2bb1e122848f6e481a253a932cd813e');
INSERT INTO audit_events VALUES(22,'2026-03-02T09:08:38.0000000Z','validated','dev-mia','Mia Marketing','5d806042ce714099b2a54ebf70d16205','{"summary":"50 accounts, no problems","validationMs":3}','b50aa6eb32ae4871c3b5245bc43ce9aef37425610bb66682c789218df9cbfd6f');
INSERT INTO audit_events VALUES(23,'2026-03-02T09:09:15.0000000Z','confirmed','dev-mia','Mia Marketing','5d806042ce714099b2a54ebf70d16205','{"variant":"original","sha256":"1b4778e3c27b062769d3d694d551da1172ae4b81a1e0eac93417f3f71fd1d0a6","size":650,"accounts":50}','02f322dfb40f4af513fde3f93ea6f5c3520f4f3ea4ac54c828a598916f42ddd8');
INSERT INTO audit_events VALUES(24,'2026-03-02T09:09:15.0000000Z','sending','dev-mia','Mia Marketing','5d806042ce714099b2a54ebf70d16205','{"attempt":1}','cdb90067cfa2bbdf5c43b5f4a3dcdd7e2e7a4693e0b00f318b8c21f5f56bbdba');
INSERT INTO audit_events VALUES(25,'2026-03-02T09:09:52.0000000Z','failed','dev-mia','Mia Marketing','5d806042ce714099b2a54ebf70d16205','{"tencentUploadId":null,"retCode":null,"errMsg":null,"httpStatus":503,"message":"Tencent Push failed with HTTP 503: \"Service Unavailable\". Send the package again in a few minutes. The package may have reached Tencent anyway: if you send it again, Tencent may keep two copies; use only the uploadId you are given.","durationMs":95,"mayHaveArrived":true}','93efbd80673ea4237a32f88cc5aac3d317c4cb16637f89f26fe028a783dda172');
INSERT INTO audit_events VALUES(26,'2026-03-02T09:10:29.0000000Z','signed-in','dev-aaron','Aaron Auditor',NULL,'{"roles":["Auditor"],"clientIp":"10.0.0.7"}','4ea9b35556112ce92c66d64abb9b95e4f81011183d328e433fb625942f7f30f6');
INSERT INTO audit_events VALUES(27,'2026-03-02T09:11:06.0000000Z','retried','dev-aaron','Aaron Auditor','5d806042ce714099b2a54ebf70d16205','{"variant":"original","sha256":"1b4778e3c27b062769d3d694d551da1172ae4b81a1e0eac93417f3f71fd1d0a6","size":650,"accounts":50}','b11c695531888714206cbe4aaefc38e357947dc6716742801643aa11c880d5ed');
INSERT INTO audit_events VALUES(28,'2026-03-02T09:11:06.0000000Z','sending','dev-aaron','Aaron Auditor','5d806042ce714099b2a54ebf70d16205','{"attempt":2}','8c3a29ad4146463e5f011475b52d13ca6df3ccc7b89b04be29d29b4ec5353224');
INSERT INTO audit_events VALUES(29,'2026-03-02T09:11:43.0000000Z','sent','dev-aaron','Aaron Auditor','5d806042ce714099b2a54ebf70d16205','{"tencentUploadId":3100002,"retCode":0,"errMsg":"","httpStatus":200,"message":null,"durationMs":640,"mayHaveArrived":false}','34192210cd8ed1d805ac998db50ca3d225cb55f239fac93f95fbdee96e0fce39');
INSERT INTO audit_events VALUES(30,'2026-03-02T09:12:20.0000000Z','received','dev-mia','Mia Marketing','6e917153df8240aa83b65fc081e27306','{"fingerprint":"e1acf2c38276fc4dec3124aba010ee8a67b1ffb329148c4d3bf68f47f5db49a5"}','7b6795e32d74aa79938467f40a0b61c2e3b059ad7a78a10b3d1ec4d31a03d5a0');
INSERT INTO audit_events VALUES(31,'2026-03-02T09:12:20.0000000Z','validated','dev-mia','Mia Marketing','6e917153df8240aa83b65fc081e27306','{"summary":"400 rows: 380 valid, 12 invalid, 8 duplicates; the clean package holds 372 accounts","validationMs":7}','15b9d8bcb003f89ce0a195d16edc1a3e0a2317d66e598c067d5b0cba77701094');
INSERT INTO audit_events VALUES(32,'2026-03-02T09:12:57.0000000Z','confirmed','dev-mia','Mia Marketing','6e917153df8240aa83b65fc081e27306','{"variant":"clean","sha256":"c1ea2a0f5b7d4e8a9f0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f","size":4940,"accounts":372}','8d18adaeeea49cfce79958900ff3464b63339ef1a7386d7c0a224979e0cede79');
INSERT INTO audit_events VALUES(33,'2026-03-02T09:12:57.0000000Z','sending','dev-mia','Mia Marketing','6e917153df8240aa83b65fc081e27306','{"attempt":1}','306919cc42309ec70a347e63c975dc8f497952523dd7f757546c8ffbb69c967c');
INSERT INTO audit_events VALUES(34,'2026-03-02T09:13:34.0000000Z','sent','dev-mia','Mia Marketing','6e917153df8240aa83b65fc081e27306','{"tencentUploadId":3100003,"retCode":0,"errMsg":"","httpStatus":200,"message":null,"durationMs":505,"mayHaveArrived":false}','ff4726dcd94083104405477174b937e7ddea510fc2020ec2939a2171f17d977a');
INSERT INTO audit_events VALUES(35,'2026-03-02T09:14:11.0000000Z','sent-file-downloaded','dev-aaron','Aaron Auditor','6e917153df8240aa83b65fc081e27306','{"variant":"clean"}','b6e0d6ad6e7a79647b554a9990920d2bbb7a836266ad3b86025f82408ceb0876');
INSERT INTO audit_events VALUES(36,'2026-03-02T09:14:48.0000000Z','received','dev-olivia','Olivia Owner','7fa08264e09341bb94c760d192f38407','{"fingerprint":"a24f7aae47797e670b8cd42cf29028166c90da51b96e7ee83ae3ef18cc540a6a"}','2b0a7a4387c0d4c3ee15d648f4bfce3c4958c6d6344cc0a18aa6231861464e0c');
INSERT INTO audit_events VALUES(37,'2026-03-02T09:14:48.0000000Z','validated','dev-olivia','Olivia Owner','7fa08264e09341bb94c760d192f38407','{"summary":"100 accounts, no problems","validationMs":4}','3b845eb542d4add4331c9e9a5c399efa921b43e6121f9c989f8031e746754b29');
INSERT INTO audit_events VALUES(38,'2026-03-02T09:15:25.0000000Z','received','dev-mia','Mia Marketing','80b19375f1a442cca5d871e2a4050508','{"fingerprint":"fe03385237df0261394a59fc3449525d2e5a3a1647dcd3de38ba2f38dd278b42"}','d78bbfff444a865f4097f8b2303dc6ab68ade56d20d10c34e33af7b80cf71d2c');
INSERT INTO audit_events VALUES(39,'2026-03-02T09:15:25.0000000Z','validated','dev-mia','Mia Marketing','80b19375f1a442cca5d871e2a4050508','{"summary":"64 accounts, no problems","validationMs":3}','2a502d2d1e36a7e276e288897c69ac004f6741713077cbb9b87a3bcea31a0f2f');
INSERT INTO audit_events VALUES(40,'2026-03-02T09:16:02.0000000Z','received','dev-zhangwei','张伟','91c2a48602b543ddb6e982f3b5161609','{"fingerprint":"fffedd5cce8aacdc6ac19a0be0c1b986c92698f959501e83d73dd5093a204d34"}','53c3677f6323d050b144305838029fcf264399a6fd4ec856c75a1ff74074dbcd');
INSERT INTO audit_events VALUES(41,'2026-03-02T09:16:02.0000000Z','validated','dev-zhangwei','张伟','91c2a48602b543ddb6e982f3b5161609','{"summary":"33 accounts, no problems","validationMs":3}','34fd9427f7d8566fc48978aae416a87375547b38d5cd8a36eba1e3822d8c6637');
INSERT INTO audit_events VALUES(42,'2026-03-02T09:16:39.0000000Z','staged-file-purged','system','Portal','7fa08264e09341bb94c760d192f38407','{"retentionDays":7}','485e832ecbf13008dd9efc7aa0393566df0c690af155cff8fb12fda17a92c4c1');
INSERT INTO audit_events VALUES(43,'2026-03-02T09:17:16.0000000Z','audit-exported','dev-aaron','Aaron Auditor',NULL,'{"format":"csv","filter":"status=failed"}','8b66953b4e67e1eea5f44202367a23aa73a9f21839308679ca782983d90d630b');
INSERT INTO audit_events VALUES(44,'2026-03-02T09:17:53.0000000Z','audit-exported','dev-aaron','Aaron Auditor',NULL,'{"format":"json","filter":"user=张伟, from=2026-03-01T00:00:00.0000000Z"}','d36ce3789c9d885e1fbfa6d3ab2c0a2c1c9105c94725c3fc7e6d71c67a1b18e0');
INSERT INTO audit_events VALUES(45,'2026-03-02T09:18:30.0000000Z','integrity-verified','dev-aaron','Aaron Auditor',NULL,'{"intact":true,"eventsChecked":44,"problem":null,"lastSeq":44,"lastChain":"d36ce3789c9d885e1fbfa6d3ab2c0a2c1c9105c94725c3fc7e6d71c67a1b18e0"}','c68c7d89b4684b7d727f2bf163d5947caed73cd7c4ce623c57854585cf58ff2f');
INSERT INTO audit_events VALUES(46,'2026-03-02T09:19:07.0000000Z','signed-out','dev-aaron','Aaron Auditor',NULL,'{}','f2b9e4a2b21b2df45ec9143e4061a61e41353e021e18ce28741173af3e1ff562');
INSERT INTO audit_events VALUES(47,'2026-03-02T09:19:44.0000000Z','signed-out','dev-mia','Mia Marketing',NULL,'{}','ea59a0baaaba0c5c02dacb0c488cdc5981cdb4e35dd110c1f7535389e14177ad');
CREATE TABLE upload_state (
    upload_id         TEXT    PRIMARY KEY REFERENCES uploads (id),
    received_at       TEXT    NOT NULL,
    status            TEXT    NOT NULL,
    last_seq          INTEGER NOT NULL,
    attempts          INTEGER NOT NULL DEFAULT 0,
    sent_variant      TEXT,                         -- 'original' or 'clean'
    sent_sha256       TEXT,
    sent_size         INTEGER,
    sent_accounts     INTEGER,
    tencent_upload_id INTEGER,
    ret_code          INTEGER,
    http_status       INTEGER,
    message           TEXT,
    send_ms           INTEGER,
    staged_purged     INTEGER NOT NULL DEFAULT 0
);
INSERT INTO upload_state VALUES('1f4b2c0e8a3d4c559e610a7b3c9d2e01','2026-03-02T09:01:14.0000000Z','sent',6,1,'original','2ccf3d0d8f6325b8c611e53080c4d62ce8983aee84fd10c575533c4ebbf4e309',1300,100,3100001,0,200,NULL,812,0);
INSERT INTO upload_state VALUES('2a5c3d1f9b4e4d668f721b8c4dae3f02','2026-03-02T09:03:05.0000000Z','rejected',8,0,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,0);
INSERT INTO upload_state VALUES('3b6d4e20ac5f4e7790832c9d5ebf4003','2026-03-02T09:04:19.0000000Z','failed',14,1,'original','d3897726ebebcdf92b561de7fbb3b7cbe7ff6acfdc9c9bf4e22eb8b9114bfe3d',2600,200,NULL,1008011,200,'Tencent Push could not take the file (retCode 1008011: upload file error). Check that it is a UTF-8 .txt or a one-column .csv (or a .zip holding exactly one of them and no folders) with one entry per line and under 100 MB, then upload it again.',430,0);
INSERT INTO upload_state VALUES('4c7e5f31bd604f88a1943dae6fc05104','2026-03-02T09:06:47.0000000Z','interrupted',20,1,'original','dc37d09a7d6ff8eacce42378fe0b7513e91e9b4ea59b03d2a1f12be1adf6cf1d',9100,700,NULL,NULL,NULL,'Interrupted: the portal stopped while sending. The package may or may not have arrived at Tencent.',0,0);
INSERT INTO upload_state VALUES('5d806042ce714099b2a54ebf70d16205','2026-03-02T09:08:38.0000000Z','sent',29,2,'original','1b4778e3c27b062769d3d694d551da1172ae4b81a1e0eac93417f3f71fd1d0a6',650,50,3100002,0,200,NULL,640,0);
INSERT INTO upload_state VALUES('6e917153df8240aa83b65fc081e27306','2026-03-02T09:12:20.0000000Z','sent',34,1,'clean','c1ea2a0f5b7d4e8a9f0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f',4940,372,3100003,0,200,NULL,505,0);
INSERT INTO upload_state VALUES('7fa08264e09341bb94c760d192f38407','2026-03-02T09:14:48.0000000Z','validated',42,0,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,1);
INSERT INTO upload_state VALUES('80b19375f1a442cca5d871e2a4050508','2026-03-02T09:15:25.0000000Z','validated',39,0,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,0);
INSERT INTO upload_state VALUES('91c2a48602b543ddb6e982f3b5161609','2026-03-02T09:16:02.0000000Z','validated',41,0,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,0);
DELETE FROM sqlite_sequence;
INSERT INTO sqlite_sequence VALUES('audit_events',47);
CREATE INDEX ix_uploads_received ON uploads (received_at DESC);
CREATE INDEX ix_uploads_user ON uploads (user_id, received_at DESC);
CREATE INDEX ix_uploads_email ON uploads (user_email COLLATE NOCASE, received_at DESC);
CREATE INDEX ix_uploads_app ON uploads (tencent_app, received_at DESC);
CREATE INDEX ix_uploads_kind ON uploads (package_kind, received_at DESC);
CREATE INDEX ix_uploads_file_name ON uploads (file_name COLLATE NOCASE);
CREATE INDEX ix_uploads_sha256 ON uploads (sha256);
CREATE INDEX ix_uploads_clean_sha256 ON uploads (clean_sha256);
CREATE INDEX ix_audit_events_upload ON audit_events (upload_id, seq);
CREATE INDEX ix_audit_events_day ON audit_events (kind, occurred_at);
CREATE INDEX ix_upload_state_status ON upload_state (status, received_at DESC);
CREATE INDEX ix_upload_state_tencent ON upload_state (tencent_upload_id);
CREATE TRIGGER uploads_no_update BEFORE UPDATE ON uploads
BEGIN SELECT RAISE(ABORT, 'uploads is append-only'); END;
CREATE TRIGGER uploads_no_delete BEFORE DELETE ON uploads
BEGIN SELECT RAISE(ABORT, 'uploads is append-only'); END;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
COMMIT;
