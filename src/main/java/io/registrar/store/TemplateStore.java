package io.registrar.store;

import java.util.List;
import java.util.Optional;

/** Template clients. Clients made from a template are resolved against it on every read ({@link ClientStore#find}). */
public interface TemplateStore {

    /** Inserts or replaces the template. */
    void save(ClientTemplate template);

    Optional<ClientTemplate> find(String templateId);

    List<ClientTemplate> list();
}
