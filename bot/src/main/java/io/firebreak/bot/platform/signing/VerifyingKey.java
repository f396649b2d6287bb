package io.firebreak.bot.platform.signing;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The public half of the checkpoint signing key: what an auditor holds to check checkpoints. Its {@link #id()} is
 * the first 16 hex digits of the SHA-256 of its X.509 encoding, and each checkpoint names the key that signed it.
 */
public record VerifyingKey(PublicKey key) {
    private static final Pattern PUBLIC =
            Pattern.compile("-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\\s]+)-----END PUBLIC KEY-----");

    /** Reads the {@code PUBLIC KEY} block of {@code pem}; throws {@link IllegalArgumentException} when there is none. */
    public static VerifyingKey parse(String pem) {
        return find(pem)
                .orElseThrow(
                        () -> new IllegalArgumentException("holds no PEM PUBLIC KEY block (an Ed25519 public key)"));
    }

    static Optional<VerifyingKey> find(String pem) {
        Matcher m = PUBLIC.matcher(pem);
        if (!m.find()) {
            return Optional.empty();
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(m.group(1).replaceAll("\\s", ""));
            return Optional.of(
                    new VerifyingKey(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der))));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("its PUBLIC KEY block is not an Ed25519 public key");
        }
    }

    /** True when {@code signature} is this key's signature of {@code message}. */
    public boolean verifies(byte[] message, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    public String id() {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()))
                    .substring(0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    public String toPem() {
        return SigningKey.pem("PUBLIC KEY", key.getEncoded());
    }
}
