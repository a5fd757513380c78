/**
 * The key format {@code prefix_body_checksum}: {@link dev.gatekey.format.ApiKeyFormat} generates, parses, checks
 * and masks keys, with a CRC-32 or HMAC checksum ({@link dev.gatekey.format.ChecksumMode}); a well-formed key is a
 * {@link dev.gatekey.format.ParsedKey}; {@link dev.gatekey.format.Base62} holds the base62 alphabet and the
 * checksum digits.
 *
 * <p>Depends on the JDK only, so every other Gatekey package may use it: the filter (step 2, the format check),
 * persistence (new keys), the admin WAR (secret-scanning patterns), the quickstart and the benchmark.
 */
package dev.gatekey.format;
