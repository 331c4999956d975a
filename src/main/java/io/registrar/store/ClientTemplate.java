package io.registrar.store;

import io.registrar.metadata.ClientMetadata;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A template client (templatized DCR): the settings every client made from it follows. The lifetimes
 * are null where the server's defaults apply.
 */
public record ClientTemplate(String templateId, ClientMetadata metadata, Duration accessTokenLifetime,
                             Duration refreshTokenLifetime, Instant updatedAt) {
    public ClientTemplate {
        Objects.requireNonNull(templateId, "templateId");
        Objects.requireNonNull(metadata, "metadata");
    }
}
