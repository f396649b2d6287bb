package io.firebreak.bot.platform.config;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Environments for {@link ConfigLoader} in tests. */
final class Environments {
    private Environments() {}

    /** The variables {@code pairs} (name, value, name, value, …), with the data directory in {@code dataDir}. */
    static Map<String, String> with(Path dataDir, String... pairs) {
        Map<String, String> env = new HashMap<>();
        env.put("FIREBREAK_DATA_DIR", dataDir.toString());
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }
}
