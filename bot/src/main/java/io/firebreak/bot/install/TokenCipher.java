package io.firebreak.bot.install;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts the Slack tokens Firebreak stores (AES-256-GCM, key {@code FIREBREAK_TOKEN_KEY}), so a copy of the database
 * alone gives nobody a token. Each value gets a random 96-bit nonce, and its associated data names the installation and
 * the column it belongs to: a ciphertext moved onto another workspace's row, or from the refresh column to the bot one,
 * fails its authentication instead of decrypting.
 *
 * <p>Stored as: one version byte, the 12-byte nonce, then the ciphertext with its 16-byte tag.
 */
final class TokenCipher {
    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    TokenCipher(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("the token key must be 32 bytes");
        }
        this.key = new SecretKeySpec(key, "AES");
    }

    /** Which stored value a ciphertext is: part of what binds it to its place. */
    enum Column {
        BOT_TOKEN,
        REFRESH_TOKEN
    }

    /** Thrown when a stored value does not decrypt: another key, another row, or a changed value. */
    static final class Unreadable extends Exception {
        Unreadable(String message) {
            super(message, null, false, false);
        }
    }

    byte[] encrypt(String token, String installationKey, Column column) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(installationKey, column));
            byte[] sealed = cipher.doFinal(token.getBytes(StandardCharsets.UTF_8));
            byte[] stored = new byte[1 + NONCE_BYTES + sealed.length];
            stored[0] = VERSION;
            System.arraycopy(nonce, 0, stored, 1, NONCE_BYTES);
            System.arraycopy(sealed, 0, stored, 1 + NONCE_BYTES, sealed.length);
            return stored;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    String decrypt(byte[] stored, String installationKey, Column column) throws Unreadable {
        if (stored.length < 1 + NONCE_BYTES + TAG_BITS / 8 || stored[0] != VERSION) {
            throw new Unreadable("it is not a value this version of Firebreak stored");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(
                    Cipher.DECRYPT_MODE,
                    key,
                    new GCMParameterSpec(TAG_BITS, Arrays.copyOfRange(stored, 1, 1 + NONCE_BYTES)));
            cipher.updateAAD(associatedData(installationKey, column));
            byte[] plain = cipher.doFinal(stored, 1 + NONCE_BYTES, stored.length - 1 - NONCE_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new Unreadable(
                    "it was encrypted with another FIREBREAK_TOKEN_KEY, for another workspace, or changed");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    private static byte[] associatedData(String installationKey, Column column) {
        return ("firebreak/slack-installation/v1/" + installationKey + "/" + column.name())
                .getBytes(StandardCharsets.UTF_8);
    }
}
