package io.lambdaform.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which environment variables read from a target look secret, by name or by value. */
class SecretLiteralsTest {
    @Test
    void namesThatSayCredential_lookSecret_whateverTheValue() {
        for (String name : List.of(
                "API_TOKEN",
                "DB_PASSWORD",
                "PASSWD",
                "CLIENT_SECRET",
                "STRIPE_API_KEY",
                "PRIVATE_KEY",
                "GOOGLE_APPLICATION_CREDENTIALS",
                "DATABASE_URL",
                "github_token")) {
            assertThat(SecretLiterals.looksSecret(name, "x")).as(name).isPresent();
        }
    }

    @Test
    void valuesInACredentialsFormat_lookSecret_whateverTheName() {
        for (String value : List.of(
                "AKIAIOSFODNN7EXAMPLE",
                "-----BEGIN RSA PRIVATE KEY-----\nMIIE...",
                "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
                "xoxb-1234567890-abcdefghij",
                "https://hooks.slack.com/services/T000/B000/XXXX",
                "sk_live_abcdefghijklmnop",
                "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl",
                "postgres://app:hunter2@db.example.com:5432/orders",
                "Server=db;User Id=app;Password=hunter2;")) {
            assertThat(SecretLiterals.looksSecret("SETTING", value)).as(value).isPresent();
        }
    }

    @Test
    void ordinarySettings_doNotLookSecret() {
        assertThat(SecretLiterals.looksSecret("GREETING", "Hello")).isEmpty();
        assertThat(SecretLiterals.looksSecret("TABLE", "orders")).isEmpty();
        assertThat(SecretLiterals.looksSecret("LOG_LEVEL", "debug")).isEmpty();
        assertThat(SecretLiterals.looksSecret("ENDPOINT", "https://api.example.com/v1"))
                .isEmpty();
        assertThat(SecretLiterals.looksSecret("MONKEY", "banana")).isEmpty();
    }
}
