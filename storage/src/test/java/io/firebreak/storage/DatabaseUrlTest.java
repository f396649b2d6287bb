package io.firebreak.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class DatabaseUrlTest {

    @Test
    void herokuStyleUrlBecomesJdbcWithCredentialsApart() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://fire:s3cr%40t@db.example.com:6543/incidents?sslmode=require");

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.com:6543/incidents?sslmode=require");
        assertThat(url.user()).contains("fire");
        assertThat(url.password()).contains("s3cr@t");
        assertThat(url.describe())
                .isEqualTo("postgresql://fire@db.example.com:6543/incidents")
                .doesNotContain("s3cr");
        assertThat(url.toString()).doesNotContain("s3cr");
    }

    @Test
    void postgresqlSchemeAndDefaultPort() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://fire@db/incidents");

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/incidents");
        assertThat(url.password()).isEmpty();
    }

    @Test
    void jdbcUrlIsKeptAndItsPasswordHidden() {
        DatabaseUrl url = DatabaseUrl.parse("jdbc:postgresql://localhost:5432/fb?user=fire&password=hunter2");

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/fb?user=fire&password=hunter2");
        assertThat(url.user()).contains("fire");
        assertThat(url.password()).isEqualTo(Optional.of("hunter2"));
        assertThat(url.describe()).isEqualTo("postgresql://fire@localhost:5432/fb");
    }

    @Test
    void otherSchemesAreRejectedWithoutEchoingTheValue() {
        assertThatThrownBy(() -> DatabaseUrl.parse("mysql://root:topsecret@db/x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("topsecret");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgres://root:top secret@/x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("top secret");
    }
}
