package dev.gatekey.persistence;

import dev.gatekey.format.Base62;
import java.security.SecureRandom;

/** Random public ids ({@code key_...}, {@code con_...}): not secret, but unguessable so ids leak nothing. */
final class PublicIds {

    private static final String ALPHABET = Base62.ALPHABET;
    private static final int LENGTH = 24;
    private static final SecureRandom RANDOM = new SecureRandom();

    private PublicIds() {
    }

    static String next(String prefix) {
        StringBuilder id = new StringBuilder(prefix.length() + LENGTH).append(prefix);
        for (int i = 0; i < LENGTH; i++) {
            id.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return id.toString();
    }
}
