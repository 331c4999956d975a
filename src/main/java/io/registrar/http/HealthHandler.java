package io.registrar.http;

import io.javalin.http.Context;
import io.registrar.health.Readiness;
import io.registrar.oauth.Json;

import java.util.Map;
import java.util.function.Supplier;

/** Liveness (the process answers) and readiness (the database answers and the services are bound). */
final class HealthHandler {

    private final Supplier<Api> api;

    HealthHandler(Supplier<Api> api) {
        this.api = api;
    }

    void live(Context ctx) {
        ctx.contentType("application/json").header("Cache-Control", "no-store").result("{\"status\":\"UP\"}");
    }

    /** 200 or 503 at once, from state the background check keeps, with the reason when not ready. */
    void ready(Context ctx, boolean draining) {
        Readiness.Status status = draining ? Readiness.Status.notReady("draining: the node is shutting down") : api.get().readiness().get();
        ctx.status(status.ready() ? 200 : 503).contentType("application/json").header("Cache-Control", "no-store")
                .result(status.ready() ? "{\"status\":\"UP\"}" : Json.write(Map.of("status", "DOWN", "reason", status.reason())));
    }
}
