package io.firebreak.bot.platform.signing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Ed25519 key that signs checkpoints. Kept as PEM: a {@code PRIVATE KEY} block (PKCS#8) followed by its
 * {@code PUBLIC KEY} block (X.509), because the JDK cannot derive an Ed25519 public key from the private one.
 * {@link #toString()} never shows the private key.
 */
public final class SigningKey {
    private static final String PRIVATE_LABEL = "PRIVATE KEY";
    private static final Pattern PRIVATE = Pattern.compile(
            "-----BEGIN " + PRIVATE_LABEL + "-----([A-Za-z0-9+/=\\s]+)-----END " + PRIVATE_LABEL + "-----");

    private final PrivateKey privateKey;
    private final VerifyingKey verifyingKey;

    private SigningKey(PrivateKey privateKey, VerifyingKey verifyingKey) {
        this.privateKey = privateKey;
        this.verifyingKey = verifyingKey;
    }

    /** A new random key. */
    public static SigningKey generate() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            return new SigningKey(pair.getPrivate(), new VerifyingKey(pair.getPublic()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no Ed25519", e);
        }
    }

    /**
     * Reads a key from PEM text holding a {@code PRIVATE KEY} and a {@code PUBLIC KEY} block. Throws
     * {@link IllegalArgumentException} with a message that quotes nothing of the key.
     */
    public static SigningKey parse(String pem) {
        Matcher m = PRIVATE.matcher(pem);
        if (!m.find()) {
            throw new IllegalArgumentException("holds no PEM PRIVATE KEY block (an Ed25519 key in PKCS#8)");
        }
        PrivateKey key;
        try {
            byte[] der = Base64.getMimeDecoder().decode(m.group(1).replaceAll("\\s", ""));
            key = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("its PRIVATE KEY block is not an Ed25519 key");
        }
        Optional<VerifyingKey> publicKey = VerifyingKey.find(pem);
        if (publicKey.isEmpty()) {
            throw new IllegalArgumentException("holds no PUBLIC KEY block after the private key "
                    + "(add it with: openssl pkey -in key.pem -pubout >> key.pem)");
        }
        SigningKey signing = new SigningKey(key, publicKey.get());
        byte[] probe = "firebreak".getBytes(StandardCharsets.UTF_8);
        if (!signing.verifyingKey.verifies(probe, signing.sign(probe))) {
            throw new IllegalArgumentException("its PUBLIC KEY block does not belong to its PRIVATE KEY");
        }
        return signing;
    }

    /** The Ed25519 signature of {@code message}. */
    public byte[] sign(byte[] message) {
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(privateKey);
            signer.update(message);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing failed", e);
        }
    }

    public VerifyingKey verifyingKey() {
        return verifyingKey;
    }

    /** Both blocks, to keep in a file readable by the owner only. */
    public String toPem() {
        return pem(PRIVATE_LABEL, privateKey.getEncoded()) + verifyingKey.toPem();
    }

    static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der) + "\n-----END " + label + "-----\n";
    }

    @Override
    public String toString() {
        return "SigningKey[" + verifyingKey.id() + "]";
    }
}
