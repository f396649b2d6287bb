package io.firebreak.bot.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MerkleTreeTest {

    @Test
    void everyLeafHasAProofOfInclusionAndNoOtherLeafFitsIt() {
        for (int size = 1; size <= 33; size++) {
            List<String> leaves = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                leaves.add("INC-" + i + ":1:" + "ab".repeat(32));
            }
            MerkleTree tree = new MerkleTree(leaves);
            for (int i = 0; i < size; i++) {
                List<String> proof = tree.proof(i);
                assertThat(MerkleTree.verifyInclusion(leaves.get(i), i, size, proof, tree.root()))
                        .as("leaf %d of %d", i, size)
                        .isTrue();
                assertThat(MerkleTree.verifyInclusion(leaves.get(i) + "x", i, size, proof, tree.root()))
                        .isFalse();
                if (size > 1) {
                    assertThat(MerkleTree.verifyInclusion(leaves.get(i), (i + 1) % size, size, proof, tree.root()))
                            .isFalse();
                }
            }
        }
    }

    @Test
    void theRootOfOneLeafIsItsRfc6962LeafHash() {
        // SHA-256 of 0x00 || "" (RFC 6962 leaf of an empty entry).
        assertThat(new MerkleTree(List.of("")).root())
                .isEqualTo("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
    }
}
