package io.firebreak.bot.integrity;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A Merkle tree hash as Certificate Transparency defines it (RFC 6962 §2.1, RFC 9162 §2.1): leaves hashed with a
 * 0x00 prefix, nodes with 0x01, split at the largest power of two below the size. Inclusion proofs let an export
 * show that its incident's head is in a signed checkpoint without carrying every other incident's head.
 */
public final class MerkleTree {
    private final List<byte[]> leafHashes;

    /** A tree over {@code leaves}, in order. */
    public MerkleTree(List<String> leaves) {
        this.leafHashes = leaves.stream().map(MerkleTree::leafHash).toList();
    }

    /** The root, as 64 hex digits. */
    public String root() {
        return HexFormat.of().formatHex(hash(0, leafHashes.size()));
    }

    /** The audit path of leaf {@code index}, nearest sibling first, as hex. */
    public List<String> proof(int index) {
        if (index < 0 || index >= leafHashes.size()) {
            throw new IllegalArgumentException("no leaf " + index + " in a tree of " + leafHashes.size());
        }
        List<String> path = new ArrayList<>();
        path(index, 0, leafHashes.size(), path);
        return path;
    }

    /** True when {@code proof} shows {@code leaf} at {@code index} in a tree of {@code size} with {@code root}. */
    public static boolean verifyInclusion(String leaf, int index, int size, List<String> proof, String root) {
        if (index < 0 || index >= size) {
            return false;
        }
        long fn = index;
        long sn = size - 1L;
        byte[] r = leafHash(leaf);
        try {
            for (String hex : proof) {
                byte[] p = HexFormat.of().parseHex(hex);
                if (sn == 0) {
                    return false;
                }
                if ((fn & 1) == 1 || fn == sn) {
                    r = node(p, r);
                    if ((fn & 1) == 0) {
                        while ((fn & 1) == 0 && fn != 0) {
                            fn >>= 1;
                            sn >>= 1;
                        }
                    }
                } else {
                    r = node(r, p);
                }
                fn >>= 1;
                sn >>= 1;
            }
        } catch (IllegalArgumentException notHex) {
            return false;
        }
        return sn == 0 && HexFormat.of().formatHex(r).equals(root);
    }

    private void path(int index, int from, int to, List<String> out) {
        int n = to - from;
        if (n <= 1) {
            return;
        }
        int k = split(n);
        if (index < k) {
            path(index, from, from + k, out);
            out.add(HexFormat.of().formatHex(hash(from + k, to)));
        } else {
            path(index - k, from + k, to, out);
            out.add(HexFormat.of().formatHex(hash(from, from + k)));
        }
    }

    private byte[] hash(int from, int to) {
        int n = to - from;
        if (n == 0) {
            return sha256().digest();
        }
        if (n == 1) {
            return leafHashes.get(from);
        }
        int k = split(n);
        return node(hash(from, from + k), hash(from + k, to));
    }

    /** The largest power of two smaller than {@code n} (n ≥ 2). */
    private static int split(int n) {
        return Integer.highestOneBit(n - 1);
    }

    private static byte[] leafHash(String leaf) {
        MessageDigest d = sha256();
        d.update((byte) 0);
        d.update(leaf.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return d.digest();
    }

    private static byte[] node(byte[] left, byte[] right) {
        MessageDigest d = sha256();
        d.update((byte) 1);
        d.update(left);
        d.update(right);
        return d.digest();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
