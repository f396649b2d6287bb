package io.firebreak.bot.evidence;

import java.util.Base64;
import java.util.HexFormat;

/**
 * Trace and span IDs in the hex form people type. Grafana Tempo's API answers with IDs in base64 (the protobuf
 * bytes as JSON encodes them); Jaeger and the OTLP JSON exporters use hex.
 */
final class TraceIds {
    private TraceIds() {}

    /**
     * The ID as hex: hex IDs as they are, base64 IDs of 8 or 16 bytes decoded (lower-case), anything else
     * unchanged.
     */
    static String hex(String id) {
        if (id == null || id.isEmpty()) {
            return id;
        }
        if (id.matches("[0-9a-fA-F]{16}|[0-9a-fA-F]{32}")) {
            return id;
        }
        if (id.matches("[A-Za-z0-9+/_-]{11,24}={0,2}")) {
            try {
                byte[] bytes = id.contains("-") || id.contains("_")
                        ? Base64.getUrlDecoder().decode(id)
                        : Base64.getDecoder().decode(id);
                if (bytes.length == 8 || bytes.length == 16) {
                    return HexFormat.of().formatHex(bytes);
                }
            } catch (IllegalArgumentException e) {
                // not base64 after all: keep the ID as the backend gave it
            }
        }
        return id;
    }

    /**
     * The trace's ID in the form the user asked for it when it is the same ID, else its hex form. A 64-bit ID
     * (Jaeger's, or Zipkin's) is the same ID as its 128-bit form padded with zeros, as Tempo answers it.
     */
    static String asRequested(String traceId, String requested) {
        String hex = hex(traceId);
        return requested != null && unpadded(hex(requested)).equalsIgnoreCase(unpadded(hex)) ? requested : hex;
    }

    private static String unpadded(String hex) {
        return hex.matches("0{16}[0-9a-fA-F]{16}") ? hex.substring(16) : hex;
    }
}
