package io.firebreak.bot.evidence;

/**
 * A value read from a trace with where it was read, e.g. {@code runs[id=…].inputs}.
 */
record Located<T>(T value, String from) {}
