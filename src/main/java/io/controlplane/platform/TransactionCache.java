package io.controlplane.platform;

import java.util.HashMap;
import java.util.Map;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Rows a store read in the current transaction, so one journey step that asks for the same row many times reads it
 * once (MissionStore's mission row, PlayStore's latest plays). Each store has its own map, named by it; the maps live
 * in a synchronization of the transaction, so they end with it, and a nested REQUIRES_NEW transaction (which suspends
 * the outer one's synchronizations) has its own. Outside a transaction there is none.
 */
public final class TransactionCache {
    private TransactionCache() {}

    /** The current transaction's map {@code name}, empty at first use; {@code null} outside a transaction. */
    @SuppressWarnings("unchecked")
    public static <K, V> Map<K, V> map(String name) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()
                || !TransactionSynchronizationManager.isActualTransactionActive()) {
            return null;
        }
        Maps maps = null;
        for (TransactionSynchronization s : TransactionSynchronizationManager.getSynchronizations()) {
            if (s instanceof Maps m) {
                maps = m;
                break;
            }
        }
        if (maps == null) {
            maps = new Maps();
            TransactionSynchronizationManager.registerSynchronization(maps);
        }
        return (Map<K, V>) maps.byName.computeIfAbsent(name, k -> new HashMap<>());
    }

    private static final class Maps implements TransactionSynchronization {
        final Map<String, Map<?, ?>> byName = new HashMap<>();
    }
}
