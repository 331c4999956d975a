package io.registrar.store;

import java.util.function.Supplier;

/** Small pieces of cluster-wide state generated once (signing keys, the hashing key). */
public interface ServerStateStore {

    /** The stored value for {@code name}; if none, stores {@code generator}'s value — unless another node won the race. */
    String getOrCreate(String name, Supplier<String> generator);

    /** Whether the database answers (readiness). */
    boolean ping();
}
