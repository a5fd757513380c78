package dev.gatekey.admin.leak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatekey.persistence.LeakAction;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeakSettingsTest {

    private static String document() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        String key = Base64.getEncoder().encodeToString(generator.generateKeyPair().getPublic().getEncoded());
        return "{\"public_keys\":[{\"key_identifier\":\"k1\",\"key\":\"-----BEGIN PUBLIC KEY-----\\n" + key
                + "\\n-----END PUBLIC KEY-----\",\"is_current\":true}]}";
    }

    private static LeakSettings parse(Map<String, String> params) {
        return LeakSettings.parse(params, name -> "ENV_" + name);
    }

    @Test
    void parseWhenNoParamsThenOffNotifyNoWebhookAndOneMebibyte() {
        LeakSettings settings = parse(Map.of());

        assertThat(settings.githubEnabled()).isFalse();
        assertThat(settings.action()).isEqualTo(LeakAction.NOTIFY);
        assertThat(settings.webhookUrl()).isNull();
        assertThat(settings.maxBodyBytes()).isEqualTo(1024 * 1024);
    }

    @Test
    void parseWhenEveryParamGivenThenEachIsParsed(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("keys.json"), document());

        LeakSettings settings = parse(Map.of(LeakSettings.GITHUB_PUBLIC_KEYS_FILE, file.toString(),
                LeakSettings.LEAK_ACTION, " Revoke ", LeakSettings.LEAK_WEBHOOK_URL, "https://hooks.example/leaks",
                LeakSettings.LEAK_MAX_BODY_BYTES, "2048"));

        assertThat(settings.githubEnabled()).isTrue();
        assertThat(settings.publicKeys().identifiers()).containsExactly("k1");
        assertThat(settings.action()).isEqualTo(LeakAction.REVOKE);
        assertThat(settings.webhookUrl()).isEqualTo(URI.create("https://hooks.example/leaks"));
        assertThat(settings.maxBodyBytes()).isEqualTo(2048);
        assertThat(settings.toString()).contains("leakAction=revoke").contains("https://hooks.example/…")
                .doesNotContain("/leaks");
    }

    @Test
    void parseWhenInlineDocumentHasPlaceholdersThenExpanded() throws Exception {
        String document = document();

        LeakSettings settings = LeakSettings.parse(Map.of(LeakSettings.GITHUB_PUBLIC_KEYS, "${env:GITHUB_KEYS}"),
                name -> name.equals("GITHUB_KEYS") ? document : null);

        assertThat(settings.publicKeys().knows("k1")).isTrue();
    }

    @Test
    void parseWhenValuesInvalidThenNamesTheParam() throws Exception {
        String document = document();
        assertThatThrownBy(() -> parse(Map.of(LeakSettings.GITHUB_PUBLIC_KEYS, document,
                LeakSettings.GITHUB_PUBLIC_KEYS_FILE, "/x"))).hasMessageContaining("cannot both be set");
        assertThatThrownBy(() -> parse(Map.of(LeakSettings.GITHUB_PUBLIC_KEYS, "{}")))
                .hasMessageContaining("[" + LeakSettings.GITHUB_PUBLIC_KEYS + "]");
        assertThatThrownBy(() -> parse(Map.of(LeakSettings.GITHUB_PUBLIC_KEYS_FILE, "/no/such/file.json")))
                .hasMessageContaining("[" + LeakSettings.GITHUB_PUBLIC_KEYS_FILE + "]");
        assertThatThrownBy(() -> parse(Map.of(LeakSettings.LEAK_ACTION, "delete")))
                .hasMessage("Illegal value for context parameter [gatekey.leakAction]: [delete] (expected notify or revoke)");
        assertThatThrownBy(() -> parse(Map.of(LeakSettings.LEAK_MAX_BODY_BYTES, "1023")))
                .hasMessageContaining("[" + LeakSettings.LEAK_MAX_BODY_BYTES + "]");
        assertThatThrownBy(() -> parse(Map.of(LeakSettings.LEAK_WEBHOOK_URL, "ftp://user:secret@host/x")))
                .hasMessageContaining("[" + LeakSettings.LEAK_WEBHOOK_URL + "]").hasMessageNotContaining("secret");
    }
}
