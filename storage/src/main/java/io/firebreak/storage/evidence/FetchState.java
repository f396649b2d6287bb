package io.firebreak.storage.evidence;

/** Where a fetch of a run's trace is: under way (including waiting to retry), done, or given up. */
public enum FetchState {
    PENDING,
    SUCCEEDED,
    FAILED
}
