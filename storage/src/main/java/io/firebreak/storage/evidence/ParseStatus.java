package io.firebreak.storage.evidence;

/** How much of a snapshot's raw response could be read as JSON. */
public enum ParseStatus {
    /** Read completely. */
    PARSED,
    /** Truncated at the size limit; read up to the cut. */
    PARTIAL,
    /** Not JSON: kept raw, nothing normalized from it. */
    UNPARSABLE
}
