package dev.gatekey.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeyHashesTest {

    @Test
    void sha256HexWhenArchitectureTestVectorThenMatches() {
        assertThat(KeyHashes.sha256Hex("demo_live_0123456789ABCDEFGHIJKLMNOPQRSTabcdefghij_2FioA8"))
                .isEqualTo("eb93875a0f3de404ca9b35cbba795e3b95c03466c2dc8cf9ce564c2e64f9f4ad");
    }
}
