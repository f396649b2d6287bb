package io.firebreak.bot.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.firebreak.bot.platform.signing.SigningKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IntegritySettingsTest {

    @Test
    void theEmbeddedDatabaseGetsAKeyGeneratedOnceIntoTheDataFolderReadableByTheOwnerOnly(@TempDir Path dataDir)
            throws IOException {
        IntegritySettings first = ConfigLoader.load(Environments.with(dataDir)).integrity();
        IntegritySettings second = ConfigLoader.load(Environments.with(dataDir)).integrity();

        Path file = dataDir.resolve(IntegritySettings.GENERATED_KEY_FILE);
        assertThat(first.keyGenerated()).isTrue();
        assertThat(second.keyGenerated()).isFalse();
        assertThat(second.signingKey().orElseThrow().verifyingKey().id())
                .isEqualTo(first.signingKey().orElseThrow().verifyingKey().id());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(first.checkpointDir()).isEqualTo(dataDir.resolve("checkpoints"));
    }

    @Test
    void withADatabaseUrlAndNoKeyCheckpointsAreOffAndNothingIsWritten(@TempDir Path dataDir) {
        IntegritySettings settings = ConfigLoader.load(
                        Environments.with(dataDir, "DATABASE_URL", "postgres://firebreak_bot:pw@db:5432/firebreak"))
                .integrity();

        assertThat(settings.signingKey()).isEmpty();
        assertThat(dataDir.resolve(IntegritySettings.GENERATED_KEY_FILE)).doesNotExist();
    }

    @Test
    void aKeyIsReadFromAFileOrAValueAndABadOneIsRefusedWithoutQuotingIt(@TempDir Path dataDir) throws IOException {
        SigningKey key = SigningKey.generate();
        Path file = Files.writeString(dataDir.resolve("key.pem"), key.toPem());
        String privateOnly = key.toPem().substring(0, key.toPem().indexOf("-----BEGIN PUBLIC KEY-----"));

        IntegritySettings fromFile = ConfigLoader.load(
                        Environments.with(dataDir, "FIREBREAK_SIGNING_KEY", file.toString()))
                .integrity();
        IntegritySettings fromValue = ConfigLoader.load(
                        Environments.with(dataDir, "FIREBREAK_SIGNING_KEY", key.toPem()))
                .integrity();
        ConfigException refused = catchThrowableOfType(
                ConfigException.class,
                () -> ConfigLoader.load(Environments.with(
                        dataDir,
                        "FIREBREAK_SIGNING_KEY",
                        privateOnly,
                        "FIREBREAK_AUDIT_CHANNEL",
                        "#audit",
                        "DATABASE_URL",
                        "postgres://bot:pw@db/firebreak",
                        "DATABASE_MIGRATION_URL",
                        "mysql://owner:secret@db/firebreak")));

        assertThat(fromFile.signingKey().orElseThrow().verifyingKey().id())
                .isEqualTo(key.verifyingKey().id());
        assertThat(fromValue.signingKey().orElseThrow().verifyingKey().id())
                .isEqualTo(key.verifyingKey().id());
        assertThat(fromValue.signingKey().orElseThrow().toString()).doesNotContain("PRIVATE");
        assertThat(refused.problems())
                .containsExactlyInAnyOrder(
                        "FIREBREAK_SIGNING_KEY must be an Ed25519 key in PEM (a PRIVATE KEY and a PUBLIC KEY block) or the path of a file holding one: "
                                + "it holds no PUBLIC KEY block after the private key (add it with: openssl pkey -in key.pem -pubout >> key.pem)",
                        "FIREBREAK_AUDIT_CHANNEL must be a Slack channel ID such as C0123456789 (not a #name)",
                        "DATABASE_MIGRATION_URL must start with postgres://, postgresql:// or jdbc:postgresql:// (expected postgres://owner:password@host:port/database)");
        assertThat(String.join("\n", refused.problems()))
                .doesNotContain(privateOnly.substring(30, 60))
                .doesNotContain("secret");
    }
}
