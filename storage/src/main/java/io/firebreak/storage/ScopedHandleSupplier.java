package io.firebreak.storage;

import java.util.concurrent.Callable;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.config.ConfigRegistry;
import org.jdbi.v3.core.extension.ExtensionContext;
import org.jdbi.v3.core.extension.HandleSupplier;

/**
 * The handle of the transaction the calling thread is in, as Jdbi's handle scope knows it. A data access object
 * attached to this supplier once serves every transaction on every thread: each call runs on the handle of the
 * transaction it is made in.
 */
final class ScopedHandleSupplier implements HandleSupplier {
    private final Jdbi jdbi;

    ScopedHandleSupplier(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public Handle getHandle() {
        return scope().getHandle();
    }

    @Override
    public Jdbi getJdbi() {
        return jdbi;
    }

    @Override
    public ConfigRegistry getConfig() {
        HandleSupplier scope = jdbi.getHandleScope().get();
        return scope == null ? jdbi.getConfig() : scope.getConfig();
    }

    @Override
    public <V> V invokeInContext(ExtensionContext extensionContext, Callable<V> task) throws Exception {
        return scope().invokeInContext(extensionContext, task);
    }

    private HandleSupplier scope() {
        HandleSupplier scope = jdbi.getHandleScope().get();
        if (scope == null) {
            throw new IllegalStateException("a data access object was called outside Storage.inTransaction");
        }
        return scope;
    }
}
